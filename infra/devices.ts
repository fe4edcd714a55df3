// Devices in IoT Core: a thing per gateway and per machine of the site configuration, named and
// attributed as domain/policy/thing.ts says (the same identities the local broker knows), a thing
// group per factory (Greengrass deploys to it), and the IoT policies rendered from
// domain/policy/iotPolicy.ts, so the cloud enforces exactly what the local broker enforces: one
// policy for all machines (thing policy variables), and one per gateway, which is a Greengrass core
// device, whose policy AWS allows no thing policy variables in (literal names).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import {
  coreDevicePolicyDocument,
  gatewayPrincipal,
  iotPolicyDocument,
  machinePrincipal,
  thingAttributesFor,
  type Principal,
  type Role,
} from '../domain/policy/iotPolicy.ts';
import { tokenExchangeRoleAliasName } from './edge.ts';
import type { SiteTopology } from './siteTopology.ts';
import type { AwsTarget } from './security.ts';
import { factoryTags, resourceName, stackTags, type StackIdentity } from './tagging.ts';

export type DevicesArgs = {
  readonly identity: StackIdentity;
  readonly target: AwsTarget;
  readonly site: SiteTopology;
  /** Directory of `<gatewayId>.csr.pem`; a gateway with a CSR there gets a certificate signed by AWS IoT. */
  readonly certificateCsrDir: string;
};

/** The roles that have things in AWS (`service` is the local stack's; in AWS topic rules do its job). */
export const DEPLOYED_ROLES: readonly Role[] = ['machine', 'gateway'];

/** The policy document a role's certificates get: iotPolicyDocument itself, nothing added. */
export const deployedIotPolicy = (role: Role, target: { region: string; account: string }): string =>
  JSON.stringify(iotPolicyDocument(role, target));

/** The policy one gateway's certificate gets: coreDevicePolicyDocument for that core, nothing added. */
export const deployedCorePolicy = (
  core: { thingName: string; factoryId: string },
  target: { region: string; account: string },
  roleAlias: string,
): string => JSON.stringify(coreDevicePolicyDocument(core, target, roleAlias));

/** The key of a core device's policy in Devices.policies (a gateway id holds no ':'). */
export const corePolicyKey = (gatewayId: string): string => `core:${gatewayId}`;

// AWS resource names allow no ':'; thing names do (machine things are `factory:line:machine`).
const logicalName = (thingName: string): string => thingName.replace(/:/g, '.');

/**
 * Thing names are the devices' identity on the wire (client id, `cmd/<factory>/<thing>` topics, the
 * local broker's policy), so they carry no stack prefix, and thing names are unique per account and
 * region: one stack per account and region owns the things. The first stack takes this parameter
 * (SSM refuses to create a name that exists); a second stack's `pulumi up` fails on it, naming the
 * owner, before it creates or adopts any thing of the first.
 */
export const THING_OWNER_PARAMETER = '/smart-factory/iot-things-owner';

export class Devices extends pulumi.ComponentResource {
  /** The account-and-region claim on the thing names (THING_OWNER_PARAMETER); every thing depends on it. */
  readonly thingOwner: aws.ssm.Parameter;
  readonly things: Readonly<Record<string, aws.iot.Thing>>;
  readonly thingGroups: Readonly<Record<string, aws.iot.ThingGroup>>;
  /** `machine`, and `core:{gatewayId}` for each gateway (corePolicyKey). */
  readonly policies: Readonly<Record<string, aws.iot.Policy>>;
  readonly certificates: Readonly<Record<string, aws.iot.Certificate>>;

