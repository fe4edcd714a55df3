// Every IoT SQL function the local interpreter knows, by family: what `factory rules functions` lists
// and what the parser checks names and argument counts against.
import { AWS_SERVICE_FUNCTIONS } from './awsService.ts';
import { COLLECTION_FUNCTIONS } from './collection.ts';
import { ENCODING_FUNCTIONS } from './encoding.ts';
import { MATH_FUNCTIONS } from './math.ts';
import { MESSAGE_FUNCTIONS } from './message.ts';
import type { SqlFunction } from './sqlFunction.ts';
import { STRING_FUNCTIONS } from './string.ts';
import { TIME_FUNCTIONS } from './time.ts';
import { TYPE_FUNCTIONS } from './type.ts';

export { FAMILIES, type SqlFunction, type Family } from './sqlFunction.ts';

export const FUNCTIONS: readonly SqlFunction[] = [
  ...MATH_FUNCTIONS,
  ...STRING_FUNCTIONS,
  ...COLLECTION_FUNCTIONS,
  ...TYPE_FUNCTIONS,
  ...ENCODING_FUNCTIONS,
  ...TIME_FUNCTIONS,
  ...MESSAGE_FUNCTIONS,
  ...AWS_SERVICE_FUNCTIONS,
].sort((a, b) => a.name.localeCompare(b.name));

const BY_NAME = new Map(FUNCTIONS.map((fn) => [fn.name.toLowerCase(), fn]));

/** The function of that name; IoT SQL function names are matched without regard to case (Round, Ltrim). */
export const lookupFunction = (name: string): SqlFunction | undefined => BY_NAME.get(name.toLowerCase());
