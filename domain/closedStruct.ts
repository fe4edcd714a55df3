// Objects that refuse fields they do not know, and lists that may be required to hold one: what the site and
// gateway configurations are built from, so a misspelt field is an error in both, said the same way.
import * as t from 'io-ts';
import { describeValue as show, failWith } from './decodeError.ts';

export const listOf = <C extends t.Mixed>(
  codec: C,
  what: string,
  atLeastOne: boolean,
): t.Type<Array<t.TypeOf<C>>, Array<t.OutputOf<C>>, unknown> => {
  const inner = t.array(codec, `a list of ${what}`);
  return new t.Type<Array<t.TypeOf<C>>, Array<t.OutputOf<C>>, unknown>(
    inner.name,
    inner.is,
    (u, c) =>
      atLeastOne && Array.isArray(u) && u.length === 0
        ? failWith(u, c, `expected at least one of ${what}, got none`)
        : inner.validate(u, c),
    inner.encode,
  );
};

const propsOf = (codec: t.Mixed): string[] =>
  codec instanceof t.InterfaceType || codec instanceof t.PartialType
    ? Object.keys(codec.props as t.Props)
    : codec instanceof t.IntersectionType
      ? (codec.types as t.Mixed[]).flatMap(propsOf)
      : [];
const requiredPropsOf = (codec: t.Mixed): string[] =>
  codec instanceof t.InterfaceType
    ? Object.keys(codec.props as t.Props)
    : codec instanceof t.IntersectionType
      ? (codec.types as t.Mixed[]).flatMap(requiredPropsOf)
      : [];

export const isRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === 'object' && u !== null && !Array.isArray(u);

/**
 * An object that refuses fields it does not know: a misspelt `clearbelow` or `heartbeatTimeout`
 * would otherwise be ignored in silence and its default used instead.
 */
export const closed = <C extends t.Mixed>(inner: C, name: string): t.Type<t.TypeOf<C>, t.OutputOf<C>, unknown> => {
  const known = propsOf(inner);
  const required = requiredPropsOf(inner);
  return new t.Type<t.TypeOf<C>, t.OutputOf<C>, unknown>(
    name,
    inner.is,
    (u, c) => {
      if (!isRecord(u)) return failWith(u, c, `expected ${name} (an object with ${known.join(', ')}), got ${show(u)}`);
      const problems: t.ValidationError[] = [
        ...required
          .filter((key) => u[key] === undefined)
          .map((key) => ({
            value: undefined,
            context: [...c, { key, type: t.unknown, actual: undefined }],
            message: `missing; ${name} needs ${required.join(', ')}`,
          })),
        ...Object.keys(u)
          .filter((key) => !known.includes(key))
          .map((key) => ({
            value: u[key],
            context: [...c, { key, type: t.unknown, actual: u[key] }],
            message: `unknown field; ${name} has ${known.join(', ')} (check the spelling)`,
          })),
      ];
      // The '' entry keeps the inner intersection's part indices out of the path a person reads.
      const decoded = inner.validate(u, [...c, { key: '', type: inner, actual: u }]);
      if (decoded._tag === 'Left') return t.failures([...problems, ...decoded.left]);
      return problems.length > 0 ? t.failures(problems) : decoded;
    },
    inner.encode,
  );
};

/** `{required…}` plus `{optional…}`, closed to other fields. */
export const struct = <R extends t.Props, O extends t.Props>(name: string, required: R, optional: O) =>
  closed(t.intersection([t.type(required), t.partial(optional)]), name);
