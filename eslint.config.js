import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Import boundaries (README.md#layout). A rule's options in a later block replace an earlier block's,
// so each block lists every pattern that applies to its files.
const outsideLayers = {
  regex: '(^|/)(localstack|infra)(/|$)',
  message: 'nothing imports localstack/ or infra/ (README.md#layout)',
};
const testSupport = {
  regex: '(^|/)testing/|\\.contract(\\.ts)?$',
  message:
    'production code never imports test support (a testing/ folder or a *.contract.ts suite); only tests, test support and bench/ do (README.md#layout)',
};
const domainOnly = { regex: '^(?!\\.|fp-ts|io-ts)', message: 'domain/ imports only fp-ts, io-ts and itself' };
// Test code: the tests, the test support they share, the contract suites every adapter runs.
const testCode = ['**/*.test.ts', '**/testing/**', '**/*.contract.ts'];
const restrictImports = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.build/', 'artifacts/', 'localstack/dashboard/vendor/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        performance: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        fetch: 'readonly',
        AbortController: 'readonly',
        structuredClone: 'readonly',
        queueMicrotask: 'readonly',
        document: 'readonly',
        window: 'readonly',
        EventSource: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    // Production code (everything but test code; bench/ measures with the test support, so it may).
    files: ['**/*.ts', '**/*.js'],
    ignores: [...testCode, 'bench/**'],
    rules: {
      ...restrictImports(testSupport),
      // no-restricted-imports sees static imports only; a dynamic import of test support is refused too.
      'no-restricted-syntax': [
        'error',
        { selector: 'ImportExpression[source.value=/(^|\\/)testing\\//]', message: testSupport.message },
      ],
    },
  },
  {
    files: ['domain/**/*.ts'],
    ignores: testCode,
    rules: {
      'no-restricted-globals': ['error', 'process', 'console', 'setTimeout', 'setInterval', 'fetch'],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'domain/ has no clock: time comes in events' },
        { object: 'Math', property: 'random', message: 'domain/ has no randomness: pass a seed' },
      ],
      ...restrictImports(domainOnly, outsideLayers, testSupport),
    },
  },
  {
    files: ['handlers/**/*.ts', 'edge/**/*.ts'],
    rules: restrictImports(outsideLayers),
  },
  {
    files: ['handlers/**/*.ts', 'edge/**/*.ts'],
    ignores: testCode,
    rules: restrictImports(outsideLayers, testSupport),
  },
);
