// A labelled machine history in the AI4I 2020 layout (UCI dataset 601): one row per operating point,
// its physical readings and whether (and how) the machine failed. Columns are found by header name, so
// their order does not matter and extra columns (UDI, Product ID) are ignored: they are not inputs.
import * as E from 'fp-ts/lib/Either.js';
import type { Observation, ProductVariant } from '../../domain/maintenance/features.ts';
import { TARGETS, type LabeledObservation, type Target } from '../../domain/maintenance/maintenanceModel.ts';
import { csvRecords } from './csvRecords.ts';

const READINGS = {
  type: 'Type',
  airTempK: 'Air temperature [K]',
  processTempK: 'Process temperature [K]',
  rotationalSpeedRpm: 'Rotational speed [rpm]',
  torqueNm: 'Torque [Nm]',
  toolWearMin: 'Tool wear [min]',
} as const;

const LABELS: Readonly<Record<Target, string>> = {
  failure: 'Machine failure',
  TWF: 'TWF',
  HDF: 'HDF',
  PWF: 'PWF',
  OSF: 'OSF',
  RNF: 'RNF',
};

const NUMERIC = ['airTempK', 'processTempK', 'rotationalSpeedRpm', 'torqueNm', 'toolWearMin'] as const;

/** The labelled observations of an AI4I-layout CSV text; `source` names the file in error messages. */
export const ai4iHistory = (text: string, source: string): E.Either<string, LabeledObservation[]> => {
  const parsed = csvRecords(text, source);
  if (E.isLeft(parsed)) return parsed;
  const [header, ...records] = parsed.right;
  if (header === undefined)
    return E.left(`${source}: the file is empty; expected a header line and rows in the AI4I 2020 layout`);
  const names = header.fields.map((name) => name.trim());
  const required = [...Object.values(READINGS), ...Object.values(LABELS)];
  const missing = required.filter((name) => !names.includes(name));
  if (missing.length > 0) {
    return E.left(
      `${source} line ${header.line}: the header lacks ${missing.map((m) => JSON.stringify(m)).join(', ')}; expected the AI4I 2020 columns ${required.map((m) => JSON.stringify(m)).join(', ')}`,
    );
  }
  const column = (name: string): number => names.indexOf(name);
  const rows: LabeledObservation[] = [];
  for (const record of records) {
    const at = (name: string): string => (record.fields[column(name)] ?? '').trim();
    const where = (name: string): string => `${source} line ${record.line}, column ${JSON.stringify(name)}`;
    if (record.fields.length !== names.length) {
      return E.left(
        `${source} line ${record.line}: ${record.fields.length} fields; expected ${names.length} as in the header — fix or remove the row`,
      );
    }
    const type = at(READINGS.type);
    if (type !== 'L' && type !== 'M' && type !== 'H')
      return E.left(`${where(READINGS.type)}: expected L, M or H, got ${JSON.stringify(type)} — fix or remove the row`);
    const values = {} as Record<(typeof NUMERIC)[number], number>;
    for (const key of NUMERIC) {
      const raw = at(READINGS[key]);
      const value = raw === '' ? Number.NaN : Number(raw);
      if (!Number.isFinite(value))
        return E.left(`${where(READINGS[key])}: expected a number, got ${JSON.stringify(raw)} — fix or remove the row`);
      values[key] = value;
    }
    const labels = {} as Record<Target, boolean>;
    for (const target of TARGETS) {
      const raw = at(LABELS[target]);
      if (raw !== '0' && raw !== '1')
        return E.left(`${where(LABELS[target])}: expected 0 or 1, got ${JSON.stringify(raw)} — fix or remove the row`);
      labels[target] = raw === '1';
    }
    const observation: Observation = { ...values, type: type as ProductVariant };
    rows.push({ observation, labels });
  }
  if (rows.length === 0) return E.left(`${source}: a header but no rows; expected at least one operating point`);
  return E.right(rows);
};
