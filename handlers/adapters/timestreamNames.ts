// Timestream for LiveAnalytics naming rules, checked before a write so a bad name is reported with the
// record instead of failing the call (docs: ts-limits.html, "Naming constraints" and "Service limits").
const RESERVED = new Set(['measure_name', 'measure_value', 'time']);

export const MAX_RECORDS_PER_WRITE = 100;
export const MAX_MEASURES_PER_RECORD = 256;

export const timestreamNameProblem = (kind: 'dimension' | 'measure', name: string): string | undefined => {
  const maxBytes = kind === 'dimension' ? 60 : 256;
  if (name.length === 0) return `${kind} name is empty; give it a name`;
  if (RESERVED.has(name)) return `${kind} name ${JSON.stringify(name)} is reserved by Timestream; rename it`;
  if (name.startsWith('ts_') || name.startsWith('measure_value'))
    return `${kind} name ${JSON.stringify(name)} starts with ts_ or measure_value, which Timestream reserves; rename it`;
  if (name.includes(':'))
    return `${kind} name ${JSON.stringify(name)} contains ':', which Timestream does not allow; rename it`;
  if (Buffer.byteLength(name, 'utf8') > maxBytes)
    return `${kind} name ${JSON.stringify(name)} is longer than ${maxBytes} bytes; shorten it`;
  return undefined;
};
