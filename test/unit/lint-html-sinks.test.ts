/**
 * The renderer has no HTML sinks (eslint.config.js, HTML_SINKS): caller-controlled strings — the
 * caller's display name and number, line names, the call log — may only be rendered as text.
 * Deleting or loosening the rule fails here. (Runs ESLint on snippets as renderer files.)
 */
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: process.cwd() });

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message);
}

const SINKS: [string, string][] = [
  ['dangerouslySetInnerHTML in JSX', 'export const C = ({ name }: { name: string }) => <span dangerouslySetInnerHTML={{ __html: name }} />;'],
  ['dangerouslySetInnerHTML in props', "import { createElement } from 'react';\nexport const c = (name: string) => createElement('span', { dangerouslySetInnerHTML: { __html: name } });"],
  ['srcDoc on an iframe', 'export const C = ({ name }: { name: string }) => <iframe srcDoc={name} />;'],
  ['innerHTML assignment', 'export function f(el: HTMLElement, name: string) { el.innerHTML = name; }'],
  ['innerHTML compound assignment', "export function f(el: HTMLElement, name: string) { el.innerHTML += name; }"],
  ['innerHTML computed assignment', "export function f(el: HTMLElement, name: string) { el['innerHTML'] = name; }"],
  ['outerHTML assignment', 'export function f(el: HTMLElement, name: string) { el.outerHTML = name; }'],
  ['insertAdjacentHTML', "export function f(el: HTMLElement, name: string) { el.insertAdjacentHTML('beforeend', name); }"],
  ['createContextualFragment', 'export function f(name: string) { return document.createRange().createContextualFragment(name); }'],
  ['document.write', 'export function f(name: string) { document.write(name); }'],
];

describe('no HTML sinks in the renderer', () => {
  for (const [what, code] of SINKS) {
    it(`refuses ${what}`, async () => {
      for (const file of ['renderer/src/phone/x.tsx', 'renderer/src/phone/call-log/x.tsx']) {
        const messages = await restricted(file, code);
        expect(messages, `${what} in ${file}`).toHaveLength(1);
        expect(messages[0]).toMatch(/never HTML/);
      }
    });
  }

  it('allows text: JSX children, textContent, reading innerHTML', async () => {
    const ok = [
      'export const C = ({ name }: { name: string }) => <span title={name}>{name}</span>;',
      'export function f(el: HTMLElement, name: string) { el.textContent = name; return el.innerHTML.length; }',
    ];
    for (const code of ok) expect(await restricted('renderer/src/phone/x.tsx', code)).toEqual([]);
  });

  it('keeps the focused-test rule in the renderer too', async () => {
    expect(await restricted('renderer/src/x.ts', "declare const it: { only: (n: string) => void };\nit.only('x');")).toEqual(['No focused tests.']);
  });
});
