// Turns io-ts validation errors into what a person reads: one line per failing path,
// `metrics.spindle_temp.value: expected number, got "71,3"`.
import * as t from 'io-ts';

/** A value as an error message shows it: JSON, cut at 60 characters; nothing, NaN and Infinity by name. */
export const describeValue = (value: unknown): string => {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
  } catch {
    return String(value);
  }
};

const pathOf = (error: t.ValidationError): string =>
  error.context
    .slice(1)
    .filter((entry, index, all) => {
      // io-ts repeats a key for each union member and intersection part; keep the keys a user wrote.
      const parent = all[index - 1]?.type ?? error.context[0]?.type;
      return !(
        parent instanceof t.UnionType ||
        parent instanceof t.IntersectionType ||
        parent instanceof t.RefinementType ||
        parent instanceof t.ExactType
      );
    })
    .map((entry) => entry.key)
    .filter((key) => key !== '')
    .join('.');

/**
 * What was expected, in a few words: io-ts names an object type by its whole shape, which for a
 * nested document (a model file) is a line of 2,000 characters; its field names say enough.
 */
const shortNameOf = (type: t.Decoder<unknown, unknown> & { readonly name: string }): string => {
  if (type.name.length <= 60) return type.name;
  if (type instanceof t.InterfaceType) return `an object with ${Object.keys(type.props as object).join(', ')}`;
  if (type instanceof t.ArrayType) return 'a list';
  return `${type.name.slice(0, 57)}...`;
};

const expectedOf = (error: t.ValidationError): string => {
  const type = error.context[error.context.length - 1]?.type;
  return type === undefined ? 'a value' : shortNameOf(type);
};

/** One line per failing path, the first failure of each path only, in the order io-ts found them. */
export const formatDecodeErrors = (errors: t.Errors): string[] => {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const error of errors) {
    const path = pathOf(error);
    if (seen.has(path)) continue;
    seen.add(path);
    const message = error.message ?? `expected ${expectedOf(error)}, got ${describeValue(error.value)}`;
    lines.push(path === '' ? message : `${path}: ${message}`);
  }
  return lines;
};

/** A failure whose message is the sentence a person reads (custom codecs use this for their errors). */
export const failWith = (input: unknown, context: t.Context, message: string): t.Validation<never> =>
  t.failure(input, context, message);
