// A synthetic plant history for predictive maintenance (docs/predictive-maintenance.md): weeks of CNC
// machines whose failures have causes that build up before them, as the AI4I 2020 dataset models them
// (Matzka 2020), and causes that do not. SYNTHETIC: the rates and magnitudes below are chosen to look
// like a machining shop, not measured on one.
// - Tool wear: a tool breaks (tool_failure) at a life of its own (≈ 230 ± 12 min of cutting) unless the
//   operator changes it first, at a wear they pick between 150 and 215 min (one change in thirty is
//   missed). A dull tool (past 120 min) cuts with more torque.
// - Overstrain: a heavy job on a worn tool pushes tool wear × torque past the limit (12,000 min·Nm for
//   variant M); past it the tool gives way at 5% a minute (overstrain).
// - Overheating: a coolant fault, a few times a month per machine, lets the process temperature climb
//   over hours until the machine trips (overheating) at a ΔT over air that varies from case to case.
//   Cutting heats the process too, in proportion to its power, so ΔT alone also follows the job.
// - Breakdowns with no warning (breakdown), jams, material waits, and a weekly planned maintenance that
//   fits a new tool and services the coolant; now and then a machine goes silent (a network outage).
// One telemetry message per machine per minute (the five metrics the failure model reads), a state
// message on each change, counters every 15 minutes. Deterministic: same options, same lines.
import type { SiteDocument } from '../../domain/site/siteConfig.ts';
import type { MachineState } from '../../domain/wire/messages.ts';
import { dataTopic, type MessageType } from '../../domain/wire/topic.ts';
import { simulatorRandom, type Random } from './simulatorRandom.ts';

const MIN = 60_000;
const DAY_MIN = 24 * 60;
export const HISTORY_FACTORY = 'sim';
export const MACHINES_PER_LINE = 5;
export const HISTORY_FAILURE_REASONS = ['tool_failure', 'overstrain', 'overheating', 'breakdown'] as const;
const STRAIN_LIMIT = 12_000;

export type WearHistoryOptions = {
  readonly startMs: number;
  readonly days: number;
  readonly machines: number;
  readonly seed: number;
};

const pad = (n: number): string => String(n).padStart(2, '0');

/** The machines of the history: lines of five CNC machines in one factory. */
export const historyMachines = (count: number): { readonly line: string; readonly machine: string }[] =>
  Array.from({ length: count }, (_, i) => ({
    line: `line-${pad(Math.floor(i / MACHINES_PER_LINE) + 1)}`,
    machine: `cnc-${pad(i + 1)}`,
  }));

/** The site the history needs (docs/site-configuration.md), with the failure reasons that label it. */
export const historySite = (machines: number): SiteDocument => {
  const lines = new Map<string, { id: string; type: string; idealCycleTimeS: number }[]>();
  for (const { line, machine } of historyMachines(machines))
    lines.set(line, [...(lines.get(line) ?? []), { id: machine, type: 'cnc', idealCycleTimeS: 60 }]);
  return {
    version: 1,
    factories: [
      {
        id: HISTORY_FACTORY,
        name: 'Simulated machining plant (synthetic)',
        timezone: 'UTC',
        lines: [...lines].map(([id, list]) => ({ id, machines: list })),
      },
    ],
    metrics: {
      spindle_speed: { unit: 'rpm', min: 0, max: 30000 },
      torque: { unit: 'Nm', min: 0, max: 500 },
      tool_wear: { unit: 'min', min: 0, max: 10000 },
      air_temp: { unit: 'K', min: 200, max: 400 },
      process_temp: { unit: 'K', min: 200, max: 500 },
    },
    detectors: { cnc: [{ kind: 'heartbeat', timeoutS: 300 }] },
    maintenance: { failureReasons: { cnc: [...HISTORY_FAILURE_REASONS] } },
  };
};

type Stop = { readonly state: MachineState; readonly reason: string | null; readonly until: number };

