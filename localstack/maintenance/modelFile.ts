// Which failure model the local stack scores with: the file `--model` names, else the bundled model
// (localstack/sample/maintenance-model.json, trained on AI4I 2020) when the site has maintenance
// detectors. A site without them needs no model, so none is read.
import { fileURLToPath } from 'node:url';
import * as E from 'fp-ts/lib/Either.js';
import type { MaintenanceModel } from '../../domain/maintenance/maintenanceModel.ts';
import type { SiteConfig } from '../../domain/site/siteConfig.ts';
import { readMaintenanceModelFile } from '../../handlers/adapters/embeddedRiskScorer.ts';

export const BUNDLED_MODEL_PATH = fileURLToPath(new URL('../sample/maintenance-model.json', import.meta.url));

/** How a person running the local stack supplies a model: what a missing-model problem tells them. */
export const MODEL_OPTION_HINT =
  'pass --model <model.json> (train one with `factory maintenance train --data <csv> --out model.json`)';

export const siteNeedsModel = (site: SiteConfig): boolean =>
  Object.values(site.detectors).some((specs) => specs.some((spec) => spec.kind === 'maintenance'));

/** The model for a site: `path` when given, the bundled one when the site needs one, else none. */
export const modelForSite = (
  site: SiteConfig,
  path: string | undefined,
): E.Either<string, MaintenanceModel | undefined> =>
  path !== undefined
    ? E.mapLeft((problem: string) =>
        problem.includes('factory maintenance train')
          ? problem
          : `${problem}; pass a model written by \`factory maintenance train --data <csv> --out model.json\``,
      )(readMaintenanceModelFile(path))
    : siteNeedsModel(site)
      ? readMaintenanceModelFile(BUNDLED_MODEL_PATH)
      : E.right(undefined);
