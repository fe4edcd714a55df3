// The reserved words of AWS IoT SQL, the SQL it does not have (named in errors), its comparison
// operators and the type keywords cast() accepts.
import type { CastType } from './sqlAst.ts';

export const KEYWORDS = new Set([
  'SET',
  'SELECT',
  'FROM',
  'WHERE',
  'AS',
  'AND',
  'OR',
  'NOT',
  'NULL',
  'TRUE',
  'FALSE',
  'CASE',
  'WHEN',
  'THEN',
  'ELSE',
  'END',
]);
// Other SQL that users try: named so the reader knows it is not a typo, with what IoT SQL offers instead.
export const NOT_IOT_SQL: { readonly [word: string]: string } = {
  IN: 'compare with = and OR, or use CASE',
  LIKE: 'use regexp_matches(value, regex)',
  BETWEEN: 'use >= AND <=',
  IS: 'use isNull(value) or isUndefined(value)',
  EXISTS: 'use isUndefined(value)',
  JOIN: 'a rule reads one message',
  GROUP: 'a rule reads one message',
  ORDER: 'a rule reads one message',
  LIMIT: 'a rule reads one message',
  HAVING: 'a rule reads one message',
  UNION: 'a rule reads one message',
  DISTINCT: 'a rule reads one message',
};
export const COMPARISONS: readonly string[] = ['=', '<>', '!=', '<', '<=', '>', '>='];
export const CAST_TYPES: { readonly [keyword: string]: CastType } = {
  STRING: 'String',
  NVARCHAR: 'String',
  TEXT: 'String',
  NTEXT: 'String',
  VARCHAR: 'String',
  INT: 'Int',
  INTEGER: 'Int',
  DOUBLE: 'Decimal',
  DECIMAL: 'Decimal',
  BOOL: 'Boolean',
  BOOLEAN: 'Boolean',
};
