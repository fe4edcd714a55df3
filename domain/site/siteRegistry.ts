// What the pipeline asks of the site for each message: which machine is this, what type, how fast
// should it run, which clock does its factory keep, and which detectors watch it.
import type { DetectorSpec } from '../detectors/detectorSpec.ts';
import type { CounterBits } from '../machine/counterWidth.ts';
import { productCycleTimes } from './productCatalog.ts';
import type { FactoryConfig, SiteConfig } from './siteConfig.ts';

export type MachineEntry = {
  readonly factory: string;
  readonly line: string;
  readonly machine: string;
  readonly type: string;
  readonly idealCycleTimeS: number;
  readonly timezone: string;
  readonly detectors: readonly DetectorSpec[];
  /** The products of the catalog this machine makes, with their ideal cycle times (absent: no catalog entry for it). */
  readonly productCycleTimesS?: Readonly<Record<string, number>>;
  /** The width of its counters, when configured: a wrap past the maximum is an advance. */
  readonly counterBits?: CounterBits;
  /** The calendar it works (its line's, else its factory's); absent: the site-wide `shifts`. */
  readonly calendar?: string;
};

export type SiteRegistry = {
  /** The configured machine, or undefined when the site has no such factory ▸ line ▸ machine. */
  readonly machine: (factoryId: string, lineId: string, machineId: string) => MachineEntry | undefined;
  readonly factory: (factoryId: string) => FactoryConfig | undefined;
  /** Every machine, sorted by factory, line, machine (the order of the replay summary, docs/replay-summary.md). */
  readonly machines: () => readonly MachineEntry[];
};

// Ids cannot contain '/', so the joined key is unambiguous.
const keyOf = (factoryId: string, lineId: string, machineId: string): string => `${factoryId}/${lineId}/${machineId}`;

// Looked up once per message: nested maps, so no key string is built per lookup.
type MachinesById = ReadonlyMap<string, ReadonlyMap<string, ReadonlyMap<string, MachineEntry>>>;

const nestedByIds = (entries: Iterable<MachineEntry>): MachinesById => {
  const byIds = new Map<string, Map<string, Map<string, MachineEntry>>>();
  for (const entry of entries) {
    const lines = byIds.get(entry.factory) ?? new Map<string, Map<string, MachineEntry>>();
    const machines = lines.get(entry.line) ?? new Map<string, MachineEntry>();
    machines.set(entry.machine, entry);
    lines.set(entry.line, machines);
    byIds.set(entry.factory, lines);
  }
  return byIds;
};

const byIdOrder = (a: MachineEntry, b: MachineEntry): number =>
  a.factory < b.factory
    ? -1
    : a.factory > b.factory
      ? 1
      : a.line < b.line
        ? -1
        : a.line > b.line
          ? 1
          : a.machine < b.machine
            ? -1
            : a.machine > b.machine
              ? 1
              : 0;

export const siteRegistry = (site: SiteConfig): SiteRegistry => {
  const entries = new Map<string, MachineEntry>();
  for (const factory of site.factories) {
    for (const line of factory.lines) {
      for (const machine of line.machines) {
        const ref = { factory: factory.id, line: line.id, machine: machine.id, type: machine.type };
        const products = productCycleTimes(site.products, ref);
        const calendar = line.calendar ?? factory.calendar;
        entries.set(keyOf(factory.id, line.id, machine.id), {
          factory: factory.id,
          line: line.id,
          machine: machine.id,
          type: machine.type,
          idealCycleTimeS: machine.idealCycleTimeS,
          timezone: factory.timezone,
          detectors: Object.prototype.hasOwnProperty.call(site.detectors, machine.type)
            ? (site.detectors[machine.type] ?? [])
            : [],
          ...(Object.keys(products).length > 0 ? { productCycleTimesS: products } : {}),
          ...(machine.counterBits === undefined ? {} : { counterBits: machine.counterBits }),
          ...(calendar === undefined ? {} : { calendar }),
        });
      }
    }
  }
  const factories = new Map(site.factories.map((factory) => [factory.id, factory]));
  const sorted = [...entries.values()].sort(byIdOrder);
  const byIds = nestedByIds(entries.values());
  return {
    machine: (factoryId, lineId, machineId) => byIds.get(factoryId)?.get(lineId)?.get(machineId),
    factory: (factoryId) => factories.get(factoryId),
    machines: () => sorted,
  };
};
