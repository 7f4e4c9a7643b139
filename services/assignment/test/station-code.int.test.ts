import type { ReferenceData } from '@gridcase/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, isolatedEnv } from '../../../infra/test/harness.ts';
import { demoStationCoded } from '../src/domain/demo-station.ts';
import { start } from '../src/main.ts';

/** A fresh install (its own database) under `STATION_CODE`, and its reference-data routes. */
async function install(env: Record<string, string>) {
  const service = await start(await isolatedEnv({ ASSIGNMENT_PORT: '0', ...env }));
  return {
    service,
    put: (doc: ReferenceData) => service.app.inject({ method: 'PUT', url: '/v1/reference-data', headers: bearer(), payload: doc }),
    stations: async () => (await service.app.inject({ method: 'GET', url: '/v1/stations', headers: bearer() })).json().items.map((s: { code: string }) => s.code),
  };
}

describe("PUT /v1/reference-data keeps the install's station code (STATION_CODE)", () => {
  let installs: Awaited<ReturnType<typeof install>>[] = [];
  let cg: Awaited<ReturnType<typeof install>>;
  let yy: Awaited<ReturnType<typeof install>>;

  beforeAll(async () => {
    cg = await install({});
    yy = await install({ STATION_CODE: 'YY' });
    installs = [cg, yy];
  });
  afterAll(async () => {
    for (const i of installs) await i.service.rt.shutdown('test done');
  });

  it("refuses a document of another station, naming station.code and STATION_CODE, even as a fresh install's first load", async () => {
    expect(await cg.stations()).toEqual(['CG']);
    const other = await cg.put(demoStationCoded('YY'));
    expect(other.statusCode).toBe(400);
    expect(other.headers['content-type']).toContain('application/problem+json');
    expect(other.json().errors).toEqual([
      { path: 'station.code', message: "this install's station is CG (STATION_CODE): a document may replace its grids and roster, not its station code" },
    ]);
    expect(await cg.stations()).toEqual(['CG']);
    expect((await cg.put(demoStationCoded('CG'))).statusCode).toBe(200);
  });

  it('seeds the demo station under STATION_CODE, so tokens and case numbers agree with the reference data', async () => {
    expect(await yy.stations()).toEqual(['YY']);
    const grids = (await yy.service.app.inject({ method: 'GET', url: '/v1/police-grids', headers: bearer() })).json().items;
    expect(new Set(grids.map((p: { stationCode: string }) => p.stationCode))).toEqual(new Set(['YY']));
    expect((await yy.put(demoStationCoded('CG'))).statusCode).toBe(400);
    expect((await yy.put(demoStationCoded('YY'))).statusCode).toBe(200);
  });
});
