// The simulated plant as a recording (docs/wire-contract.md): every machine of a site over a time window, with
// breakdowns, micro-stops, changeovers, breaks, scrap, a counter reset, sensor drift, a stuck sensor,
// a silent machine, a late batch, redeliveries and a handful of malformed messages. Deterministic:
// the same site, window and seed give the same recording, byte for byte.
import { machineShifts } from '../../domain/pipeline/machineStreamConfig.ts';
import { plannedIntervalsIn } from '../../domain/site/shiftCalendar.ts';
import type { SiteConfig } from '../../domain/site/siteConfig.ts';
import { siteRegistry, type MachineEntry } from '../../domain/site/siteRegistry.ts';
import { dataTopic, type MessageType } from '../../domain/wire/topic.ts';
import { sensorValues, stateAt, stateSpans, toolWear, type Faults } from './machineBehaviour.ts';
import { simulatorRandom } from './simulatorRandom.ts';
import { siteMetrics } from './siteMetrics.ts';

export type RecordedMessage = {
  readonly t: number;
  readonly topic: string;
  readonly payload?: unknown;
  readonly payloadB64?: string;
  readonly raw?: string;
};

export type PlantOptions = {
  readonly startMs: number;
  readonly endMs: number;
  readonly seed: number;
  readonly telemetryEveryS: number;
  readonly countsEveryS: number;
  /** Faults by machine key `factory/line/machine`; machines not named run clean. */
  readonly faults: Readonly<Record<string, Faults>>;
  readonly malformed: boolean;
};

const MIN = 60_000;
const hash = (text: string): number =>
  [...text].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0, 2166136261);
const round = (value: number, digits: number): number => Number(value.toFixed(digits));

const machineMessages = (site: SiteConfig, machine: MachineEntry, options: PlantOptions): RecordedMessage[] => {
  const key = `${machine.factory}/${machine.line}/${machine.machine}`;
  const faults = options.faults[key] ?? {};
  const random = simulatorRandom(options.seed ^ hash(key));
  // The machine's calendar (its line's, its factory's, or the site's shifts), as the pipeline plans it.
  const planned = plannedIntervalsIn(machine.timezone, machineShifts(site, machine), options.startMs, options.endMs);
  const spans = stateSpans(random, planned, options.startMs, options.endMs, faults);
  const out: RecordedMessage[] = [];
  let seq = 0;
  const emit = (type: MessageType, ts: number, body: Record<string, unknown>): void => {
    if (faults.silence !== undefined && ts >= faults.silence.from && ts < faults.silence.to) return;
    const late = faults.lateBatch !== undefined && ts >= faults.lateBatch.from && ts < faults.lateBatch.to;
    const t = late ? faults.lateBatch!.to + random.between(200, 2000) : ts + random.between(30, 300);
    const payload = {
      v: 1,
      id: `${machine.factory}.${machine.line}.${machine.machine}.${type[0]}${seq++}`,
      ts: new Date(ts).toISOString(),
      ...body,
    };
    const ref = { factoryId: machine.factory, lineId: machine.line, machineId: machine.machine };
    out.push({ t: Math.round(t), topic: dataTopic(ref, type), payload });
    // QoS 1 redelivers when an acknowledgement is lost: the same message, moments later.
    if (random.chance(0.003))
      out.push({ t: Math.round(t + random.between(500, 3000)), topic: dataTopic(ref, type), payload });
  };

  for (const span of spans)
    if (span.from >= options.startMs && span.from < options.endMs)
      emit(
        'state',
        span.from,
        span.reason === null ? { state: span.state } : { state: span.state, reason: span.reason },
      );

  let total = 0;
  let reject = 0;
  let made = 0;
  // drawn for every machine, so a fault on one leaves the others' random streams as they were
  const wearOf = toolWear(spans, faults, random.between(5, 60));
  let wear = 0;
  const stuck: Record<string, number> = {};
  const stepMs = 1000;
  for (let ts = options.startMs; ts < options.endMs; ts += stepMs) {
    const { state } = stateAt(spans, ts);
    if (state === 'RUNNING') {
      made += (stepMs / 1000 / machine.idealCycleTimeS) * random.between(0.82, 0.97);
    }
    wear = wearOf(ts, state === 'RUNNING', stepMs);
    if (faults.counterResetAt !== undefined && ts === faults.counterResetAt) {
      total = 0;
      reject = 0;
    }
    while (made >= 1) {
      made -= 1;
      total += 1;
      if (random.chance(0.02)) reject += 1;
    }
    const elapsedS = (ts - options.startMs) / 1000;
    if (elapsedS % options.countsEveryS === 0) emit('counts', ts, { total, reject });
    if (elapsedS % options.telemetryEveryS === 0) {
      const values = sensorValues(
        machine,
        random,
        state,
        (ts - options.startMs) / (options.endMs - options.startMs),
        faults,
        round(wear, 1),
      );
      if (
        faults.pressureSpike !== undefined &&
        ts >= faults.pressureSpike.at &&
        ts < faults.pressureSpike.at + 45_000 &&
        state === 'RUNNING'
      )
        values['pressure'] = 34_500 + random.between(0, 800);
      const stuckFault = faults.stuckSensor;
      if (stuckFault !== undefined && ts >= stuckFault.from && ts < stuckFault.to) {
        stuck[stuckFault.metric] ??= values[stuckFault.metric] ?? 0;
        values[stuckFault.metric] = stuck[stuckFault.metric]!;
      }
      const metrics = siteMetrics(site, machine, values, random, state === 'RUNNING');
      if (faults.imperialUnits === true) {
        if (typeof values['spindle_temp'] === 'number' && 'spindle_temp' in metrics)
          metrics['spindle_temp'] = { value: round((values['spindle_temp'] * 9) / 5 + 32, 2), unit: 'degF' };
        if (typeof values['pressure'] === 'number' && 'pressure' in metrics)
          metrics['pressure'] = { value: round(values['pressure'] / 6.894757293168, 3), unit: 'psi' };
      }
      emit('telemetry', ts, { seq: seq, metrics });
    }
  }
  return out;
};

