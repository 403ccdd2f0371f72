// Lint rules. The process layering (which folder may import which, which npm packages and Node
// built-ins each layer may use, which globals shared/ must not touch) is ONE table: LAYERS in
// scripts/lint/layers.js, enforced by the local rule `layers/imports` (plus no-restricted-globals
// for the table's `globals` column). Each row states why; test/unit/layering.test.ts covers each row.
// A file that no row matches is reported, so a new folder has to be placed in the table.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import layers, { globalsConfigs } from './scripts/lint/layers.js';

const NO_HTML = 'Render text, never HTML: caller-controlled strings (names, numbers) would become markup.';
/** HTML sinks, refused in the renderer (no-restricted-syntax selectors). */
const HTML_SINKS = [
  { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: NO_HTML },
  { selector: "Property[key.name='dangerouslySetInnerHTML']", message: NO_HTML },
  { selector: "JSXAttribute[name.name=/^srcdoc$/i]", message: NO_HTML },
  { selector: "AssignmentExpression > MemberExpression.left[property.name=/^(innerHTML|outerHTML|srcdoc)$/]", message: NO_HTML },
  { selector: "AssignmentExpression > MemberExpression.left[property.value=/^(innerHTML|outerHTML|srcdoc)$/]", message: NO_HTML },
  { selector: "CallExpression[callee.property.name=/^(insertAdjacentHTML|createContextualFragment|setHTMLUnsafe|parseHTMLUnsafe)$/]", message: NO_HTML },
  { selector: "CallExpression[callee.object.name='document'][callee.property.name=/^(write|writeln)$/]", message: NO_HTML },
];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.tmp/**', '.stryker-tmp/**'] },
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
  { files: ['shared/**/*.ts'], languageOptions: { globals: {} } },
  { files: ['renderer/**/*.{ts,tsx}'], languageOptions: { globals: { ...globals.browser } } },
  {
    // Caller-controlled strings (display names, numbers, line names, the call log) reach the UI; they
    // must only ever be rendered as text. No HTML sinks in the renderer (test/unit/lint-html-sinks.test.ts).
    files: ['renderer/**/*.{js,jsx,ts,tsx}'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name='only'][callee.object.name=/^(test|it|describe)$/]", message: 'No focused tests.' },
        ...HTML_SINKS,
      ],
    },
  },
  {
    files: ['**/*.{js,mjs,cjs,jsx,ts,tsx,mts,cts}'],
    plugins: { layers },
    rules: { 'layers/imports': 'error' },
  },
  ...globalsConfigs(),
);
