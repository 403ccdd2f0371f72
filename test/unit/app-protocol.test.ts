import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveAppRequest } from '../../main/security/app-protocol';

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
  it('refuses other hosts, schemes and malformed input', () => {
    expect(resolveAppRequest('app://other/index.html', ROOT).status).toBe(404);
    expect(resolveAppRequest('https://workstation/index.html', ROOT).status).toBe(404);
    expect(resolveAppRequest('app://workstation/%E0%A4%A', ROOT).status).toBe(400);
    expect(resolveAppRequest('app://workstation/a%00b', ROOT).status).toBe(400);
  });
});
