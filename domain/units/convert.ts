// Unit conversion between the units of one dimension (docs/wire-contract.md: values are converted to each metric's
// canonical unit; an unknown unit is bad input, so every failure is a sentence, never a guess).
import * as E from 'fp-ts/lib/Either.js';
import { DIMENSIONS, UNIT_ALIASES, UNITS, type Dimension, type UnitDefinition } from './unitCatalog.ts';

export type { Dimension } from './unitCatalog.ts';
export { DIMENSIONS } from './unitCatalog.ts';

const hasOwn = (record: object, key: string): boolean => Object.prototype.hasOwnProperty.call(record, key);

/** The canonical name of a unit or one of its aliases (`°C` → `degC`), undefined when unknown. */
export const canonicalUnit = (unit: string): string | undefined =>
  hasOwn(UNITS, unit) ? unit : hasOwn(UNIT_ALIASES, unit) ? UNIT_ALIASES[unit] : undefined;

const definitionOf = (unit: string): UnitDefinition | undefined => {
  const name = canonicalUnit(unit);
  return name === undefined ? undefined : UNITS[name];
};

export const isKnownUnit = (unit: string): boolean => canonicalUnit(unit) !== undefined;

export const dimensionOf = (unit: string): Dimension | undefined => definitionOf(unit)?.dimension;

/** The canonical unit names of a dimension, in catalogue order. */
export const unitsOf = (dimension: Dimension): readonly string[] =>
  Object.entries(UNITS)
    .filter(([, def]) => def.dimension === dimension)
    .map(([name]) => name);

const allUnits = (): string => DIMENSIONS.map((d) => `${d}: ${unitsOf(d).join(', ')}`).join('; ');

const unknownUnit = (unit: string, likely: Dimension | undefined): string =>
  likely === undefined
    ? `unknown unit "${unit}"; known units are ${allUnits()}`
    : `unknown unit "${unit}"; known ${likely} units are ${unitsOf(likely).join(', ')}`;

const toBase = (def: UnitDefinition, value: number): number =>
  def.kind === 'linear' ? value * def.factor : def.toBase(value);
const fromBase = (def: UnitDefinition, value: number): number =>
  def.kind === 'linear' ? value / def.factor : def.fromBase(value);

/**
 * `value` in `fromUnit`, expressed in `toUnit`. Same unit (or an alias of it) returns the value
 * untouched; otherwise it goes through the dimension's base unit.
 */
export const convert = (value: number, fromUnit: string, toUnit: string): E.Either<string, number> => {
  const from = definitionOf(fromUnit);
  const to = definitionOf(toUnit);
  // The other side's dimension is the best hint at what the unknown unit was meant to be.
  if (from === undefined) return E.left(unknownUnit(fromUnit, to?.dimension));
  if (to === undefined) return E.left(unknownUnit(toUnit, from.dimension));
  if (from.dimension !== to.dimension) {
    return E.left(
      `cannot convert "${fromUnit}" (${from.dimension}) to "${toUnit}" (${to.dimension}): the dimensions differ; send the value in a ${to.dimension} unit (${unitsOf(to.dimension).join(', ')})`,
    );
  }
  if (from === to) return E.right(value);
  return E.right(fromBase(to, toBase(from, value)));
};
