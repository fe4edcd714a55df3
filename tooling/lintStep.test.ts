// npm test's lint step (`eslint . && prettier --check .`) with the project's own configuration: it
// fails on a production import of test support and on an unformatted source file, and lets the
// imports that are meant to be there through.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import test from 'ava';
import { ESLint } from 'eslint';
import * as prettier from 'prettier';

const root = resolve(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: root });

/** The messages ESLint reports for `source` as if it were the file at `path` (relative to the root). */
const lint = async (path: string, source: string) => {
  const [result] = await eslint.lintText(source, { filePath: join(root, path) });
  return result!.messages.map((m) => ({ rule: m.ruleId, message: m.message }));
};

const importing = (specifier: string) => `import { x } from '${specifier}';\n\nexport const y = x;\n`;

const testSupportImports: readonly (readonly [string, string])[] = [
  ['localstack/broker/newModule.ts', '../testing/replayFixtures.ts'],
  ['localstack/replay/newModule.ts', '../../edge/testing/testBroker.ts'],
  ['handlers/process/newModule.ts', '../testing/memoryPorts.ts'],
  ['handlers/adapters/newModule.ts', '../testing/fakes/sqs.ts'],
  ['handlers/adapters/newModule.ts', '../ports/eventStore.contract.ts'],
  ['edge/newModule.ts', './testing/testModbusServer.ts'],
  ['infra/newModule.ts', './testing/stackHarness.ts'],
  ['domain/machine/newModule.ts', '../testing/topicRules.ts'],
];

for (const [path, specifier] of testSupportImports)
  test(`a production module (${path}) importing test support (${specifier}) fails lint`, async (t) => {
    const messages = await lint(path, importing(specifier));
    t.true(
      messages.some((m) => m.rule === 'no-restricted-imports' && m.message.includes('never imports test support')),
      JSON.stringify(messages),
    );
  });

test('a dynamic import of test support from production code fails lint too', async (t) => {
  const messages = await lint(
    'localstack/replay/newModule.ts',
    "export const load = () => import('../testing/replayFixtures.ts');\n",
  );
  t.true(
    messages.some((m) => m.rule === 'no-restricted-syntax' && m.message.includes('never imports test support')),
    JSON.stringify(messages),
  );
});

for (const path of [
  'localstack/replay/newModule.test.ts',
  'localstack/testing/newSupport.ts',
  'handlers/ports/newPort.contract.ts',
  'bench/newBench.ts',
])
  test(`${path} may import test support`, async (t) => {
    t.deepEqual(await lint(path, importing('../testing/replayFixtures.ts')), []);
  });

test('the older boundaries still hold beside it: domain imports only fp-ts, io-ts and itself; nothing imports infra/', async (t) => {
  const domain = await lint('domain/machine/newModule.ts', importing('node:fs'));
  t.true(domain.some((m) => m.message.includes('domain/ imports only fp-ts, io-ts and itself')));
  const handlers = await lint('handlers/process/newModule.ts', importing('../../infra/config.ts'));
  t.true(handlers.some((m) => m.message.includes('nothing imports localstack/ or infra/')));
});

test('an unformatted source file fails prettier --check with the project configuration', async (t) => {
  const filepath = join(root, 'handlers/process/newModule.ts');
  const options = { ...(await prettier.resolveConfig(filepath)), filepath };
  t.is(options.printWidth, 120);
  const unformatted = 'export const y = {a:1,  b: "two"}\n';
  t.false(await prettier.check(unformatted, options));
  t.true(await prettier.check(await prettier.format(unformatted, options), options));
  // `prettier --check .` looks at it: source folders are not in .prettierignore.
  const info = await prettier.getFileInfo(filepath, { ignorePath: join(root, '.prettierignore') });
  t.false(info.ignored);
});

test("npm test runs both checks: its lint step is 'eslint . && prettier --check .'", (t) => {
  const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  t.regex(scripts.test!, /npm run lint/);
  t.is(scripts.lint, 'eslint . && prettier --check .');
});
