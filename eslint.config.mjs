// Lint rules for the whole repository. Only rules that need no type information: type errors are tsgo's job
// (`npm run typecheck`), and type-aware linting would add seconds to every `npm test`.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

// Built-ins without the `node:` prefix, so that `import * as fs from 'fs'` is refused and `node:fs` is the one form.
const unprefixedBuiltins = builtinModules.filter((name) => !name.startsWith('_') && !name.startsWith('node:'));

export default tseslint.config(
  {
    ignores: ['node_modules/', 'cdk.out/', 'ros.out/', 'cdk.out.*/', 'ros.out.*/', '.synth-staging-*/', 'coverage/', '**/*.d.ts'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        fetch: 'readonly',
        structuredClone: 'readonly',
        performance: 'readonly',
        queueMicrotask: 'readonly',
      },
    },
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: unprefixedBuiltins.map((name) => ({ name, message: `Import Node built-ins as 'node:${name}'.` })) },
      ],
      'no-restricted-syntax': [
        'error',
        {
          // One name for the caught value everywhere; a nested catch names what it caught (`cleanupError`).
          selector: 'CatchClause > Identifier.param:not([name=/^(error|[a-z]+Error)$/])',
          message: "Name the catch-clause variable 'error' (or '<what>Error' in a nested catch).",
        },
        {
          selector: ':function > Identifier.params[name=/^[A-Za-z_$]$/]',
          message: 'Name the parameter for what it holds; one-letter parameter names are not used here.',
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    // Tests walk synthesized templates, which are untyped JSON by nature.
    files: ['test/**/*.ts', 'scripts/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // CommonJS configuration and jest hooks.
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
