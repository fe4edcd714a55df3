// Which messages a machine has decided, remembered within the dedup horizon (dedupHorizon.ts), so a
// redelivery counts as a duplicate rather than a new reading. It lives in the machine's checkpoint,
// which is written once per batch, so it must be small: a message is remembered by its time and a
// 32-bit hash of its id, not by the id. A redelivery carries the same id and the same time; two
// different messages of one machine would have to share the millisecond and the hash (about one in
// four billion for messages at the same instant) to be taken for each other.
export type DedupMemory = {
  /** `${ts}:${hash}` → ts × 2 + 1 if the message was refused as too late (so a redelivery is not dead-lettered twice). */
  readonly entries: ReadonlyMap<string, number>;
};

/** The checkpoint's form: entries in time order, each `Δts.hash` in base 36 (`!` after a refused one), joined by commas. */
export type DedupMemoryJson = { readonly from: number; readonly entries: string };

export const emptyDedupMemory: DedupMemory = { entries: new Map() };

/** FNV-1a over the id's UTF-16 code units. */
export const idHash = (id: string): number => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
};

const keyOf = (id: string, ts: number): string => `${ts}:${idHash(id)}`;

/** Whether the message was decided, and if so whether it was refused as too late. */
export const recall = (memory: DedupMemory, id: string, ts: number): 'accepted' | 'refused' | undefined => {
  const value = memory.entries.get(keyOf(id, ts));
  return value === undefined ? undefined : value % 2 === 1 ? 'refused' : 'accepted';
};

/**
 * A working copy that a batch adds to; `done` then drops what fell out of the horizon. What is older
 * than `forgetBefore` is never recalled, pruned or not, so a batch answers as a message at a time would.
 */
export type DedupDraft = {
  readonly remember: (id: string, ts: number, refused: boolean) => void;
  readonly recall: (id: string, ts: number, forgetBefore: number) => 'accepted' | 'refused' | undefined;
  readonly done: (forgetBefore: number) => DedupMemory;
};

export const draftOf = (memory: DedupMemory): DedupDraft => {
  let entries: Map<string, number> | undefined;
  const writable = (): Map<string, number> => (entries ??= new Map(memory.entries));
  return {
    remember: (id, ts, refused) => { writable().set(keyOf(id, ts), ts * 2 + (refused ? 1 : 0)); },
    recall: (id, ts, forgetBefore) => (ts < forgetBefore ? undefined : recall({ entries: entries ?? memory.entries }, id, ts)),
    done: (forgetBefore) => {
      const current = entries ?? memory.entries;
      let stale = false;
      for (const value of current.values()) if (Math.floor(value / 2) < forgetBefore) { stale = true; break; }
      if (!stale) return entries === undefined ? memory : { entries };
      const kept = new Map<string, number>();
      for (const [key, value] of current) if (Math.floor(value / 2) >= forgetBefore) kept.set(key, value);
      return { entries: kept };
    },
  };
};

export const dedupMemoryToJson = (memory: DedupMemory): DedupMemoryJson => {
  const rows: [ts: number, hash: number, refused: boolean][] = [];
  for (const [key, value] of memory.entries) rows.push([Math.floor(value / 2), Number(key.slice(key.indexOf(':') + 1)), value % 2 === 1]);
  rows.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const from = rows[0]?.[0] ?? 0;
  let previous = from;
  const parts = rows.map(([ts, hash, refused]) => {
    const part = `${(ts - previous).toString(36)}.${hash.toString(36)}${refused ? '!' : ''}`;
    previous = ts;
    return part;
  });
  return { from, entries: parts.join(',') };
};

export const dedupMemoryFromJson = (json: DedupMemoryJson): DedupMemory => {
  const entries = new Map<string, number>();
  if (json.entries === '') return { entries };
  let ts = json.from;
  for (const part of json.entries.split(',')) {
    const dot = part.indexOf('.');
    const refused = part.endsWith('!');
    ts += parseInt(part.slice(0, dot), 36);
    const hash = parseInt(part.slice(dot + 1, refused ? -1 : undefined), 36);
    entries.set(`${ts}:${hash}`, ts * 2 + (refused ? 1 : 0));
  }
  return { entries };
};
