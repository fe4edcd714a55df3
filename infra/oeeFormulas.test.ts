import test from 'ava';
import { testProp, fc } from '@fast-check/ava';
import {
  IDEAL_CYCLE_ATTRIBUTE,
  OEE_MEASUREMENTS,
  OEE_METRICS,
  OEE_TRANSFORMS,
  type SiteWiseExpression,
} from './oeeFormulas.ts';

// A reader of the SiteWise expression subset the formulas use: numbers, variables, + - * /,
// parentheses and sum(variable) over a window. Enough to check the strings say what docs/replay-summary.md#how-oee-is-counted says.
type Env = { readonly scalar: (name: string) => number; readonly sum: (name: string) => number };

const evaluate = (expression: string, env: Env): number => {
  const tokens = expression.match(/\d+(\.\d+)?|[A-Za-z_][A-Za-z0-9_]*|[-+*/()]/g) ?? [];
  let i = 0;
  const peek = () => tokens[i];
  const next = () => tokens[i++] ?? '';
  const primary = (): number => {
    const token = next();
    if (token === '(') {
      const v = sum();
      next();
      return v;
    }
    if (/^\d/.test(token)) return Number(token);
    if (token === 'sum' && peek() === '(') {
      next();
      const name = next();
      next();
      return env.sum(name);
    }
    return env.scalar(token);
  };
  const product = (): number => {
    let v = primary();
    while (peek() === '*' || peek() === '/') v = next() === '*' ? v * primary() : v / primary();
    return v;
  };
  const sum = (): number => {
    let v = product();
    while (peek() === '+' || peek() === '-') v = next() === '+' ? v + product() : v - product();
    return v;
  };
  const value = sum();
  if (i !== tokens.length) throw new Error(`unparsed tail in ${expression}`);
  return value;
};

type Interval = {
  planned_time_s: number;
  run_time_s: number;
  total_count: number;
  reject_count: number;
  ideal_time_s: number;
  ideal_good_time_s: number;
};

/** Evaluates a machine property over a window of intervals the way SiteWise does. */
const machineProperty = (property: string, window: readonly Interval[], idealCycleS: number): number => {
  const metric = (OEE_METRICS as Record<string, SiteWiseExpression>)[property];
  if (metric !== undefined) return evaluate(metric.expression, envFor(metric, window, idealCycleS));
  if (property === IDEAL_CYCLE_ATTRIBUTE) return idealCycleS;
  throw new Error(`${property} is not a scalar in a metric`);
};

const perInterval = (property: string, interval: Interval): number => {
  const transform = (OEE_TRANSFORMS as Record<string, SiteWiseExpression>)[property];
  if (transform !== undefined) {
    return evaluate(transform.expression, {
      scalar: (v) => perInterval(transform.variables[v] ?? v, interval),
      sum: () => Number.NaN,
    });
  }
  return interval[property as keyof Interval];
};

const envFor = (expression: SiteWiseExpression, window: readonly Interval[], idealCycleS: number): Env => ({
  scalar: (v) => machineProperty(expression.variables[v] ?? v, window, idealCycleS),
  sum: (v) => window.reduce((acc, interval) => acc + perInterval(expression.variables[v] ?? v, interval), 0),
});

/** Parts of one product in an interval, and that product's ideal cycle time. */
type Made = { readonly total: number; readonly reject: number; readonly idealS: number };
const made = (idealS: number) =>
  fc
    .record({ total: fc.integer({ min: 0, max: 5000 }), rejectFraction: fc.double({ min: 0, max: 1, noNaN: true }) })
    .map((r): Made => ({ total: r.total, reject: Math.floor(r.total * r.rejectFraction), idealS }));
// An interval as the process function writes it (handlers/machines/machineOutputs.ts): the parts of each
// product it made, and their ideal time weighed by each product's ideal cycle time.
const intervalOf = (products: readonly number[]) =>
  fc
    .record({
      planned_time_s: fc.integer({ min: 60, max: 3600 }),
      runFraction: fc.double({ min: 0.05, max: 1, noNaN: true }),
      made: fc.tuple(...products.map(made)),
    })
    .filter((r) => r.made.some((m) => m.total > 0))
    .map((r): Interval & { made: readonly Made[] } => ({
      planned_time_s: r.planned_time_s,
      run_time_s: Math.max(1, Math.round(r.planned_time_s * r.runFraction)),
      total_count: r.made.reduce((a, m) => a + m.total, 0),
      reject_count: r.made.reduce((a, m) => a + m.reject, 0),
      ideal_time_s: r.made.reduce((a, m) => a + m.idealS * m.total, 0),
      ideal_good_time_s: r.made.reduce((a, m) => a + m.idealS * (m.total - m.reject), 0),
      made: r.made,
    }));
