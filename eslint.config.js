import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
    files: ['domain/**/*.ts'],
    ignores: ['domain/**/*.test.ts', 'domain/test/**'],
    rules: {
      'no-restricted-globals': ['error', 'process', 'console', 'setTimeout', 'setInterval', 'fetch'],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'domain/ has no clock: time comes in events' },
        { object: 'Math', property: 'random', message: 'domain/ has no randomness: pass a seed' },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^(?!\\.|fp-ts|io-ts)', message: 'domain/ imports only fp-ts, io-ts and itself' },
            {
              regex: '(^|/)(localstack|infra)(/|$)',
              message: 'nothing imports localstack/ or infra/ (README.md#layout)',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['handlers/**/*.ts', 'edge/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)(localstack|infra)(/|$)',
              message: 'nothing imports localstack/ or infra/ (README.md#layout)',
            },
          ],
        },
      ],
    },
  },
);
