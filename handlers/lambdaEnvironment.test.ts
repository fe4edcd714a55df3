import test from 'ava';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as E from 'fp-ts/lib/Either.js';
import { decodeSiteConfig, type SiteConfig } from '../domain/site/siteConfig.ts';
import { loadBundledStreamOptions } from './lambdaEnvironment.ts';

const sample = decodeSiteConfig(JSON.parse(readFileSync('localstack/sample/site.json', 'utf8')));
const site = (E.isRight(sample) ? sample.right : undefined) as SiteConfig;
const nowhere = pathToFileURL(resolve('node_modules/.cache/no-such-bundle/index.mjs')).href;

test('a site with maintenance detectors gets the bundled model at cold start', (t) => {
  const options = loadBundledStreamOptions(
    { MAINTENANCE_MODEL_PATH: 'localstack/sample/maintenance-model.json' },
    nowhere,
    site,
  );
  t.truthy(options.maintenanceModel);
});

test('a site that needs a model and has none fails the cold start, naming what to bundle', (t) => {
  const error = t.throws(() => loadBundledStreamOptions({}, nowhere, site));
  t.regex(error?.message ?? '', /maintenance-model\.json.*MAINTENANCE_MODEL_PATH/s);
});

test('a site without maintenance detectors needs no model', (t) => {
  const withoutMaintenance: SiteConfig = {
    ...site,
    detectors: Object.fromEntries(
      Object.entries(site.detectors).map(([type, specs]) => [type, specs.filter((s) => s.kind !== 'maintenance')]),
    ),
  };
  t.deepEqual(loadBundledStreamOptions({}, nowhere, withoutMaintenance), {});
});
