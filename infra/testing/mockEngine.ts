// Test support: the engine side of `pulumi up` for a program started the way the CLI starts it
// (node <nodeargs> @pulumi/pulumi/cmd/run/index.js --monitor … <main>). Loaded with `--import` before
// the language host's own code, it replaces the resource monitor by recording mocks
// (pulumi.runtime.setMocks) and, when the process exits, writes what the program registered to
// $MOCK_ENGINE_REPORT: every resource (type, name, inputs with file assets as their paths).
import { writeFileSync } from 'node:fs';
import * as pulumi from '@pulumi/pulumi';
import { recordingMocks, type RecordedResource } from './stackHarness.ts';

export type EngineReport = {
  readonly resources: readonly { readonly type: string; readonly name: string; readonly inputs: unknown }[];
  readonly assetPaths: readonly string[];
};

const resources: RecordedResource[] = [];
const assetPaths: string[] = [];
const mocks = recordingMocks(resources);

// Assets reach the mock deserialized, their path a promise: record it once it resolves.
const collectAssets = async (value: unknown): Promise<void> => {
  if (value instanceof pulumi.asset.FileAsset || value instanceof pulumi.asset.FileArchive) {
    assetPaths.push(await value.path);
  } else if (Array.isArray(value)) {
    for (const v of value) await collectAssets(v);
  } else if (typeof value === 'object' && value !== null && !(value instanceof Promise)) {
    for (const v of Object.values(value)) await collectAssets(v);
  }
};

await pulumi.runtime.setMocks(
  {
    ...mocks,
    newResource: async (args) => {
      await collectAssets(args.inputs);
      return mocks.newResource(args);
    },
  },
  process.env.PULUMI_NODEJS_PROJECT,
  process.env.PULUMI_NODEJS_STACK,
  false,
);

const reportPath = process.env.MOCK_ENGINE_REPORT;
if (reportPath !== undefined) {
  process.on('exit', () => {
    const report: EngineReport = {
      resources: resources.map(({ type, name, inputs }) => ({ type, name, inputs })),
      assetPaths,
    };
    writeFileSync(reportPath, JSON.stringify(report));
  });
}
