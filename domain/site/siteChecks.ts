// The checks a codec cannot make alone: they relate one field to another (unique ids, a break inside
// its shift, a detector's metric configured in `metrics`). Each problem is one line in the codec's
// format — `path: what is wrong; what to do` — so a person sees one list.
import { detectorId, type DetectorSpec } from '../detectors/detectorSpec.ts';
import { MAINTENANCE_METRICS } from '../maintenance/features.ts';
import { breakOffsets, shiftSpan, spansOverlap, type DaySpan } from './clockTime.ts';
import type { SiteDocument } from './siteDocument.ts';

const duplicates = (
  what: string,
  paths: readonly string[],
  ids: readonly string[],
  scope: string,
  noun = 'id',
): string[] =>
  ids.flatMap((id, i) => {
    const first = ids.indexOf(id);
    return first < i
      ? [
          `${paths[i]}: duplicate ${what} ${noun} "${id}" (also ${paths[first]}); ${what} ${noun}s must be unique ${scope}`,
        ]
      : [];
  });

const idProblems = (doc: SiteDocument): string[] => [
  ...duplicates(
    'factory',
    doc.factories.map((_, f) => `factories[${f}].id`),
    doc.factories.map((x) => x.id),
    'across the site',
  ),
  ...doc.factories.flatMap((factory, f) => [
    ...duplicates(
      'line',
      factory.lines.map((_, l) => `factories[${f}].lines[${l}].id`),
      factory.lines.map((x) => x.id),
      `within factory "${factory.id}"`,
    ),
    ...factory.lines.flatMap((line, l) =>
      duplicates(
        'machine',
        line.machines.map((_, m) => `factories[${f}].lines[${l}].machines[${m}].id`),
        line.machines.map((x) => x.id),
        `within line "${line.id}"`,
      ),
    ),
  ]),
];

type ShiftDoc = NonNullable<SiteDocument['shifts']>;

/** A list of shifts (the site's `shifts`, or a calendar's pattern at `path`): unique names, breaks inside, no overlaps. */
export const shiftListProblems = (shifts: ShiftDoc, path: string): string[] => {
  const spans: Array<DaySpan | undefined> = shifts.map((shift) => shiftSpan(shift.start, shift.end));
  return [
    ...duplicates(
      'shift',
      shifts.map((_, s) => `${path}[${s}].name`),
      shifts.map((x) => x.name),
      path === 'shifts' ? 'across the site (they name the shift in OEE windows)' : `within ${path}`,
      'name',
    ),
    ...shifts.flatMap((shift, s) => {
      const span = spans[s];
      if (span === undefined)
        return [
          `${path}[${s}].end: "${shift.end}" equals the start; a shift needs a length (an end before the start crosses midnight)`,
        ];
      const own = (shift.breaks ?? []).flatMap((pause, b) =>
        breakOffsets(span, pause.start, pause.end) === undefined
          ? [
              `${path}[${s}].breaks[${b}]: ${pause.start}-${pause.end} is not inside shift "${shift.name}" (${shift.start}-${shift.end}); a break starts before it ends, both within the shift`,
            ]
          : [],
      );
      const overlaps = spans
        .slice(0, s)
        .flatMap((other, o) =>
          other !== undefined && spansOverlap(span, other)
            ? [
                `${path}[${s}]: "${shift.name}" (${shift.start}-${shift.end}) overlaps ${path}[${o}] "${shifts[o]?.name}" (${shifts[o]?.start}-${shifts[o]?.end}); shifts may touch but not overlap`,
              ]
            : [],
        );
      return [...own, ...overlaps];
    }),
  ];
};

const shiftProblems = (doc: SiteDocument): string[] => shiftListProblems(doc.shifts ?? [], 'shifts');

const metricProblems = (doc: SiteDocument): string[] =>
  Object.entries(doc.metrics ?? {}).flatMap(([name, spec]) =>
    spec.min !== undefined && spec.max !== undefined && spec.min > spec.max
      ? [`metrics.${name}.min: ${spec.min} is above max ${spec.max}; min must be <= max`]
      : [],
  );

