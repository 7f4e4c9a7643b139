import { describe, expect, it } from 'vitest';
import { eventually } from '../harness.ts';
import { stationOnStack } from './station.ts';

/**
 * A grid worker's community token issued with `officerId` only (no `grids`) sees the grid its worker
 * serves in the current reference data, not the one it had when issued (audit18 #4; CONTRACT "Scope
 * and roles"). Every service learns the new grid with the revocation list it refreshes from intake.
 */
describe("a grid worker's community token after the worker moves to another grid, on the real stack", () => {
  const opened = stationOnStack();

  it('sees the cases of its new grid, and no longer those of its old one', async () => {
    const { stack, st } = opened;
    const [from, to] = [st.grids[0]!, st.grids[1]!];
    const worker = st.officerOf(from, 'gridWorker');
    const other = st.officerOf(to, 'gridWorker');
    const community = await st.client(worker.name, ['community'], worker.officerId);
    const caseOf = (caseId: string) => stack.call('desk', 'GET', `/v1/cases/${caseId}`, { token: community.token });

    const old = await st.openCase({ location: { gridCode: from.code } });
    expect((await caseOf(old.caseId)).status).toBe(200);

    // The two grid workers swap grids.
    const doc = (await stack.call('assignment', 'GET', '/v1/reference-data')).body;
    const swap: Record<string, string> = { [worker.officerId]: to.code, [other.officerId]: from.code };
    doc.officers = doc.officers.map((o: { officerId: string }) => (swap[o.officerId] ? { ...o, gridCode: swap[o.officerId] } : o));
    const put = await stack.call('assignment', 'PUT', '/v1/reference-data', { body: doc });
    expect(put.status, JSON.stringify(put.body)).toBe(200);

    const moved = await st.openCase({ location: { gridCode: to.code } });
    const assigned = st.events(moved.caseId, 'assigned').at(-1)!;
    expect(assigned.data.assignees.map((a: { officerId: string }) => a.officerId)).toContain(worker.officerId);

    // Once the desk has refreshed the list from intake (every 30 s), the token sees its own new case
    // and acts on it as its owner, and its old grid's case (now another worker's) is gone from it.
    const seen = await eventually(
      'the community token to see its case in the new grid',
      async () => {
        const res = await caseOf(moved.caseId);
        return res.status === 200 ? res : undefined;
      },
      90_000,
    );
    expect(seen.body.gridCode).toBe(to.code);
    expect((await caseOf(old.caseId)).status).toBe(404);
    const list = await stack.call('desk', 'GET', '/v1/cases?limit=200', { token: community.token });
    expect(list.status).toBe(200);
    const listed = (list.body.items as { caseId: string }[]).map((c) => c.caseId);
    expect(listed).toContain(moved.caseId);
    expect(listed).not.toContain(old.caseId);
    const acknowledged = await st.command(community, moved.caseId, 'acknowledge');
    expect(acknowledged.status, JSON.stringify(acknowledged.body)).toBe(200);

    // Intake lists the client as following its worker's grid, and serves its current grid to the services.
    const standing = (await stack.call('intake', 'GET', '/v1/clients/revoked')).body;
    expect(standing.workerGrids[community.clientId]).toEqual([to.code]);
  });
});
