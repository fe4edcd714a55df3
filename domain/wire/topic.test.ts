import { fc, testProp } from '@fast-check/ava';
import * as E from 'fp-ts/lib/Either.js';
import { parseDataTopic } from './topic.ts';

const CONTRACT =
  /^dt\/([A-Za-z0-9_-]{1,64})\/([A-Za-z0-9_-]{1,64})\/([A-Za-z0-9_-]{1,64})\/(telemetry|state|counts|job|alert)$/;

const level = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_-]{1,6}$/),
  fc.constantFrom('', '+', '#', 'x'.repeat(65), 'dt', 'state'),
);
const topics = fc.oneof(
  fc
    .tuple(level, level, level, fc.constantFrom('telemetry', 'state', 'counts', 'alert', 'other'))
    .map(([f, l, m, type]) => `dt/${f}/${l}/${m}/${type}`),
  fc.array(level, { maxLength: 6 }).map((levels) => levels.join('/')),
  fc.string(),
);

testProp(
  'a topic is a data topic exactly when it matches the contract, and its levels are its ids, every time it is asked',
  [fc.array(topics, { minLength: 1, maxLength: 20 })],
  (t, asked) => {
    // Asked twice: the second answer comes from the memo of parsed topics.
    for (const topic of [...asked, ...asked]) {
      const match = CONTRACT.exec(topic);
      const parsed = parseDataTopic(topic);
      if (match === null) t.true(E.isLeft(parsed), topic);
      else
        t.deepEqual(
          parsed,
          E.right({ factoryId: match[1], lineId: match[2], machineId: match[3], type: match[4] }),
          topic,
        );
    }
  },
  { numRuns: 300 },
);

testProp(
  'a topic parses the same after the memo of parsed topics has been emptied by many others',
  [topics],
  (t, topic) => {
    const first = parseDataTopic(topic);
    for (let i = 0; i < 10_001; i++) parseDataTopic(`dt/f${i}/l/m/state`);
    t.deepEqual(parseDataTopic(topic), first);
  },
  { numRuns: 5 },
);
