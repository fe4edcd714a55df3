// The reference a user reads is in the repository: docs/ holds the public interfaces, the README links
// them (and the edge and infra READMEs), and neither the README nor any --help cites a design document
// the user does not have. `factory --version` says which release this is.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const factory = (...args: string[]) => spawnSync(process.execPath, ['bin/factory.js', ...args], { encoding: 'utf8' });
const REFERENCE = [
  'docs/wire-contract.md',
  'docs/site-configuration.md',
  'docs/gateway-configuration.md',
  'docs/replay-summary.md',
  'docs/command-line.md',
];

test('factory --version prints the package version', (t) => {
  const run = factory('--version');
  t.is(run.status, 0);
  t.is(run.stdout.trim(), (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version);
});

test('the README links every reference page, edge/README.md and infra/README.md, and each link resolves', (t) => {
  const readme = readFileSync('README.md', 'utf8');
  for (const page of [...REFERENCE, 'edge/README.md', 'infra/README.md']) {
    t.true(readme.includes(`](${page})`), page);
    t.true(existsSync(page), page);
  }
  for (const page of REFERENCE) {
    for (const [, target] of readFileSync(page, 'utf8').matchAll(/\]\(([^)#]+)(?:#[^)]*)?\)/g))
      t.true(existsSync(new URL(target!, new URL(page, `file://${process.cwd()}/`))), `${page} → ${target}`);
  }
});

test('the wire contract shows all three payloads with an example each', (t) => {
  const wire = readFileSync('docs/wire-contract.md', 'utf8');
  for (const type of ['telemetry', 'state', 'counts'])
    t.regex(wire, new RegExp(`### ${type}\\n\\n\`\`\`json\\n\\{ "v": 1`), type);
});

test("neither the README nor any command's --help cites the design document", (t) => {
  t.notRegex(readFileSync('README.md', 'utf8'), /DESIGN|§\d/);
  for (const command of [
    'replay',
    'report',
    'dashboard',
    'gateway',
    'simulate',
    'record',
    'broker',
    'certs',
    'maintenance',
  ]) {
    t.notRegex(factory(command, '--help').stdout, /DESIGN|§\d/, command);
  }
  t.notRegex(factory('--help').stdout, /DESIGN|§\d/);
});
