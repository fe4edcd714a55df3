import test from 'ava';
import { DEDUP_HORIZON_MS } from '../../domain/pipeline/dedupHorizon.ts';
import { runReplay } from './runReplay.ts';
import { recordingOf, shortRecording, site, tempDir, writeRecording } from '../testing/replayFixtures.ts';

// 2 h 20 min of the sample plant, then two redeliveries at its end: one of the first reading of a
// machine (older than the 2 h dedup horizon) and one of its reading 40 minutes old (inside it).
const messages = shortRecording(140);
const last = messages[messages.length - 1]!;
const dir = tempDir();

test('a redelivery inside the 2 h dedup horizon is a duplicate; one older is refused as too late, as the cloud handler counts them', async (t) => {
  const plain = await runReplay({
    recording: writeRecording(dir, 'plain.jsonl', recordingOf(messages)),
    site,
    via: 'direct',
    speed: 'max',
    db: undefined,
    progress: false,
  });
  // Readings the replay accepted (the sample also carries malformed ones, refused whenever they come).
  const refused = new Set(plain.rejections.map((r) => r.line));
  const isReading = (m: (typeof messages)[number], i: number): boolean =>
    m.topic.endsWith('/telemetry') && !refused.has(i + 1);
  const recentAt = messages.findLastIndex((m, i) => isReading(m, i) && m.t <= last.t - 40 * 60_000);
  const recent = messages[recentAt]!;
  const first = messages.find((m, i) => m.topic === recent.topic && isReading(m, i))!;
  t.true(last.t - first.t > DEDUP_HORIZON_MS, 'the first reading is older than the horizon at the end');
  const redelivered = [
    { ...first, t: last.t },
    { ...recent, t: last.t },
  ];
  const withRedeliveries = await runReplay({
    recording: writeRecording(dir, 'again.jsonl', recordingOf([...messages, ...redelivered])),
    site,
    via: 'direct',
    speed: 'max',
    db: undefined,
    progress: false,
  });
  t.is(withRedeliveries.messages.duplicates, plain.messages.duplicates + 1);
  t.is(withRedeliveries.messages.rejected, plain.messages.rejected + 1);
  t.is(withRedeliveries.messages.accepted, plain.messages.accepted);
  const tooLate = withRedeliveries.rejections.find((r) => r.line === messages.length + 1);
  t.regex(tooLate?.reason ?? '', /^too late: /);
});
