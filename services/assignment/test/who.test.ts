import type { CommunityGrid, Officer, Shift } from '@gridcase/contracts';
import { describe, expect, it } from 'vitest';
import { pickForPost } from '../src/domain/decision.ts';
import { DEFAULT_PAIRING, pairingFor } from '../src/domain/pairing.ts';
import type { Roster } from '../src/domain/roster.ts';
import { type RoutingData, routeCase } from '../src/domain/routing.ts';
import { handOver, handOverAny } from '../src/handover/handover.ts';

const local = (s: string) => new Date(`${s}+08:00`);
/** Monday 10:00 and 22:00 local. */
const MORNING = local('2026-03-02T10:00:00');
const EVENING = local('2026-03-02T22:00:00');
const DAY: Shift = { days: [1, 2, 3, 4, 5, 6, 7], start: '08:00', end: '20:00' };
const NIGHT: Shift = { days: [1, 2, 3, 4, 5, 6, 7], start: '20:00', end: '08:00' };

const grid: CommunityGrid = {
  code: 'A-01-01',
  name: 'a1',
  policeGridCode: 'A-01',
  community: { code: 'alpha', name: '甲社区' },
  geometry: { type: 'Polygon', coordinates: [[[100, 30], [101, 30], [101, 31], [100, 31], [100, 30]]] },
};
const officer = (officerId: string, extra: Partial<Officer> = {}): Officer => ({ officerId, name: officerId, role: 'officer', policeGridCode: 'A-01', onDuty: true, ...extra });
const officers: Officer[] = [
  officer('o1'),
  officer('o2'),
  officer('o3'),
  { officerId: 'w1', name: '小一', role: 'gridWorker', policeGridCode: 'A-01', gridCode: 'A-01-01', onDuty: true },
  { officerId: 'd', name: '值班长', role: 'deskLeader', onDuty: true },
];
const roster = (r: Partial<Roster>): Roster => ({ shifts: [], leave: [], onCall: false, ...r });
const data = (duty: Record<string, Partial<Roster>>, openCases: Record<string, number> = {}, extra: Partial<RoutingData> = {}): RoutingData => ({
  grids: [grid],
  officers,
  duty: new Map(Object.entries(duty).map(([id, r]) => [id, roster(r)])),
  openCases: new Map(Object.entries(openCases)),
  ...extra,
});
const ids = (r: { assignees: { officerId: string }[] }) => r.assignees.map((a) => a.officerId);
const at = (when: Date, category = 'dispute.neighbour') => ({ at: when, category });
const leaveNow = [{ from: '2026-03-02T09:00:00+08:00', until: '2026-03-03T09:00:00+08:00' }];

