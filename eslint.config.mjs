// ESLint flat config. Parsing only (no type-aware rules): typescript-eslint needs the TypeScript 6
// JS API, and type errors are the `typecheck` target's job (TypeScript 7, native).
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

// Loading a provider package root costs 2-3 s and ~500 MB per process (measured in the README's
// benchmark); one root import anywhere undoes the deep-import gain for every synth and test.
const PROVIDER_ROOT = /^@cdktf\/provider-[a-z0-9-]+$/;
const PROVIDER_ROOT_MESSAGE =
  'import the resource module instead of the provider package root, e.g. @cdktf/provider-aws/lib/s3-bucket (the root loads every resource: ~3 s, ~500 MB)';

export default defineConfig(
  { ignores: ['**/node_modules/**', 'dist/**', 'tmp/**', '.nx/**', '.state/**', '**/cdktf.out/**', 'coverage/**'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.js', '**/*.cjs', '**/*.mjs'],
    plugins: { '@nx': nx },
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: PROVIDER_ROOT.source, message: PROVIDER_ROOT_MESSAGE }] }],
      // require() and import() escape no-restricted-imports.
      'no-restricted-syntax': [
        'error',
        { selector: `CallExpression[callee.name="require"] > Literal[value=${PROVIDER_ROOT}]`, message: PROVIDER_ROOT_MESSAGE },
        { selector: `ImportExpression > Literal[value=${PROVIDER_ROOT}]`, message: PROVIDER_ROOT_MESSAGE },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Project sources only: config files at a project's root legitimately reach the workspace root.
    files: ['**/src/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib', 'type:tool'] },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly', console: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
