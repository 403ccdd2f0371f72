import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { resolveAppRequest } from '../../main/security/app-protocol';
import type * as AppProtocol from '../../main/security/app-protocol';

const ROOT = '/opt/ws/out/renderer';

describe('app:// protocol', () => {
  it('serves files of the renderer folder with security headers', () => {
    const res = resolveAppRequest('app://workstation/assets/index-abc.js', ROOT);
    expect(res.status).toBe(200);
    if (res.status !== 200) return;
    expect(res.filePath).toBe(path.join(ROOT, 'assets/index-abc.js'));
    expect(res.headers['Content-Type']).toMatch(/javascript/);
    expect(res.headers['Content-Security-Policy']).toContain("script-src 'self'");
    expect(res.headers['X-Content-Type-Options']).toBe('nosniff');
  });
  it('maps / to index.html', () => {
    const res = resolveAppRequest('app://workstation/', ROOT);
    expect(res.status === 200 && res.filePath).toBe(path.join(ROOT, 'index.html'));
  });
  it('never escapes the renderer folder', () => {
    for (const url of ['app://workstation/../../etc/passwd', 'app://workstation/%2e%2e/%2e%2e/etc/passwd', 'app://workstation/..%2f..%2fsecrets.json']) {
      const res = resolveAppRequest(url, ROOT);
      if (res.status === 200) expect(res.filePath.startsWith(ROOT + path.sep)).toBe(true);
      else expect([400, 404]).toContain(res.status);
    }
  });
  it('answers 404 for the renderer folder itself, never a directory to read', () => {
    for (const url of ['app://workstation/a/..%2f', 'app://workstation/.%2f', 'app://workstation/assets/..%2f']) {
      expect(resolveAppRequest(url, ROOT).status, url).toBe(404);
    }
  });
  it('refuses other hosts, schemes and malformed input', () => {
    expect(resolveAppRequest('app://other/index.html', ROOT).status).toBe(404);
    expect(resolveAppRequest('https://workstation/index.html', ROOT).status).toBe(404);
    expect(resolveAppRequest('app://workstation/%E0%A4%A', ROOT).status).toBe(400);
    expect(resolveAppRequest('app://workstation/a%00b', ROOT).status).toBe(400);
  });
});

/**
 * The MIME table and the headers are built when the modules load; these tests load fresh copies
 * (vi.resetModules + import) so that the modules' own code runs inside the tests.
 */
describe('app:// protocol responses', () => {
  let m: typeof AppProtocol;
  let headers: Readonly<Record<string, string>>;
  beforeEach(async () => {
    vi.resetModules();
    m = await import('../../main/security/app-protocol');
    headers = (await import('../../main/security/baseline')).SECURITY_HEADERS;
  });

  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['assets/index-abc.js', 'text/javascript; charset=utf-8'],
    ['assets/worker.mjs', 'text/javascript; charset=utf-8'],
    ['assets/index.css', 'text/css; charset=utf-8'],
    ['locales/zh-CN.json', 'application/json'],
    ['icons/phone.svg', 'image/svg+xml'],
    ['icons/logo.png', 'image/png'],
    ['favicon.ico', 'image/x-icon'],
    ['fonts/a.woff2', 'font/woff2'],
    ['fonts/a.woff', 'font/woff'],
    ['fonts/a.ttf', 'font/ttf'],
    ['sounds/ring.wav', 'audio/wav'],
    ['sounds/ring.mp3', 'audio/mpeg'],
    ['sounds/ring.ogg', 'audio/ogg'],
    ['codec/opus.wasm', 'application/wasm'],
    ['INDEX.HTML', 'text/html; charset=utf-8'],
    ['notes.txt', 'application/octet-stream'],
    ['LICENSE', 'application/octet-stream'],
  ])('serves %s as %s, with the security headers', (file, type) => {
    const res = m.resolveAppRequest(`app://workstation/${file}`, ROOT);
    expect(res).toEqual({ status: 200, filePath: path.join(ROOT, file), headers: { ...headers, 'Content-Type': type } });
  });

  it('maps the bare origin, / and an empty path to index.html', () => {
    for (const url of ['app://workstation', 'app://workstation/']) {
      const res = m.resolveAppRequest(url, ROOT);
      expect(res.status === 200 && res.filePath, url).toBe(path.join(ROOT, 'index.html'));
    }
    for (const p of ['', '/']) {
      const res = m.resolveRendererPath(p, ROOT);
      expect(res.status === 200 && res.filePath, JSON.stringify(p)).toBe(path.join(ROOT, 'index.html'));
    }
  });

  it('answers refusals with the security headers and nothing else', () => {
    const refusals: [string, number][] = [
      ['not a url', 400],
      ['app://workstation/%E0%A4%A', 400],
      ['app://workstation/a%00b', 400],
      ['app://other/index.html', 404],
      ['https://workstation/index.html', 404],
      ['app://workstation/..%2f..%2fsecrets.json', 404],
    ];
    for (const [url, status] of refusals) {
      expect(m.resolveAppRequest(url, ROOT), url).toEqual({ status, headers: { ...headers } });
    }
    expect(headers['Content-Security-Policy']).toContain("default-src 'none'");
  });
});
