import { createDb, createPool } from '@gridcase/db';
import { ManualClock } from '@gridcase/service-kit';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, eventually, isolatedEnv } from '../../../infra/test/harness.ts';
import { ClientDirectory } from '../src/auth.ts';
import { start } from '../src/main.ts';
import { reportBody } from './fixtures.ts';

describe('a revoked token, with two intake instances that keep clients in memory', () => {
  let env: Record<string, string>;
  let a: Awaited<ReturnType<typeof start>>;
  let b: Awaited<ReturnType<typeof start>>;

  beforeAll(async () => {
    env = await isolatedEnv({ INTAKE_PORT: '0' });
    a = await start(env);
    // B's clock never moves, so its 30 s bound on a remembered client never runs out here: only a
    // change notice from the database can make it forget that the client was active.
    b = await start(env, new ManualClock(new Date()));
  });
  afterAll(async () => {
    await a?.rt.shutdown('test done');
    await b?.rt.shutdown('test done');
  });

  const newReporter = async () => {
    const res = await a.app.inject({ method: 'POST', url: '/v1/clients', headers: bearer(), payload: { name: 'sender', roles: ['reporter'] } });
    return res.json() as { clientId: string; token: string };
  };
  const post = (instance: typeof a, token: string) => instance.app.inject({ method: 'POST', url: '/v1/reports', headers: bearer(token), payload: reportBody() });

  it('stops working on the other instance once the revocation is heard, though that instance had it in memory as active', async () => {
    const { clientId, token } = await newReporter();
    expect((await post(b, token)).statusCode).toBe(202);
    expect((await post(b, token)).statusCode).toBe(202);

    expect((await a.app.inject({ method: 'DELETE', url: `/v1/clients/${clientId}`, headers: bearer() })).statusCode).toBe(204);
    const refused = await eventually('instance b to refuse the revoked token', async () => {
      const res = await post(b, token);
      return res.statusCode === 202 ? undefined : res;
    });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().detail).toContain('revoked');
  });

  it('answers a revoked token 401 on routes its roles cannot use too, never naming the roles they need (audit6 #11)', async () => {
    const res = await a.app.inject({ method: 'POST', url: '/v1/clients', headers: bearer(), payload: { name: 'desk 2', roles: ['desk'], stations: ['CG'] } });
    const { clientId, token } = res.json() as { clientId: string; token: string };
    const get = (url: string) => a.app.inject({ method: 'GET', url, headers: bearer(token) });
    expect((await get('/v1/access')).statusCode).toBe(403);
    expect((await a.app.inject({ method: 'DELETE', url: `/v1/clients/${clientId}`, headers: bearer() })).statusCode).toBe(204);
    for (const url of ['/v1/access', '/v1/webhooks', '/v1/clients', '/v1/reports/no-such-report']) {
      const refused = await get(url);
      expect(refused.statusCode, url).toBe(401);
      expect(refused.json().detail, url).toBe('the token was revoked');
    }
  });

  it('stops working when revoked while the instances could not hear notices', async () => {
    const { clientId, token } = await newReporter();
    expect((await post(b, token)).statusCode).toBe(202);
    // Cut every LISTEN connection of both instances, and revoke behind intake's back in the same
    // session: the notice goes to no one, and each instance must forget what it held when it lost the connection.
    const pool = createPool(env.DATABASE_URL!, { max: 1 });
    try {
      await pool.query(`
        with cut as (select pg_terminate_backend(pid) from pg_stat_activity
                      where application_name = 'intake-notices' and datname = current_database())
        update intake.clients set revoked_at = now() where client_id = $1 and (select count(*) from cut) >= 0`, [clientId]);
    } finally {
      await pool.end();
    }
    const res = await eventually('instance b to answer', async () => {
      const r = await post(b, token);
      return r.statusCode === 202 ? undefined : r;
    });
    expect(res.statusCode).toBe(401);
    // And the notices come back: a later revocation is heard again.
    const later = await newReporter();
    expect((await post(b, later.token)).statusCode).toBe(202);
    await a.app.inject({ method: 'DELETE', url: `/v1/clients/${later.clientId}`, headers: bearer() });
    await eventually('instance b to refuse the later revoked token', async () => ((await post(b, later.token)).statusCode === 401 ? true : undefined));
  });

  it('trusts what it remembers of a client for 30 s at most, even when no notice ever comes', async () => {
    const { clientId } = await newReporter();
    const pool = createPool(env.DATABASE_URL!, { max: 2 });
    const db = createDb(pool);
    const clock = new ManualClock();
    // Notices "working" but none delivered: the age bound is all that makes it read the table again.
    const directory = new ClientDirectory(db, { isListening: () => true, clock });
    try {
      expect(await directory.standingOf(clientId)).toBe('active');
      await db.execute(sql`update intake.clients set revoked_at = now() where client_id = ${clientId}`);
      expect(await directory.standingOf(clientId)).toBe('active');
      clock.advance(30_001);
      expect(await directory.standingOf(clientId)).toBe('revoked');
      // Told of a change, it reads again at once.
      await db.execute(sql`update intake.clients set revoked_at = null where client_id = ${clientId}`);
      directory.onChange(`client:${clientId}`);
      expect(await directory.standingOf(clientId)).toBe('active');
    } finally {
      await pool.end();
    }
  });
});
