// The message ids one machine accepted within the dedup horizon (domain/pipeline/dedupHorizon.ts).
// Whether an id is a duplicate depends only on the reading's own time against the machine's newest,
// never on when old ids were pruned: a replay killed and resumed counts exactly as one that ran
// through, and memory stays bounded by the horizon instead of growing with every message ever seen.
export type RecentIds = {
  /** True when `id` was accepted with a time no older than `newestTs` − the horizon. */
  readonly isDuplicate: (id: string, newestTs: number) => boolean;
  readonly add: (id: string, ts: number, newestTs: number) => void;
  readonly size: () => number;
};

export const recentIds = (horizonMs: number): RecentIds => {
  const accepted = new Map<string, number>();
  let pruneAt = 1024;
  const prune = (newestTs: number): void => {
    const oldest = newestTs - horizonMs;
    for (const [id, ts] of accepted) if (ts < oldest) accepted.delete(id);
    // Prune again when the map has doubled: amortised constant time per id.
    pruneAt = Math.max(1024, accepted.size * 2);
  };
  return {
    isDuplicate: (id, newestTs) => {
      const ts = accepted.get(id);
      return ts !== undefined && ts >= newestTs - horizonMs;
    },
    add: (id, ts, newestTs) => {
      accepted.set(id, ts);
      if (accepted.size >= pruneAt) prune(newestTs);
    },
    size: () => accepted.size,
  };
};
