/**
 * The lint rules that keep the process layering are real: each forbidden import is reported.
 * (Runs ESLint on snippets as if they were files in each folder.)
 */
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: process.cwd() });

async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? 'fatal');
}

describe('layering lint', () => {
  it.each([
    ['shared/x.ts', "import { app } from 'electron';\nexport const a = app;"],
    ['shared/x.ts', "import fs from 'node:fs';\nexport const a = fs;"],
    ['shared/x.ts', "import { createCore } from '../main/core';\nexport const a = createCore;"],
    ['shared/x.ts', 'export const a = () => document.title;'],
    ['renderer/src/x.ts', "import { createCore } from '../../main/core';\nexport const a = createCore;"],
    ['renderer/src/x.ts', "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;"],
    ['main/settings/x.ts', "import { app } from 'electron';\nexport const a = app;"],
    ['preload/x.ts', "import { createCore } from '../main/core';\nexport const a = createCore;"],
  ])('reports %s importing across a boundary', async (file, code) => {
    const ids = await ruleIds(file, code);
    expect(ids.some((id) => id === 'no-restricted-imports' || id === 'no-restricted-globals')).toBe(true);
  });

  it('allows the sanctioned imports', async () => {
    expect(await ruleIds('main/electron/x.ts', "import { app } from 'electron';\nexport const a = app;")).toEqual([]);
    expect(await ruleIds('renderer/src/x.ts', "import { z } from 'zod';\nimport { maskPhone } from '../../shared/base/redact';\nexport const a = [z, maskPhone];")).toEqual([]);
  });
});
