// The part of the site configuration (docs/site-configuration.md) the cloud resources are made from: factories ▸
// lines ▸ machines and the metric names with their canonical units. The file is decoded by
// domain/site's decodeSiteConfig, the same check the local stack makes, so a site that replays
// locally deploys, and one that does not is refused before any resource is planned.
import { readFileSync } from 'node:fs';
import * as E from 'fp-ts/lib/Either.js';
import { parse } from 'yaml';
import { decodeSiteConfig } from '../domain/site/siteConfig.ts';

export type SiteMachine = {
  readonly factoryId: string;
  readonly lineId: string;
  readonly machineId: string;
  readonly type: string;
  readonly idealCycleTimeS: number;
};
export type SiteFactory = {
  readonly id: string;
  readonly name: string;
  readonly lineIds: readonly string[];
  readonly gatewayIds: readonly string[];
};
export type SiteTopology = {
  readonly factories: readonly SiteFactory[];
  readonly machines: readonly SiteMachine[];
  readonly metrics: Readonly<Record<string, string>>;
};

/** The gateway a factory gets when the site names none: `gw-<factoryId>`, as in docs/gateway-configuration.md. */
export const defaultGatewayId = (factoryId: string): string => `gw-${factoryId}`;

export const decodeSiteTopology = (document: unknown, source: string): E.Either<string[], SiteTopology> => {
  const decoded = decodeSiteConfig(document);
  if (E.isLeft(decoded)) return E.left(decoded.left.map((line) => `${source}: ${line}`));
  const site = decoded.right;
  return E.right({
    // The site configuration names no gateways (they have their own files, docs/gateway-configuration.md): each factory gets one.
    factories: site.factories.map((f) => ({
      id: f.id,
      name: f.name ?? f.id,
      lineIds: f.lines.map((l) => l.id),
      gatewayIds: [defaultGatewayId(f.id)],
    })),
    machines: site.factories.flatMap((f) =>
      f.lines.flatMap((l) =>
        l.machines.map((m) => ({
          factoryId: f.id,
          lineId: l.id,
          machineId: m.id,
          type: m.type,
          idealCycleTimeS: m.idealCycleTimeS,
        })),
      ),
    ),
    metrics: Object.fromEntries(Object.entries(site.metrics).map(([name, spec]) => [name, spec.unit])),
  });
};

/** Reads a site configuration file (JSON or YAML); throws with every bad field named, since a deploy cannot go on without it. */
export const loadSiteTopology = (path: string): SiteTopology => {
  let document: unknown;
  try {
    document = parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(
      `factory:siteConfig ${path}: cannot read the site configuration (${(error as Error).message}); set factory:siteConfig to a site file such as localstack/sample/site.json (relative to the project directory)`,
    );
  }
  const topology = decodeSiteTopology(document, path);
  if (E.isLeft(topology))
    throw new Error(`factory:siteConfig ${path} is not a valid site configuration:\n${topology.left.join('\n')}`);
  return topology.right;
};
