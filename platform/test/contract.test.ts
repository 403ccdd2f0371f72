import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApi } from '../../shared/http/openapi';
import { allRoutes } from '../../shared/http';
import { startTestPlatform, type TestPlatform } from './harness';

describe('OpenAPI contract', () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await startTestPlatform('pglite');
  }, 60_000);
  afterAll(async () => t?.close());

  it('the checked-in openapi.json is current (run `npm run platform:openapi` after changing a route in shared/<domain>/routes.ts)', () => {
    const checkedIn = JSON.parse(fs.readFileSync(path.join(__dirname, '../openapi.json'), 'utf8'));
    expect(checkedIn).toEqual(buildOpenApi());
  });

  it('the server publishes the same document and serves every declared operation', async () => {
    const r = await t.request({ method: 'GET', url: '/openapi.json' });
    expect(r.json()).toEqual(buildOpenApi());
    for (const route of allRoutes()) {
      expect(t.platform.app.hasRoute({ method: route.method, url: route.path }), route.id).toBe(true);
    }
    // Every declared path, plus the WebSocket stream.
    expect(Object.keys(r.json().paths).length).toBe(new Set(allRoutes().map((x) => x.path)).size + 1);
  });
});
