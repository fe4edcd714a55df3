// What every function reads once at cold start: its environment variables (set by
// infra/processing.ts) and the site configuration bundled beside it. A missing variable or a bad site
// fails the cold start with a message naming it, rather than every invocation later.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as E from 'fp-ts/lib/Either.js';
import { decodeSiteConfig, type SiteConfig } from '../domain/site/siteConfig.ts';
import { streamConfigProblems, type StreamOptions } from '../domain/pipeline/machineStreamConfig.ts';
import { besideModule, readMaintenanceModelFile } from './adapters/embeddedRiskScorer.ts';

export type Environment = Readonly<Record<string, string | undefined>>;

export const requireEnv = (env: Environment, name: string): string => {
  const value = env[name];
  if (value === undefined || value === '')
    throw new Error(
      `environment variable ${name} is not set; infra/processing.ts sets it on the function, set it yourself to run the handler elsewhere`,
    );
  return value;
};

/** Names the SageMaker endpoint that scores failure risks (infra sets it when factory:sagemaker deployed one). */
export const RISK_ENDPOINT_VARIABLE = 'RISK_ENDPOINT_NAME';

/** Whether the function scores risks through an endpoint: decides, at init, whether the SageMaker SDK is loaded at all. */
export const riskEndpointConfigured = (env: Environment): boolean => (env[RISK_ENDPOINT_VARIABLE] ?? '') !== '';

/** `SITE_CONFIG_PATH`, else `site.json` beside the bundle (npm run build:lambdas puts it there). */
export const loadBundledSite = (env: Environment, moduleUrl: string): SiteConfig => {
  const path = env.SITE_CONFIG_PATH ?? join(dirname(fileURLToPath(moduleUrl)), 'site.json');
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(
      `site configuration ${path}: ${(error as Error).message}; bundle one with npm run build:lambdas -- --site <file> or set SITE_CONFIG_PATH`,
    );
  }
  const site = decodeSiteConfig(json);
  if (E.isLeft(site)) throw new Error(`site configuration ${path} is invalid: ${site.left.join('; ')}`);
  return site.right;
};

/**
 * The failure model the site's maintenance detectors score with: `MAINTENANCE_MODEL_PATH`, else
 * `maintenance-model.json` beside the bundle. Read only when the site has such detectors; a site
 * that needs one and has none fails the cold start, naming what to bundle.
 */
export const loadBundledStreamOptions = (env: Environment, moduleUrl: string, site: SiteConfig): StreamOptions => {
  if (streamConfigProblems(site, {}, '').length === 0) return {};
  const path = env.MAINTENANCE_MODEL_PATH ?? besideModule(moduleUrl);
  const model = readMaintenanceModelFile(path);
  if (E.isLeft(model))
    throw new Error(
      `${model.left}; bundle one with npm run build:lambdas -- --model <file> or set MAINTENANCE_MODEL_PATH`,
    );
  const problems = streamConfigProblems(
    site,
    { maintenanceModel: model.right },
    `bundle maintenance-model.json beside the handler`,
  );
  if (problems.length > 0) throw new Error(problems.join('; '));
  return { maintenanceModel: model.right };
};