/** Messages a real plant sends now and then, each of which must end up in the dead letters with its reason. */
const malformedMessages = (startMs: number): RecordedMessage[] => {
  const at = (minutes: number): number => startMs + minutes * MIN + 17;
  const ts = (minutes: number): string => new Date(at(minutes)).toISOString();
  return [
    {
      t: at(31),
      topic: 'dt/leipzig/body/press-01/telemetry',
      payloadB64: Buffer.from('{"v":1,"id":"trunc-1","ts":').toString('base64'),
    },
    {
      t: at(47),
      topic: 'dt/leipzig/machining/cnc-01/telemetry',
      payload: { v: 1, id: 'comma-1', ts: ts(47), metrics: { spindle_temp: '71,3' } },
    },
    {
      t: at(63),
      topic: 'dt/birmingham/stamping/press-01/telemetry',
      payload: { v: 1, id: 'unit-1', ts: ts(63), metrics: { pressure: { value: 3.2, unit: 'atm' } } },
    },
    {
      t: at(88),
      topic: 'dt/izmir/l1/cnc-01/telemetry',
      payload: { v: 1, id: 'range-1', ts: ts(88), metrics: { spindle_temp: 812 } },
    },
    {
      t: at(102),
      topic: 'dt/leipzig/body/press-99/telemetry',
      payload: { v: 1, id: 'ghost-1', ts: ts(102), metrics: { pressure: 25000 } },
    },
    {
      t: at(140),
      topic: 'dt/leipzig/body/telemetry',
      payload: { v: 1, id: 'topic-1', ts: ts(140), metrics: { pressure: 25000 } },
    },
    { t: at(171), topic: 'dt/izmir/l2/press-01/counts', payload: { v: 1, ts: ts(171), total: 10, reject: 0 } },
    {
      t: at(205),
      topic: 'dt/birmingham/machining/cnc-01/state',
      payload: { v: 2, id: 'v2-1', ts: ts(205), state: 'RUNNING' },
    },
    {
      t: at(233),
      topic: 'dt/leipzig/body/robot-01/state',
      payload: { v: 1, id: 'state-1', ts: ts(233), state: 'BROKEN' },
    },
    {
      t: at(260),
      topic: 'dt/izmir/l2/robot-01/counts',
      payload: { v: 1, id: 'counts-1', ts: ts(260), total: 5, reject: 9 },
    },
    { t: at(301), topic: '', raw: 'garbage that is not a recording line' },
    {
      t: at(322),
      topic: 'dt/birmingham/stamping/robot-01/telemetry',
      payloadB64: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('base64'),
    },
    {
      t: at(377),
      topic: 'dt/leipzig/machining/cnc-02/telemetry',
      payload: { v: 1, id: 'null-1', ts: ts(377), metrics: { vibration: null } },
    },
    {
      t: at(402),
      topic: 'dt/izmir/l1/cnc-02/telemetry',
      payload: { v: 1, id: 'time-1', ts: '2026-11-24 09:00', metrics: { vibration: 2 } },
    },
  ];
};

export const plantRecording = (site: SiteConfig, options: PlantOptions): RecordedMessage[] => {
  const all = siteRegistry(site)
    .machines()
    .flatMap((machine) => machineMessages(site, machine, options));
  if (options.malformed) all.push(...malformedMessages(options.startMs));
  // Stable: messages received in the same millisecond keep the order they were sent in.
  return all
    .map((m, i) => ({ m, i }))
    .sort((a, b) => a.m.t - b.m.t || a.i - b.i)
    .map(({ m }) => m);
};

export const recordingText = (messages: readonly RecordedMessage[]): string =>
  messages
    .map(
      (m) =>
        m.raw ??
        JSON.stringify(
          m.payloadB64 !== undefined
            ? { t: new Date(m.t).toISOString(), topic: m.topic, payloadB64: m.payloadB64 }
            : { t: new Date(m.t).toISOString(), topic: m.topic, payload: m.payload },
        ),
    )
    .join('\n') + '\n';