describe('who gets a case: on duty at the time, fewest open cases, explicit fallbacks', () => {
  const shifts = { o1: { shifts: [DAY] }, o2: { shifts: [NIGHT] }, o3: { shifts: [DAY] } };

  it('picks the officer on duty at the time of assignment (day vs overnight shift)', () => {
    expect(ids(routeCase({ gridCode: 'A-01-01' }, data(shifts), at(MORNING)))).toEqual(['o1', 'w1']);
    expect(ids(routeCase({ gridCode: 'A-01-01' }, data(shifts), at(EVENING)))).toEqual(['o2', 'w1']);
  });

  it('among several on duty, the one with the fewest open cases; a tie goes to roster order', () => {
    const route = routeCase({ gridCode: 'A-01-01' }, data(shifts, { o1: 3, o3: 1 }), at(MORNING));
    expect(ids(route)).toEqual(['o3', 'w1']);
    const post = route.decision.posts.find((p) => p.post === 'officer');
    expect(post).toMatchObject({ chosen: 'o3', filledBy: 'on-duty' });
    expect(post?.candidates).toEqual([
      { officerId: 'o1', role: 'officer', openCases: 3, passedOver: 'more-open-cases' },
      { officerId: 'o2', role: 'officer', openCases: 0, passedOver: 'off-duty' },
      { officerId: 'o3', role: 'officer', openCases: 1 },
    ]);
    expect(ids(routeCase({ gridCode: 'A-01-01' }, data(shifts, { o1: 1, o3: 1 }), at(MORNING)))).toEqual(['o1', 'w1']);
  });

  it('never picks someone on leave, even with fewer cases', () => {
    const route = routeCase({ gridCode: 'A-01-01' }, data({ ...shifts, o1: { shifts: [DAY], leave: leaveNow } }, { o3: 5 }), at(MORNING));
    expect(ids(route)).toEqual(['o3', 'w1']);
    expect(route.decision.posts[0]?.candidates[0]).toMatchObject({ officerId: 'o1', passedOver: 'on-leave' });
  });

  it('nobody on duty → the one on call → the post owner off duty → the desk leader, each named as the fallback', () => {
    const offDuty = { o1: { shifts: [NIGHT] }, o2: { shifts: [NIGHT], onCall: true }, o3: { shifts: [NIGHT] } };
    const onCall = routeCase({ gridCode: 'A-01-01' }, data(offDuty), at(MORNING));
    expect(ids(onCall)).toEqual(['o2', 'w1']);
    expect(onCall.decision.posts[0]).toMatchObject({ filledBy: 'on-call' });
    expect(onCall.decision.posts[0]?.candidates.map((c) => c.passedOver)).toEqual(['not-on-call', undefined, 'not-on-call']);
    expect(onCall.decision.fallback).toBe('officer: nobody on duty: the person on call');

    const owner = routeCase({ gridCode: 'A-01-01' }, data({ ...offDuty, o2: { shifts: [NIGHT] } }), at(MORNING));
    expect(ids(owner)).toEqual(['o1', 'w1']);
    expect(owner.decision.posts[0]).toMatchObject({ chosen: 'o1', filledBy: 'off-duty-owner' });
    expect(owner.decision.fallback).toMatch(/officer: nobody on duty or on call: the post's owner off duty/);

    const everyoneAway = { o1: { leave: leaveNow }, o2: { leave: leaveNow }, o3: { leave: leaveNow }, w1: { leave: leaveNow } };
    const desk = routeCase({ gridCode: 'A-01-01' }, data(everyoneAway), at(MORNING));
    expect(desk).toMatchObject({ routedBy: 'desk', assignees: [{ officerId: 'd', role: 'deskLeader' }] });
    expect(desk.reason).toMatch(/A-01-01.*no grid officer or grid worker/);
    expect(desk.decision.posts.map((p) => [p.post, p.filledBy])).toEqual([
      ['officer', 'none'],
      ['gridWorker', 'none'],
      ['deskLeader', 'desk-leader'],
    ]);
  });

  it('a post with one person still goes to them off duty: the owners of the demo grids stay the same at any hour', () => {
    const route = routeCase({ gridCode: 'A-01-01' }, data({ w1: { shifts: [DAY], onCall: false } }), at(EVENING));
    expect(route.decision.posts[1]).toMatchObject({ post: 'gridWorker', chosen: 'w1', filledBy: 'off-duty-owner' });
  });
});

describe('pairing rules as data', () => {
  it('the seed: tips to the police only, fire and public order the pair, service requests the grid worker, else the pair', () => {
    expect(pairingFor('tip.vice')).toEqual({ rule: 'tip-police-only', owners: 'police' });
    // A crime against a person (a hostage, a sexual assault) is a tip by kind: never a grid worker's.
    expect(pairingFor('tip.crime-against-person')).toEqual({ rule: 'tip-police-only', owners: 'police' });
    expect(pairingFor('hazard.fire')).toEqual({ rule: 'hazard-both', owners: 'pair' });
    expect(pairingFor('hazard.public-order').owners).toBe('pair');
    expect(pairingFor('service.general')).toEqual({ rule: 'service-worker', owners: 'worker' });
    expect(pairingFor('service.missing-person')).toEqual({ rule: 'default-pair', owners: 'pair' });
    expect(pairingFor('service.lost-property').owners).toBe('pair');
    expect(pairingFor(undefined).owners).toBe('pair');
  });

  it('a tip never reaches a grid worker, whatever the rules say', () => {
    expect(pairingFor('tip.cult', [{ id: 'all', categories: ['*'], owners: 'worker' }])).toEqual({ rule: 'all+tip-police-only', owners: 'police' });
  });

  it('a tip goes to the officer alone; the grid worker is listed as passed over for the wrong role', () => {
    const route = routeCase({ gridCode: 'A-01-01' }, data({}), at(MORNING, 'tip.vice'));
    expect(ids(route)).toEqual(['o1']);
    expect(route.decision.rule).toBe('tip-police-only');
    expect(route.decision.posts[1]).toEqual({ post: 'gridWorker', chosen: null, filledBy: 'none', candidates: [{ officerId: 'w1', role: 'gridWorker', openCases: 0, passedOver: 'wrong-role' }] });
    expect(route.decision.fallback).toBeNull();
  });

  it('a tip with no officer available goes to the desk, not to the grid worker', () => {
    const away = { o1: { leave: leaveNow }, o2: { leave: leaveNow }, o3: { leave: leaveNow } };
    expect(ids(routeCase({ gridCode: 'A-01-01' }, data(away), at(MORNING, 'tip.fraud')))).toEqual(['d']);
  });

  it('a service request goes to the grid worker alone; the officer steps in when no worker can', () => {
    expect(ids(routeCase({ gridCode: 'A-01-01' }, data({}), at(MORNING, 'service.general')))).toEqual(['w1']);
    expect(ids(routeCase({ gridCode: 'A-01-01' }, data({ w1: { leave: leaveNow } }), at(MORNING, 'service.general')))).toEqual(['o1']);
  });

  it('reads the rules from the data when given', () => {
    const pairing = [{ id: 'all-police', categories: ['dispute.*'], owners: 'police' as const }, ...DEFAULT_PAIRING];
    expect(ids(routeCase({ gridCode: 'A-01-01' }, data({}, {}, { pairing }), at(MORNING)))).toEqual(['o1']);
  });
});

describe('a red or orange case always has police among its owners', () => {
  const at = (when: Date, category: string, severity: string) => ({ at: when, category, severity });
  const officersAway = { o1: { leave: leaveNow }, o2: { leave: leaveNow }, o3: { leave: leaveNow } };

  it('turns a rule that gives the grid worker alone into the pair for red and orange, not for other grades', () => {
    expect(pairingFor('service.general', DEFAULT_PAIRING, 'red')).toEqual({ rule: 'service-worker+risk-needs-officer', owners: 'pair' });
    expect(pairingFor('service.general', DEFAULT_PAIRING, 'orange')).toEqual({ rule: 'service-worker+risk-needs-officer', owners: 'pair' });
    for (const grade of ['yellow', 'service', 'statutory', undefined]) expect(pairingFor('service.general', DEFAULT_PAIRING, grade)).toEqual({ rule: 'service-worker', owners: 'worker' });
    // Rules from the reference data too; pairs and police-only rules are left as they are.
    expect(pairingFor('dispute.fight', [{ id: 'all', categories: ['*'], owners: 'worker' }], 'red')).toEqual({ rule: 'all+risk-needs-officer', owners: 'pair' });
    expect(pairingFor('hazard.fire', DEFAULT_PAIRING, 'red')).toEqual({ rule: 'hazard-both', owners: 'pair' });
    // A red tip is still the police's alone: never a grid worker.
    expect(pairingFor('tip.fraud', [{ id: 'all', categories: ['*'], owners: 'worker' }], 'red')).toEqual({ rule: 'all+tip-police-only', owners: 'police' });
    expect(ids(routeCase({ gridCode: 'A-01-01' }, data({}), at(MORNING, 'tip.fraud', 'red')))).toEqual(['o1']);
  });

  it('routes a red service request (有人在天台要跳楼, misfiled as service.general) to the grid officer and the grid worker', () => {
    const route = routeCase({ gridCode: 'A-01-01' }, data({}), at(MORNING, 'service.general', 'red'));
    expect(route.assignees).toEqual([
      { officerId: 'o1', role: 'officer', name: 'o1' },
      { officerId: 'w1', role: 'gridWorker', name: '小一' },
    ]);
    expect(route.decision.rule).toBe('service-worker+risk-needs-officer');
    expect(route.routedBy).toBe('gridCode');
    expect(ids(routeCase({ gridCode: 'A-01-01' }, data({}), at(MORNING, 'service.general', 'orange')))).toEqual(['o1', 'w1']);
    expect(ids(routeCase({ gridCode: 'A-01-01' }, data({}), at(MORNING, 'service.general', 'service')))).toEqual(['w1']);
  });

  it('with no grid officer available, the duty desk leader takes the officer’s post beside the grid worker', () => {
    for (const [category, severity] of [['service.general', 'orange'], ['dispute.neighbour', 'orange']] as const) {
      const route = routeCase({ gridCode: 'A-01-01' }, data(officersAway), at(MORNING, category, severity));
      expect(ids(route)).toEqual(['d', 'w1']);
      expect(route.decision.posts.map((p) => [p.post, p.chosen, p.filledBy])).toEqual([
        ['officer', null, 'none'],
        ['deskLeader', 'd', 'desk-leader'],
        ['gridWorker', 'w1', 'on-duty'],
      ]);
      expect(route.gap).toBe('police grid A-01 has no grid officer on the roster; the duty desk leader takes the post');
    }
    // A red case goes up the ladder to the first on duty (here the desk leader: no lead on the roster).
    for (const category of ['service.general', 'dispute.fight']) {
      const route = routeCase({ gridCode: 'A-01-01' }, data(officersAway), at(MORNING, category, 'red'));
      expect(ids(route)).toEqual(['d', 'w1']);
      expect(route.decision.posts.map((p) => [p.post, p.chosen, p.filledBy])).toEqual([
        ['officer', 'd', 'ladder-on-duty'],
        ['gridWorker', 'w1', 'on-duty'],
      ]);
      expect(route.gap).toBe('police grid A-01 has no grid officer on the roster; the duty desk leader on duty takes the post');
    }
    // A yellow case stays with the grid worker present, as before.
    expect(ids(routeCase({ gridCode: 'A-01-01' }, data(officersAway), at(MORNING, 'dispute.neighbour', 'yellow')))).toEqual(['w1']);
  });
});

describe('a red case goes to someone on duty at once, never to an off-duty owner', () => {
  const at = (when: Date, severity: string, category = 'dispute.fight') => ({ at: when, category, severity });
  const lead: Officer = { officerId: 'L', name: '段国庆', role: 'lead', policeGridCode: 'A-01', onDuty: true };
  const otherLead: Officer = { officerId: 'L2', name: 'l2', role: 'lead', policeGridCode: 'A-02', onDuty: true };
  const withLead = (duty: Record<string, Partial<Roster>>) => data(duty, {}, { officers: [...officers, otherLead, lead] });
  // Every grid officer on the day shift: at 22:00 nobody of the post is on duty or on call.
  const dayOfficers = { o1: { shifts: [DAY] }, o2: { shifts: [DAY] }, o3: { shifts: [DAY] } };

  it('at night with the grid officers off duty: the police grid’s lead on duty takes the post, the grid worker stays', () => {
    const route = routeCase({ gridCode: 'A-01-01' }, withLead({ ...dayOfficers, L: { shifts: [NIGHT] } }), at(EVENING, 'red'));
    expect(ids(route)).toEqual(['L', 'w1']);
    expect(route.decision.rule).toBe('default-pair+red-needs-on-duty');
    expect(route.decision.posts[0]).toEqual({
      post: 'officer',
      chosen: 'L',
      filledBy: 'ladder-on-duty',
      candidates: [
        { officerId: 'o1', role: 'officer', openCases: 0, passedOver: 'off-duty' },
        { officerId: 'o2', role: 'officer', openCases: 0, passedOver: 'off-duty' },
        { officerId: 'o3', role: 'officer', openCases: 0, passedOver: 'off-duty' },
        { officerId: 'L', role: 'lead', openCases: 0 },
      ],
    });
    expect(route.decision.posts[1]).toMatchObject({ post: 'gridWorker', chosen: 'w1', filledBy: 'on-duty' });
    expect(route.decision.fallback).toBe('officer: a red case and nobody of the post on duty or on call: the first on duty up the escalation ladder');
    expect(route.gap).toBeUndefined();
  });

  it('with the lead off duty (by the roster, whatever the flag) or on leave: the duty desk leader', () => {
    for (const L of [{ shifts: [DAY] }, { leave: leaveNow }]) {
      const route = routeCase({ gridCode: 'A-01-01' }, withLead({ ...dayOfficers, L }), at(EVENING, 'red'));
      expect(ids(route)).toEqual(['d', 'w1']);
      expect(route.decision.rule).toBe('default-pair+red-needs-on-duty');
      expect(route.decision.posts[0]?.candidates.map((c) => [c.officerId, c.passedOver])).toEqual([
        ['o1', 'off-duty'],
        ['o2', 'off-duty'],
        ['o3', 'off-duty'],
        ['L', L.leave ? 'on-leave' : 'off-duty'],
        ['d', undefined],
      ]);
    }
  });

  it('a red tip (police only) goes up the ladder too', () => {
    expect(ids(routeCase({ gridCode: 'A-01-01' }, withLead({ ...dayOfficers, L: { shifts: [NIGHT] } }), at(EVENING, 'red', 'tip.fraud')))).toEqual(['L']);
  });

  it('orange keeps today’s behaviour: the post’s owner off duty', () => {
    const route = routeCase({ gridCode: 'A-01-01' }, withLead({ ...dayOfficers, L: { shifts: [NIGHT] } }), at(EVENING, 'orange'));
    expect(ids(route)).toEqual(['o1', 'w1']);
    expect(route.decision.rule).toBe('default-pair');
    expect(route.decision.posts[0]).toMatchObject({ chosen: 'o1', filledBy: 'off-duty-owner' });
  });

  it('a grid officer on call or on duty keeps the red case as today', () => {
    const onCall = routeCase({ gridCode: 'A-01-01' }, withLead({ ...dayOfficers, o2: { shifts: [DAY], onCall: true }, L: { shifts: [NIGHT] } }), at(EVENING, 'red'));
    expect(ids(onCall)).toEqual(['o2', 'w1']);
    expect(onCall.decision).toMatchObject({ rule: 'default-pair', posts: [{ chosen: 'o2', filledBy: 'on-call' }, {}] });
    const onDuty = routeCase({ gridCode: 'A-01-01' }, withLead({ ...dayOfficers, o3: { shifts: [NIGHT] }, L: { shifts: [NIGHT] } }), at(EVENING, 'red'));
    expect(ids(onDuty)).toEqual(['o3', 'w1']);
    expect(onDuty.decision).toMatchObject({ rule: 'default-pair', posts: [{ chosen: 'o3', filledBy: 'on-duty' }, {}] });
  });

  it('handover applies it too: a red case whose grid officer went off duty goes up to the lead on duty; orange stays', () => {
    const held = { assignees: [{ officerId: 'o1', role: 'officer' as const }, { officerId: 'w1', role: 'gridWorker' as const }], policeGridCode: 'A-01', gridCode: 'A-01-01' };
    const night = withLead({ ...dayOfficers, L: { shifts: [NIGHT] } });
    const red = handOver({ ...held, severity: 'red' }, night, EVENING);
    expect(red?.assignees.map((a) => a.officerId)).toEqual(['L', 'w1']);
    expect(red?.reason).toBe('handed on: officer off-duty → officer ladder-on-duty');
    expect(red?.decision).toMatchObject({ rule: 'handover+red-needs-on-duty', posts: [{ post: 'officer', chosen: 'L', filledBy: 'ladder-on-duty' }, { post: 'gridWorker', filledBy: 'kept' }] });
    expect(handOver({ ...held, severity: 'orange' }, night, EVENING)).toBeUndefined();
    // Nobody on duty up the ladder either: the off-duty owner keeps it, as routing does.
    expect(handOver({ ...held, severity: 'red' }, withLead({ ...dayOfficers, L: { shifts: [DAY] }, d: { shifts: [DAY] } }), EVENING)).toBeUndefined();
    // Once with the lead on duty, the next pass changes nothing.
    expect(handOver({ ...held, severity: 'red', assignees: red!.assignees }, night, EVENING)).toBeUndefined();
  });

  it('handover of a red case whose grid officer is on leave, with nobody of the post on duty, goes up the ladder as routing does (audit14 #7)', () => {
    const held = { assignees: [{ officerId: 'o1', role: 'officer' as const }, { officerId: 'w1', role: 'gridWorker' as const }], policeGridCode: 'A-01', gridCode: 'A-01-01' };
    const away = withLead({ o1: { leave: leaveNow }, o2: { leave: leaveNow }, o3: { leave: leaveNow }, L: { shifts: [DAY] } });
    const red = handOver({ ...held, severity: 'red' }, away, MORNING);
    // A new red case in the same grid at the same moment goes to the same person.
    expect(ids(routeCase({ gridCode: 'A-01-01' }, away, at(MORNING, 'red')))).toEqual(['L', 'w1']);
    expect(red?.assignees.map((a) => a.officerId)).toEqual(['L', 'w1']);
    expect(red?.reason).toBe('handed on: officer on-leave → officer ladder-on-duty');
    expect(red?.decision).toMatchObject({ rule: 'handover+red-needs-on-duty', posts: [{ post: 'officer', chosen: 'L', filledBy: 'ladder-on-duty' }, { post: 'gridWorker', filledBy: 'kept' }] });
    // Orange is as before: the duty desk leader.
    expect(handOver({ ...held, severity: 'orange' }, away, MORNING)?.assignees.map((a) => a.officerId)).toEqual(['d', 'w1']);
    // A colleague of the post off duty is no one on duty: up the ladder, as routing does.
    const colleagueAtHome = withLead({ o1: { leave: leaveNow }, o2: { shifts: [NIGHT] }, o3: { leave: leaveNow }, L: { shifts: [DAY] } });
    expect(handOver({ ...held, severity: 'red' }, colleagueAtHome, MORNING)?.assignees.map((a) => a.officerId)).toEqual(['L', 'w1']);
    expect(ids(routeCase({ gridCode: 'A-01-01' }, colleagueAtHome, at(MORNING, 'red')))).toEqual(['L', 'w1']);
  });

  it('with nobody on duty up the ladder either, the post’s owner off duty keeps it', () => {
    const route = routeCase({ gridCode: 'A-01-01' }, withLead({ ...dayOfficers, L: { shifts: [DAY] }, d: { shifts: [DAY] } }), at(EVENING, 'red'));
    expect(ids(route)).toEqual(['o1', 'w1']);
    expect(route.decision).toMatchObject({ rule: 'default-pair', posts: [{ chosen: 'o1', filledBy: 'off-duty-owner' }, {}] });
  });
});

describe('the decision record', () => {
  it('names the reference-data version, the rule, every candidate and no personal data', () => {
    const route = routeCase({ gridCode: 'A-01-01' }, data({}, {}, { referenceVersion: 7 }), at(MORNING, 'hazard.fire'));
    expect(route.decision).toMatchObject({ referenceVersion: 7, rule: 'hazard-both', fallback: null });
    expect(route.decision.posts.map((p) => p.chosen)).toEqual(['o1', 'w1']);
    // Names of people are in assignees (the desk shows them); the decision holds ids and roles only.
    expect(JSON.stringify(route.decision)).not.toMatch(/值班长|小一/);
  });

  it('defaults the version to null and records an unroutable case as such', () => {
    const route = routeCase({ lat: 0, lng: 0 }, data({}), at(MORNING));
    expect(route.decision).toMatchObject({ referenceVersion: null, rule: 'unroutable', posts: [{ post: 'deskLeader', chosen: 'd', filledBy: 'desk-leader' }] });
  });

  it('pickForPost with nobody to choose from says so', () => {
    expect(pickForPost('officer', [], { at: MORNING })).toEqual({ decision: { post: 'officer', chosen: null, filledBy: 'none', candidates: [] } });
  });
});

describe('handing on an unacknowledged case', () => {
  const held = { assignees: [{ officerId: 'o1', role: 'officer' as const }, { officerId: 'w1', role: 'gridWorker' as const }], policeGridCode: 'A-01', gridCode: 'A-01-01' };

  it('keeps owners on duty', () => {
    expect(handOver(held, data({ o1: { shifts: [DAY] } }), MORNING)).toBeUndefined();
  });

  it('an owner on leave hands on to the next on duty of the post, with a handover decision', () => {
    const result = handOver(held, data({ o1: { shifts: [DAY], leave: leaveNow }, o2: { shifts: [DAY] }, o3: { shifts: [NIGHT] } }, { o2: 2 }), MORNING);
    expect(result?.assignees.map((a) => a.officerId)).toEqual(['o2', 'w1']);
    expect(result?.reason).toBe('handed on: officer on-leave → officer on-duty');
    expect(result?.decision).toMatchObject({ rule: 'handover', posts: [{ post: 'officer', chosen: 'o2', filledBy: 'on-duty' }, { post: 'gridWorker', filledBy: 'kept' }] });
  });

  it('an owner off duty hands on only to someone on duty or on call, not to an equally off-duty colleague', () => {
    const allNight = { o1: { shifts: [NIGHT] }, o2: { shifts: [NIGHT] }, o3: { shifts: [NIGHT] } };
    expect(handOver(held, data(allNight), MORNING)).toBeUndefined();
    const o3Days = handOver(held, data({ ...allNight, o3: { shifts: [DAY] } }), MORNING);
    expect(o3Days?.assignees.map((a) => a.officerId)).toEqual(['o3', 'w1']);
  });

  it('an owner on leave with nobody else for the post hands on to the desk leader', () => {
    const away = { o1: { leave: leaveNow }, o2: { leave: leaveNow }, o3: { leave: leaveNow } };
    const result = handOver(held, data(away), MORNING);
    expect(result?.assignees.map((a) => a.officerId)).toEqual(['d', 'w1']);
    expect(result?.decision.fallback).toBe('deskLeader: nobody available for the post: the duty desk leader');
  });
});

describe('handing on an escalated case whose police owners are all on leave (audit5 #1)', () => {
  const withLadder = (duty: Record<string, Partial<Roster>>) => ({
    ...data(duty),
    officers: [...officers, officer('L', { role: 'lead' }), officer('L2', { role: 'lead' }), { officerId: 'dc', name: '副所长', role: 'deputyChief' as const, onDuty: true }],
  });
  const atLead = { status: 'open' as const, level: 1, assignees: [{ officerId: 'L', role: 'lead' as const }], policeGridCode: 'A-01', gridCode: 'A-01-01' };

  it("goes to the ladder's rung for its level by the rosters, never to someone on leave, and says so", () => {
    // The lead on leave: the other lead of the police grid on duty takes it.
    const toL2 = handOverAny(atLead, withLadder({ L: { leave: leaveNow }, L2: { shifts: [DAY] } }), MORNING);
    expect(toL2?.assignees.map((a) => a.officerId)).toEqual(['L2']);
    expect(toL2?.reason).toBe('handed on: lead on-leave → lead on-duty (escalation level 1)');
    expect(toL2?.decision).toMatchObject({ rule: 'ladder', posts: [{ post: 'lead', chosen: 'L2', candidates: [{ officerId: 'L', passedOver: 'on-leave' }, { officerId: 'L2' }] }] });
    // Both leads away: up to the desk leader.
    const up = handOverAny(atLead, withLadder({ L: { leave: leaveNow }, L2: { leave: leaveNow } }), MORNING);
    expect(up?.assignees.map((a) => a.officerId)).toEqual(['d']);
    expect(up?.reason).toBe('handed on: lead on-leave → deskLeader on-duty (escalation level 1)');
    // At level 2 the desk leader on leave passes up to the deputy chief; a grid worker beside them stays.
    const atDesk = { ...atLead, level: 2, assignees: [{ officerId: 'd', role: 'deskLeader' as const }, { officerId: 'w1', role: 'gridWorker' as const }] };
    expect(handOverAny(atDesk, withLadder({ d: { leave: leaveNow } }), EVENING)?.assignees.map((a) => a.officerId)).toEqual(['dc', 'w1']);
  });

  it("never hands down: a level-1 case the deputy chief holds goes to the chief when they go on leave, not to the level's lead (audit20 #1)", () => {
    const withChief = (duty: Record<string, Partial<Roster>>) => {
      const d = withLadder(duty);
      return { ...d, officers: [...d.officers, { officerId: 'c', name: '所长', role: 'chief' as const, onDuty: true }] };
    };
    const atDc = { ...atLead, assignees: [{ officerId: 'dc', role: 'deputyChief' as const }] };
    const handed = handOverAny(atDc, withChief({ dc: { leave: leaveNow } }), MORNING);
    expect(handed?.assignees.map((a) => a.officerId)).toEqual(['c']);
    expect(handed?.decision.fallback).toBe("lead, deskLeader: the case's owners hold that rank or higher; deputyChief: on leave; passed up to chief");
  });

  it('stays while any police owner is not on leave (off shift is not away), and when acknowledged or nobody is above', () => {
    expect(handOverAny(atLead, withLadder({ L: { shifts: [DAY] } }), EVENING)).toBeUndefined();
    const two = { ...atLead, assignees: [{ officerId: 'L', role: 'lead' as const }, { officerId: 'o1', role: 'officer' as const }] };
    expect(handOverAny(two, withLadder({ L: { leave: leaveNow } }), MORNING)).toBeUndefined();
    expect(handOverAny({ ...atLead, status: 'acknowledged' }, withLadder({ L: { leave: leaveNow } }), MORNING)).toBeUndefined();
    const onlyWorker = { ...atLead, assignees: [{ officerId: 'w1', role: 'gridWorker' as const }] };
    expect(handOverAny(onlyWorker, withLadder({ w1: { leave: leaveNow } }), MORNING)).toBeUndefined();
    const everyoneAway = Object.fromEntries(['L', 'L2', 'd', 'dc'].map((id) => [id, { leave: leaveNow }]));
    expect(handOverAny(atLead, withLadder(everyoneAway), MORNING)).toBeUndefined();
  });

  it('at level 0 is the handover of an unacknowledged case as before', () => {
    const first = { status: 'open' as const, level: 0, assignees: [{ officerId: 'o1', role: 'officer' as const }, { officerId: 'w1', role: 'gridWorker' as const }], policeGridCode: 'A-01', gridCode: 'A-01-01' };
    const duty = { o1: { shifts: [DAY], leave: leaveNow }, o2: { shifts: [DAY] } };
    expect(handOverAny(first, data(duty), MORNING)).toEqual(handOver(first, data(duty), MORNING));
    expect(handOverAny({ ...first, status: 'acknowledged' }, data(duty), MORNING)).toBeUndefined();
  });
});
