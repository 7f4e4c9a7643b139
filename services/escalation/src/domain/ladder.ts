import type { OfficerRole } from '@gridcase/contracts';

/** The budget one escalation level gets, in minutes from the moment the case reaches it. */
export interface LadderStep {
  level: number;
  respondMinutes: number;
  resolveMinutes: number;
}

/**
 * Who owns a case at each level (CONTRACT.md): level 0 is the grid officer and grid worker
 * (budgets from triage's SLA policy), then police grid lead, duty desk leader, deputy chief, chief.
 */
export const LADDER_ROLES: readonly OfficerRole[] = ['lead', 'deskLeader', 'deputyChief', 'chief'];
export const TOP_LEVEL = LADDER_ROLES.length;

/** The role that owns a case at `level` (>= 1); past the top it stays with the chief. */
export const roleForLevel = (level: number): OfficerRole =>
  LADDER_ROLES[Math.min(Math.max(level, 1), TOP_LEVEL) - 1] as OfficerRole;

/**
 * Default budgets. A lead and the desk leader get the same half hour to take the case up as the
 * front line gets for a normal case, and four hours to settle it; the station leadership gets
 * an hour and eight hours, since by then the case is known to be hard.
 */
export const DEFAULT_LADDER: readonly LadderStep[] = [
  { level: 1, respondMinutes: 30, resolveMinutes: 240 },
  { level: 2, respondMinutes: 30, resolveMinutes: 240 },
  { level: 3, respondMinutes: 60, resolveMinutes: 480 },
  { level: 4, respondMinutes: 60, resolveMinutes: 480 },
];

/**
 * The budget for `level`: its own row, else the nearest row below it (so levels past the top
 * repeat the top), else the lowest row. An empty ladder falls back to the defaults.
 */
export function budgetFor(ladder: readonly LadderStep[], level: number): LadderStep {
  const steps = [...(ladder.length ? ladder : DEFAULT_LADDER)].sort((a, b) => a.level - b.level);
  const atOrBelow = steps.filter((s) => s.level <= level);
  const step = atOrBelow.at(-1) ?? (steps[0] as LadderStep);
  return { ...step, level };
}
