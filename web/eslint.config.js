// ESLint flat config. Besides the usual TypeScript and React hooks checks it
// enforces the folder rule (bulletproof-react): features never import each
// other, only app/ composes features, and shared code (components, lib, hooks,
// config, types) never reaches up into features or app.
import { readdirSync } from 'node:fs'
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import { importX } from 'eslint-plugin-import-x'
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript'
import reactHooks from 'eslint-plugin-react-hooks'

const features = readdirSync(new URL('./src/features', import.meta.url), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)

const shared = ['components', 'lib', 'hooks', 'config', 'types'].map((d) => `./src/${d}`)

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'e2e-screenshots'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX, 'react-hooks': reactHooks },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.app.json' })],
    },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-unresolved': 'error',
      'import-x/no-cycle': 'off',
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            // Features are islands: a feature imports only itself and shared code.
            ...features.map((f) => ({
              target: `./src/features/${f}`,
              from: './src/features',
              except: [`./${f}`],
              message: 'Features must not import each other; compose them in src/app instead.',
            })),
            { target: './src/features', from: './src/app', message: 'Features must not import from src/app.' },
            // Shared code sits below features and app.
            {
              target: shared,
              from: ['./src/features', './src/app'],
              message: 'Shared code (components, lib, hooks, config, types) must not import features or app.',
            },
          ],
        },
      ],
    },
  },
  {
    // Node scripts and browser tests run outside the bundle (e2e callbacks also run in the page).
    files: ['**/*.{js,mjs}', 'vite.config.ts'],
    languageOptions: {
      globals: Object.fromEntries(
        ['process', 'console', 'URL', 'setTimeout', 'clearTimeout', 'fetch', 'Buffer', 'AbortSignal', 'window', 'document'].map((g) => [
          g,
          'readonly',
        ]),
      ),
    },
  },
  {
    // Vitest's config types are added by reference, as its docs show.
    files: ['vite.config.ts'],
    rules: { '@typescript-eslint/triple-slash-reference': 'off' },
  },
)
