import { NOT_THIS_LISTS_CURSOR, pageCursor } from '@gridcase/contracts';
import { describe, expect, it } from 'vitest';
import { auditRoutes } from '../src/audit.ts';
import { TokenSigner } from '../src/auth.ts';
import { buildHttp } from '../src/http.ts';
import { capturedLogger } from './log-sink.ts';

const ADMIN = 'admin-token-0123456789';

describe('GET /v1/audit', () => {
  it('names a cursor it never gave out beside the other bad parameters, before reading anything', async () => {
    const app = await buildHttp({ service: 'test', logger: capturedLogger().logger, signer: new TokenSigner(ADMIN), readiness: {} });
    // No database: a refused query must not reach it.
    auditRoutes(app, {} as never, {} as never);
    const res = await app.inject({ method: 'GET', url: '/v1/audit?limit=0&cursor=abc', headers: { authorization: `Bearer ${ADMIN}` } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([
      { path: 'querystring.limit', message: expect.any(String) },
      { path: 'querystring.cursor', message: NOT_THIS_LISTS_CURSOR },
    ]);
  });

  it("refuses another service's audit cursor, and a bare entry id (audit19 #7: desk's was read as intake's position)", async () => {
    const app = await buildHttp({ service: 'intake', logger: capturedLogger().logger, signer: new TokenSigner(ADMIN), readiness: {} });
    auditRoutes(app, {} as never, {} as never);
    const desks = pageCursor<number>('desk.audit', { write: (id) => [id], read: ([id]) => id as number }).encode(1);
    for (const cursor of [desks, '1']) {
      const res = await app.inject({ method: 'GET', url: `/v1/audit?cursor=${cursor}`, headers: { authorization: `Bearer ${ADMIN}` } });
      expect(res.statusCode, cursor).toBe(400);
      expect(res.json().errors).toEqual([{ path: 'querystring.cursor', message: NOT_THIS_LISTS_CURSOR }]);
    }
  });

  it('names from when it is not before to, as /v1/stats does, instead of answering an empty page', async () => {
    const app = await buildHttp({ service: 'test', logger: capturedLogger().logger, signer: new TokenSigner(ADMIN), readiness: {} });
    auditRoutes(app, {} as never, {} as never);
    const res = await app.inject({
      method: 'GET',
      url: '/v1/audit?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00%2B08:00&limit=0',
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([
      { path: 'querystring.limit', message: expect.any(String) },
      { path: 'querystring.from', message: 'from must be before to' },
    ]);
  });

  it('names a reversed range, judged on the instants as given, before reading anything', async () => {
    const app = await buildHttp({ service: 'test', logger: capturedLogger().logger, signer: new TokenSigner(ADMIN), readiness: {} });
    auditRoutes(app, {} as never, {} as never);
    const res = await app.inject({ method: 'GET', url: '/v1/audit?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z', headers: { authorization: `Bearer ${ADMIN}` } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ path: 'querystring.from', message: 'from must be before to' }]);
  });
});
