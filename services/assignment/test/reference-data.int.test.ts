import { type Actor, type DataOf, makeMessage, newId, type ReferenceData, STAFF_KEY, type StaffMap, TOPICS } from '@gridcase/contracts';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, isolatedEnv, type ReadRecord, readTopic, routesTakingUnknownQuery, testProducer } from '../../../infra/test/harness.ts';
import { cases as casesTable } from '../src/db/schema.ts';
import { DEMO_STATION } from '../src/domain/demo-station.ts';
import { start } from '../src/main.ts';
import { box } from './geometry.ts';

type Assigned = DataOf<'gridcase.case.assigned.v1'>;


/** The demo station with `change` applied to a copy of its grids and officers. */
const demoWith = (change: (doc: ReferenceData) => void): ReferenceData => {
  const doc = structuredClone(DEMO_STATION);
  change(doc);
  return doc;
};
const gridOf = (doc: ReferenceData, code: string) => doc.grids.find((g) => g.code === code)!;

describe('reference data versions, validation, redraws and addresses against real Kafka and Postgres', () => {
  let env: Record<string, string>;
  let service: Awaited<ReturnType<typeof start>>;
  let topic: Awaited<ReturnType<typeof readTopic>>;
  let producer: Awaited<ReturnType<typeof testProducer>>;

  beforeAll(async () => {
    env = await isolatedEnv({ ASSIGNMENT_PORT: '0' });
    service = await start(env);
    topic = await readTopic(env, TOPICS.cases);
    producer = await testProducer(env);
  });
  afterAll(async () => {
    await producer?.disconnect();
    await topic?.close();
    await service?.rt.shutdown('test done');
  });

  const desk: Actor = { clientId: 'desk-client', name: '值班员', roles: ['desk'] };
  const supervisor: Actor = { clientId: 'boss-app', name: '所领导', roles: ['supervisor'] };
  const ofCase = (caseId: string, type: string) => (r: ReadRecord) => r.key === caseId && r.message?.type === type;
  const assignedOf = async (caseId: string, count = 1) =>
    (await topic.waitFor(`case.assigned for ${caseId}`, ofCase(caseId, 'gridcase.case.assigned.v1'), count)).map((h) => h.message!.data as Assigned);
  const assignedCount = (caseId: string) => topic.records.filter(ofCase(caseId, 'gridcase.case.assigned.v1')).length;
  const get = async (url: string) => {
    const res = await service.app.inject({ method: 'GET', url, headers: bearer() });
    expect(res.statusCode, url).toBe(200);
    return res.json().items as Record<string, unknown>[];
  };
  const put = (doc: unknown) => service.app.inject({ method: 'PUT', url: '/v1/reference-data', headers: bearer(), payload: doc as object });

  /** Plays triage: an anonymous reporter's case at `location` (anonymous: a passed verification closes it). */
  async function openCase(location: DataOf<'gridcase.case.opened.v1'>['location']) {
    const caseId = newId();
    const now = Date.now();
    const opened = makeMessage('gridcase.case.opened.v1', {
      source: '/test/triage',
      subject: caseId,
      data: {
        caseId,
        caseNumber: `CG-2026-${String(now % 1_000_000).padStart(6, '0')}`,
        reportId: newId(),
        station: 'CG',
        kind: 'dispute',
        category: 'dispute.neighbour',
        severity: 'yellow',
        description: '楼道里堆满杂物',
        location,
        respondBy: new Date(now + 30 * 60_000).toISOString(),
        resolveBy: new Date(now + 72 * 3_600_000).toISOString(),
        rule: 'test',
        openedAt: new Date(now).toISOString(),
        reporter: { anonymous: true, hasContact: false },
      },
    });
    await producer.sendTo(TOPICS.cases, caseId, JSON.stringify(opened));
    await assignedOf(caseId);
    return caseId;
  }
  async function sendCommand(type: 'gridcase.case-command.resolve.v1' | 'gridcase.case-command.verify.v1', caseId: string, data: object, by: Actor) {
    const commandId = newId();
    const command = makeMessage(type, { source: '/test/desk', subject: caseId, id: commandId, data: { commandId, caseId, by, issuedAt: new Date().toISOString(), ...data } as never });
    await producer.sendTo(TOPICS.caseCommands, caseId, JSON.stringify(command));
  }

  it('seeds the demo station as version 1 with its gazetteer, and routes an address-only report by it', async () => {
    expect(await get('/v1/reference-data/versions')).toEqual([expect.objectContaining({ version: 1, source: 'seed' })]);
    expect((await get('/v1/addresses')).length).toBeGreaterThanOrEqual(40);

    const caseId = await openCase({ address: '永昌县城关镇宝河苑二期５号楼３单元楼道' });
    const [assigned] = await assignedOf(caseId);
    expect(assigned).toMatchObject({
      routedBy: 'address',
      policeGridCode: 'CG-01',
      gridCode: 'CG-01-02',
      assignees: [{ officerId: 'officer-CG-01' }, { officerId: 'worker-CG-01-02' }],
    });
    const [row] = await service.rt.db.select().from(casesTable).where(eq(casesTable.caseId, caseId));
    expect(row).toMatchObject({ routedBy: 'address', referenceVersion: 1 });

    const unknown = await openCase({ address: '某某路999号' });
    expect((await assignedOf(unknown))[0]).toMatchObject({ routedBy: 'desk', reason: 'the address matches no building in the gazetteer' });
  });

  it("publishes the staff map with the station's community grid codes, so intake can check a token's grids", async () => {
    const reference = await readTopic(env, TOPICS.reference);
    try {
      const [staff] = await reference.waitFor('staff map', (r) => r.key === STAFF_KEY);
      expect((staff!.message!.data as StaffMap).grids).toEqual(DEMO_STATION.grids.map((g) => g.code).sort());
    } finally {
      await reference.close();
    }
  });

  it('refuses a misspelt or unknown query parameter on every route, naming it', async () => {
    const officers = await service.app.inject({ method: 'GET', url: '/v1/officers?station=CG', headers: bearer() });
    expect(officers.statusCode).toBe(400);
    expect(officers.json().errors).toEqual([{ path: 'querystring.station', message: 'unknown field' }]);
    expect(await routesTakingUnknownQuery(service.app)).toEqual([]);
  });

  it('refuses a bad import naming every problem with its grid codes, and changes nothing', async () => {
    const gridsBefore = await get('/v1/grids');
    const bad = demoWith((doc) => {
      // CG-01-01 reaches into its neighbour CG-01-02 (named at CG-01-02, the later grid of the pair); CG-02-01's ring crosses itself; a worker serves a grid that does not exist.
      gridOf(doc, 'CG-01-01').geometry = box(101.93, 38.26, 101.938, 38.27);
      gridOf(doc, 'CG-02-01').geometry = {
        type: 'Polygon',
        coordinates: [
          [
            [101.942, 38.26],
            [101.948, 38.27],
            [101.948, 38.26],
            [101.942, 38.27],
            [101.942, 38.26],
          ],
        ],
      };
      doc.officers = doc.officers.map((o) => (o.officerId === 'worker-CG-03-01' ? { ...o, gridCode: 'CG-03-09' } : o));
    });
    const res = await put(bad);
    expect(res.statusCode).toBe(400);
    const errors = res.json().errors as { path: string; message: string }[];
    const workerIndex = bad.officers.findIndex((o) => o.officerId === 'worker-CG-03-01');
    expect(errors).toEqual(
      expect.arrayContaining([
        { path: `officers.${workerIndex}.gridCode`, message: 'unknown grid CG-03-09' },
        { path: 'grids.1.geometry', message: expect.stringMatching(/^grid CG-01-02 overlaps grid CG-01-01 of police grid CG-01 by \d+ m²$/) },
        { path: 'grids.2.geometry', message: expect.stringMatching(/^grid CG-02-01: a ring crosses itself at /) },
      ]),
    );
    expect(await get('/v1/reference-data/versions')).toHaveLength(1);
    expect(await get('/v1/grids')).toEqual(gridsBefore);
  });

  it('names a cross-reference beside a field of the wrong type in one 400', async () => {
    const bad = demoWith((doc) => {
      (doc.officers[0] as { onDuty: unknown }).onDuty = 'yes';
      doc.grids[1]!.policeGridCode = 'PG-NOSUCH';
    });
    const res = await put(bad);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual(
      expect.arrayContaining([
        { path: 'officers.0.onDuty', message: expect.any(String) },
        { path: 'grids.1.policeGridCode', message: 'unknown police grid PG-NOSUCH' },
      ]),
    );
    expect(await get('/v1/reference-data/versions')).toHaveLength(1);

    // An unknown role does not hide another officer's unknown police grid (audit 5 #11).
    const roles = demoWith((doc) => {
      (doc.officers[0] as { role: unknown }).role = 'boss';
      doc.officers.push({ officerId: 'officer-CG-99', name: '幽灵', role: 'officer', policeGridCode: 'CG-99', onDuty: true });
    });
    const both = await put(roles);
    expect(both.json().errors).toEqual(
      expect.arrayContaining([
        { path: 'officers.0.role', message: expect.any(String) },
        { path: `officers.${roles.officers.length - 1}.policeGridCode`, message: 'unknown police grid CG-99' },
      ]),
    );
  });

  it('a redraw re-homes the open cases whose place moved, whose owner left or moved to another grid, and no others', async () => {
    // CG-01 spans 101.930–101.942 E, split at 101.936 into CG-01-01 (west) and CG-01-02 (east).
    const moves = await openCase({ lat: 38.265, lng: 101.9355 });
    const stays = await openCase({ lat: 38.265, lng: 101.931 });
    const closed = await openCase({ lat: 38.265, lng: 101.9356 });
    const byCode = await openCase({ gridCode: 'CG-05-01' });
    const ownerLeaves = await openCase({ gridCode: 'CG-06-01' });
    const workerMoves = await openCase({ gridCode: 'CG-08-01' });
    await sendCommand('gridcase.case-command.resolve.v1', closed, { outcome: 'resolved', note: '已清理' }, desk);
    await sendCommand('gridcase.case-command.verify.v1', closed, { result: 'passed', note: '核查属实' }, supervisor);
    await topic.waitFor(`case.closed for ${closed}`, ofCase(closed, 'gridcase.case.closed.v1'));

    const redrawn = demoWith((doc) => {
      gridOf(doc, 'CG-01-01').geometry = box(101.93, 38.26, 101.935, 38.27);
      gridOf(doc, 'CG-01-02').geometry = box(101.935, 38.26, 101.942, 38.27);
      doc.officers = doc.officers.map((o) => (o.officerId === 'worker-CG-06-01' ? { ...o, officerId: 'worker-CG-06-01-new', name: '小新' } : o));
      doc.rosters = doc.rosters?.map((r) => (r.officerId === 'worker-CG-06-01' ? { ...r, officerId: 'worker-CG-06-01-new' } : r));
      // The grid workers of CG-08-01 and CG-08-02 swap grids (audit5 #3): both stay on the roster.
      const swap: Record<string, string> = { 'worker-CG-08-01': 'CG-08-02', 'worker-CG-08-02': 'CG-08-01' };
      doc.officers = doc.officers.map((o) => (swap[o.officerId] ? { ...o, gridCode: swap[o.officerId] } : o));
    });
    const res = await put(redrawn);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ version: 2, grids: 36, addresses: DEMO_STATION.addresses!.length, notes: [] });
    expect(res.json().rehomed).toEqual(
      expect.arrayContaining([
        { caseId: moves, reason: 'the grids were redrawn: the place now lies in grid CG-01-02, not CG-01-01' },
        { caseId: ownerLeaves, reason: 'owner left the roster' },
        { caseId: workerMoves, reason: 'owner moved to another grid: the gridWorker now serves CG-08-02' },
      ]),
    );
    expect(res.json().rehomed).toHaveLength(3);

    expect((await assignedOf(moves, 2))[1]).toMatchObject({
      routedBy: 'redrawn',
      gridCode: 'CG-01-02',
      assignees: [{ officerId: 'officer-CG-01' }, { officerId: 'worker-CG-01-02' }],
    });
    expect((await assignedOf(ownerLeaves, 2))[1]).toMatchObject({
      routedBy: 'redrawn',
      reason: 'owner left the roster',
      gridCode: 'CG-06-01',
      assignees: [{ officerId: 'officer-CG-06' }, { officerId: 'worker-CG-06-01-new' }],
    });
    expect((await assignedOf(workerMoves, 2))[1]).toMatchObject({
      routedBy: 'redrawn',
      gridCode: 'CG-08-01',
      assignees: [{ officerId: 'officer-CG-08' }, { officerId: 'worker-CG-08-02' }],
    });
    const [row] = await service.rt.db.select().from(casesTable).where(eq(casesTable.caseId, moves));
    expect(row).toMatchObject({ gridCode: 'CG-01-02', routedBy: 'redrawn', referenceVersion: 2 });

    // The same document again is a new version that moves nothing.
    const again = await put(redrawn);
    expect(again.json()).toMatchObject({ version: 3, rehomed: [] });
    for (const caseId of [stays, closed, byCode]) expect(assignedCount(caseId), caseId).toBe(1);
    expect(assignedCount(moves)).toBe(2);
  });

  it('takes effectiveAt from the document, and refuses one in the future', async () => {
    const past = '2026-01-01T00:00:00.000Z';
    const ok = await put({ ...DEMO_STATION, effectiveAt: past });
    expect(ok.json()).toMatchObject({ effectiveAt: past });
    const future = await put({ ...DEMO_STATION, effectiveAt: new Date(Date.now() + 86_400_000).toISOString() });
    expect(future.statusCode).toBe(400);
    expect(future.json().errors).toEqual([{ path: 'effectiveAt', message: 'must not be in the future: import the document when it takes effect' }]);
    // Every problem at once: the future effectiveAt beside a malformed field and beside a broken reference.
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    const malformed = await put({ ...DEMO_STATION, station: { ...DEMO_STATION.station, name: 7 }, effectiveAt: tomorrow });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().errors.map((e: { path: string }) => e.path)).toEqual(['station.name', 'effectiveAt']);
    const unknownPoliceGrid = demoWith((doc) => {
      gridOf(doc, 'CG-01-01').policeGridCode = 'NO-SUCH';
    });
    const broken = await put({ ...unknownPoliceGrid, effectiveAt: tomorrow });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['effectiveAt', expect.stringMatching(/^grids\.\d+\.policeGridCode$/)]));
  });

  it('answers the whole station in the shape PUT takes, leave included: sent back it changes nothing but the version (audit 5 #2)', async () => {
    const staff = service.rt.signer.issue({ clientId: 'desk-1', name: 'desk', roles: ['desk', 'supervisor'], stations: ['CG'] });
    const as = (token?: string) => (token ? bearer(token) : bearer());
    const getDoc = async () => {
      const res = await service.app.inject({ method: 'GET', url: '/v1/reference-data', headers: as() });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as ReferenceData;
    };
    const leaveOf = async (officerId: string) =>
      (await service.app.inject({ method: 'GET', url: `/v1/officers/${officerId}/leave`, headers: as(staff) })).json().items as { leaveId: string; source: string; reason: string }[];
    const record = async (officerId: string, reason: string) => {
      const res = await service.app.inject({
        method: 'POST',
        url: `/v1/officers/${officerId}/leave`,
        headers: as(staff),
        payload: { from: '2030-03-01T00:00:00.000Z', until: '2030-03-08T00:00:00.000Z', reason },
      });
      expect(res.statusCode, res.body).toBe(201);
    };
    expect((await service.app.inject({ method: 'GET', url: '/v1/reference-data', headers: as(staff) })).statusCode).toBe(403);

    const seconded = DEMO_STATION.rosters!.find((r) => r.leave.length > 0)!;
    const [sick, away, far] = DEMO_STATION.officers.filter((o) => o.role === 'officer' && o.officerId !== seconded.officerId).map((o) => o.officerId);
    await record(sick!, '病假');
    const before = { seconded: await leaveOf(seconded.officerId), sick: await leaveOf(sick!) };
    expect(before.seconded).toEqual([expect.objectContaining({ source: 'import' })]);

    const doc = await getDoc();
    const leaveIn = (d: ReferenceData, officerId: string) => d.rosters?.find((r) => r.officerId === officerId)?.leave;
    expect(leaveIn(doc, seconded.officerId)).toEqual(seconded.leave.map((l) => ({ ...l, from: new Date(l.from).toISOString(), until: new Date(l.until).toISOString() })));
    expect(leaveIn(doc, sick!)).toEqual([{ from: '2030-03-01T00:00:00.000Z', until: '2030-03-08T00:00:00.000Z', reason: '病假' }]);
    expect(doc).not.toHaveProperty('effectiveAt');

    const versions = (await get('/v1/reference-data/versions')).length;
    const again = await put(doc);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ version: versions + 1, rehomed: [], notes: [] });
    expect(await getDoc()).toEqual(doc);
    // The very same leave: ids, source and recorder kept.
    expect(await leaveOf(seconded.officerId)).toEqual(before.seconded);
    expect(await leaveOf(sick!)).toEqual(before.sick);
    const entry = ((await get('/v1/audit')) as { action: string; before: { leave: number }; after: { version: number; leave: number } }[]).find(
      (e) => e.action === 'reference-data.replaced' && e.after.version === versions + 1,
    );
    expect(entry!.after.leave).toBe(entry!.before.leave);

    // A document that lists a person's leave gives their whole leave; recorded leave of someone it lists none for stays.
    await record(away!, '外出培训');
    const withLeave = structuredClone(doc);
    const longAway = { from: '2090-01-01T00:00:00.000Z', until: '2091-01-01T00:00:00.000Z', reason: '长期借调' };
    withLeave.rosters = withLeave.rosters!.map((r) => (r.officerId === far ? { ...r, leave: [...r.leave, longAway] } : r));
    expect((await put(withLeave)).json().notes).toEqual([]);
    const edited = structuredClone(withLeave);
    edited.rosters = edited.rosters!.map((r) =>
      r.officerId === sick
        ? { ...r, leave: [{ from: '2030-04-01T00:00:00.000Z', until: '2030-04-02T00:00:00.000Z', reason: '调休' }] }
        : r.officerId === seconded.officerId || r.officerId === far
          ? { ...r, leave: [] }
          : r,
    );
    const edit = await put(edited);
    expect(edit.statusCode).toBe(200);
    // Imported leave still to come, dropped by listing none, is said in the answer; a new list replacing leave is not.
    const notes = edit.json().notes as string[];
    expect(notes).toContain(`imported leave of ${far} until ${longAway.until} was dropped: the document lists no leave for them (GET /v1/reference-data shows the current leave to send back)`);
    expect(notes.filter((n) => n.includes(`${sick} `))).toEqual([]);
    expect(JSON.stringify(notes)).not.toContain('借调');
    expect(await leaveOf(sick!)).toEqual([expect.objectContaining({ source: 'import', reason: '调休' })]);
    expect(await leaveOf(seconded.officerId)).toEqual([]);
    expect(await leaveOf(away!)).toEqual([expect.objectContaining({ source: 'api', reason: '外出培训' })]);
  });

  it('takes a document that leaves grids without the people routing needs, naming each in its notes; their new cases then go to the desk leader as said (audit11 #10)', async () => {
    const gone = new Set(['officer-CG-05', 'worker-CG-05-01', 'lead-CG-05', 'worker-CG-06-01']);
    const unstaffed = demoWith((doc) => {
      doc.officers = doc.officers.filter((o) => !gone.has(o.officerId));
      doc.rosters = doc.rosters?.filter((r) => !gone.has(r.officerId));
    });
    const res = await put(unstaffed);
    expect(res.statusCode, res.body).toBe(200);
    // Less any note of leave the test before left imported (this document drops it).
    expect((res.json().notes as string[]).filter((n) => !n.startsWith('imported leave'))).toEqual([
      'community grids with no grid worker, whose police grid has no grid officer either: every new case there goes straight to the duty desk leader: CG-05-01',
      expect.stringMatching(/^police grids with no grid officer: .*: CG-05$/),
      'community grids with no grid worker: their grid officer takes their cases alone: CG-06-01',
      'police grids with no lead: escalation of their cases passes over the lead to the duty desk leader: CG-05',
    ]);
    const toDesk = await openCase({ gridCode: 'CG-05-01' });
    expect((await assignedOf(toDesk))[0]).toMatchObject({ routedBy: 'desk', assignees: [{ role: 'deskLeader' }] });
    const officerAlone = await openCase({ gridCode: 'CG-06-01' });
    expect((await assignedOf(officerAlone))[0]).toMatchObject({ gridCode: 'CG-06-01', assignees: [{ officerId: 'officer-CG-06' }] });

    // Staffed again: no notes.
    const restored = await put(DEMO_STATION);
    expect(restored.json().notes).toEqual([]);
  });
});
