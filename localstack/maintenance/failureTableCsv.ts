// The training table of a plant's own history as CSV (docs/predictive-maintenance.md): one row per
// machine and sample time, its context, the live scorer's features (FEATURE_NAMES, the variant as its
// letter) and the failure-window label. Numbers are written in full, so reading a table back gives the
// observations that were exported, to the bit.
import * as E from 'fp-ts/lib/Either.js';
import { FEATURE_NAMES, featureVector, type ProductVariant } from '../../domain/maintenance/features.ts';
import type { FailureTableRow } from '../../domain/maintenance/timeSplitEvaluation.ts';
import { csvField, csvRecords } from './csvRecords.ts';

const MIN = 60_000;
const CONTEXT = ['time', 'factory', 'line', 'machine', 'machineType', 'horizonMin', 'everyMin'] as const;
const LABEL = ['failsWithinHorizon', 'nextFailureAt', 'nextFailureReason'] as const;
export const FAILURE_TABLE_COLUMNS = [...CONTEXT, ...FEATURE_NAMES, ...LABEL] as const;

/** The header line and one line per row, CRLF-free, ending in a newline. */
export const failureTableText = (rows: readonly FailureTableRow[]): string => {
  const lines = [FAILURE_TABLE_COLUMNS.join(',')];
  for (const row of rows) {
    const features = featureVector(row.observation).map(String);
    features[0] = row.observation.type;
    lines.push(
      [
        new Date(row.ts).toISOString(),
        csvField(row.factory),
        csvField(row.line),
        csvField(row.machine),
        csvField(row.machineType),
        String(row.horizonMs / MIN),
        String(row.everyMs / MIN),
        ...features,
        row.failsWithinHorizon ? '1' : '0',
        row.nextFailure === null ? '' : new Date(row.nextFailure.ts).toISOString(),
        row.nextFailure === null ? '' : csvField(row.nextFailure.reason),
      ].join(','),
    );
  }
  return lines.join('\n') + '\n';
};

/**
 * The same samples as the SageMaker pipeline's training input (infra/maintenanceScoring.ts, built-in
 * XGBoost): `label,<FEATURE_NAMES>`, the variant as its code, no header.
 */
export const sagemakerTrainingText = (rows: readonly FailureTableRow[]): string =>
  rows.map((row) => [row.failsWithinHorizon ? 1 : 0, ...featureVector(row.observation)].join(',')).join('\n') + '\n';

/** Whether a CSV header is a failure-window table's (rather than the AI4I layout). */
export const isFailureTableHeader = (text: string): boolean => {
  const header = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  return header.split(',').includes('failsWithinHorizon');
};

/** The rows of a failure-window table; `source` names the file in errors. */
export const readFailureTable = (text: string, source: string): E.Either<string, FailureTableRow[]> => {
  const parsed = csvRecords(text, source);
  if (E.isLeft(parsed)) return parsed;
  const [header, ...records] = parsed.right;
  if (header === undefined)
    return E.left(`${source}: the file is empty; expected a table from factory maintenance export`);
  const names = header.fields.map((n) => n.trim());
  const missing = FAILURE_TABLE_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length > 0)
    return E.left(
      `${source} line ${header.line}: the header lacks ${missing.join(', ')}; write the table with \`factory maintenance export\``,
    );
  const index = Object.fromEntries(names.map((n, i) => [n, i]));
  const rows: FailureTableRow[] = [];
  for (const record of records) {
    const at = (name: string): string => (record.fields[index[name] as number] ?? '').trim();
    const where = (name: string): string => `${source} line ${record.line}, column ${name}`;
    const number = (name: string): number | string => {
      const raw = at(name);
      const n = raw === '' ? Number.NaN : Number(raw);
      return Number.isFinite(n)
        ? n
        : `${where(name)}: expected a number, got ${JSON.stringify(raw)} — fix or remove the row`;
    };
    const time = (name: string): number | string => {
      const ms = Date.parse(at(name));
      return Number.isFinite(ms) ? ms : `${where(name)}: expected an ISO-8601 time, got ${JSON.stringify(at(name))}`;
    };
    const values = {
      ts: time('time'),
      horizonMin: number('horizonMin'),
      everyMin: number('everyMin'),
      airTempK: number('airTempK'),
      processTempK: number('processTempK'),
      rotationalSpeedRpm: number('rotationalSpeedRpm'),
      torqueNm: number('torqueNm'),
      toolWearMin: number('toolWearMin'),
    };
    const bad = Object.values(values).find((v) => typeof v === 'string');
    if (typeof bad === 'string') return E.left(bad);
    const n = values as Record<keyof typeof values, number>;
    const variant = at('variant');
    if (variant !== 'L' && variant !== 'M' && variant !== 'H')
      return E.left(`${where('variant')}: expected L, M or H, got ${JSON.stringify(variant)} — fix or remove the row`);
    const label = at('failsWithinHorizon');
    if (label !== '0' && label !== '1')
      return E.left(
        `${where('failsWithinHorizon')}: expected 0 or 1, got ${JSON.stringify(label)} — fix or remove the row`,
      );
    let nextFailure: FailureTableRow['nextFailure'] = null;
    if (label === '1') {
      const failureTs = time('nextFailureAt');
      if (typeof failureTs === 'string') return E.left(failureTs);
      nextFailure = { ts: failureTs, reason: at('nextFailureReason') };
    }
    rows.push({
      ts: n.ts,
      factory: at('factory'),
      line: at('line'),
      machine: at('machine'),
      machineType: at('machineType'),
      horizonMs: n.horizonMin * MIN,
      everyMs: n.everyMin * MIN,
      observation: {
        type: variant as ProductVariant,
        airTempK: n.airTempK,
        processTempK: n.processTempK,
        rotationalSpeedRpm: n.rotationalSpeedRpm,
        torqueNm: n.torqueNm,
        toolWearMin: n.toolWearMin,
      },
      failsWithinHorizon: label === '1',
      nextFailure,
    });
  }
  if (rows.length === 0) return E.left(`${source}: a header but no rows; export a longer history`);
  return E.right(rows);
};
