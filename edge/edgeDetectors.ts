// The detectors a gateway runs per machine: the domain's own (runDetectors), so an edge alert is the
// alert the pipeline raises for the same readings. Maintenance detectors score with the model file the
// configuration names; temperatures are read in each metric's published unit.
import { readFileSync } from 'node:fs';
import * as E from 'fp-ts/lib/Either.js';
import type { Detector } from '../domain/detectors/detector.ts';
import { unrunnableDetectors, runDetectors, type DetectorsState } from '../domain/detectors/runDetectors.ts';
import type { MaintenanceModel } from '../domain/maintenance/maintenanceModel.ts';
import { decodeMaintenanceModel } from '../domain/maintenance/modelDocument.ts';
import type { GatewayConfig } from './gatewayConfig.ts';

/** The model `maintenanceModel` names, checked; none when the configuration names none. */
export const loadEdgeModel = (
  config: Pick<GatewayConfig, 'maintenanceModel'>,
): E.Either<string, MaintenanceModel | undefined> => {
  if (config.maintenanceModel === undefined) return E.right(undefined);
  const path = config.maintenanceModel;
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    return E.left(
      `maintenanceModel ${path}: cannot read it (${error instanceof Error ? error.message : String(error)}); check the path, or train one with \`factory maintenance train\``,
    );
  }
  return E.mapLeft((problems: string[]) => `maintenanceModel ${path}: not a maintenance model: ${problems.join('; ')}`)(
    decodeMaintenanceModel(document),
  );
};

/** Machine id → its detectors, for machines that have any; or every problem (a maintenance detector without a model). */
export const edgeDetectors = (
  config: Pick<GatewayConfig, 'machines' | 'detectors'>,
  model: MaintenanceModel | undefined,
): E.Either<string[], Map<string, Detector<DetectorsState>>> => {
  const detectors = new Map<string, Detector<DetectorsState>>();
  const problems: string[] = [];
  for (const machine of config.machines) {
    const specs = config.detectors[machine.machineId];
    if (specs === undefined || specs.length === 0) continue;
    // what the gateway publishes: the canonical unit where it converts, else the configured one
    const metricUnits = Object.fromEntries(
      Object.entries(machine.metrics ?? {}).map(([name, m]) => [name, m.canonicalUnit ?? m.unit]),
    );
    const options = model === undefined ? { metricUnits } : { metricUnits, maintenanceModel: model };
    problems.push(
      ...unrunnableDetectors(
        specs,
        options,
        'add "maintenanceModel": "<path of model.json>" to the gateway configuration',
      ).map((p) => `${machine.machineId}: ${p}`),
    );
    detectors.set(machine.machineId, runDetectors(specs, options));
  }
  return problems.length > 0 ? E.left(problems) : E.right(detectors);
};
