import { ClientRole } from '@gridcase/contracts';
import { scopeOf } from '@gridcase/service-kit';
import { describe, expect, it } from 'vitest';
import { issuerRefusal, stationlessWarning } from '../src/domain/station-scope.ts';

describe('stationlessWarning: a token about to be issued that would see no station (audit11 #10)', () => {
  it('warns of a desk, officer or supervisor token without stations, naming its roles and the station to list', () => {
    expect(stationlessWarning(['desk'], undefined, 'CG')).toEqual({
      path: 'stations',
      message: "none given: only an admin token is station-wide without stations, so this desk token sees no station's cases; list this install's station (CG)",
    });
    expect(stationlessWarning(['reporter', 'officer', 'supervisor'], undefined, 'CG')?.message).toContain('this officer, supervisor token');
    // Before a staff map has named the station.
    expect(stationlessWarning(['supervisor'], undefined, undefined)?.message).toMatch(/; list this install's station$/);
    // A community role beside a station role is limited as the station role is.
    expect(stationlessWarning(['community', 'officer'], undefined, 'CG')?.path).toBe('stations');
  });

  it('says nothing of an admin, a reporter or a community token without stations, nor of any token with some', () => {
    for (const roles of [['admin'], ['admin', 'desk'], ['reporter'], ['community'], ['community', 'reporter']] as const) {
      expect(stationlessWarning(roles, undefined, 'CG'), roles.join()).toBeUndefined();
    }
    for (const roles of [['desk'], ['officer'], ['reporter'], ['admin']] as const) expect(stationlessWarning(roles, ['CG'], 'CG'), roles.join()).toBeUndefined();
    // A station this install does not serve is the staff map's warning (unknown station), not this one.
    expect(stationlessWarning(['desk'], ['NOPE'], 'CG')).toBeUndefined();
  });

  it('warns exactly where the scope every route applies (scopeOf) sees no station, but for a reporter, whose reports are its own', () => {
    const all = ClientRole.options;
    for (let mask = 1; mask < 1 << all.length; mask++) {
      const roles = all.filter((_, i) => mask & (1 << i));
      const seesNothing = scopeOf({ clientId: 'c', name: 'n', roles }).stations?.length === 0 && roles.some((r) => r !== 'reporter');
      expect(stationlessWarning(roles, undefined, 'CG') !== undefined, roles.join()).toBe(seesNothing);
    }
  });

  it('warns of an empty stations list whatever the roles: it limits every token, an admin included, to nothing', () => {
    for (const roles of [['admin'], ['desk'], ['reporter'], ['community']] as const) {
      expect(stationlessWarning(roles, [], 'CG'), roles.join()).toEqual({
        path: 'stations',
        message: "is empty: the token sees no station's cases, reports or grids, and a reporter's posts are refused; list this install's station (CG)",
      });
    }
  });
});

describe('issuerRefusal: a token limited to stations issues tokens only within them (audit18 #3)', () => {
  it('lets an unlimited issuer issue any token, and a limited one a token within its stations', () => {
    expect(issuerRefusal(undefined, undefined)).toBeUndefined();
    expect(issuerRefusal(undefined, ['CG', 'XX'])).toBeUndefined();
    expect(issuerRefusal(['CG', 'XX'], ['XX'])).toBeUndefined();
    expect(issuerRefusal(['CG'], [])).toBeUndefined();
  });

  it('refuses a limited issuer a token without stations (station-wide) or with a station of its own not among them', () => {
    expect(issuerRefusal(['XX'], undefined)).toBe('this token is limited to stations XX: it issues tokens only within them (give stations, each one of its own)');
    expect(issuerRefusal(['XX'], ['XX', 'CG'])).toMatch(/^this token is limited to stations XX/);
  });
});
