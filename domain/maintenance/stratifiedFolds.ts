// Stratified k-fold assignment: every fold gets its share of each stratum (failure / no failure, or
// finer), so a fold is never left without the rare failures it is meant to test on.
import { seededRandom, shuffled } from './seededRandom.ts';

/**
 * The fold (0..k−1) of each row. Rows are grouped by stratum key, shuffled with the seed, and dealt
 * round-robin, the deal continuing from stratum to stratum: each fold holds ⌊m/k⌋ or ⌈m/k⌉ rows of a
 * stratum of m rows, and fold sizes differ by at most one.
 */
export const stratifiedFolds = (strata: readonly string[], k: number, seed: number): number[] => {
  const random = seededRandom(seed);
  const groups = new Map<string, number[]>();
  strata.forEach((key, i) => {
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [i]);
    else group.push(i);
  });
  const fold = new Array<number>(strata.length).fill(0);
  let next = 0;
  for (const key of [...groups.keys()].sort()) {
    for (const i of shuffled(groups.get(key)!, random)) {
      fold[i] = next;
      next = (next + 1) % k;
    }
  }
  return fold;
};
