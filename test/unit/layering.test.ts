/**
 * The layer table (scripts/lint/layers.js, rule `layers/imports`) is real: for each row, a
 * forbidden cross-layer import and a forbidden package are reported, and the sanctioned imports
 * (including a sibling domain folder of shared/) are not. The expectations are written out here,
 * independently of the table, so deleting or loosening a row fails this test.
 * (Runs ESLint on snippets as if they were files in each folder.)
 */
import { describe, expect, it } from 'vitest';
import { ESLint, type Linter } from 'eslint';

const eslint = new ESLint({ cwd: process.cwd() });

async function lint(filePath: string, code: string): Promise<Linter.LintMessage[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result?.messages ?? [];
}

/** A file that imports each source as a value and uses it (so no other rule fires). */
function importing(...sources: string[]): string {
  return `${sources.map((s, i) => `import * as m${i} from '${s}';`).join('\n')}\nexport const all = [${sources.map((_, i) => `m${i}`).join(', ')}];\n`;
}

type Kind = 'crossLayer' | 'package' | 'builtin';

interface Row {
  layer: string;
  /** Files of the layer to lint as (more than one where the row has several globs). */
  files: [string, ...string[]];
  /** Relative paths are written for files[0]. */
  forbidden: [source: string, kind: Kind][];
  /** Per file, the imports that must pass. */
  allowed: Record<string, string[]>;
}

const ROWS: Row[] = [
  {
    layer: 'shared',
    files: ['shared/orders/x.ts'],
    forbidden: [
      ['../../main/core', 'crossLayer'],
      ['../../renderer/src/App', 'crossLayer'],
      ['../../platform/src/app', 'crossLayer'],
      ['../../preload/index', 'crossLayer'],
      ['electron', 'package'],
      ['react', 'package'],
      ['antd', 'package'],
      ['dexie', 'package'],
      ['node:fs', 'builtin'],
      ['path', 'builtin'],
    ],
    allowed: { 'shared/orders/x.ts': ['zod', './work-order', '../session/ipc', '../base/redact', '../platform/x'] },
  },
  {
    layer: 'preload',
    files: ['preload/x.ts'],
    forbidden: [
      ['../main/core', 'crossLayer'],
      ['../renderer/src/App', 'crossLayer'],
      ['../platform/src/app', 'crossLayer'],
      ['react', 'package'],
      ['electron-store', 'package'],
      ['node:fs', 'builtin'],
    ],
    allowed: { 'preload/x.ts': ['electron', '../shared/ipc', '../shared/session/ipc', './index'] },
  },
  {
    layer: 'electron-edge',
    files: ['main/electron/x.ts', 'main/index.ts'],
    forbidden: [
      ['../../renderer/src/App', 'crossLayer'],
      ['../../preload/index', 'crossLayer'],
      ['../../platform/src/app', 'crossLayer'],
      ['react', 'package'],
      ['pg', 'package'],
    ],
    allowed: {
      'main/electron/x.ts': ['electron', 'electron-store', 'zod', 'node:path', './window', '../core', '../settings/settings-service', '../../shared/session/ipc'],
      'main/index.ts': ['electron', 'electron-store', './electron/window', './core', '../shared/ipc'],
    },
  },
  {
    layer: 'main',
    files: ['main/session/x.ts'],
    forbidden: [
      ['../electron/window', 'crossLayer'],
      ['../index', 'crossLayer'],
      ['../../renderer/src/App', 'crossLayer'],
      ['../../preload/index', 'crossLayer'],
      ['../../platform/src/app', 'crossLayer'],
      ['electron', 'package'],
      ['electron-store', 'package'],
      ['react', 'package'],
    ],
    allowed: { 'main/session/x.ts': ['zod', 'node:fs', 'fs', './platform-client', '../core', '../logging/logger', '../../shared/session/ipc', '../../shared/orders/work-order'] },
  },
  {
    layer: 'renderer',
    files: ['renderer/src/phone/x.ts'],
    forbidden: [
      ['../../../main/core', 'crossLayer'],
      ['../../../preload/index', 'crossLayer'],
      ['../../../platform/src/app', 'crossLayer'],
      ['electron', 'package'],
      ['pg', 'package'],
      ['fastify', 'package'],
      ['node:fs', 'builtin'],
      ['path', 'builtin'],
    ],
    allowed: {
      'renderer/src/phone/x.ts': [
        'react', 'react-dom/client', 'antd', 'antd/locale/zh_CN', '@ant-design/icons', 'sip.js', 'dexie', 'zustand', 'zustand/react/shallow',
        'i18next', 'react-i18next', 'zod', '../shell/AppShell', '../../../shared/session/ipc', '../../../shared/base/redact', '../../../shared/platform/x',
      ],
    },
  },
  {
    layer: 'platform-tests',
    files: ['platform/test/x.ts', 'platform/scripts/x.ts'],
    forbidden: [
      ['../../main/core', 'crossLayer'],
      ['../../renderer/src/App', 'crossLayer'],
      ['../../preload/index', 'crossLayer'],
      ['electron', 'package'],
      ['react', 'package'],
    ],
    allowed: {
      'platform/test/x.ts': ['vitest', 'ws', 'fastify', 'pg', 'node:os', './harness', '../src/app', '../../shared/http', '../../shared/orders/work-order'],
      'platform/scripts/x.ts': ['node:fs', '../src/app', '../../shared/http/openapi'],
    },
  },
  {
    layer: 'platform',
    files: ['platform/src/orders/x.ts'],
    forbidden: [
      ['../../../main/core', 'crossLayer'],
      ['../../../renderer/src/App', 'crossLayer'],
      ['../../../preload/index', 'crossLayer'],
      ['../../test/harness', 'crossLayer'],
      ['electron', 'package'],
      ['vitest', 'package'],
      ['react', 'package'],
    ],
    allowed: {
      'platform/src/orders/x.ts': [
        'fastify', '@fastify/websocket', 'pg', '@electric-sql/pglite', 'zod', 'chinese-days', 'node:crypto',
        './repository', '../db/database', '../../../shared/orders/work-order', '../../../shared/session/routes',
      ],
    },
  },
  {
    layer: 'tooling',
    files: ['e2e/x.ts', 'test/unit/x.ts', 'bench/x.ts', 'scripts/x.ts', 'types/x.ts', 'x.config.ts'],
    forbidden: [],
    allowed: {
      'e2e/x.ts': ['@playwright/test', 'electron', 'node:fs', '../main/core', '../renderer/src/App', '../platform/src/app'],
      'test/unit/x.ts': ['vitest', 'electron-store', '../../main/core', '../../preload/index', '../../shared/session/ipc'],
      'bench/x.ts': ['node:perf_hooks', '../main/core', '../platform/src/app'],
      'scripts/x.ts': ['@electron/asar', 'node:child_process', '../main/core'],
      'types/x.ts': ['electron', '../shared/ipc'],
      'x.config.ts': ['vite', 'node:path', './main/core'],
    },
  },
];

