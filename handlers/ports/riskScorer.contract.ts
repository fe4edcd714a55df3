// One suite, every risk scorer: the embedded model and the SageMaker endpoint give the risk the
// model computes (scoreRisk), as a number in [0, 1], for the observations of a degrading tool.
import type { TestFn } from 'ava';
import type { Observation } from '../../domain/maintenance/features.ts';
import type { RiskScorer } from './riskScorer.ts';

export type RiskScorerUnderTest = { readonly scorer: RiskScorer; readonly close: () => Promise<void> };

export const OBSERVATIONS: readonly Observation[] = [
  { airTempK: 299.5, processTempK: 309.8, rotationalSpeedRpm: 1500, torqueNm: 38, toolWearMin: 20, type: 'M' },
  { airTempK: 299.5, processTempK: 309.8, rotationalSpeedRpm: 1500, torqueNm: 52, toolWearMin: 235, type: 'M' },
  { airTempK: 302.1, processTempK: 310.4, rotationalSpeedRpm: 1290, torqueNm: 55, toolWearMin: 90, type: 'L' },
  { airTempK: 298.0, processTempK: 308.1, rotationalSpeedRpm: 2800, torqueNm: 6, toolWearMin: 180, type: 'H' },
];

export const riskScorerContract = (
  test: TestFn,
  name: string,
  make: () => Promise<RiskScorerUnderTest>,
  expected: (o: Observation) => number,
): void => {
  test(`${name}: each observation scores the model's risk, bit for bit`, async (t) => {
    const { scorer, close } = await make();
    try {
      for (const o of OBSERVATIONS) t.is(await scorer.score(o), expected(o));
    } finally {
      await close();
    }
  });
  test(`${name}: a healthy tool scores lower than a worn one under load`, async (t) => {
    const { scorer, close } = await make();
    try {
      const [healthy, worn] = [await scorer.score(OBSERVATIONS[0]!), await scorer.score(OBSERVATIONS[1]!)];
      t.true(healthy >= 0 && worn <= 1 && healthy < worn, `healthy ${healthy}, worn ${worn}`);
    } finally {
      await close();
    }
  });
};
