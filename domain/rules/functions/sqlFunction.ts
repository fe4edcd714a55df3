// The shape of one IoT SQL function of the local interpreter, as the registry and `factory rules functions` see it.
import type { MessageContext } from '../evaluationContext.ts';
import type { SqlValue } from '../sqlValue.ts';

export const FAMILIES = [
  'math',
  'string',
  'array and object',
  'type and cast',
  'encoding and hash',
  'time',
  'message',
  'AWS service',
] as const;
export type Family = (typeof FAMILIES)[number];

export type SqlFunction = {
  readonly name: string;
  readonly family: Family;
  /** As the AWS IoT SQL reference heads the function, e.g. "substring(String, Int[, Int])". */
  readonly signature: string;
  readonly summary: string;
  readonly minArgs: number;
  readonly maxArgs: number;
  readonly apply: (args: readonly SqlValue[], context: MessageContext) => SqlValue;
  /** For functions that take `*` (the whole payload, binary or not) as first argument. */
  readonly applyToPayload?: (bytes: Uint8Array, rest: readonly SqlValue[], context: MessageContext) => SqlValue;
  /** The AWS service the function calls, for those that cannot run locally. */
  readonly service?: string;
};

export const arity = (signature: string): { readonly minArgs: number; readonly maxArgs: number } => {
  const inner = signature.slice(signature.indexOf('(') + 1, signature.lastIndexOf(')'));
  if (inner.trim() === '') return { minArgs: 0, maxArgs: 0 };
  if (inner.includes('...')) return { minArgs: 0, maxArgs: Infinity };
  const required = inner.split('[')[0] ?? '';
  const all = inner
    .replace(/[[\]]/g, '')
    .split(',')
    .filter((a) => a.trim() !== '').length;
  return { minArgs: required.split(',').filter((a) => a.trim() !== '').length, maxArgs: all };
};

/** A function whose argument counts come from its signature. */
export const define = (
  family: Family,
  signature: string,
  summary: string,
  apply: SqlFunction['apply'],
  extra: Partial<Pick<SqlFunction, 'applyToPayload' | 'service' | 'minArgs' | 'maxArgs'>> = {},
): SqlFunction => ({
  name: signature.slice(0, signature.indexOf('(')),
  family,
  signature,
  summary,
  apply,
  ...arity(signature),
  ...extra,
});
