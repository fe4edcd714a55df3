// Who connects to the broker: a thing, named and attributed the same way locally and in AWS IoT.
//
// Thing-name convention (AWS IoT thing names are `[a-zA-Z0-9:_-]{1,128}`):
// - a machine is `{factoryId}:{lineId}:{machineId}`. Ids are `[A-Za-z0-9_-]` (docs/wire-contract.md), so they
//   never contain `:` and the name splits back into exactly one machine; `-` as a separator would
//   be ambiguous (`a-b-c-d`).
// - a gateway is its `gatewayId` (the `cmd/{factoryId}/{gatewayId}/…` topic names it), without `:`.
// - a service (the local replayer, recorder, dashboard) is its name, e.g. `factory-replayer`.
// Machine names always hold two `:`, so they never collide with gateway or service names; a gateway
// and a service of the same name would, and registries refuse such duplicates.
import type { MachineRef } from '../wire/topic.ts';
import { isId } from '../wire/primitives.ts';

export type Role = 'machine' | 'gateway' | 'service';

export type ThingAttributes = {
  readonly role: Role;
  readonly factoryId?: string;
  readonly lineId?: string;
  readonly machineId?: string;
};

/** The identity a policy is evaluated for: the connection's thing (the certificate's CN). */
export type Principal = { readonly thingName: string; readonly attributes: ThingAttributes };

export const SERVICE_THING_NAMES = ['factory-replayer', 'factory-recorder', 'factory-dashboard'] as const;

const AWS_THING_NAME = /^[a-zA-Z0-9:_-]{1,128}$/;

export const machineThingName = (ref: MachineRef): string => `${ref.factoryId}:${ref.lineId}:${ref.machineId}`;

/** The machine a thing name names, or undefined when it is not a machine's name. */
export const machineOfThingName = (thingName: string): MachineRef | undefined => {
  const [factoryId, lineId, machineId, ...more] = thingName.split(':');
  return isId(factoryId) && isId(lineId) && isId(machineId) && more.length === 0
    ? { factoryId, lineId, machineId }
    : undefined;
};

export const isValidThingName = (name: string): boolean => AWS_THING_NAME.test(name);

export const machinePrincipal = (ref: MachineRef): Principal => ({
  thingName: machineThingName(ref),
  attributes: { role: 'machine', factoryId: ref.factoryId, lineId: ref.lineId, machineId: ref.machineId },
});

export const gatewayPrincipal = (factoryId: string, gatewayId: string): Principal => ({
  thingName: gatewayId,
  attributes: { role: 'gateway', factoryId },
});

export const servicePrincipal = (name: string): Principal => ({ thingName: name, attributes: { role: 'service' } });

/**
 * The attributes to register on the AWS IoT thing. The role is not one of them: it is which policy
 * is attached to the thing's certificate, and a thing without a thing type may carry only three
 * attributes (factoryId, lineId, machineId for a machine).
 */
export const thingAttributesFor = (principal: Principal): Readonly<Record<string, string>> => {
  const { factoryId, lineId, machineId } = principal.attributes;
  return Object.fromEntries(
    Object.entries({ factoryId, lineId, machineId }).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    ),
  );
};
