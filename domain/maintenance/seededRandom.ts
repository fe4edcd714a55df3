// A seeded pseudo-random source for the few random choices training makes (fold shuffles, row
// subsamples): the same seed gives the same model and the same cross-validation, run after run.

/** mulberry32 (Tommy Ettinger, public domain): a 32-bit state generator, uniform in [0, 1). */
export const seededRandom = (seed: number): (() => number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/** A Fisher–Yates shuffle of a copy, driven by the given source. */
export const shuffled = <A>(items: readonly A[], random: () => number): A[] => {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = out[i] as A;
    out[i] = out[j] as A;
    out[j] = tmp;
  }
  return out;
};
