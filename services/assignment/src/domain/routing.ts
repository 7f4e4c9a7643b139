import type { Assignee, CommunityGrid, Location, Officer, PairingRule } from '@gridcase/contracts';
import { type Availability, type Decision, fallbackOf, type PostDecision, type PostPick, passedForRole, pickForPost } from './decision.ts';
import type { GazetteerEntry } from './gazetteer.ts';
import { dutyByRoster, ladderStep } from './ladder.ts';
import { type FoundBy, findGrid } from './locate.ts';
import { DEFAULT_PAIRING, needsPolice, pairingFor } from './pairing.ts';
import { peopleOfPost, toAssignee } from './people.ts';
import type { Roster } from './roster.ts';

/** What routing needs to know about the station: its community grids, its roster and who works when. */
export interface RoutingData {
  grids: readonly CommunityGrid[];
  officers: readonly Officer[];
  /** Shifts, leave and on-call by officerId; a person without one is on duty by their `onDuty` flag. */
  duty?: ReadonlyMap<string, Roster>;
  /** Open cases per officerId: among several on duty, the one with the fewest gets the case. */
  openCases?: ReadonlyMap<string, number>;
  /** Who of the pair works which category; absent: the built-in rules. */
  pairing?: readonly PairingRule[];
  /** The reference-data version this data is (recorded in each decision); null where not known. */
  referenceVersion?: number | null;
  /** The station's building addresses, normalised (domain/gazetteer.ts); none when absent. */
  gazetteer?: readonly GazetteerEntry[];
}

export type RoutedBy = FoundBy | 'desk';

export interface Route {
  routedBy: RoutedBy;
  assignees: Assignee[];
  policeGridCode?: string;
  gridCode?: string;
  /** Why the case went to the duty desk; set only when routedBy is 'desk'. */
  reason?: string;
  /** A partner missing from a grid's roster; the case still goes to the one present. For the log. */
  gap?: string;
  /** Why these owners: the rule, every person considered and why passed over, the fallback taken. */
  decision: Decision;
}

export interface RouteOptions {
  /** The case's category, for the pairing rules. */
  category?: string;
  /** The case's grade: a red or orange case always has police among its owners (pairing.ts needsPolice). */
  severity?: string;
  /** When the case is assigned (the injected clock): decides who is on duty. */
  at?: Date;
}

/**
 * Everyone routing a case at `location` may weigh (routeCase picks among them): the people of its
 * grid's police grid and of the grid, and everyone of a station-wide role (the duty desk leader the
 * case falls back to). A superset is harmless; a missing person would be counted as owning nothing.
 */
export function routingCandidates(location: Location, data: Pick<RoutingData, 'grids' | 'gazetteer' | 'officers'>): string[] {
  const { grid } = findGrid(location, data.grids, data.gazetteer);
  const placeBound = (o: Officer) => o.role === 'officer' || o.role === 'lead' || o.role === 'gridWorker';
  return data.officers
    .filter((o) => !placeBound(o) || (grid !== undefined && (o.policeGridCode === grid.policeGridCode || o.gridCode === grid.code)))
    .map((o) => o.officerId);
}

export const availabilityOf = (data: RoutingData, at: Date): Availability => ({ duty: data.duty, openCases: data.openCases, at });

export const decisionOf = (data: RoutingData, rule: string, posts: PostDecision[]): Decision => ({
  referenceVersion: data.referenceVersion ?? null,
  rule,
  posts,
  fallback: fallbackOf(posts),
});

/**
 * A red case is danger to life now with a 10-minute respond budget: its police post must reach someone
 * on duty at once, not an off-duty owner whom escalation would pass over only when the budget is gone.
 * Orange keeps the post's owner off duty: its 30-minute budget and the owner's responsibility, with
 * escalation behind them, are acceptable there.
 */
/** A red case's police post must go to someone on duty: its 10 minutes cannot wait for an officer at home or away. */
export const needsOnDuty = (severity: string | undefined) => severity === 'red';

/** The rule suffix (in the decision record) when a red case's police post went up the ladder to someone on duty. */
const RED_NEEDS_ON_DUTY = 'red-needs-on-duty';

/**
 * A red case's police post when nobody of the post is on duty or on call: the first on duty up the
 * escalation ladder (the police grid's lead, then the duty desk leader, …; ladder.ts), by the rosters
 * at the time. The post's own people stay listed (its off-duty owner passed over `off-duty`), then
 * the ladder's people it weighed. Undefined when nobody up the ladder is on duty either.
 */
export function onDutyUpTheLadder(officerPost: PostDecision, policeGridCode: string, data: RoutingData, avail: Availability): PostPick | undefined {
  const step = ladderStep(1, { policeGridCode }, data.officers, null, avail.openCases, dutyByRoster(avail.duty, avail.at, true));
  const chosen = data.officers.find((o) => o.officerId === step.assignees[0]?.officerId);
  if (!chosen) return undefined;
  const own = officerPost.candidates.map((c) => (c.passedOver ? c : { ...c, passedOver: 'off-duty' as const }));
  const weighed = step.decision.posts.flatMap((p) => p.candidates);
  return { chosen, decision: { post: officerPost.post, chosen: chosen.officerId, filledBy: 'ladder-on-duty', candidates: [...own, ...weighed] } };
}

