// The local thing registry: thing name → who it is. The broker looks a connection's certificate CN
// up here, as IoT Core looks up the thing the certificate is attached to. Names follow the
// convention of domain/policy/thing.ts (a machine is `factoryId:lineId:machineId`).
import * as E from 'fp-ts/lib/Either.js';
import type { MachineRef } from '../../domain/wire/topic.ts';
import {
  SERVICE_THING_NAMES,
  gatewayPrincipal,
  isValidThingName,
  machineOfThingName,
  machinePrincipal,
  servicePrincipal,
  type Principal,
} from '../../domain/policy/iotPolicy.ts';

export type ThingRegistry = ReadonlyMap<string, Principal>;

export type GatewayRef = { readonly factoryId: string; readonly gatewayId: string };

export type RegistryInput = {
  readonly machines?: readonly MachineRef[];
  readonly gateways?: readonly GatewayRef[];
  /** Defaults to the local stack's own services: factory-replayer, factory-recorder, factory-dashboard. */
  readonly services?: readonly string[];
};

/** A registry of these things, or every reason it cannot be one (a bad or duplicate name). */
export const buildThingRegistry = (input: RegistryInput): E.Either<readonly string[], ThingRegistry> => {
  const principals = [
    ...(input.machines ?? []).map(machinePrincipal),
    ...(input.gateways ?? []).map((gateway) => gatewayPrincipal(gateway.factoryId, gateway.gatewayId)),
    ...(input.services ?? SERVICE_THING_NAMES).map(servicePrincipal),
  ];
  const registry = new Map<string, Principal>();
  const errors: string[] = [];
  for (const principal of principals) {
    const name = principal.thingName;
    if (!isValidThingName(name)) {
      errors.push(
        `thing ${JSON.stringify(name)} (${principal.attributes.role}): expected 1-128 characters A-Z a-z 0-9 : _ - (an AWS IoT thing name)`,
      );
    } else if (principal.attributes.role === 'machine' && machineOfThingName(name) === undefined) {
      errors.push(
        `machine ${JSON.stringify(name)}: factory, line and machine ids must each be 1-64 characters A-Z a-z 0-9 _ -`,
      );
    } else if (principal.attributes.role === 'gateway' && name.includes(':')) {
      errors.push(
        `gateway ${JSON.stringify(name)}: a gateway id has no ':' (it is reserved to separate a machine's factory, line and machine ids)`,
      );
    } else if (registry.has(name)) {
      const other = registry.get(name);
      errors.push(
        `thing ${JSON.stringify(name)} is registered twice (as ${other?.attributes.role} and as ${principal.attributes.role}); give each gateway and service a distinct name`,
      );
    } else {
      registry.set(name, principal);
    }
  }
  return errors.length > 0 ? E.left(errors) : E.right(registry);
};
