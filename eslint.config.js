// Lint rules, including the process layering that keeps the architecture visible:
//   shared/   imports neither electron nor the DOM (it runs in main, preload, renderer and platform)
//   renderer/ never imports main/ or electron (it talks to main only through window.workstation)
//   preload/  imports only electron and shared/
//   main/     imports Electron only in index.ts and main/electron/ (services stay plain Node)
//   platform/ shares only shared/ with the workstation
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const electronOnly = { name: 'electron', message: 'Only main/index.ts and main/electron/ may import Electron.' };

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-syntax': ['error', { selector: "CallExpression[callee.property.name='only'][callee.object.name=/^(test|it|describe)$/]", message: 'No focused tests.' }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'shared/ must not import Electron.' }],
          patterns: [
            { group: ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process'], message: 'shared/ runs in the renderer too: no Node built-ins.' },
            { group: ['react', 'react-dom', 'react-dom/*', 'antd', 'antd/*'], message: 'shared/ must not depend on the UI.' },
            { regex: '^(\\.\\./)+(main|renderer|preload|platform/src)(/|$)', message: 'shared/ must not import a process folder.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'indexedDB', 'HTMLElement', 'fetch'],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer reaches main only through window.workstation.' }],
          patterns: [
            { group: ['**/main/**', '**/preload/**', '**/platform/**'], message: 'renderer/ must not import main/, preload/ or platform/.' },
            { group: ['node:*', 'fs', 'path', 'child_process'], message: 'The renderer is sandboxed: no Node built-ins.' },
          ],
        },
      ],
    },
  },
  {
    files: ['preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/main/**', '**/renderer/**', '**/platform/**'], message: 'preload/ may import only electron and shared/.' }] },
      ],
    },
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/index.ts', 'main/electron/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronOnly, { name: 'electron-store', message: 'Only main/index.ts opens electron-store; services take a DocumentStore.' }],
          patterns: [{ group: ['**/renderer/**', '**/preload/**'], message: 'main/ must not import renderer/ or preload/.' }],
        },
      ],
    },
  },
  {
    files: ['platform/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The platform is a server: no Electron.' }],
          patterns: [{ group: ['**/main/**', '**/renderer/**', '**/preload/**'], message: 'platform/ shares only shared/ with the workstation.' }],
        },
      ],
    },
  },
  {
    files: ['main/index.ts', 'main/electron/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/renderer/**', '**/preload/**'], message: 'main/ must not import renderer/ or preload/.' }] }],
    },
  },
);
