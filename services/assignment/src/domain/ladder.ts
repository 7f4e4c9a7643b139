import type { Assignee, DataOf, Officer, OfficerRole } from '@gridcase/contracts';
import { peopleOfPost, toAssignee } from './people.ts';
import { type DutyStatus, dutyStatus, type Roster } from './roster.ts';

export type AssignmentDecision = NonNullable<DataOf<'gridcase.case.assigned.v1'>['decision']>;

/** The rungs above the first owners, lowest first (CONTRACT.md, Escalation). */
const ABOVE_THE_PAIR: readonly OfficerRole[] = ['lead', 'deskLeader', 'deputyChief', 'chief'];
/**
 * A case that could not be routed has no police grid, hence no lead, and already sits with the
 * desk leader at level 0; its ladder starts from the desk leader at level 1 and climbs from there.
 */
const FROM_THE_DESK: readonly OfficerRole[] = ['deskLeader', 'deputyChief', 'chief'];

export interface LadderStep {
  /** The rung the level asked for. */
  role: OfficerRole;
  assignees: Assignee[];
  /** Rungs that could not be filled (nobody on the roster; with `onDutyOnly`, nobody on duty) and were passed over upward. */
  skipped: OfficerRole[];
  /** Why these owners: every rung tried, who stood on it, who was chosen and why the others were not. */
  decision: AssignmentDecision;
}

/** Where a role stands on the ladder: -1 for the grid officer and grid worker (and anyone off it). */
const rankOf = (role: OfficerRole) => ABOVE_THE_PAIR.indexOf(role);

/** The highest ladder rung among `owners`; undefined when none of them stands on the ladder (the pair). */
export function highestRung(owners: readonly Assignee[]): OfficerRole | undefined {
  const top = Math.max(-1, ...owners.map((a) => rankOf(a.role)));
  return ABOVE_THE_PAIR[top];
}

/** The lowest rung an escalation may climb to: the one above the highest its owners hold (the chief stays the chief; the lead above the pair). */
export function escalationFloor(owners: readonly Assignee[]): OfficerRole {
  const held = highestRung(owners);
  return ABOVE_THE_PAIR[Math.min((held ? rankOf(held) : -1) + 1, ABOVE_THE_PAIR.length - 1)] as OfficerRole;
}

/**
 * The rungs a case at escalation `level` (≥ 1) climbs, the level's own first, none below `lowest`:
 * a case the desk leader already holds at level 0 (a handover, a routing fallback) climbs from the
 * deputy chief, not down to a lead. Past the top the chief stays.
 */
function rungsFrom(level: number, place: { policeGridCode?: string | undefined }, lowest?: OfficerRole): readonly OfficerRole[] {
  const ladder = place.policeGridCode ? ABOVE_THE_PAIR : FROM_THE_DESK;
  const rungs = ladder.slice(Math.min(Math.max(level, 1), ladder.length) - 1);
  if (!lowest) return rungs;
  const climbed = rungs.filter((r) => rankOf(r) >= rankOf(lowest));
  return climbed.length ? climbed : ladder.slice(-1);
}

/** Everyone ladderStep may weigh at `level` and `place`, none below `lowest` (the people of every rung it may climb): whose open cases it shows. */
export const ladderCandidates = (level: number, place: { policeGridCode?: string | undefined }, officers: readonly Officer[], lowest?: OfficerRole): string[] =>
  rungsFrom(level, place, lowest).flatMap((rung) => peopleOfPost(officers, rung, place).map((o) => o.officerId));

/** How the ladder tells who is on duty, and whether a rung needs someone on duty to be filled. */
export interface LadderDuty {
  statusOf: (o: Officer) => DutyStatus;
  /** Only someone on duty fills a rung: a rung with nobody on duty is passed up like an empty one. */
  onDutyOnly: boolean;
  /**
   * The case's current owners (escalation): below the top rung they do not fill a rung again, so an
   * escalation always reaches someone new (a red case routed to its lead at level 0 goes to the desk
   * leader at level 1, not to the same lead with a fresh budget). At the top the chief stays.
   */
  owners?: ReadonlySet<string>;
  /**
   * No rung below this one is climbed: an escalation goes above the highest rung its owners already
   * hold, and a handover stays at it or above, so a case never passes down to someone they outrank.
   */
  lowest?: OfficerRole;
}

/** Without rosters: the officer's `onDuty` flag, and a rung with anyone on it is filled (the first on duty, else the first). */
const BY_FLAG: LadderDuty = { statusOf: (o) => (o.onDuty ? 'on-duty' : 'off-duty'), onDutyOnly: false };

/**
 * The ladder by the rosters at `at` (shifts, on-call, leave; roster.ts), as routing weighs a post:
 * escalation and a redraw above level 0 fill a rung with its first on duty, else its first not on leave.
 */
export const dutyByRoster = (
  duty: ReadonlyMap<string, Roster> | undefined,
  at: Date,
  onDutyOnly = false,
  owners?: ReadonlySet<string>,
  lowest?: OfficerRole,
): LadderDuty => ({
  statusOf: (o) => dutyStatus(o, duty?.get(o.officerId), at),
  onDutyOnly,
  ...(owners ? { owners } : {}),
  ...(lowest ? { lowest } : {}),
});

/**
 * Who owns a case at escalation `level` (≥ 1): level 1 → the police grid's lead, 2 → the duty desk
 * leader, 3 → the deputy chief, 4 and above → the chief (past the top it stays at the top). A rung
 * nobody fills passes to the next one up; with nobody above at all, `assignees` is empty and the
 * caller keeps the current owners. Duty is the `onDuty` flag unless `duty` says otherwise (routing
 * passes the rosters and asks for someone on duty: a red case's police post, routing.ts).
 */
