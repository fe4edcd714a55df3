import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { decodeSiteConfig } from '../site/siteConfig.ts';
import { failureModeOfReason, failureReasonsOf } from './failureReasons.ts';

const site = (maintenance: unknown) => ({
  version: 1,
  factories: [
    {
      id: 'f',
      timezone: 'UTC',
      lines: [{ id: 'l', machines: [{ id: 'cnc-01', type: 'cnc', idealCycleTimeS: 60 }] }],
    },
  ],
  ...(maintenance === undefined ? {} : { maintenance }),
});

const problems = (json: unknown): readonly string[] => {
  const decoded = decodeSiteConfig(json);
  return E.isLeft(decoded) ? decoded.left : [];
};

test('maintenance.failureReasons names the failure reasons of each machine type; a site without it still decodes', (t) => {
  const decoded = decodeSiteConfig(site({ failureReasons: { cnc: ['tool_failure', 'breakdown'] } }));
  t.true(E.isRight(decoded));
  if (E.isRight(decoded))
    t.deepEqual(failureReasonsOf(decoded.right.maintenance, 'cnc'), ['tool_failure', 'breakdown']);
  const without = decodeSiteConfig(site(undefined));
  t.true(E.isRight(without));
  if (E.isRight(without)) t.deepEqual(failureReasonsOf(without.right.maintenance, 'cnc'), []);
});

test('a bad failureReasons entry is one line naming its path and what to do', (t) => {
  t.deepEqual(problems(site({ failureReasons: { lathe: ['breakdown'] } })), [
    'maintenance.failureReasons.lathe: no machine has type "lathe" (types: cnc; case-sensitive); use a machine type of the site',
  ]);
  t.regex(
    problems(site({ failureReasons: { cnc: [] } })).join('\n'),
    /maintenance\.failureReasons\.cnc: expected at least one of failure reasons/,
  );
  t.regex(
    problems(site({ failureReasons: { cnc: [''] } })).join('\n'),
    /maintenance\.failureReasons\.cnc\[0\]: expected a stop reason/,
  );
  t.regex(problems(site({ failureReason: { cnc: ['x'] } })).join('\n'), /maintenance\.failureReason: unknown field/);
  t.regex(problems(site({ failureReasons: ['tool_failure'] })).join('\n'), /maintenance\.failureReasons: /);
});

test('a failure reason is learnt as the mode it names, any other as a random failure', (t) => {
  t.is(failureModeOfReason('tool_failure'), 'TWF');
  t.is(failureModeOfReason('overheating'), 'HDF');
  t.is(failureModeOfReason('power_loss'), 'PWF');
  t.is(failureModeOfReason('overstrain'), 'OSF');
  t.is(failureModeOfReason('breakdown'), 'RNF');
});
