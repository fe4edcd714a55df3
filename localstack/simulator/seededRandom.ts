// A small seeded generator (mulberry32): the simulated plant is the same on every machine and run.
export type Random = {
  readonly next: () => number;
  readonly between: (min: number, max: number) => number;
  readonly chance: (p: number) => boolean;
  readonly int: (min: number, max: number) => number;
};

export const seededRandom = (seed: number): Random => {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    between: (min, max) => min + (max - min) * next(),
    chance: (p) => next() < p,
    int: (min, max) => Math.floor(min + (max - min + 1) * next()),
  };
};
