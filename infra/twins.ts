// Digital twins in IoT SiteWise: asset models Factory ▸ Line ▸ Machine whose Machine metrics are
// docs/replay-summary.md#how-oee-is-counted's OEE (oeeFormulas.ts), and one asset per factory, line and machine of the site
// configuration. Every machine property has an alias `/<project>-<stack>/<factory>/<line>/<machine>/<property>`
// (aliases are unique per account and region, so each stack has its own) and the process function
// writes by alias (SITEWISE_ALIAS_PREFIX + the machine's path), never needing asset or property ids.
import * as native from '@pulumi/aws-native';
import * as pulumi from '@pulumi/pulumi';
import {
  IDEAL_CYCLE_ATTRIBUTE,
  OEE_MEASUREMENTS,
  OEE_METRICS,
  OEE_TRANSFORMS,
  OEE_WINDOW,
  type SiteWiseExpression,
} from './oeeFormulas.ts';
import type { SiteMachine, SiteTopology } from './siteTopology.ts';
import { factoryTags, resourceName, stackTags, tagList, type StackIdentity } from './tagging.ts';

export type TwinsArgs = { readonly identity: StackIdentity; readonly site: SiteTopology };

// CloudFormation logical ids of model properties: letters and digits.
export const logicalIdOf = (propertyName: string): string => propertyName.replace(/[^A-Za-z0-9]/g, '');

/** What this stack's aliases start with: the process function is given it as SITEWISE_ALIAS_PREFIX. */
export const aliasPrefix = (identity: StackIdentity): string => `/${resourceName(identity, 'factory')}`;

export const propertyAlias = (
  identity: StackIdentity,
  m: Pick<SiteMachine, 'factoryId' | 'lineId' | 'machineId'>,
  property: string,
): string => `${aliasPrefix(identity)}/${m.factoryId}/${m.lineId}/${m.machineId}/${property}`;

const variablesOf = (expression: SiteWiseExpression, hierarchyLogicalId?: string) =>
  Object.entries(expression.variables).map(([name, property]) => ({
    name,
    value: { propertyLogicalId: logicalIdOf(property), ...(hierarchyLogicalId ? { hierarchyLogicalId } : {}) },
  }));

const measurement = (name: string, unit: string) => ({
  name,
  logicalId: logicalIdOf(name),
  dataType: 'DOUBLE' as const,
  unit,
  type: { typeName: 'Measurement' as const },
});

const metric = (name: string, expression: SiteWiseExpression, hierarchyLogicalId?: string) => ({
  name,
  logicalId: logicalIdOf(name),
  dataType: 'DOUBLE' as const,
  ...(expression.unit ? { unit: expression.unit } : {}),
  type: {
    typeName: 'Metric' as const,
    metric: {
      expression: expression.expression,
      variables: variablesOf(expression, hierarchyLogicalId),
      window: { tumbling: { interval: OEE_WINDOW } },
    },
  },
});

/**
 * The attribute values the site gives each machine asset: its ideal cycle time, which Performance
 * (and so OEE) divides by. An asset's definition cannot carry attribute values, so pulumi up writes
 * them (the attributes function, invoked from platform.ts); the model's default stays a fallback only.
 */
export const machineAttributeValues = (
  identity: StackIdentity,
  site: SiteTopology,
): { readonly alias: string; readonly value: number }[] =>
  site.machines.map((m) => ({ alias: propertyAlias(identity, m, IDEAL_CYCLE_ATTRIBUTE), value: m.idealCycleTimeS }));

/** A parent's OEE: the mean of its children's hourly OEE (SiteWise aggregates a child metric over a hierarchy). */
const meanChildOee = (hierarchy: string) =>
  metric('mean_oee', { expression: 'avg(child)', variables: { child: 'oee' } }, hierarchy);

export class Twins extends pulumi.ComponentResource {
  readonly machineModel: native.iotsitewise.AssetModel;
  readonly lineModel: native.iotsitewise.AssetModel;
  readonly factoryModel: native.iotsitewise.AssetModel;
  readonly machineAssets: native.iotsitewise.Asset[];
  readonly lineAssets: native.iotsitewise.Asset[];
  readonly factoryAssets: native.iotsitewise.Asset[];