const thresholdProblems = (spec: Extract<DetectorSpec, { kind: 'threshold' }>, path: string): string[] => {
  const problems: string[] = [];
  if (spec.above === undefined && spec.below === undefined)
    problems.push(`${path}: a threshold needs "above" or "below" (or both); add the bound that raises the alert`);
  if (spec.clearBelow !== undefined && spec.above === undefined)
    problems.push(`${path}.clearBelow: given without "above"; clearBelow is the hysteresis of an "above" bound`);
  if (spec.clearAbove !== undefined && spec.below === undefined)
    problems.push(`${path}.clearAbove: given without "below"; clearAbove is the hysteresis of a "below" bound`);
  if (spec.above !== undefined && spec.clearBelow !== undefined && spec.clearBelow > spec.above)
    problems.push(
      `${path}.clearBelow: ${spec.clearBelow} is above "above" ${spec.above}; the alert clears below the bound that raised it, so clearBelow <= above`,
    );
  if (spec.below !== undefined && spec.clearAbove !== undefined && spec.clearAbove < spec.below)
    problems.push(
      `${path}.clearAbove: ${spec.clearAbove} is below "below" ${spec.below}; the alert clears above the bound that raised it, so clearAbove >= below`,
    );
  if (spec.above !== undefined && spec.below !== undefined && spec.below >= spec.above)
    problems.push(
      `${path}.below: ${spec.below} is not below "above" ${spec.above}; with both bounds the normal band lies between them`,
    );
  return problems;
};

// The failure model reads five metrics by name, temperatures in K or degC (domain/maintenance/features.ts).
const maintenanceProblems = (
  spec: Extract<DetectorSpec, { kind: 'maintenance' }>,
  path: string,
  metrics: NonNullable<SiteDocument['metrics']>,
): string[] => [
  ...Object.values(MAINTENANCE_METRICS).flatMap((name) =>
    Object.prototype.hasOwnProperty.call(metrics, name)
      ? []
      : [
          `${path}: the failure model reads the metric "${name}", which is not in metrics; add it with its unit (it needs all of ${Object.values(MAINTENANCE_METRICS).join(', ')})`,
        ],
  ),
  ...[MAINTENANCE_METRICS.airTemp, MAINTENANCE_METRICS.processTemp].flatMap((name) => {
    const unit = metrics[name]?.unit;
    return unit === undefined || unit === 'K' || unit === 'degC'
      ? []
      : [`metrics.${name}.unit: "${unit}" cannot feed the failure model of ${path}; expected K or degC`];
  }),
  ...(spec.clearBelow !== undefined && spec.clearBelow > spec.threshold
    ? [
        `${path}.clearBelow: ${spec.clearBelow} is above threshold ${spec.threshold}; the alert clears below the risk that raised it, so clearBelow <= threshold`,
      ]
    : []),
];

const siteDetectorProblems = (doc: SiteDocument): string[] => {
  const metrics = doc.metrics ?? {};
  return Object.entries(doc.detectors ?? {}).flatMap(([type, specs]) =>
    specs.flatMap((spec, d) => {
      const path = `detectors.${type}[${d}]`;
      const missingMetric =
        spec.kind !== 'heartbeat' &&
        spec.kind !== 'maintenance' &&
        !Object.prototype.hasOwnProperty.call(metrics, spec.metric)
          ? [
              `${path}.metric: "${spec.metric}" is not in metrics; add it to metrics with its unit, or fix the name (known: ${Object.keys(metrics).join(', ') || 'none'})`,
            ]
          : [];
      // Alerts are keyed by detector id (docs/replay-summary.md), so two detectors with one id would share an alert.
      const first = specs.findIndex((other) => detectorId(other) === detectorId(spec));
      const duplicate =
        first < d
          ? [
              `${path}: same detector id "${detectorId(spec)}" as detectors.${type}[${first}]; alerts are keyed by it, so merge them (a threshold takes "above" and "below" together)`,
            ]
          : [];
      return [
        ...missingMetric,
        ...duplicate,
        ...(spec.kind === 'threshold' ? thresholdProblems(spec, path) : []),
        ...(spec.kind === 'maintenance' ? maintenanceProblems(spec, path, metrics) : []),
      ];
    }),
  );
};

/**
 * A machine whose type has no entry in `detectors` would silently get no alerts (a `CNC` beside a
 * `cnc`): once a site configures detectors, each machine type needs its entry, `[]` for none.
 */
const machineTypeProblems = (doc: SiteDocument): string[] => {
  if (doc.detectors === undefined) return [];
  const known = Object.keys(doc.detectors);
  return doc.factories.flatMap((factory, f) =>
    factory.lines.flatMap((line, l) =>
      line.machines.flatMap((machine, m) =>
        Object.prototype.hasOwnProperty.call(doc.detectors, machine.type)
          ? []
          : [
              `factories[${f}].lines[${l}].machines[${m}].type: "${machine.type}" has no entry in detectors (known types: ${known.join(', ') || 'none'}; types are case-sensitive); use one of them, or add detectors.${machine.type} (an empty list [] for a type without detectors)`,
            ],
      ),
    ),
  );
};

/** Every cross-field problem of a decoded site document, in document order. */
export const siteProblems = (doc: SiteDocument): string[] => [
  ...idProblems(doc),
  ...machineTypeProblems(doc),
  ...shiftProblems(doc),
  ...metricProblems(doc),
  ...siteDetectorProblems(doc),
];