  constructor(name: string, args: DevicesArgs, opts?: pulumi.ComponentResourceOptions) {
    super('smart-factory:devices:Devices', name, {}, opts);
    const { identity, site } = args;
    const target = pulumi
      .all([args.target.region, args.target.account])
      .apply(([region, account]) => ({ region, account }));

    // A thing type lifts the three-attribute limit of untyped things and makes a role searchable.
    const thingTypes = Object.fromEntries(
      DEPLOYED_ROLES.map((role) => [
        role,
        new aws.iot.ThingType(
          `${name}-${role}`,
          {
            name: resourceName(identity, role),
            properties: { description: `A ${role} of the smart factory`, searchableAttributes: ['factoryId'] },
            tags: stackTags(identity),
          },
          { parent: this },
        ),
      ]),
    ) as Record<Role, aws.iot.ThingType>;

    const roleAlias = tokenExchangeRoleAliasName(identity);
    this.policies = Object.fromEntries([
      [
        'machine',
        new aws.iot.Policy(
          `${name}-machine`,
          {
            name: resourceName(identity, 'machine'),
            policy: target.apply((t) => deployedIotPolicy('machine', t)),
            tags: stackTags(identity),
          },
          { parent: this },
        ),
      ],
      ...site.factories.flatMap((f) =>
        f.gatewayIds.map(
          (gatewayId) =>
            [
              corePolicyKey(gatewayId),
              new aws.iot.Policy(
                `${name}-core-${gatewayId}`,
                {
                  name: resourceName(identity, `core-${gatewayId}`),
                  policy: target.apply((t) =>
                    deployedCorePolicy({ thingName: gatewayId, factoryId: f.id }, t, roleAlias),
                  ),
                  tags: factoryTags(identity, f.id),
                },
                { parent: this },
              ),
            ] as const,
        ),
      ),
    ]);

    this.thingGroups = Object.fromEntries(
      site.factories.map((factory) => [
        factory.id,
        new aws.iot.ThingGroup(
          `${name}-${factory.id}`,
          {
            name: resourceName(identity, factory.id),
            properties: { description: factory.name, attributePayload: { attributes: { factoryId: factory.id } } },
            tags: factoryTags(identity, factory.id),
          },
          { parent: this },
        ),
      ]),
    );

    const principals: { principal: Principal; factoryId: string; role: Role }[] = [
      ...site.factories.flatMap((f) =>
        f.gatewayIds.map((gatewayId) => ({
          principal: gatewayPrincipal(f.id, gatewayId),
          factoryId: f.id,
          role: 'gateway' as const,
        })),
      ),
      ...site.machines.map((m) => ({
        principal: machinePrincipal(m),
        factoryId: m.factoryId,
        role: 'machine' as const,
      })),
    ];

    this.thingOwner = new aws.ssm.Parameter(
      `${name}-thing-owner`,
      {
        name: THING_OWNER_PARAMETER,
        type: 'String',
        insecureValue: resourceName(identity, 'devices'),
        description:
          'The stack that owns the IoT thing names of this account and region (infra/devices.ts); a second stack is refused here',
        tags: stackTags(identity),
      },
      { parent: this },
    );

    const things: Record<string, aws.iot.Thing> = {};
    const certificates: Record<string, aws.iot.Certificate> = {};
    for (const { principal, factoryId, role } of principals) {
      const logical = `${name}-${logicalName(principal.thingName)}`;
      const thing = new aws.iot.Thing(
        logical,
        {
          name: principal.thingName,
          thingTypeName: thingTypes[role].name,
          attributes: thingAttributesFor(principal),
        },
        { parent: this, dependsOn: [this.thingOwner] },
      );
      things[principal.thingName] = thing;
      new aws.iot.ThingGroupMembership(
        logical,
        {
          thingName: thing.name,
          thingGroupName: this.thingGroups[factoryId]!.name,
        },
        { parent: this },
      );

      // The private key never leaves the device: it sends a CSR, AWS IoT signs it.
      const csrPath = join(args.certificateCsrDir, `${principal.thingName}.csr.pem`);
      if (existsSync(csrPath)) {
        const certificate = new aws.iot.Certificate(
          logical,
          { csr: readFileSync(csrPath, 'utf8'), active: true },
          { parent: this },
        );
        certificates[principal.thingName] = certificate;
        new aws.iot.ThingPrincipalAttachment(
          logical,
          { thing: thing.name, principal: certificate.arn },
          { parent: this },
        );
        const policy = this.policies[role === 'gateway' ? corePolicyKey(principal.thingName) : role]!;
        new aws.iot.PolicyAttachment(logical, { policy: policy.name, target: certificate.arn }, { parent: this });
      }
    }
    this.things = things;
    this.certificates = certificates;

    this.registerOutputs({
      thingNames: Object.keys(things),
      thingGroupArns: Object.fromEntries(Object.entries(this.thingGroups).map(([id, g]) => [id, g.arn])),
      certificatePems: Object.fromEntries(Object.entries(certificates).map(([thing, c]) => [thing, c.certificatePem])),
    });
  }
}
