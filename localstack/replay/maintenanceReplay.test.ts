// The degrading machine of the bundled sample: replayed directly through the local pipeline with the
// bundled failure model, leipzig/machining/cnc-02 gets a maintenance alert before its tool breaks
// (the DOWN tool_failure state at 12:20Z) and no other machine gets one. The recording covers the
// hours in which tools wear (09:00Z to 13:00Z) to keep the test quick; the full shift behaves alike.
import test from 'ava';
import { plantRecording, recordingText } from '../simulator/plantRecording.ts';
import { loadSampleSite, SAMPLE_OPTIONS } from '../simulator/sampleRecording.ts';
import { streamConfigProblems } from '../../domain/pipeline/machineStreamConfig.ts';
import { MODEL_OPTION_HINT } from '../maintenance/modelFile.ts';
import { replayModel, runReplay } from './runReplay.ts';
import { tempDir, writeRecording } from '../testing/replayFixtures.ts';

const FAILURE = Date.UTC(2026, 10, 24, 12, 20);
const site = loadSampleSite();

test('replaying the sample raises a maintenance alert on leipzig cnc-02 before its tool failure, and on no other machine', async (t) => {
  const messages = plantRecording(site, {
    ...SAMPLE_OPTIONS,
    startMs: Date.UTC(2026, 10, 24, 9, 0),
    endMs: Date.UTC(2026, 10, 24, 13, 0),
    malformed: false,
  });
  const failure = messages.find(
    (m) =>
      m.topic === 'dt/leipzig/machining/cnc-02/state' && (m.payload as { reason?: string }).reason === 'tool_failure',
  );
  t.is(Date.parse((failure?.payload as { ts: string }).ts), FAILURE);
  const recording = writeRecording(tempDir(), 'sample.jsonl', recordingText(messages));
  const summary = await runReplay({ recording, site, via: 'direct', speed: 'max', db: undefined, progress: false });
  const maintenance = summary.alerts.filter((a) => a.detector.startsWith('maintenance:'));
  t.deepEqual(
    [...new Set(maintenance.map((a) => `${a.factoryId}/${a.lineId}/${a.machineId}`))],
    ['leipzig/machining/cnc-02'],
  );
  const first = Date.parse(maintenance[0]!.raisedAt);
  t.true(first < FAILURE && first > FAILURE - 60 * 60_000, `raised at ${maintenance[0]!.raisedAt}`);
});

test('without a model the sample site is a configuration error that names the detector and the --model option', (t) => {
  t.deepEqual(streamConfigProblems(site, {}, MODEL_OPTION_HINT), [
    `detectors.cnc[5]: a maintenance detector needs a failure model and none was supplied; ${MODEL_OPTION_HINT}`,
  ]);
  t.is(
    replayModel({ site })?.trainingRows,
    10_000,
    'the bundled model, trained on AI4I 2020, is used when none is given',
  );
});
