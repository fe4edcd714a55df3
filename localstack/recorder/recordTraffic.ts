// `factory record`'s work: subscribe as a service thing and write every message received, one
// recording line each, until told to stop (a signal), a duration has passed or a count is reached.
// Receive time is the recorder's clock: a recording says when traffic arrived, as IoT Core's
// timestamp() would, not when the machine says it measured (that stays in the payload's ts).
import { openRecordingFile } from './recordingFile.ts';
import { recordingLineFor } from './recordingLine.ts';
import { connectThing } from './thingConnection.ts';

export type RecordOptions = {
  readonly url: string;
  readonly certsDir: string;
  readonly clientId: string;
  readonly topics: readonly string[];
  readonly out: string;
  readonly durationS?: number;
  readonly count?: number;
  readonly signal?: AbortSignal;
  /** Called once the broker has granted the subscriptions: from then on nothing published is missed. */
  readonly onReady?: () => void;
  /** Called after each message is written, with the count so far. */
  readonly onRecorded?: (recorded: number) => void;
  readonly now?: () => number;
};

export type StopReason = 'count' | 'duration' | 'signal' | 'connection lost';
export type RecordResult = { readonly recorded: number; readonly stoppedBy: StopReason; readonly detail?: string };

export const recordTraffic = async (options: RecordOptions): Promise<RecordResult> => {
  const now = options.now ?? Date.now;
  const connection = await connectThing({ url: options.url, certsDir: options.certsDir, thingName: options.clientId });
  let file;
  try {
    file = await openRecordingFile(options.out, '--out');
  } catch (error) {
    await connection.end();
    throw error;
  }
  let recorded = 0;
  let stop: (reason: StopReason, detail?: string) => void = () => undefined;
  const stopped = new Promise<{ reason: StopReason; detail?: string }>((resolve) => {
    let done = false;
    stop = (reason, detail) => {
      if (!done) {
        done = true;
        resolve({ reason, detail });
      }
    };
  });
  let accepting = true;
  connection.client.on('message', (topic, payload) => {
    if (!accepting) return;
    void file.write(`${recordingLineFor(now(), topic, payload)}\n`);
    recorded += 1;
    options.onRecorded?.(recorded);
    if (options.count !== undefined && recorded >= options.count) {
      accepting = false;
      stop('count');
    }
  });
  void connection.lost.then((detail) => stop('connection lost', detail));
  const onAbort = (): void => stop('signal');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted === true) stop('signal');
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const granted = await Promise.race([
      connection.client.subscribeAsync([...options.topics], { qos: 1 }).catch((error: unknown) => {
        stop(
          'connection lost',
          `subscribing to ${options.topics.join(', ')} failed (${error instanceof Error ? error.message : String(error)})`,
        );
        return undefined;
      }),
      stopped.then(() => undefined),
    ]);
    // MQTT 3.1.1 SUBACK 0x80: the broker refused that filter (IoT Core and the local broker disconnect instead).
    const refused = granted?.filter((grant) => grant.qos === 128).map((grant) => grant.topic) ?? [];
    if (refused.length > 0)
      throw new Error(
        `the broker at ${options.url} refused the subscription to ${refused.join(', ')} for ${options.clientId}: subscribe to topics its IoT policy allows (a service thing may read dt/#)`,
      );
    if (granted !== undefined) {
      if (options.durationS !== undefined) timer = setTimeout(() => stop('duration'), options.durationS * 1000);
      options.onReady?.();
    }
    const { reason, detail } = await stopped;
    accepting = false;
    return { recorded, stoppedBy: reason, ...(detail === undefined ? {} : { detail }) };
  } finally {
    accepting = false;
    if (timer !== undefined) clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    await connection.end();
    await file.close();
  }
};