/**
 * Decides who works a new case. The pairing rule for the category says which posts of the grid take
 * it (the pair of dual-grid fusion, the police grid's officer alone, or the grid worker alone, with
 * the officer stepping in when no worker can); each post goes to the person on duty with the fewest
 * open cases, else on call, else its owner off duty (pickForPost). A red or orange case is never the
 * grid worker's alone: the rules' "worker" becomes the pair, and with no grid officer to take the
 * officer's post the duty desk leader takes it beside the worker. A red case whose police post would
 * go to its owner off duty, or to nobody, goes to the first on duty up the escalation ladder instead
 * (onDutyUpTheLadder; the grid worker stays as picked). A case that cannot be placed, or
 * whose posts nobody can take, goes to the duty desk leader with the reason, so nothing is dropped.
 */
export function routeCase(location: Location, data: RoutingData, options: RouteOptions = {}): Route {
  // Without rosters the instant changes nothing; callers with rosters pass their injected clock.
  const avail = availabilityOf(data, options.at ?? new Date());
  const deskLeader = () => {
    const desk = pickForPost('deskLeader', peopleOfPost(data.officers, 'deskLeader', {}), avail);
    return { chosen: desk.chosen, decision: { ...desk.decision, filledBy: desk.chosen ? 'desk-leader' : 'none' } satisfies PostDecision };
  };
  const toDesk = (reason: string, rule: string, posts: PostDecision[] = []): Route => {
    const desk = deskLeader();
    const decision = decisionOf(data, rule, [...posts, desk.decision]);
    return {
      routedBy: 'desk',
      assignees: desk.chosen ? [toAssignee(desk.chosen)] : [],
      reason: desk.chosen ? reason : `${reason}; and no desk leader is on the roster`,
      decision,
    };
  };
  const found = findGrid(location, data.grids, data.gazetteer);
  if (!found.grid || !found.routedBy) return toDesk(found.misses.join('; '), 'unroutable');

  const { grid } = found;
  const { rule: pairing, owners } = pairingFor(options.category, data.pairing ?? DEFAULT_PAIRING, options.severity);
  const place = { policeGridCode: grid.policeGridCode, gridCode: grid.code };
  const officers = peopleOfPost(data.officers, 'officer', place);
  const workers = peopleOfPost(data.officers, 'gridWorker', place);
  const posts: PostDecision[] = [];
  let officer: Officer | undefined;
  let worker: Officer | undefined;
  if (owners !== 'police') {
    const pick = pickForPost('gridWorker', workers, avail);
    worker = pick.chosen;
    posts.push(pick.decision);
  } else posts.push(passedForRole('gridWorker', workers, avail));
  if (owners !== 'worker' || !worker) {
    const pick = pickForPost('officer', officers, avail);
    officer = pick.chosen;
    posts.unshift(pick.decision);
  } else posts.unshift(passedForRole('officer', officers, avail));
  if (!officer && !worker) {
    const wanted = owners === 'police' ? 'no grid officer' : 'no grid officer or grid worker';
    return toDesk(`grid ${grid.code} (police grid ${grid.policeGridCode}) has ${wanted} on the roster (off leave)`, pairing, posts);
  }
  const officerPost = posts[0] as PostDecision;
  const noOfficer = !officer;
  let rule = pairing;
  let standIn: Officer | undefined;
  if (needsOnDuty(options.severity) && owners !== 'worker' && (officerPost.filledBy === 'off-duty-owner' || officerPost.filledBy === 'none')) {
    const up = onDutyUpTheLadder(officerPost, grid.policeGridCode, data, avail);
    if (up) {
      officer = undefined;
      standIn = up.chosen;
      posts[0] = up.decision;
      rule = `${pairing}+${RED_NEEDS_ON_DUTY}`;
    }
  }
  // The grid worker must not face a red or orange case alone: the desk leader stands in for the officer.
  if (!officer && !standIn && needsPolice(options.severity)) {
    const desk = deskLeader();
    standIn = desk.chosen;
    posts.splice(1, 0, desk.decision);
  }
  const route: Route = {
    routedBy: found.routedBy,
    assignees: [officer ?? standIn, worker].filter((o): o is Officer => o !== undefined).map(toAssignee),
    policeGridCode: grid.policeGridCode,
    gridCode: grid.code,
    decision: decisionOf(data, rule, posts),
  };
  if (owners === 'pair' && noOfficer) {
    const takes = standIn ? `; the ${standIn.role === 'deskLeader' ? 'duty desk leader' : standIn.role}${rule === pairing ? '' : ' on duty'} takes the post` : '';
    route.gap = `police grid ${grid.policeGridCode} has no grid officer on the roster${takes}`;
  }
  if (owners === 'pair' && !worker) route.gap = `grid ${grid.code} has no grid worker on the roster`;
  return route;
}
