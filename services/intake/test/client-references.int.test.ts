import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, isolatedEnv } from '../../../infra/test/harness.ts';
import { storeStaffMap } from '../src/db/staff.ts';
import { start } from '../src/main.ts';

describe('POST /v1/clients checks the station, officer and grids a token names against the staff map, and says what it does not know', () => {
  let service: Awaited<ReturnType<typeof start>>;

  beforeAll(async () => {
    service = await start(await isolatedEnv({ INTAKE_PORT: '0' }));
  });
  afterAll(async () => {
    await service?.rt.shutdown('test done');
  });

  const post = (payload: object) => service.app.inject({ method: 'POST', url: '/v1/clients', headers: bearer(), payload });
  const paths = async (payload: object) => {
    const res = await post(payload);
    return { status: res.statusCode, paths: res.statusCode === 400 ? res.json().errors.map((e: { path: string }) => e.path) : [] };
  };
  /** Issued (201), and the paths its warnings name. */
  const warned = async (payload: object) => {
    const res = await post(payload);
    return { status: res.statusCode, paths: (res.json().warnings ?? []).map((e: { path: string }) => e.path) };
  };

  it('issues tokens without warnings before assignment has published any staff map (nothing to judge by)', async () => {
    expect(await warned({ name: 'o', roles: ['officer'], stations: ['CG'], officerId: 'not-yet-known' })).toEqual({ status: 201, paths: [] });
    expect(await warned({ name: 'd', roles: ['desk'], stations: ['NOPE'] })).toEqual({ status: 201, paths: [] });
  });

  it('warns of a desk, officer or supervisor token issued without stations, map or not: only admin is station-wide without them (audit11 #10)', async () => {
    const noMap = await post({ name: 'd', roles: ['desk'] });
    expect(noMap.statusCode).toBe(201);
    expect(noMap.json().warnings).toEqual([{ path: 'stations', message: expect.stringMatching(/^none given: only an admin token is station-wide without stations, so this desk token sees no station's cases/) }]);
    expect(await warned({ name: 's', roles: ['supervisor', 'reporter'] })).toEqual({ status: 201, paths: ['stations'] });
    expect(await warned({ name: 'e', roles: ['reporter'], stations: [] })).toEqual({ status: 201, paths: ['stations'] });
    for (const quiet of [{ name: 'a', roles: ['admin'] }, { name: 'r', roles: ['reporter'] }, { name: 'c', roles: ['community'], grids: ['CG-01-01'] }]) {
      expect(await warned(quiet), quiet.name).toEqual({ status: 201, paths: [] });
    }
  });

  it('lets a token limited to stations issue tokens only within them, never a wider one (audit18 #3)', async () => {
    const made = await post({ name: 'limited', roles: ['admin'], stations: ['XX'] });
    expect(made.statusCode).toBe(201);
    const limited = made.json().token as string;
    const issue = (payload: object) => service.app.inject({ method: 'POST', url: '/v1/clients', headers: bearer(limited), payload });
    for (const wider of [{ name: 'escalated', roles: ['admin'] }, { name: 'd', roles: ['desk'] }, { name: 'd', roles: ['desk'], stations: ['XX', 'CG'] }]) {
      const res = await issue(wider);
      expect(res.statusCode, JSON.stringify(wider)).toBe(403);
      expect(res.json().detail).toBe('this token is limited to stations XX: it issues tokens only within them (give stations, each one of its own)');
    }
    expect((await issue({ name: 'd', roles: ['desk'], stations: ['XX'] })).statusCode).toBe(201);
  });

  it('lets a token limited to stations list, change and revoke only the clients limited within them', async () => {
    const limited = (await post({ name: 'limited lister', roles: ['admin'], stations: ['YY'] })).json().token as string;
    const as = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
      service.app.inject({ method, url, headers: bearer(limited), ...(payload ? { payload } : {}) });
    const own = (await as('POST', '/v1/clients', { name: 'yy desk', roles: ['desk'], stations: ['YY'] })).json();
    const wider = [(await post({ name: 'cg desk', roles: ['desk'], stations: ['CG'] })).json(), (await post({ name: 'root-made admin', roles: ['admin'] })).json(), (await post({ name: 'yy+cg', roles: ['desk'], stations: ['YY', 'CG'] })).json()];
    const listed: string[] = [];
    for (let cursor: string | null = null, first = true; first || cursor; first = false) {
      const page: { items: { clientId: string }[]; nextCursor: string | null } = (await as('GET', `/v1/clients?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).json();
      listed.push(...page.items.map((c) => c.clientId));
      cursor = page.nextCursor;
    }
    expect(listed).toContain(own.clientId);
    for (const other of wider) {
      expect(listed).not.toContain(other.clientId);
      expect((await as('PATCH', `/v1/clients/${other.clientId}`, { ratePerMinute: 1 })).statusCode).toBe(404);
      expect((await as('DELETE', `/v1/clients/${other.clientId}`)).statusCode).toBe(404);
    }
    // The wider clients are untouched, and the limited token manages its own.
    const all = (await service.app.inject({ method: 'GET', url: '/v1/clients?limit=200', headers: bearer() })).json().items as { clientId: string; revokedAt?: string; ratePerMinute?: number }[];
    for (const other of wider) {
      const row = all.find((c) => c.clientId === other.clientId);
      expect(row && [row.revokedAt, row.ratePerMinute]).toEqual([undefined, undefined]);
    }
    expect((await as('PATCH', `/v1/clients/${own.clientId}`, { ratePerMinute: 5 })).json()).toMatchObject({ clientId: own.clientId, ratePerMinute: 5 });
    expect((await as('DELETE', `/v1/clients/${own.clientId}`)).statusCode).toBe(204);
  });

  it('refuses a role listed twice and an officerId on a token no person holds, staff map or not', async () => {
    expect(await paths({ name: 'r', roles: ['reporter', 'reporter'] })).toEqual({ status: 400, paths: ['roles'] });
    expect(await paths({ name: 'r', roles: ['reporter'], officerId: 'CG-PG01-officer' })).toEqual({ status: 400, paths: ['officerId'] });
    expect(await paths({ name: 'a', roles: ['admin', 'reporter'], officerId: 'CG-PG01-officer' })).toEqual({ status: 400, paths: ['officerId'] });
  });

  it('once the staff map is in, issues a token naming an unknown officer, station or grid with a warning naming each (a token of another station is how scope is tested), and known ones without', async () => {
    await storeStaffMap(service.rt.db, {
      version: 1,
      station: 'CG',
      officers: [
        { officerId: 'CG-PG01-officer', role: 'officer', policeGridCode: 'CG-PG01' },
        { officerId: 'worker-CG-01-01', role: 'gridWorker', gridCode: 'CG-01-01', policeGridCode: 'CG-PG01' },
      ],
      grids: ['CG-01-01', 'CG-01-02'],
      updatedAt: new Date().toISOString(),
    });
    expect(await warned({ name: 'o', roles: ['officer'], stations: ['CG'], officerId: 'nobody' })).toEqual({ status: 201, paths: ['officerId'] });
    expect(await warned({ name: 'd', roles: ['desk'], stations: ['CG', 'NOPE'] })).toEqual({ status: 201, paths: ['stations.1'] });
    expect(await warned({ name: 'c', roles: ['community'], stations: ['CG'], grids: ['CG-01-02', 'ZZ-99'] })).toEqual({ status: 201, paths: ['grids.1'] });
    // A community token acting as a grid worker must name one: refused, as before.
    expect(await paths({ name: 'c', roles: ['community'], stations: ['NOPE'], officerId: 'nobody' })).toEqual({ status: 400, paths: ['officerId'] });
    const warning = await post({ name: 'o', roles: ['officer'], stations: ['CG'], officerId: 'nobody' });
    expect(warning.json().warnings).toEqual([{ path: 'officerId', message: expect.stringContaining('no officer of the station has this id') }]);
    // Once the map has said the station, a token without stations is told which to list, beside what else it names wrong.
    const stationless = await post({ name: 'd', roles: ['desk', 'officer'], officerId: 'nobody' });
    expect(stationless.json().warnings).toEqual([
      { path: 'stations', message: "none given: only an admin token is station-wide without stations, so this desk, officer token sees no station's cases; list this install's station (CG)" },
      { path: 'officerId', message: expect.stringContaining('no officer of the station has this id') },
    ]);
    for (const known of [
      { name: 'o', roles: ['officer'], stations: ['CG'], officerId: 'CG-PG01-officer' },
      { name: 'w', roles: ['community'], stations: ['CG'], officerId: 'worker-CG-01-01' },
      { name: 'c', roles: ['community'], grids: ['CG-01-01'], officerId: 'CG-PG01-officer' },
    ]) {
      expect(await warned(known)).toEqual({ status: 201, paths: [] });
    }

    expect((await post({ name: 'o', roles: ['officer'], stations: ['CG'], officerId: 'CG-PG01-officer' })).statusCode).toBe(201);
    expect((await post({ name: 'w', roles: ['community'], stations: ['CG'], officerId: 'worker-CG-01-01' })).statusCode).toBe(201);
    // A community token with its grids given may name the person it is for: any officer of the station.
    expect((await post({ name: 'c', roles: ['community'], grids: ['CG-01-01'], officerId: 'CG-PG01-officer' })).statusCode).toBe(201);
    expect((await post({ name: 'c', roles: ['community'], grids: ['CG-01-02'] })).statusCode).toBe(201);
  });

  it('takes any grid while the staff map is one published before maps carried grids', async () => {
    await storeStaffMap(service.rt.db, { version: 2, station: 'CG', officers: [{ officerId: 'CG-PG01-officer', role: 'officer' }], updatedAt: new Date().toISOString() });
    expect(await warned({ name: 'c', roles: ['community'], grids: ['ZZ-99'] })).toEqual({ status: 201, paths: [] });
  });

  it('refuses a token acting as a grid worker the staff map knows with a role that would show reporters whole; a grid worker is community (audit17 #4)', async () => {
    await storeStaffMap(service.rt.db, {
      version: 3,
      station: 'CG',
      officers: [
        { officerId: 'CG-PG01-officer', role: 'officer', policeGridCode: 'CG-PG01' },
        { officerId: 'CG-lead', role: 'lead' },
        { officerId: 'worker-CG-01-01', role: 'gridWorker', gridCode: 'CG-01-01', policeGridCode: 'CG-PG01' },
      ],
      grids: ['CG-01-01'],
      updatedAt: new Date().toISOString(),
    });
    const asWorker = await post({ name: 'officer-as-worker', roles: ['officer'], stations: ['CG'], officerId: 'worker-CG-01-01' });
    expect(asWorker.statusCode).toBe(400);
    expect(asWorker.json().errors).toEqual([
      { path: 'officerId', message: "worker-CG-01-01 is a grid worker: a grid worker's token has role community, not officer (which would show reporters' personal data)" },
    ]);
    for (const roles of [['supervisor'], ['desk'], ['community', 'officer']]) {
      expect(await paths({ name: 'w', roles, stations: ['CG'], officerId: 'worker-CG-01-01' }), roles.join()).toEqual({ status: 400, paths: ['officerId'] });
    }
    // The posts that take an officer's, supervisor's or desk token, and a grid worker's community token, are issued.
    for (const fine of [
      { name: 'o', roles: ['officer', 'supervisor'], stations: ['CG'], officerId: 'CG-PG01-officer' },
      { name: 'l', roles: ['supervisor', 'desk'], stations: ['CG'], officerId: 'CG-lead' },
      { name: 'w', roles: ['community'], stations: ['CG'], officerId: 'worker-CG-01-01' },
    ]) {
      expect(await warned(fine), fine.name).toEqual({ status: 201, paths: [] });
    }
    // A person the map does not know is issued with the warning, as before.
    expect(await warned({ name: 'o', roles: ['officer'], stations: ['CG'], officerId: 'worker-CG-99-99' })).toEqual({ status: 201, paths: ['officerId'] });
  });

  it("serves, beside the revoked clients, the current grid of each grid worker's community token issued without grids (audit18 #4)", async () => {
    const map = (version: number, workerGrid: string | undefined) =>
      storeStaffMap(service.rt.db, {
        version,
        station: 'CG',
        officers: [
          { officerId: 'CG-PG01-officer', role: 'officer', policeGridCode: 'CG-PG01' },
          ...(workerGrid ? [{ officerId: 'worker-CG-01-01', role: 'gridWorker' as const, gridCode: workerGrid, policeGridCode: 'CG-PG01' }] : []),
        ],
        grids: ['CG-01-01', 'CG-01-02'],
        updatedAt: new Date().toISOString(),
      });
    const standing = async () => {
      const res = await service.app.inject({ method: 'GET', url: '/v1/clients/revoked', headers: bearer() });
      expect(res.statusCode).toBe(200);
      return res.json() as { clientIds: string[]; workerGrids: Record<string, string[]> };
    };
    await map(4, 'CG-01-01');
    const worker = (await post({ name: 'w', roles: ['community'], stations: ['CG'], officerId: 'worker-CG-01-01' })).json() as { clientId: string; token: string };
    const given = (await post({ name: 'g', roles: ['community'], grids: ['CG-01-01'], officerId: 'worker-CG-01-01' })).json() as { clientId: string };
    expect((await standing()).workerGrids[worker.clientId]).toEqual(['CG-01-01']);
    // Grids given when the token was issued are its grids for good.
    expect((await standing()).workerGrids[given.clientId]).toBeUndefined();
    const listed = (await service.app.inject({ method: 'GET', url: '/v1/clients?limit=200', headers: bearer() })).json().items as { clientId: string; gridsFollowOfficer?: boolean }[];
    expect(listed.find((c) => c.clientId === worker.clientId)).toMatchObject({ grids: ['CG-01-01'], gridsFollowOfficer: true });
    expect(listed.find((c) => c.clientId === given.clientId)?.gridsFollowOfficer).toBeUndefined();

    // The worker moves: the token (which still carries CG-01-01) sees CG-01-02, here too once the list is refreshed.
    await map(5, 'CG-01-02');
    expect((await standing()).workerGrids[worker.clientId]).toEqual(['CG-01-02']);
    await service.rt.revocations.refresh(); // what the periodic refresh does
    const principal = service.rt.signer.verify(worker.token)!;
    expect(principal.grids).toEqual(['CG-01-01']);
    expect(service.rt.revocations.current(principal).grids).toEqual(['CG-01-02']);

    // A worker the map no longer has serves no grid: the token sees none.
    await map(6, undefined);
    expect((await standing()).workerGrids[worker.clientId]).toEqual([]);
    // A revoked client is refused anyway: it is not listed.
    expect((await service.app.inject({ method: 'DELETE', url: `/v1/clients/${worker.clientId}`, headers: bearer() })).statusCode).toBe(204);
    const after = await standing();
    expect(after.clientIds).toContain(worker.clientId);
    expect(after.workerGrids[worker.clientId]).toBeUndefined();
  });
});
