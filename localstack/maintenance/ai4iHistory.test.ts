import test from 'ava';
import { existsSync, readFileSync } from 'node:fs';
import * as E from 'fp-ts/lib/Either.js';
import { ai4iHistory } from './ai4iHistory.ts';

const HEADER =
  '\uFEFFUDI,Product ID,Type,Air temperature [K],Process temperature [K],Rotational speed [rpm],Torque [Nm],Tool wear [min],Machine failure,TWF,HDF,PWF,OSF,RNF';
const csv = (...rows: string[]): string => [HEADER, ...rows].join('\r\n') + '\r\n';

test('a row becomes an observation (inputs) and labels (failure and modes); UDI and Product ID are dropped', (t) => {
  t.deepEqual(
    ai4iHistory(csv('1,M14860,M,298.1,308.6,1551,42.8,0,1,0,1,0,0,0'), 'h.csv'),
    E.right([
      {
        observation: {
          airTempK: 298.1,
          processTempK: 308.6,
          rotationalSpeedRpm: 1551,
          torqueNm: 42.8,
          toolWearMin: 0,
          type: 'M',
        },
        labels: { failure: true, TWF: false, HDF: true, PWF: false, OSF: false, RNF: false },
      },
    ]),
  );
});

test('columns are found by name, in any order, and quoted values are read', (t) => {
  const text =
    'RNF,OSF,PWF,HDF,TWF,Machine failure,Tool wear [min],Torque [Nm],Rotational speed [rpm],Process temperature [K],Air temperature [K],Type\n0,0,0,0,0,0,"7","39.5",1433,308.6,298.2,"L"\n';
  const rows = ai4iHistory(text, 'h.csv');
  t.true(E.isRight(rows) && rows.right[0]!.observation.torqueNm === 39.5 && rows.right[0]!.observation.type === 'L');
});

test('a bad value is reported with the file, the line, the column, what was expected and what to do', (t) => {
  const result = ai4iHistory(
    csv('1,M1,M,298.1,308.6,1551,42.8,0,0,0,0,0,0,0', '2,M2,M,298.1,308.6,fast,42.8,0,0,0,0,0,0,0'),
    'h.csv',
  );
  t.deepEqual(
    result,
    E.left('h.csv line 3, column "Rotational speed [rpm]": expected a number, got "fast" — fix or remove the row'),
  );
  const label = ai4iHistory(csv('1,M1,M,298.1,308.6,1551,42.8,0,yes,0,0,0,0,0'), 'h.csv');
  t.true(
    E.isLeft(label) && label.left.startsWith('h.csv line 2, column "Machine failure": expected 0 or 1, got "yes"'),
  );
  const type = ai4iHistory(csv('1,M1,X,298.1,308.6,1551,42.8,0,0,0,0,0,0,0'), 'h.csv');
  t.true(E.isLeft(type) && type.left.startsWith('h.csv line 2, column "Type": expected L, M or H'));
  const short = ai4iHistory(csv('1,M1,M,298.1'), 'h.csv');
  t.true(E.isLeft(short) && short.left.startsWith('h.csv line 2: 4 fields; expected 14'));
});

test('a header without the AI4I columns names the missing ones', (t) => {
  const result = ai4iHistory('Type,Torque [Nm]\nL,40\n', 'h.csv');
  t.true(E.isLeft(result) && result.left.includes('lacks "Air temperature [K]"') && result.left.includes('"RNF"'));
  t.true(E.isLeft(ai4iHistory('', 'h.csv')));
  t.true(E.isLeft(ai4iHistory(HEADER + '\n', 'h.csv')));
});

// The full dataset is not in the repository (its licence asks for attribution, and it is 0.5 MB of
// data): the team's shared/ folder beside the clone holds it, and CI has it. Elsewhere this one test
// is reported as skipped, by name; every other test uses the fixture derived from it.
const AI4I = new URL('../../../shared/data/ai4i2020.csv', import.meta.url);
const withDataset = existsSync(AI4I) ? test : test.skip;

withDataset(
  'the AI4I 2020 file reads whole: 10,000 rows, 339 failures, TWF 46, HDF 115, PWF 95, OSF 98, RNF 19',
  (t) => {
    const text = readFileSync(AI4I, 'utf8');
    const rows = ai4iHistory(text, 'ai4i2020.csv');
    if (E.isLeft(rows)) return t.fail(rows.left);
    const count = (target: 'failure' | 'TWF' | 'HDF' | 'PWF' | 'OSF' | 'RNF'): number =>
      rows.right.filter((r) => r.labels[target]).length;
    t.is(rows.right.length, 10_000);
    t.deepEqual(
      [count('failure'), count('TWF'), count('HDF'), count('PWF'), count('OSF'), count('RNF')],
      [339, 46, 115, 95, 98, 19],
    );
  },
);
