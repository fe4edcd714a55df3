// Time functions from "Functions - AWS IoT Core" https://docs.aws.amazon.com/iot/latest/developerguide/iot-sql-functions.html
// (#iot-sql-function-parse-time, #iot-sql-function-time-to-epoch, #iot-function-timestamp). The clock is
// the caller's: timestamp() is the context's timestampMs.
import { fc, testProp } from '@fast-check/ava';
import test from 'ava';
import { FIXED_TIME, run, valueOf as v } from '../testing/topicRules.ts';

test('parse_time #iot-sql-function-parse-time example 1: 100000000 in America/Belize is "1970.01.01 AD at 21:46:40 CST"', (t) => {
  t.deepEqual(
    run(`SELECT parse_time("yyyy.MM.dd G 'at' HH:mm:ss z", 100000000, 'America/Belize' ) as ts FROM 'A/B'`, {}, 'A/B'),
    { ts: '1970.01.01 AD at 21:46:40 CST' },
  );
});

test('parse_time example 2: with timestamp() it formats the rules engine\'s time, e.g. "2017.06.09 AD at 17:19:46 UTC"', (t) => {
  const at = Date.UTC(2017, 5, 9, 17, 19, 46);
  t.deepEqual(
    run(`SELECT parse_time("yyyy.MM.dd G 'at' HH:mm:ss z", timestamp() ) as ts FROM 'A/B'`, {}, 'A/B', {
      timestampMs: at,
    }),
    { ts: '2017.06.09 AD at 17:19:46 UTC' },
  );
});

test("parse_time example 3 (substitution template): parse_time('yyyy', timestamp(), 'UTC') = \"2017\"", (t) => {
  t.is(v("parse_time('yyyy', timestamp(), 'UTC')", {}, { timestampMs: Date.UTC(2017, 5, 9) }), '2017');
});

test('parse_time: more pattern letters, offsets and a zone the runtime does not know', (t) => {
  const at = Date.UTC(2024, 1, 29, 13, 5, 9, 42);
  t.is(
    v("parse_time('EEE, d MMM yyyy hh:mm:ss.SSS a Z', x, 'Europe/Berlin')", { x: at }),
    'Thu, 29 Feb 2024 02:05:09.042 PM +0100',
  );
  t.is(v("parse_time('EEEE MMMM dd yy HH:mm ZZ', x, '-05:30')", { x: at }), 'Thursday February 29 24 07:35 -05:30');
  t.is(v("parse_time('yyyy', 0, 'Mars/Olympus_Mons')"), undefined);
  t.is(v("parse_time('yyyy', 'soon')"), undefined);
});

test('time_to_epoch #iot-sql-function-time-to-epoch: the three examples of the page', (t) => {
  t.is(v('time_to_epoch("2020-04-03 09:45:18 UTC+01:00", "yyyy-MM-dd HH:mm:ss VV")'), 1585903518000);
  t.is(v('time_to_epoch("18 December 2015", "dd MMMM yyyy")'), 1450396800000);
  t.is(v('time_to_epoch("2007-12-03 10:15:30.592 America/Los_Angeles", "yyyy-MM-dd HH:mm:ss.SSS z")'), 1196705730592);
});

test('time_to_epoch: a text that does not fit its pattern, or an impossible date, is Undefined', (t) => {
  t.is(v('time_to_epoch("2020-02-30", "yyyy-MM-dd")'), undefined);
  t.is(v('time_to_epoch("20200230", "yyyyMMdd")'), undefined);
  t.is(v('time_to_epoch("2020-04-03", "dd/MM/yyyy")'), undefined);
  t.is(v('time_to_epoch("20200403", "yyyyMMdd")'), Date.UTC(2020, 3, 3));
  t.is(v('time_to_epoch("2020-04-03T09:45:18+0200", "yyyy-MM-dd\'T\'HH:mm:ssZ")'), Date.UTC(2020, 3, 3, 7, 45, 18));
});

testProp(
  'time_to_epoch reads back what parse_time writes, in any zone',
  [
    fc.integer({ min: -2_000_000_000_000, max: 4_000_000_000_000 }).map((ms) => ms - (ms % 1000)),
    fc.constantFrom('UTC', 'America/Los_Angeles', 'Europe/Berlin', 'Asia/Kolkata', 'Australia/Lord_Howe', '+05:45'),
  ],
  (t, ms, zone) => {
    const text = v(`parse_time("yyyy-MM-dd HH:mm:ss VV", ${ms}, '${zone}')`) as string;
    // An hour repeated when clocks go back is ambiguous without the offset; add it to the pattern.
    const withOffset = v(`parse_time("yyyy-MM-dd HH:mm:ss xxx", ${ms}, '${zone}')`) as string;
    t.is(v(`time_to_epoch("${withOffset}", "yyyy-MM-dd HH:mm:ss xxx")`), ms, text);
  },
  { numRuns: 100 },
);

test("timestamp #iot-function-timestamp: the caller's time, e.g. 1481825251155", (t) => {
  t.is(v('timestamp()'), FIXED_TIME);
  t.is(v('timestamp()', {}, { timestampMs: 1481825251155 }), 1481825251155);
});