type Machine = {
  readonly line: string;
  readonly machine: string;
  readonly random: Random;
  readonly offsetMs: number;
  seq: number;
  stop: Stop | null;
  reported: { state: MachineState; reason: string | null } | null;
  wear: number;
  changeAt: number;
  breaksAt: number;
  job: { until: number; torque: number; speed: number };
  heat: number;
  coolantFault: { rate: number; tripAt: number } | null;
  silentUntil: number;
  maintenanceDue: number;
  total: number;
  reject: number;
  made: number;
};

const newTool = (m: Machine): void => {
  m.wear = 0;
  // now and then the change is missed and the tool runs on until something gives
  m.changeAt = m.random.chance(0.03) ? 400 : m.random.between(150, 215);
  m.breaksAt = 230 + gaussian(m.random) * 12;
};

const gaussian = (random: Random): number => {
  // Box–Muller: a normal deviate from two uniform ones
  const u = Math.max(random.next(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.next());
};

const newJob = (m: Machine, minute: number): void => {
  const heavy = m.random.chance(0.15);
  m.job = {
    until: minute + Math.round(m.random.between(30, 180)),
    torque: heavy ? m.random.between(50, 62) : m.random.between(28, 46),
    speed: heavy ? m.random.between(1250, 1450) : m.random.between(1400, 2000),
  };
};

const machineOf = (line: string, machine: string, seed: number, index: number): Machine => {
  const random = simulatorRandom(seed ^ Math.imul(index + 1, 0x9e3779b1));
  const m: Machine = {
    line,
    machine,
    random,
    offsetMs: Math.floor(random.between(0, 59)) * 1000,
    seq: 0,
    stop: null,
    reported: null,
    wear: 0,
    changeAt: 0,
    breaksAt: 0,
    job: { until: 0, torque: 0, speed: 0 },
    heat: 0,
    coolantFault: null,
    silentUntil: -1,
    maintenanceDue: Math.round(random.between(1, 7) * DAY_MIN),
    total: 0,
    reject: 0,
    made: 0,
  };
  newTool(m);
  m.wear = random.between(0, 140);
  newJob(m, 0);
  return m;
};

type Line = { readonly t: number; readonly text: string };

/** One minute of one machine: its physics, then the messages it sends. `minute` counts from the start. */
const stepMachine = (m: Machine, minute: number, startMs: number, out: Line[]): void => {
  const r = m.random;
  const ts = startMs + minute * MIN + m.offsetMs;
  const send = (type: MessageType, body: Record<string, unknown>): void => {
    if (minute < m.silentUntil) return;
    const payload = { v: 1, id: `${m.machine}.${type[0]}${m.seq++}`, ts: new Date(ts).toISOString(), ...body };
    const t = ts + Math.round(r.between(30, 400));
    const topic = dataTopic({ factoryId: HISTORY_FACTORY, lineId: m.line, machineId: m.machine }, type);
    out.push({ t, text: JSON.stringify({ t: new Date(t).toISOString(), topic, payload }) });
  };
  const fail = (reason: string, repairMin: number): void => {
    m.stop = { state: 'DOWN', reason, until: minute + Math.round(repairMin) };
  };

  if (m.stop !== null && minute >= m.stop.until) {
    // a repair or a planned maintenance ends with a new tool; after an overheating, a serviced coolant
    if (m.stop.state !== 'IDLE' && !(m.stop.state === 'DOWN' && m.stop.reason === 'jam')) newTool(m);
    if (m.stop.reason === 'overheating' || m.stop.reason === 'maintenance') {
      m.coolantFault = null;
      m.heat = 0;
    }
    m.stop = null;
  }
  if (m.stop === null) {
    // the weekly planned maintenance, on each machine's own day
    if (minute >= m.maintenanceDue) {
      m.maintenanceDue += 7 * DAY_MIN;
      m.stop = { state: 'PLANNED_STOP', reason: 'maintenance', until: minute + Math.round(r.between(90, 150)) };
    } else if (m.wear >= m.changeAt) m.stop = { state: 'SETUP', reason: 'tool_change', until: minute + 6 };
    else if (r.chance(1 / 240)) m.stop = { state: 'DOWN', reason: 'jam', until: minute + Math.round(r.between(3, 15)) };
    else if (r.chance(1 / 400))
      m.stop = { state: 'IDLE', reason: 'no_material', until: minute + Math.round(r.between(5, 40)) };
  }

  // the coolant: a fault begins a few times a month and heats the process until it trips
  if (m.coolantFault === null && r.chance(1 / (6 * DAY_MIN))) {
    m.coolantFault = { rate: r.between(2.5, 7) / 60, tripAt: r.between(9, 12.5) };
  }
  const running = m.stop === null;
  if (running) {
    if (minute >= m.job.until) newJob(m, minute);
    m.wear += 1;
    if (m.coolantFault !== null) m.heat += m.coolantFault.rate;
  } else m.heat = Math.max(0, m.heat - 0.05);

  const airK = 298 + 1.5 * Math.sin((2 * Math.PI * (minute % DAY_MIN)) / DAY_MIN) + gaussian(r) * 0.3;
  const torque = running ? Math.max(1, m.job.torque + Math.max(0, m.wear - 120) * 0.05 + gaussian(r) * 2.5) : 0;
  const speed = running ? m.job.speed + gaussian(r) * 25 : 0;
  // cutting heats the process in proportion to its power, so ΔT over air follows the job as well as the coolant
  const powerKw = (torque * speed * 2 * Math.PI) / 60 / 1000;
  const processK = airK + (running ? 6 + 0.6 * powerKw : 4) + m.heat + gaussian(r) * 0.4;

  if (running) {
    const strain = m.wear * torque;
    if (m.wear >= m.breaksAt) fail('tool_failure', r.between(30, 90));
    else if (strain > STRAIN_LIMIT * (1 + gaussian(r) * 0.03) && r.chance(0.05)) fail('overstrain', r.between(40, 120));
    else if (m.coolantFault !== null && m.heat >= m.coolantFault.tripAt) fail('overheating', r.between(60, 180));
    else if (r.chance(1 / (20 * DAY_MIN))) fail('breakdown', r.between(30, 240));
    else {
      m.made += (60 / 60) * r.between(0.85, 0.97);
      while (m.made >= 1) {
        m.made -= 1;
        m.total += 1;
        if (r.chance(0.015)) m.reject += 1;
      }
    }
  }
  if (m.silentUntil < minute && r.chance(1 / (10 * DAY_MIN))) m.silentUntil = minute + Math.round(r.between(15, 60));

  const state = m.stop?.state ?? 'RUNNING';
  const reason = m.stop?.reason ?? null;
  if (m.reported === null || m.reported.state !== state || m.reported.reason !== reason) {
    send('state', reason === null ? { state } : { state, reason });
    if (minute >= m.silentUntil) m.reported = { state, reason };
  }
  send('telemetry', {
    seq: m.seq,
    metrics: {
      air_temp: Number(airK.toFixed(2)),
      process_temp: Number(processK.toFixed(2)),
      spindle_speed: Number(speed.toFixed(0)),
      torque: Number(torque.toFixed(1)),
      tool_wear: Math.round(m.wear),
    },
  });
  if (minute % 15 === 0) send('counts', { total: m.total, reject: m.reject });
};

/** The recording's lines in receive order, a minute of the whole plant at a time. */
export function* wearHistoryLines(options: WearHistoryOptions): Generator<string> {
  const machines = historyMachines(options.machines).map(({ line, machine }, i) =>
    machineOf(line, machine, options.seed, i),
  );
  let pending: Line[] = [];
  for (let minute = 0; minute < options.days * DAY_MIN; minute++) {
    const out: Line[] = [];
    for (const m of machines) stepMachine(m, minute, options.startMs, out);
    // a message is received up to 0.4 s after it was sent, so it may land in the next minute's lines
    const all = [...pending, ...out].sort((a, b) => a.t - b.t);
    const cut = options.startMs + (minute + 1) * MIN;
    pending = all.filter((l) => l.t >= cut);
    for (const l of all) if (l.t < cut) yield l.text;
  }
  for (const l of pending.sort((a, b) => a.t - b.t)) yield l.text;
}
