// The checks a codec cannot make alone: they relate one field to another (unique ids, a break inside
// its shift, a detector's metric configured in `metrics`). Each problem is one line in the codec's
// format — `path: what is wrong; what to do` — so a person sees one list.
import { detectorId, type DetectorSpec } from '../detectors/detectorSpec.ts';
import { breakOffsets, shiftSpan, spansOverlap, type DaySpan } from './clockTime.ts';

type Doc = {
  readonly factories: ReadonlyArray<{ readonly id: string; readonly lines: ReadonlyArray<{ readonly id: string; readonly machines: ReadonlyArray<{ readonly id: string }> }> }>;
  readonly shifts?: ReadonlyArray<{ readonly name: string; readonly start: string; readonly end: string; readonly breaks?: ReadonlyArray<{ readonly start: string; readonly end: string }> }>;
  readonly metrics?: Readonly<Record<string, { readonly min?: number; readonly max?: number }>>;
  readonly detectors?: Readonly<Record<string, readonly DetectorSpec[]>>;
};

const duplicates = (what: string, paths: readonly string[], ids: readonly string[], scope: string, noun = 'id'): string[] =>
  ids.flatMap((id, i) => {
    const first = ids.indexOf(id);
    return first < i ? [`${paths[i]}: duplicate ${what} ${noun} "${id}" (also ${paths[first]}); ${what} ${noun}s must be unique ${scope}`] : [];
  });

const idProblems = (doc: Doc): string[] => [
  ...duplicates('factory', doc.factories.map((_, f) => `factories[${f}].id`), doc.factories.map((x) => x.id), 'across the site'),
  ...doc.factories.flatMap((factory, f) => [
    ...duplicates('line', factory.lines.map((_, l) => `factories[${f}].lines[${l}].id`), factory.lines.map((x) => x.id), `within factory "${factory.id}"`),
    ...factory.lines.flatMap((line, l) =>
      duplicates('machine', line.machines.map((_, m) => `factories[${f}].lines[${l}].machines[${m}].id`), line.machines.map((x) => x.id), `within line "${line.id}"`)),
  ]),
];

const shiftProblems = (doc: Doc): string[] => {
  const shifts = doc.shifts ?? [];
  const spans: Array<DaySpan | undefined> = shifts.map((shift) => shiftSpan(shift.start, shift.end));
  return [
    ...duplicates('shift', shifts.map((_, s) => `shifts[${s}].name`), shifts.map((x) => x.name), 'across the site (they name the shift in OEE windows)', 'name'),
    ...shifts.flatMap((shift, s) => {
      const span = spans[s];
      if (span === undefined) return [`shifts[${s}].end: "${shift.end}" equals the start; a shift needs a length (an end before the start crosses midnight)`];
      const own = (shift.breaks ?? []).flatMap((pause, b) =>
        breakOffsets(span, pause.start, pause.end) === undefined
          ? [`shifts[${s}].breaks[${b}]: ${pause.start}-${pause.end} is not inside shift "${shift.name}" (${shift.start}-${shift.end}); a break starts before it ends, both within the shift`]
          : []);
      const overlaps = spans.slice(0, s).flatMap((other, o) =>
        other !== undefined && spansOverlap(span, other)
          ? [`shifts[${s}]: "${shift.name}" (${shift.start}-${shift.end}) overlaps shifts[${o}] "${shifts[o]?.name}" (${shifts[o]?.start}-${shifts[o]?.end}); shifts may touch but not overlap`]
          : []);
      return [...own, ...overlaps];
    }),
  ];
};

const metricProblems = (doc: Doc): string[] =>
  Object.entries(doc.metrics ?? {}).flatMap(([name, spec]) =>
    spec.min !== undefined && spec.max !== undefined && spec.min > spec.max
      ? [`metrics.${name}.min: ${spec.min} is above max ${spec.max}; min must be <= max`]
      : []);

const thresholdProblems = (spec: Extract<DetectorSpec, { kind: 'threshold' }>, path: string): string[] => {
  const problems: string[] = [];
  if (spec.above === undefined && spec.below === undefined) problems.push(`${path}: a threshold needs "above" or "below" (or both); add the bound that raises the alert`);
  if (spec.clearBelow !== undefined && spec.above === undefined) problems.push(`${path}.clearBelow: given without "above"; clearBelow is the hysteresis of an "above" bound`);
  if (spec.clearAbove !== undefined && spec.below === undefined) problems.push(`${path}.clearAbove: given without "below"; clearAbove is the hysteresis of a "below" bound`);
  if (spec.above !== undefined && spec.clearBelow !== undefined && spec.clearBelow > spec.above) problems.push(`${path}.clearBelow: ${spec.clearBelow} is above "above" ${spec.above}; the alert clears below the bound that raised it, so clearBelow <= above`);
  if (spec.below !== undefined && spec.clearAbove !== undefined && spec.clearAbove < spec.below) problems.push(`${path}.clearAbove: ${spec.clearAbove} is below "below" ${spec.below}; the alert clears above the bound that raised it, so clearAbove >= below`);
  if (spec.above !== undefined && spec.below !== undefined && spec.below >= spec.above) problems.push(`${path}.below: ${spec.below} is not below "above" ${spec.above}; with both bounds the normal band lies between them`);
  return problems;
};

const detectorProblems = (doc: Doc): string[] => {
  const metrics = doc.metrics ?? {};
  return Object.entries(doc.detectors ?? {}).flatMap(([type, specs]) =>
    specs.flatMap((spec, d) => {
      const path = `detectors.${type}[${d}]`;
      const missingMetric = spec.kind !== 'heartbeat' && !Object.prototype.hasOwnProperty.call(metrics, spec.metric)
        ? [`${path}.metric: "${spec.metric}" is not in metrics; add it to metrics with its unit, or fix the name (known: ${Object.keys(metrics).join(', ') || 'none'})`]
        : [];
      // Alerts are keyed by detector id (DESIGN §7), so two detectors with one id would share an alert.
      const first = specs.findIndex((other) => detectorId(other) === detectorId(spec));
      const duplicate = first < d
        ? [`${path}: same detector id "${detectorId(spec)}" as detectors.${type}[${first}]; alerts are keyed by it, so merge them (a threshold takes "above" and "below" together)`]
        : [];
      return [...missingMetric, ...duplicate, ...(spec.kind === 'threshold' ? thresholdProblems(spec, path) : [])];
    }));
};

/** Every cross-field problem of a decoded site document, in document order. */
export const siteProblems = (doc: Doc): string[] => [...idProblems(doc), ...shiftProblems(doc), ...metricProblems(doc), ...detectorProblems(doc)];
