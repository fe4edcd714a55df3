// The thread behind storeWriter.ts: its own SQLite connection to the store, running each batch it is
// posted as one transaction, in order. Plain JavaScript that needs only better-sqlite3, so the
// thread starts without the TypeScript loader. How far it got is shared memory (settled batches,
// Atomics.notify after each), so the replay's thread can wait for it synchronously; an error goes
// back on the reply port, where that thread reads it without returning to its event loop.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

/** @type {{ path: string; pragmas: string[]; statements: string[]; settled: SharedArrayBuffer; replies: import('node:worker_threads').MessagePort }} */
const { path, pragmas, statements, settled: settledBuffer, replies } = workerData;
const settled = new Int32Array(settledBuffer);

/** @type {string | undefined} The first failure: every later batch is refused, so no progress row can skip a lost one. */
let failure;
/** @type {import('better-sqlite3').Database | undefined} */
let db;
/** @type {(batch: [number, unknown[][]][]) => void} */
let runBatch = () => {};
try {
  db = new Database(path);
  // Set up as every connection to a store is (STORE_PRAGMAS in localstack/store/schema.ts).
  for (const pragma of pragmas) db.pragma(pragma);
  const prepared = statements.map((sql) => db.prepare(sql));
  runBatch = db.transaction((batch) => {
    for (const [statement, rows] of batch) {
      const insert = prepared[statement];
      for (const row of rows) insert.run(row);
    }
  });
} catch (error) {
  failure = `the store writer could not open ${path}: ${error instanceof Error ? error.message : String(error)}`;
}

const settle = () => {
  Atomics.add(settled, 0, 1);
  Atomics.notify(settled, 0);
};

/** @param {{ kind: 'batch'; batch: [number, unknown[][]][] } | { kind: 'close' }} message */
const onMessage = (message) => {
  if (message.kind === 'close') {
    try {
      db?.close();
    } catch (error) {
      replies.postMessage(`the store writer could not close ${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
    db = undefined;
    parentPort?.off('message', onMessage);
    settle();
    return;
  }
  if (failure === undefined) {
    try {
      runBatch(message.batch);
    } catch (error) {
      failure = `a replay commit failed: ${error instanceof Error ? error.message : String(error)}`;
      // Posted before the batch counts as settled: whoever sees it settled finds the reason waiting.
      replies.postMessage(failure);
    }
  } else {
    replies.postMessage(failure);
  }
  settle();
};
parentPort?.on('message', onMessage);
