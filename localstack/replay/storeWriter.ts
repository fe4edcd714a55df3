// The replay's writes, on a second thread with its own connection to the store (storeWriterThread.mjs):
// the pipeline folds the next batch of messages while the previous one is committed, so a replay
// uses both cores rather than waiting for SQLite. Each batch is still one transaction, with the
// recording's progress in it, so a killed replay resumes after the last one that completed.
// The calls stay synchronous: a caller about to read the store first flushes, which blocks (Atomics.wait)
// until every batch posted so far is committed; a failed batch is thrown at the next write or flush.
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { STORE_PRAGMAS, type FactoryDb } from '../store/schema.ts';

/** One transaction: for each statement (its index in the writer's list) the rows it runs with, in this order. */
export type WriteBatch = readonly (readonly [statement: number, rows: readonly (readonly unknown[])[]])[];

export type StoreWriter = {
  /** Queues a batch; throws the error of an earlier batch that failed (that one and every later one are not written). */
  readonly write: (batch: WriteBatch) => void;
  /** Returns once every batch written so far is committed; throws if one failed. */
  readonly flush: () => void;
  /** Flushes and closes the writer's connection: after it, the store's file may go. */
  readonly close: () => void;
};

/** Batches queued or being committed at most: the replay waits for the oldest rather than running ahead. */
const IN_FLIGHT = 2;
/** How often a wait checks that the writer's thread still runs (it could only die of something fatal, like memory). */
const WAIT_SLICE_MS = 1000;

/** The store's writes on a second thread; in this one for an in-memory store, which no second connection can open. */
export const openStoreWriter = (db: FactoryDb, statements: readonly string[]): StoreWriter =>
  db.memory ? inlineWriter(db, statements) : threadWriter(db.name, statements);

/** The same transactions on the caller's connection and thread. */
export const inlineWriter = (db: FactoryDb, statements: readonly string[]): StoreWriter => {
  const prepared = statements.map((sql) => db.prepare(sql));
  const run = db.transaction((batch: WriteBatch) => {
    for (const [statement, rows] of batch) {
      const insert = prepared[statement]!;
      for (const row of rows) insert.run(row);
    }
  });
  return { write: (batch) => { run(batch); }, flush: () => {}, close: () => {} };
};

export const threadWriter = (path: string, statements: readonly string[]): StoreWriter => {
  // settled[0]: how many posted messages (batches, then the close) the thread has finished with.
  const settledBuffer = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  const settled = new Int32Array(settledBuffer);
  const { port1: replies, port2 } = new MessageChannel();
  const worker = new Worker(new URL('./storeWriterThread.mjs', import.meta.url), {
    workerData: { path, pragmas: STORE_PRAGMAS, statements, settled: settledBuffer, replies: port2 },
    transferList: [port2],
    // The thread needs no TypeScript loader (it would double its start-up time).
    execArgv: [],
  });
  // A replay that ends without close() (an error on its way out) must not keep the process alive.
  worker.unref();
  let posted = 0;
  let failure: Error | undefined;
  let reported = false;
  let closed = false;

  const collectReplies = (): void => {
    for (let reply = receiveMessageOnPort(replies); reply !== undefined; reply = receiveMessageOnPort(replies)) {
      failure ??= new Error(String(reply.message));
    }
  };
  const throwFailure = (): void => {
    collectReplies();
    if (failure === undefined) return;
    reported = true;
    throw failure;
  };
  const waitUntilSettled = (count: number): void => {
    for (let now = Atomics.load(settled, 0); now < count; now = Atomics.load(settled, 0)) {
      if (Atomics.wait(settled, 0, now, WAIT_SLICE_MS) === 'timed-out' && worker.threadId === -1) {
        failure ??= new Error(`the store writer's thread stopped with ${count - now} replay commits not written to ${path}`);
        return;
      }
    }
  };

  const write = (batch: WriteBatch): void => {
    if (closed) throw new Error('the store writer is closed');
    throwFailure();
    if (posted - Atomics.load(settled, 0) >= IN_FLIGHT) {
      waitUntilSettled(posted - IN_FLIGHT + 1);
      throwFailure();
    }
    worker.postMessage({ kind: 'batch', batch });
    posted += 1;
  };

  const flush = (): void => {
    waitUntilSettled(posted);
    throwFailure();
  };

  const close = (): void => {
    if (closed) return;
    closed = true;
    try {
      // The close settles after every batch before it, with the connection closed.
      worker.postMessage({ kind: 'close' });
      waitUntilSettled(posted + 1);
      collectReplies();
    } finally {
      replies.close();
      void worker.terminate();
    }
    // A failure nobody was told of yet (the last batch's) is not lost at the end either.
    if (failure !== undefined && !reported) {
      reported = true;
      throw failure;
    }
  };

  return { write, flush, close };
};
