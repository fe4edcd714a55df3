// The risk scorer with the model inside the function: model.json bundled beside the handler, read
// once at cold start and checked against this release's feature schema (decodeMaintenanceModel).
// It scores with the domain's scoreRisk, the very function the evaluator and the detectors use.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as E from 'fp-ts/lib/Either.js';
import { scoreRisk, type MaintenanceModel, type Target } from '../../domain/maintenance/maintenanceModel.ts';
import { decodeMaintenanceModel } from '../../domain/maintenance/modelDocument.ts';
import type { RiskScorer } from '../ports/riskScorer.ts';

/** The bundled model's file name, next to the handler's code. */
export const EMBEDDED_MODEL_FILE = 'maintenance-model.json';

/** A model file read and checked: the model, or one line per problem that names the file. */
export const readMaintenanceModelFile = (path: string): E.Either<string, MaintenanceModel> => {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    return E.left(
      `${path}: cannot read the maintenance model (${error instanceof Error ? error.message : String(error)}); train one with \`factory maintenance train --data <csv> --out ${path}\``,
    );
  }
  return E.mapLeft((problems: string[]) => `${path}: not a maintenance model: ${problems.join('; ')}`)(
    decodeMaintenanceModel(document),
  );
};

/** The model file beside a module (`import.meta.url`): where a bundled handler finds its model. */
export const besideModule = (moduleUrl: string, file: string = EMBEDDED_MODEL_FILE): string =>
  join(dirname(fileURLToPath(moduleUrl)), file);

export const embeddedRiskScorer = (model: MaintenanceModel, target: Target = 'failure'): RiskScorer => ({
  score: (observation) => Promise.resolve(scoreRisk(model, observation, target)),
});