export function ladderStep(
  level: number,
  place: { policeGridCode?: string | undefined },
  officers: readonly Officer[],
  referenceVersion: number | null = null,
  /** Open cases per person, shown beside each candidate (the ladder itself picks by rung and duty). */
  openCases: ReadonlyMap<string, number> = new Map(),
  duty: LadderDuty = BY_FLAG,
): LadderStep {
  const rungs = rungsFrom(level, place, duty.lowest);
  const role = rungs[0] as OfficerRole;
  const skipped: OfficerRole[] = [];
  const posts: AssignmentDecision['posts'] = [];
  const decision = (fallback: string | null): AssignmentDecision => ({ referenceVersion, rule: 'ladder', posts, fallback });
  /** Each rung passed over, with why nobody of it was taken. */
  const passed: string[] = [];
  // A climb that starts above the level's own rung says so: the case's owners already stand there or higher.
  const outranked = rungsFrom(level, place).filter((r) => !rungs.includes(r));
  if (outranked.length) passed.push(`${outranked.join(', ')}: the case's owners hold that rank or higher`);
  for (const [index, rung] of rungs.entries()) {
    // The people of the rung (a lead is of the case's police grid); the first on duty, else (unless
    // only someone on duty will do) the first.
    const standing = peopleOfPost(officers, rung, { policeGridCode: place.policeGridCode });
    const status = new Map(standing.map((o) => [o, duty.statusOf(o)]));
    const owns = (o: Officer) => index < rungs.length - 1 && (duty.owners?.has(o.officerId) ?? false);
    const eligible = standing.filter((o) => !owns(o));
    // Someone on leave is never chosen: a rung whose people are all on leave passes up like an empty one.
    const person = eligible.find((o) => status.get(o) === 'on-duty') ?? (duty.onDutyOnly ? undefined : eligible.find((o) => status.get(o) !== 'on-leave'));
    const personOnDuty = person !== undefined && status.get(person) === 'on-duty';
    const passedOver = (o: Officer) =>
      owns(o)
        ? ('already-owner' as const)
        : status.get(o) === 'on-leave'
          ? ('on-leave' as const)
          : (personOnDuty || !person) && status.get(o) !== 'on-duty'
            ? ('off-duty' as const)
            : ('later-in-roster' as const);
    posts.push({
      post: rung,
      chosen: person?.officerId ?? null,
      filledBy: person ? (personOnDuty ? 'on-duty' : 'off-duty-owner') : 'none',
      candidates: standing.map((o) => ({
        officerId: o.officerId,
        role: o.role,
        openCases: openCases.get(o.officerId) ?? 0,
        ...(o === person ? {} : { passedOver: passedOver(o) }),
      })),
    });
    if (person) {
      const fallback = passed.length ? `${passed.join('; ')}; passed up to ${rung}` : null;
      return { role, assignees: [toAssignee(person)], skipped, decision: decision(fallback) };
    }
    passed.push(`${rung}: ${whyNobody(standing.length, eligible.map((o) => status.get(o)), duty.onDutyOnly)}`);
    skipped.push(rung);
  }
  return { role, assignees: [], skipped, decision: decision(`${passed.join('; ')}; nobody at or above ${role}, so the current owners keep the case`) };
}

/** Why nobody of a rung was taken, in words: its people stand as `statuses` (the case's own owners left out). */
function whyNobody(standing: number, statuses: readonly (DutyStatus | undefined)[], onDutyOnly: boolean): string {
  if (standing === 0) return 'nobody on the roster';
  if (statuses.length === 0) return "only the case's own owners";
  if (statuses.every((s) => s === 'on-leave')) return statuses.length < standing ? "on leave but the case's own owners" : 'on leave';
  return onDutyOnly ? 'nobody on duty' : 'on leave';
}

/** The budget one escalation level gets, in minutes from the moment the case reaches it. */
export interface LevelBudget {
  level: number;
  respondMinutes: number;
  resolveMinutes: number;
}

/** The highest level with its own row; levels above it repeat it. */
export const TOP_LEVEL = ABOVE_THE_PAIR.length;

/** Who owns a case at `level` (>= 1) when it has a police grid; past the top it stays with the chief. */
export const roleForLevel = (level: number): OfficerRole => ABOVE_THE_PAIR[Math.min(Math.max(level, 1), TOP_LEVEL) - 1] as OfficerRole;

/**
 * Default budgets. A lead and the desk leader get the same half hour to take the case up as the
 * front line gets for a normal case, and four hours to settle it; the station leadership gets
 * an hour and eight hours, since by then the case is known to be hard.
 */
export const DEFAULT_LADDER: readonly LevelBudget[] = [
  { level: 1, respondMinutes: 30, resolveMinutes: 240 },
  { level: 2, respondMinutes: 30, resolveMinutes: 240 },
  { level: 3, respondMinutes: 60, resolveMinutes: 480 },
  { level: 4, respondMinutes: 60, resolveMinutes: 480 },
];

/**
 * The budget for `level`: its own row, else the nearest row below it (so levels past the top
 * repeat the top), else the lowest row. An empty ladder falls back to the defaults.
 */
export function budgetFor(ladder: readonly LevelBudget[], level: number): LevelBudget {
  const steps = [...(ladder.length ? ladder : DEFAULT_LADDER)].sort((a, b) => a.level - b.level);
  const atOrBelow = steps.filter((s) => s.level <= level);
  const step = atOrBelow.at(-1) ?? (steps[0] as LevelBudget);
  return { ...step, level };
}
