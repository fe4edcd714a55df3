// InfluxDB line protocol (docs.influxdata.com/influxdb/v2/reference/syntax/line-protocol/):
//   measurement,tag=value,tag=value field=value,field="text" timestamp
// Escaping differs by element: measurement escapes comma and space; tag keys, tag values and field
// keys escape comma, equals sign and space; string field values escape double quote and backslash.
// Newlines cannot be escaped anywhere but inside string fields, so they are refused.

export type FieldValue =
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'integer'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string };

export type Point = {
  readonly measurement: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly fields: Readonly<Record<string, FieldValue>>;
  /** In the write's precision (ms here). */
  readonly timestamp: number;
};

export const escapeMeasurement = (s: string): string => s.replace(/[\\, ]/g, (c) => `\\${c}`);
export const escapeKey = (s: string): string => s.replace(/[\\,= ]/g, (c) => `\\${c}`);
export const escapeStringField = (s: string): string => s.replace(/["\\]/g, (c) => `\\${c}`);

/** Why a point cannot be written as one line, or undefined. */
export const pointProblem = (p: Point): string | undefined => {
  const names = [p.measurement, ...Object.entries(p.tags).flat(), ...Object.keys(p.fields)];
  if (names.some((n) => /[\n\r]/.test(n)))
    return 'a measurement, tag or field name contains a line break, which line protocol cannot carry';
  if (p.measurement === '' || p.measurement.startsWith('_'))
    return `measurement ${JSON.stringify(p.measurement)} is empty or starts with _ (reserved by InfluxDB)`;
  if (Object.entries(p.tags).some(([k, v]) => k === '' || v === '' || k.startsWith('_')))
    return 'a tag key or value is empty, or a key starts with _ (reserved)';
  const fields = Object.entries(p.fields);
  if (fields.length === 0) return 'has no fields; InfluxDB needs at least one';
  for (const [name, f] of fields) {
    if (name === '' || name.startsWith('_'))
      return `field name ${JSON.stringify(name)} is empty or starts with _ (reserved)`;
    if (f.kind !== 'string' && !Number.isFinite(f.value))
      return `field ${name} is ${f.value}, expected a finite number`;
    if (f.kind === 'integer' && !Number.isSafeInteger(f.value))
      return `field ${name} is ${f.value}, expected an integer`;
  }
  if (!Number.isSafeInteger(p.timestamp)) return `timestamp ${p.timestamp} is not an integer`;
  return undefined;
};

const fieldText = (f: FieldValue): string => {
  switch (f.kind) {
    // String(n) is the shortest text that round-trips; exponent forms (1e+21) are valid floats too.
    case 'float':
      return String(f.value);
    case 'integer':
      return `${f.value}i`;
    case 'string':
      return `"${escapeStringField(f.value)}"`;
  }
};

/** Tags sorted by key: InfluxDB's recommendation for write performance. */
export const toLine = (p: Point): string => {
  const tags = Object.entries(p.tags)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `,${escapeKey(k)}=${escapeKey(v)}`)
    .join('');
  const fields = Object.entries(p.fields)
    .map(([k, f]) => `${escapeKey(k)}=${fieldText(f)}`)
    .join(',');
  return `${escapeMeasurement(p.measurement)}${tags} ${fields} ${p.timestamp}`;
};
