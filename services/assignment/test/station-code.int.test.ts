import type { ReferenceData } from '@gridcase/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, isolatedEnv } from '../../../infra/test/harness.ts';
import { DEMO_STATION } from '../src/domain/demo-station.ts';
import { start } from '../src/main.ts';

/** The demo station under another station code, as a deployment's own document or a typo of the code. */
const stationCoded = (code: string): ReferenceData => ({
  ...DEMO_STATION,
  station: { ...DEMO_STATION.station, code },
  policeGrids: DEMO_STATION.policeGrids.map((p) => ({ ...p, stationCode: code })),
});

describe("PUT /v1/reference-data keeps the deployment's station code", () => {
  let service: Awaited<ReturnType<typeof start>>;

  beforeAll(async () => {
    service = await start(await isolatedEnv({ ASSIGNMENT_PORT: '0' }));
  });
  afterAll(async () => {
    await service?.rt.shutdown('test done');
  });

  const put = (doc: ReferenceData) => service.app.inject({ method: 'PUT', url: '/v1/reference-data', headers: bearer(), payload: doc });
  const stations = async () => (await service.app.inject({ method: 'GET', url: '/v1/stations', headers: bearer() })).json().items.map((s: { code: string }) => s.code);

  it("lets a fresh install's first load replace the demo seed's station, then refuses another code naming station.code", async () => {
    expect(await stations()).toEqual(['CG']);
    expect((await put(stationCoded('YY'))).statusCode).toBe(200);
    expect(await stations()).toEqual(['YY']);

    const changed = await put(stationCoded('CG'));
    expect(changed.statusCode).toBe(400);
    expect(changed.headers['content-type']).toContain('application/problem+json');
    expect(changed.json().errors).toEqual([
      { path: 'station.code', message: "this deployment's station is YY: a document may replace its grids and roster, not its station code" },
    ]);
    expect(await stations()).toEqual(['YY']);
    expect((await put(stationCoded('YY'))).statusCode).toBe(200);
  });
});