describe('layering lint', () => {
  for (const row of ROWS) {
    describe(`row ${row.layer}`, () => {
      it.each(row.forbidden)(`reports ${row.files[0]} importing %s (%s)`, async (source, kind) => {
        const messages = await lint(row.files[0], importing(source));
        expect(messages).toContainEqual(
          expect.objectContaining({
            ruleId: 'layers/imports',
            messageId: kind,
            message: expect.stringMatching(new RegExp(`^Layer '${row.layer}' may not .*'${source.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}'`)),
          }),
        );
      });

      it.each(Object.entries(row.allowed))('allows the sanctioned imports of %s', async (file, sources) => {
        expect(await lint(file, importing(...sources))).toEqual([]);
      });
    });
  }

  it('reports each forbidden import on its own, with what the layer may import', async () => {
    const messages = await lint('renderer/src/x.ts', importing('../../main/core', 'electron', 'node:fs'));
    expect(messages.map((m) => m.messageId)).toEqual(['crossLayer', 'package', 'builtin']);
    expect(messages[0]?.message).toContain("(layer 'main')");
    expect(messages[0]?.message).toContain('may import layers: renderer, shared');
    expect(messages[1]?.message).toContain('may use packages: react');
  });

  it.each([
    ['type-only import', "import type { Core } from '../../main/core';\nexport type A = Core;"],
    ['re-export', "export { createCore } from '../../main/core';"],
    ['export *', "export * from '../../main/core';"],
    ['dynamic import', "export const a = () => import('../../main/core');"],
  ])('checks a %s like any import', async (_form, code) => {
    const messages = await lint('renderer/src/x.ts', code);
    expect(messages).toContainEqual(expect.objectContaining({ ruleId: 'layers/imports', messageId: 'crossLayer' }));
  });

  it('keeps shared/ off the DOM globals', async () => {
    const messages = await lint('shared/x.ts', 'export const a = () => document.title;\nexport const b = () => window.location;');
    expect(messages.filter((m) => m.ruleId === 'no-restricted-globals')).toHaveLength(2);
  });

  it.each(['docs/x.ts', 'foo/x.ts', 'x.ts', 'build/x.js'])('reports %s: a file in no layer', async (file) => {
    const messages = await lint(file, 'export const a = 1;\n');
    expect(messages).toContainEqual(expect.objectContaining({ ruleId: 'layers/imports', messageId: 'noLayer' }));
  });

  it('reports a relative import that leaves every layer', async () => {
    const messages = await lint('renderer/src/x.ts', importing('../../docs/x'));
    expect(messages).toContainEqual(expect.objectContaining({ ruleId: 'layers/imports', messageId: 'outside' }));
  });
});
