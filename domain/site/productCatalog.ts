// The product catalog (docs/site-configuration.md#products): each product's ideal cycle time per
// machine type, or per machine (a machine's own time wins over its type's). A `job` message names
// the product a machine starts making; until the next job, its performance is measured against it.
import * as t from 'io-ts';
import { Id } from '../wire/primitives.ts';
import { struct } from '../closedStruct.ts';
import { PositiveNumber } from '../refined.ts';

export type ProductConfig = {
  readonly id: string;
  readonly name?: string;
  readonly idealCycleTimeS: {
    /** Machine type → seconds per part. */
    readonly byType?: Readonly<Record<string, number>>;
    /** `factory/line/machine` → seconds per part; wins over the machine's type. */
    readonly byMachine?: Readonly<Record<string, number>>;
  };
};

export const ProductCodec = struct(
  'a product',
  {
    id: Id,
    idealCycleTimeS: struct(
      'ideal cycle times (byType, byMachine)',
      {},
      {
        byType: t.record(Id, PositiveNumber, 'an object of machine type to seconds per part'),
        byMachine: t.record(t.string, PositiveNumber, 'an object of "factory/line/machine" to seconds per part'),
      },
    ),
  },
  { name: t.string },
);

type MachineRef = { readonly factory: string; readonly line: string; readonly machine: string; readonly type: string };

/** The ideal cycle time of each product a machine can make, in seconds per part. */
export const productCycleTimes = (
  products: readonly ProductConfig[] | undefined,
  m: MachineRef,
): Readonly<Record<string, number>> => {
  const key = `${m.factory}/${m.line}/${m.machine}`;
  const times: Record<string, number> = {};
  for (const product of products ?? []) {
    const own = product.idealCycleTimeS.byMachine?.[key];
    const ofType = product.idealCycleTimeS.byType?.[m.type];
    const seconds = own ?? ofType;
    if (seconds !== undefined) times[product.id] = seconds;
  }
  return times;
};

type CatalogDoc = {
  readonly products?: readonly ProductConfig[];
  readonly factories: ReadonlyArray<{
    readonly id: string;
    readonly lines: ReadonlyArray<{
      readonly id: string;
      readonly machines: ReadonlyArray<{ readonly id: string; readonly type: string }>;
    }>;
  }>;
};

/** Duplicate products, and ideal cycle times for machine types or machines the site does not have. */
export const catalogProblems = (doc: CatalogDoc): string[] => {
  const products = doc.products ?? [];
  const machines = doc.factories.flatMap((f) => f.lines.flatMap((l) => l.machines.map((m) => ({ f, l, m }))));
  const types = [...new Set(machines.map(({ m }) => m.type))];
  const paths = machines.map(({ f, l, m }) => `${f.id}/${l.id}/${m.id}`);
  const ids = products.map((p) => p.id);
  return products.flatMap((product, p) => {
    const path = `products[${p}]`;
    const { byType = {}, byMachine = {} } = product.idealCycleTimeS;
    return [
      ...(ids.indexOf(product.id) < p
        ? [`${path}.id: duplicate product id "${product.id}"; product ids must be unique across the site`]
        : []),
      ...(Object.keys(byType).length + Object.keys(byMachine).length === 0
        ? [
            `${path}.idealCycleTimeS: no machine type or machine makes "${product.id}"; give byType (machine type → seconds per part) or byMachine ("factory/line/machine" → seconds per part)`,
          ]
        : []),
      ...Object.keys(byType).flatMap((type) =>
        types.includes(type)
          ? []
          : [
              `${path}.idealCycleTimeS.byType.${type}: no machine has type "${type}" (types: ${types.join(', ')}; types are case-sensitive)`,
            ],
      ),
      ...Object.keys(byMachine).flatMap((key) =>
        paths.includes(key)
          ? []
          : [
              `${path}.idealCycleTimeS.byMachine.${key}: no machine "${key}" in factories; write it as "factory/line/machine"`,
            ],
      ),
    ];
  });
};
