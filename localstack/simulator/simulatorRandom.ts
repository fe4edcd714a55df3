// The simulator's random draws, from the domain's seeded generator: the simulated plant is the same on every
// machine and run.
import { seededRandom } from '../../domain/maintenance/seededRandom.ts';

export type Random = {
  readonly next: () => number;
  readonly between: (min: number, max: number) => number;
  readonly chance: (p: number) => boolean;
  readonly int: (min: number, max: number) => number;
};

export const simulatorRandom = (seed: number): Random => {
  const next = seededRandom(seed);
  return {
    next,
    between: (min, max) => min + (max - min) * next(),
    chance: (p) => next() < p,
    int: (min, max) => Math.floor(min + (max - min + 1) * next()),
  };
};
