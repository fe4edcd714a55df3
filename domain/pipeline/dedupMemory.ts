// Which messages a machine has decided, remembered within the dedup horizon (dedupHorizon.ts), so a
// redelivery counts as a duplicate rather than a new reading. It lives in the machine's checkpoint,
// which is written once per batch, so it must be small: a message is remembered by its time and a
// 32-bit hash of its id, not by the id. A redelivery carries the same id and the same time; two
// different messages of one machine would have to share the millisecond and the hash (about one in
// four billion for messages at the same instant) to be taken for each other.
export type DedupMemory = {
  /** Slot (time and hash, slotOf) → ts × 2 + 1 if the message was refused as too late (so a redelivery is not dead-lettered twice). */
  readonly entries: ReadonlyMap<number, number>;
};

/** The checkpoint's form: entries as remembered, each `Δts.hash` in base 36 (`!` after a refused one), joined by commas. */
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

// A number key (a string key cost a fifth of a replay): the hash and the time within 2^20 ms. Its
// value keeps the whole time, which a recall checks, so two messages 17 minutes apart with one hash
// never answer for each other; at worst one replaces the other's slot.
const SLOT_MS = 2 ** 20;
const slotOf = (ts: number, hash: number): number => (((ts % SLOT_MS) + SLOT_MS) % SLOT_MS) * 2 ** 32 + hash;

const recallSlot = (
  entries: ReadonlyMap<number, number>,
  id: string,
  ts: number,
): 'accepted' | 'refused' | undefined => {
  const value = entries.get(slotOf(ts, idHash(id)));
  if (value === undefined || Math.floor(value / 2) !== ts) return undefined;
  return value % 2 === 1 ? 'refused' : 'accepted';
};

/** Whether the message was decided, and if so whether it was refused as too late. */
export const recall = (memory: DedupMemory, id: string, ts: number): 'accepted' | 'refused' | undefined =>
  recallSlot(memory.entries, id, ts);

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
  let entries: Map<number, number> | undefined;
  const writable = (): Map<number, number> => (entries ??= new Map(memory.entries));
  return {
    remember: (id, ts, refused) => {
      const slot = slotOf(ts, idHash(id));
      const map = writable();
      // Re-inserted at the end: the map stays in the order messages were decided, mostly time order.
      map.delete(slot);
      map.set(slot, ts * 2 + (refused ? 1 : 0));
    },
    recall: (id, ts, forgetBefore) => (ts < forgetBefore ? undefined : recallSlot(entries ?? memory.entries, id, ts)),
    done: (forgetBefore) => {
      const current = entries ?? memory.entries;
      // Oldest first, mostly: the stale ones at the front go; a stale one further in is never
      // recalled, and goes once those before it have gone.
      let stale = 0;
      for (const value of current.values()) {
        if (Math.floor(value / 2) >= forgetBefore) break;
        stale += 1;
      }
      if (stale === 0) return entries === undefined ? memory : { entries };
      const kept = entries ?? new Map(memory.entries);
      let dropped = 0;
      for (const slot of kept.keys()) {
        if (dropped++ >= stale) break;
        kept.delete(slot);
      }
      return { entries: kept };
    },
  };
};

export const dedupMemoryToJson = (memory: DedupMemory): DedupMemoryJson => {
  const parts: string[] = [];
  let from: number | undefined;
  let previous = 0;
  for (const [slot, value] of memory.entries) {
    const ts = Math.floor(value / 2);
    if (from === undefined) previous = from = ts;
    const delta = ts - previous;
    parts.push(
      `${delta < 0 ? `-${(-delta).toString(36)}` : delta.toString(36)}.${(slot % 2 ** 32).toString(36)}${value % 2 === 1 ? '!' : ''}`,
    );
    previous = ts;
  }
  return { from: from ?? 0, entries: parts.join(',') };
};

export const dedupMemoryFromJson = (json: DedupMemoryJson): DedupMemory => {
  const entries = new Map<number, number>();
  if (json.entries === '') return { entries };
  let ts = json.from;
  for (const part of json.entries.split(',')) {
    const dot = part.indexOf('.');
    const refused = part.endsWith('!');
    ts += parseInt(part.slice(0, dot), 36);
    const hash = parseInt(part.slice(dot + 1, refused ? -1 : undefined), 36);
    entries.set(slotOf(ts, hash), ts * 2 + (refused ? 1 : 0));
  }
  return { entries };
};
