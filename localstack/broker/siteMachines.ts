// The machines a site configuration (docs/site-configuration.md) names, read just far enough to register them as
// things. Kept to this one function on purpose: the full site codec (domain/site/) replaces it.
import * as E from 'fp-ts/lib/Either.js';
import { parse } from 'yaml';
import { isId } from '../../domain/wire/primitives.ts';
import type { MachineRef } from '../../domain/wire/topic.ts';

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);
const listAt = (u: unknown, key: string): readonly unknown[] | undefined =>
  isRecord(u) && Array.isArray(u[key]) ? u[key] : undefined;

/** factories ▸ lines ▸ machines of a site configuration text (JSON or YAML), or every path that is not an id. */
export const machinesOfSiteConfig = (
  text: string,
  file: string,
): E.Either<readonly string[], readonly MachineRef[]> => {
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    return E.left([
      `${file}: not JSON or YAML (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`,
    ]);
  }
  const errors: string[] = [];
  const idAt = (u: unknown, path: string): string | undefined => {
    const value = isRecord(u) ? u.id : undefined;
    if (isId(value)) return value;
    errors.push(
      `${file}: ${path}.id: expected an id of 1-64 characters A-Z a-z 0-9 _ -, got ${JSON.stringify(value) ?? 'nothing'}`,
    );
    return undefined;
  };
  const factories = listAt(document, 'factories');
  if (factories === undefined)
    return E.left([
      `${file}: factories: expected a list of factories (docs/site-configuration.md), each with lines ▸ machines`,
    ]);
  const machines: MachineRef[] = [];
  factories.forEach((factory, f) => {
    const factoryId = idAt(factory, `factories[${f}]`);
    (listAt(factory, 'lines') ?? []).forEach((line, l) => {
      const lineId = idAt(line, `factories[${f}].lines[${l}]`);
      (listAt(line, 'machines') ?? []).forEach((machine, m) => {
        const machineId = idAt(machine, `factories[${f}].lines[${l}].machines[${m}]`);
        if (factoryId !== undefined && lineId !== undefined && machineId !== undefined)
          machines.push({ factoryId, lineId, machineId });
      });
    });
  });
  return errors.length > 0 ? E.left(errors) : E.right(machines);
};
