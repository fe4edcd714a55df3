// MQTT topic filter matching for FROM (https://docs.aws.amazon.com/iot/latest/developerguide/topics.html#topicfilters).
import test from 'ava';
import { topicMatches } from './topicFilter.ts';

test("'+' matches exactly one level, including an empty one", (t) => {
  t.true(topicMatches('dt/+/+/+/telemetry', 'dt/f1/l1/m1/telemetry'));
  t.false(topicMatches('dt/+/+/+/telemetry', 'dt/f1/l1/telemetry'));
  t.true(topicMatches('a/+/c', 'a//c'));
});

test("'#' matches the parent level and any number below it", (t) => {
  t.true(topicMatches('dt/#', 'dt'));
  t.true(topicMatches('dt/#', 'dt/f1/l1/m1/telemetry'));
  t.false(topicMatches('dt/#', 'cmd/f1'));
});

test("filters starting with a wildcard do not match reserved '$' topics", (t) => {
  t.false(topicMatches('#', '$aws/things/x/shadow/update'));
  t.false(topicMatches('+/things/#', '$aws/things/x'));
  t.true(topicMatches('$aws/things/#', '$aws/things/x'));
});

test('levels are case-sensitive', (t) => {
  t.false(topicMatches('dt/F1', 'dt/f1'));
});
