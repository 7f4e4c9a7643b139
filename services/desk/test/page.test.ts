import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildHttp, createLogger, TokenSigner } from '@gridcase/service-kit';
import { describe, expect, it } from 'vitest';
import { pageRoutes } from '../src/routes/page.ts';

/** A desk HTTP app with only the page routes, over a dist folder of the test's making. */
async function pageApp(dist: string) {
  const app = await buildHttp({ service: 'desk', logger: createLogger('desk', 'silent'), signer: new TokenSigner('page-test-admin-token'), readiness: {} });
  pageRoutes(app, dist);
  return app;
}

describe('desk page routes', () => {
  it('serves the built page with its CSP, and its hashed assets as immutable, from memory', async () => {
    const dist = mkdtempSync(join(tmpdir(), 'desk-dist-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><script type="module" src="/assets/index-abc.js"></script>');
    writeFileSync(join(dist, 'assets/index-abc.js'), 'console.log(1)');
    writeFileSync(join(dist, 'assets/index-abc.css'), 'body{}');
    const app = await pageApp(dist);

    const page = await app.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("connect-src 'self'");
    expect(page.body).toContain('/assets/index-abc.js');

    const js = await app.inject({ method: 'GET', url: '/assets/index-abc.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toContain('immutable');
    expect((await app.inject({ method: 'GET', url: '/assets/index-abc.css' })).headers['content-type']).toBe('text/css; charset=utf-8');

    // Only names read at start are served: nothing reaches the file system from a request path.
    for (const url of ['/assets/missing.js', '/assets/..%2Findex.html', '/assets/%2E%2E%2F%2E%2E%2Fpackage.json']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    await app.close();
  });

  it('answers 503 naming the build command when the page was never built', async () => {
    const app = await pageApp(join(tmpdir(), 'no-such-desk-dist'));
    const res = await app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(503);
    expect(res.json().detail).toContain('pnpm --filter @gridcase/desk-web build');
    await app.close();
  });
});
