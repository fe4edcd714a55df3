// Array and object functions of https://docs.aws.amazon.com/iot/latest/developerguide/iot-sql-functions.html:
// get, concat and transform.
import { isArray, isObject, objectOf, toInt, toSqlString, Undefined, type Json, type SqlValue } from '../sqlValue.ts';
import { define, type SqlFunction } from './sqlFunction.ts';

/** get(): 0-based index into an Array or a String (the index converted to Int), or a key of an Object. */
export const getItem = (collection: SqlValue, key: SqlValue): SqlValue => {
  if (isObject(collection)) {
    return typeof key === 'string' && Object.prototype.hasOwnProperty.call(collection, key)
      ? (collection[key] as Json)
      : Undefined;
  }
  if (!isArray(collection) && typeof collection !== 'string') return Undefined;
  const k = toInt(key);
  if (k === Undefined || k < 0 || k >= collection.length) return Undefined;
  return isArray(collection) ? (collection[k] as Json) : (collection[k] as string);
};

// concat(): with an Array among 2+ arguments, one array of all of them (arrays spliced in); otherwise,
// with a String among them, the concatenation of their string forms. One argument comes back as is, but
// in its string form unless it is an array (the reference gives concat(1) = "1").
const concat = (args: readonly SqlValue[]): SqlValue => {
  if (args.length === 0) return Undefined;
  if (args.length === 1) {
    const only = args[0] ?? Undefined;
    return isArray(only) ? only : toSqlString(only);
  }
  if (args.some(isArray)) {
    const items: Json[] = [];
    for (const a of args) {
      if (a === Undefined) continue;
      if (isArray(a)) items.push(...a);
      else items.push(a);
    }
    return items;
  }
  if (!args.some((a) => typeof a === 'string')) return Undefined;
  const parts = args.map(toSqlString);
  return parts.some((p) => p === Undefined) ? Undefined : parts.join('');
};

// transform('enrichArray', object, array): each object of the array with the object's attributes added.
const transform = (args: readonly SqlValue[]): SqlValue => {
  const [mode, attributes, array] = args;
  if (mode !== 'enrichArray' || !isObject(attributes) || array === undefined || !isArray(array)) return Undefined;
  if (!array.every(isObject)) return Undefined;
  return array.map((item) =>
    objectOf([...Object.entries(item as { readonly [key: string]: Json }), ...Object.entries(attributes)]),
  );
};

export const COLLECTION_FUNCTIONS: readonly SqlFunction[] = [
  define(
    'array and object',
    'concat(Any, ...)',
    'arrays joined into one array, or strings (and the text of other values) into one string',
    concat,
  ),
  define(
    'array and object',
    'get(Any, Any)',
    'item of an Array or character of a String at a 0-based index, or value of an Object key',
    (args) => getItem(args[0] ?? Undefined, args[1] ?? Undefined),
  ),
  define(
    'array and object',
    'transform(String, Object, Array)',
    "'enrichArray': every object of the array with the object's attributes added",
    transform,
  ),
];