const idealCycle = fc.double({ min: 0.1, max: 60, noNaN: true });
/** A window of a machine that makes one product (its own ideal cycle time), and the ideal. */
const oneProduct = idealCycle.chain((ideal) =>
  fc.tuple(fc.array(intervalOf([ideal]), { minLength: 1, maxLength: 12 }), fc.constant(ideal)),
);
/** A window of a machine that switches between two products of different ideal cycle times. */
const twoProducts = fc
  .tuple(idealCycle, idealCycle)
  .chain((ideals) => fc.array(intervalOf(ideals), { minLength: 1, maxLength: 12 }));
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

const total = (w: readonly Interval[], k: keyof Interval) => w.reduce((acc, i) => acc + i[k], 0);

testProp(
  'the SiteWise metrics are availability = run/planned, performance = ideal × total/run, quality = good/total',
  [oneProduct],
  (t, [w, ideal]) => {
    t.true(close(machineProperty('availability', w, ideal), total(w, 'run_time_s') / total(w, 'planned_time_s')));
    t.true(close(machineProperty('performance', w, ideal), (ideal * total(w, 'total_count')) / total(w, 'run_time_s')));
    t.true(
      close(
        machineProperty('quality', w, ideal),
        (total(w, 'total_count') - total(w, 'reject_count')) / total(w, 'total_count'),
      ),
    );
  },
  { numRuns: 200 },
);

testProp(
  'the SiteWise OEE equals ideal cycle × good / planned time (docs/replay-summary.md#how-oee-is-counted) within 1e-9',
  [oneProduct],
  (t, [w, ideal]) => {
    const good = total(w, 'total_count') - total(w, 'reject_count');
    t.true(close(machineProperty('oee', w, ideal), (ideal * good) / total(w, 'planned_time_s')));
    // One product: OEE = A × P × Q, as the definition has it.
    const apq = ['availability', 'performance', 'quality'].reduce((a, p) => a * machineProperty(p, w, ideal), 1);
    t.true(close(machineProperty('oee', w, ideal), apq));
  },
  { numRuns: 200 },
);

testProp(
  "with two products, performance weighs each part by its product's ideal cycle time, and OEE = Σ ideal × good / planned",
  [twoProducts],
  (t, w) => {
    const sumOver = (f: (m: Made) => number) => w.reduce((a, i) => a + i.made.reduce((b, m) => b + f(m), 0), 0);
    t.true(close(machineProperty('performance', w, 1), sumOver((m) => m.idealS * m.total) / total(w, 'run_time_s')));
    t.true(
      close(machineProperty('oee', w, 1), sumOver((m) => m.idealS * (m.total - m.reject)) / total(w, 'planned_time_s')),
    );
  },
  { numRuns: 200 },
);

test('every expression uses exactly the variables it declares, and each names a property of the machine model', (t) => {
  const properties = new Set([
    IDEAL_CYCLE_ATTRIBUTE,
    ...Object.keys(OEE_MEASUREMENTS),
    ...Object.keys(OEE_TRANSFORMS),
    ...Object.keys(OEE_METRICS),
  ]);
  for (const [name, expression] of Object.entries({ ...OEE_TRANSFORMS, ...OEE_METRICS } as Record<
    string,
    SiteWiseExpression
  >)) {
    const used = new Set(
      (expression.expression.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []).filter((word) => word !== 'sum'),
    );
    t.deepEqual([...used].sort(), Object.keys(expression.variables).sort(), name);
    for (const property of Object.values(expression.variables))
      t.true(properties.has(property), `${name} reads ${property}`);
  }
});

test('the reader refuses what it does not understand, so a typo in a formula fails the tests', (t) => {
  t.throws(() => evaluate('a * (b', { scalar: () => 1, sum: () => 1 }));
  t.throws(() => machineProperty('total_count', [], 1), { message: /not a scalar/ });
});
