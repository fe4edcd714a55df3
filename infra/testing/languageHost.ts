// Test support: runs a Pulumi program the way `pulumi up` does, without the CLI. The nodejs language
// host starts `node <runtime.options.nodeargs> node_modules/@pulumi/pulumi/cmd/run/index.js --monitor …
// --project … --stack … --root-directory … <main>` with the stack config in PULUMI_CONFIG; that file's
// main() calls cmd/run's run(), which resolves and imports the entry module, checks its exports and
// runs it inside the root Stack resource. Here the same command runs with mockEngine.ts loaded first,
// which stands in for the resource monitor.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import type { EngineReport } from './mockEngine.ts';

export type ProgramRun = {
  readonly status: number | null;
  readonly stderr: string;
  readonly stdout: string;
  readonly report: EngineReport | undefined;
};

const repository = resolve(import.meta.dirname, '..', '..');

/** `nodeargs` of Pulumi.yaml: what the language host puts between `node` and cmd/run. */
export const projectNodeArgs = (root: string): string[] => {
  const project = parse(readFileSync(join(root, 'Pulumi.yaml'), 'utf8')) as {
    runtime?: { options?: { nodeargs?: string } };
  };
  return (project.runtime?.options?.nodeargs ?? '').split(/\s+/).filter((a) => a !== '');
};

/** A stack file's `config:` as the engine hands it to the program: every value a string. */
export const stackFileConfig = (root: string, stack: string): Record<string, string> => {
  const raw = (parse(readFileSync(join(root, `Pulumi.${stack}.yaml`), 'utf8')) as { config: Record<string, unknown> })
    .config;
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
};

export const runProgram = (options: {
  readonly stack: string;
  readonly config: Readonly<Record<string, string>>;
  /** Where Pulumi.yaml is (the project); default this repository. */
  readonly root?: string;
  /** The working directory the program gets (cmd/run's --pwd); default the project. */
  readonly pwd?: string;
  /** false: an engine too old to pass --root-directory (pulumi.getRootDirectory() then answers a placeholder). */
  readonly engineNamesRoot?: boolean;
}): ProgramRun => {
  const namesRoot = options.engineNamesRoot ?? true;
  const root = options.root ?? repository;
  const main = (parse(readFileSync(join(root, 'Pulumi.yaml'), 'utf8')) as { main?: string }).main ?? '.';
  const scratch = mkdtempSync(join(tmpdir(), 'pulumi-run-'));
  const reportPath = join(scratch, 'report.json');
  try {
    const languageHost = join(root, 'node_modules', '@pulumi', 'pulumi', 'cmd', 'run', 'index.js');
    const args = [
      ...projectNodeArgs(root),
      `--import=${join(repository, 'infra', 'testing', 'mockEngine.ts')}`,
      languageHost,
      '--monitor=mock',
      '--project=smart-factory',
      `--stack=${options.stack}`,
      ...(namesRoot ? [`--root-directory=${root}`] : []),
      ...(options.pwd === undefined ? [] : [`--pwd=${options.pwd}`]),
      join(root, main),
    ];
    const result = spawnSync(process.execPath, args, {
      cwd: root,
      encoding: 'utf8',
      timeout: 120_000,
      env: {
        ...process.env,
        PULUMI_CONFIG: JSON.stringify(options.config),
        // cmd/run copies its flags into these; mockEngine.ts reads them before it runs.
        PULUMI_NODEJS_PROJECT: 'smart-factory',
        PULUMI_NODEJS_STACK: options.stack,
        PULUMI_NODEJS_ROOT_DIRECTORY: namesRoot ? root : '',
        MOCK_ENGINE_REPORT: reportPath,
      },
    });
    let report: EngineReport | undefined;
    try {
      report = JSON.parse(readFileSync(reportPath, 'utf8')) as EngineReport;
    } catch {
      report = undefined;
    }
    return { status: result.status, stderr: result.stderr, stdout: result.stdout, report };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
};