  constructor(name: string, args: TwinsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('smart-factory:twins:Twins', name, {}, opts);
    const { identity, site } = args;
    const tags = tagList(stackTags(identity));
    const parent = { parent: this };

    const machineMeasurements = [
      ...Object.entries(OEE_MEASUREMENTS).map(([n, spec]) => measurement(n, spec.unit)),
      ...Object.entries(site.metrics).map(([n, unit]) => measurement(n, unit)),
    ];
    this.machineModel = new native.iotsitewise.AssetModel(
      `${name}-machine`,
      {
        assetModelName: resourceName(identity, 'machine'),
        assetModelDescription: 'A machine: its telemetry and its OEE (docs/replay-summary.md#how-oee-is-counted)',
        assetModelProperties: [
          {
            name: IDEAL_CYCLE_ATTRIBUTE,
            logicalId: logicalIdOf(IDEAL_CYCLE_ATTRIBUTE),
            dataType: 'DOUBLE',
            unit: 's',
            type: { typeName: 'Attribute', attribute: { defaultValue: '1' } },
          },
          ...machineMeasurements,
          ...Object.entries(OEE_TRANSFORMS).map(([n, expression]) => ({
            name: n,
            logicalId: logicalIdOf(n),
            dataType: 'DOUBLE' as const,
            unit: expression.unit,
            type: {
              typeName: 'Transform' as const,
              transform: { expression: expression.expression, variables: variablesOf(expression) },
            },
          })),
          ...Object.entries(OEE_METRICS).map(([n, expression]) => metric(n, expression)),
        ],
        tags,
      },
      parent,
    );

    this.lineModel = new native.iotsitewise.AssetModel(
      `${name}-line`,
      {
        assetModelName: resourceName(identity, 'line'),
        assetModelDescription: 'A production line of machines',
        assetModelHierarchies: [
          { name: 'machines', logicalId: 'machines', childAssetModelId: this.machineModel.assetModelId },
        ],
        assetModelProperties: [{ ...meanChildOee('machines') }],
        tags,
      },
      parent,
    );

    this.factoryModel = new native.iotsitewise.AssetModel(
      `${name}-factory`,
      {
        assetModelName: resourceName(identity, 'factory'),
        assetModelDescription: 'A factory of production lines',
        assetModelHierarchies: [{ name: 'lines', logicalId: 'lines', childAssetModelId: this.lineModel.assetModelId }],
        assetModelProperties: [{ ...meanChildOee('lines') }],
        tags,
      },
      parent,
    );

    const machinePropertyNames = [IDEAL_CYCLE_ATTRIBUTE, ...machineMeasurements.map((m) => m.name)];
    this.machineAssets = site.machines.map(
      (m) =>
        new native.iotsitewise.Asset(
          `${name}-${m.factoryId}-${m.lineId}-${m.machineId}`,
          {
            assetName: `${identity.stack} ${m.factoryId} ${m.lineId} ${m.machineId}`,
            assetModelId: this.machineModel.assetModelId,
            assetDescription: `${m.type}, ideal cycle ${m.idealCycleTimeS} s`,
            assetProperties: machinePropertyNames.map((property) => ({
              logicalId: logicalIdOf(property),
              alias: propertyAlias(identity, m, property),
            })),
            tags: tagList(factoryTags(identity, m.factoryId)),
          },
          parent,
        ),
    );

    this.lineAssets = site.factories.flatMap((f) =>
      f.lineIds.map(
        (lineId) =>
          new native.iotsitewise.Asset(
            `${name}-${f.id}-${lineId}`,
            {
              assetName: `${identity.stack} ${f.id} ${lineId}`,
              assetModelId: this.lineModel.assetModelId,
              assetHierarchies: site.machines
                .map((m, i) => ({ m, asset: this.machineAssets[i]! }))
                .filter(({ m }) => m.factoryId === f.id && m.lineId === lineId)
                .map(({ asset }) => ({ logicalId: 'machines', childAssetId: asset.assetId })),
              tags: tagList(factoryTags(identity, f.id)),
            },
            parent,
          ),
      ),
    );

    let lineIndex = 0;
    this.factoryAssets = site.factories.map((f) => {
      const lines = this.lineAssets.slice(lineIndex, lineIndex + f.lineIds.length);
      lineIndex += f.lineIds.length;
      return new native.iotsitewise.Asset(
        `${name}-${f.id}`,
        {
          assetName: `${identity.stack} ${f.name}`,
          assetModelId: this.factoryModel.assetModelId,
          assetHierarchies: lines.map((line) => ({ logicalId: 'lines', childAssetId: line.assetId })),
          tags: tagList(factoryTags(identity, f.id)),
        },
        parent,
      );
    });

    this.registerOutputs({
      machineModelId: this.machineModel.assetModelId,
      factoryAssetIds: this.factoryAssets.map((a) => a.assetId),
    });
  }
}
