// The gateway's alert log: `{buffer.dir}/alerts.jsonl`, one JSON line per edge alert raised or
// cleared, each exactly once, across restarts and crashes. The gateway copies each line into the
// store-and-forward buffer as an `alert` message (gateway.ts); `alertsAfter` gives back the lines a
// crash kept from being copied.
//
// Why a snapshot beside the log: after a restart the detectors must resume where they were, or an
// alert still standing is raised a second time. `detectors.json` holds every machine's detector state
// and the alerts of the last step that raised any (`pending`); it is written (atomic rename, fsync)
// before those alerts are appended to the log (fsync). A crash between the two leaves them in
// `pending` with sequence numbers beyond the log's last line, and opening the log appends them then.
import {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { AlertEvent } from '../domain/detectors/detector.ts';
import type { DetectorsState } from '../domain/detectors/runDetectors.ts';

/** A detector's alert event and the machine it is about. */
export type EdgeAlertInput = AlertEvent & {
  readonly factoryId: string;
  readonly lineId: string;
  readonly machineId: string;
};
/** One line of the log: `seq` is 1, 2, 3… in the order raised, the line's identity in this gateway's log. */
export type EdgeAlert = { readonly seq: number } & EdgeAlertInput;

export type EdgeAlertLog = {
  /** Where a machine's detectors resume; undefined for a machine with no saved state. */
  readonly stateOf: (machineId: string) => DetectorsState | undefined;
  /** One detector step of a machine: its new state, and the alerts that step raised or cleared (on disk when this returns). */
  readonly record: (
    machineId: string,
    state: DetectorsState,
    alerts: readonly EdgeAlertInput[],
  ) => readonly EdgeAlert[];
  /** The logged alerts with a sequence number above `seq`, in order (read from the file: for a restart, not per step). */
  readonly alertsAfter: (seq: number) => readonly EdgeAlert[];
  /** Saves states changed since the last save (a periodic tick: a crash then loses at most that much progress). */
  readonly checkpoint: () => void;
  readonly close: () => void;
};

type Snapshot = {
  readonly v: 1;
  readonly nextSeq: number;
  readonly states: Record<string, DetectorsState>;
  readonly pending: readonly EdgeAlert[];
};

export const alertLogFile = (dir: string): string => join(dir, 'alerts.jsonl');
export const detectorSnapshotFile = (dir: string): string => join(dir, 'detectors.json');

// Only the end of the log matters on open (its last sequence number): alerts are rare, but the log
// is never rotated by the gateway, so it is not read whole.
const TAIL_BYTES = 64 * 1024;

/** The log's last complete line's seq (0 if none), after cutting off a line torn by a crash mid-append. */
const repairTail = (file: string): number => {
  if (!existsSync(file)) return 0;
  const fd = openSync(file, 'r+');
  try {
    const size = fstatSync(fd).size;
    const start = Math.max(0, size - TAIL_BYTES);
    const tail = Buffer.alloc(size - start);
    readSync(fd, tail, 0, tail.length, start);
    const end = tail.lastIndexOf(0x0a) + 1;
    // Whatever follows the last newline is a torn append; its alert is still in the snapshot's pending.
    if (end < tail.length && (start === 0 || end > 0)) ftruncateSync(fd, start + end);
    const lines = tail
      .subarray(0, end)
      .toString('utf8')
      .split('\n')
      .filter((line) => line.trim() !== '');
    for (let i = lines.length - 1; i >= 0; i--) {
      try {
        const seq: unknown = (JSON.parse(lines[i] ?? '') as { seq?: unknown }).seq;
        if (typeof seq === 'number') return seq;
      } catch {
        // the first line of the tail may be cut in the middle: look further back
      }
    }
    return 0;
  } finally {
    closeSync(fd);
  }
};

const readSnapshot = (file: string): Snapshot | undefined => {
  if (!existsSync(file)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<Snapshot>;
    if (
      parsed.v !== 1 ||
      typeof parsed.nextSeq !== 'number' ||
      typeof parsed.states !== 'object' ||
      !Array.isArray(parsed.pending)
    )
      return undefined;
    return parsed as Snapshot;
  } catch {
    // written by rename, so never half a file; unreadable means edited by hand: start the detectors afresh
    return undefined;
  }
};

const writeDurably = (file: string, text: string, flag: 'w' | 'a'): void => {
  const fd = openSync(file, flag);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
};

const syncDirectory = (dir: string): void => {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // not every platform can fsync a directory (Windows); the rename is atomic all the same
  }
};

const lines = (alerts: readonly EdgeAlert[]): string => alerts.map((alert) => `${JSON.stringify(alert)}\n`).join('');

/** Opens (or creates) the alert log in `dir`, completing an append a crash cut short. */
export const openEdgeAlertLog = (dir: string): EdgeAlertLog => {
  mkdirSync(dir, { recursive: true });
  const logFile = alertLogFile(dir);
  const snapshotFile = detectorSnapshotFile(dir);
  const lastLogged = repairTail(logFile);
  const snapshot = readSnapshot(snapshotFile);
  const missing = (snapshot?.pending ?? []).filter((alert) => alert.seq > lastLogged);
  if (missing.length > 0) writeDurably(logFile, lines(missing), 'a');

  const states = new Map<string, DetectorsState>(Object.entries(snapshot?.states ?? {}));
  let nextSeq = Math.max(snapshot?.nextSeq ?? 1, lastLogged + 1, ...missing.map((alert) => alert.seq + 1));
  let dirty = false;

  const save = (pending: readonly EdgeAlert[]): void => {
    const next: Snapshot = { v: 1, nextSeq, states: Object.fromEntries(states), pending };
    writeDurably(`${snapshotFile}.tmp`, JSON.stringify(next), 'w');
    renameSync(`${snapshotFile}.tmp`, snapshotFile);
    syncDirectory(dir);
    dirty = false;
  };

  return {
    stateOf: (machineId) => states.get(machineId),
    record: (machineId, state, inputs) => {
      states.set(machineId, state);
      if (inputs.length === 0) {
        dirty = true;
        return [];
      }
      const alerts = inputs.map((input, i): EdgeAlert => ({ seq: nextSeq + i, ...input }));
      nextSeq += alerts.length;
      save(alerts);
      writeDurably(logFile, lines(alerts), 'a');
      return alerts;
    },
    alertsAfter: (seq) => {
      if (!existsSync(logFile)) return [];
      // Alerts are rare and the log is read only at a start; every line is whole (repairTail cut a torn one).
      return readFileSync(logFile, 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as EdgeAlert)
        .filter((alert) => alert.seq > seq);
    },
    checkpoint: () => {
      if (dirty) save([]);
    },
    close: () => {
      if (dirty) save([]);
    },
  };
};
