import { type Budget, deadline, type WorkingCalendar } from '@gridcase/calendar';
import type { Severity } from '@gridcase/contracts';

export interface SlaPolicy {
  category: string;
  severity: Severity;
  respond: Budget;
  resolve: Budget;
}

/** Budgets by severity for any category ('*'); a category-specific row overrides them (CONTRACT.md). */
export const DEFAULT_POLICIES: readonly SlaPolicy[] = [
  { category: '*', severity: 'red', respond: { minutes: 10 }, resolve: { minutes: 1440 } },
  { category: '*', severity: 'orange', respond: { minutes: 30 }, resolve: { workingDays: 3 } },
  { category: '*', severity: 'yellow', respond: { minutes: 120 }, resolve: { workingDays: 5 } },
  { category: '*', severity: 'service', respond: { workingDays: 1 }, resolve: { workingDays: 5 } },
  { category: '*', severity: 'statutory', respond: { workingDays: 1 }, resolve: { workingDays: 3 } },
];

/** A policy's budgets as the API and the table spell them: one of each pair set, the other null. */
export interface BudgetColumns {
  respondMinutes: number | null;
  respondWorkingDays: number | null;
  resolveMinutes: number | null;
  resolveWorkingDays: number | null;
}

const columnsOf = (budget: Budget): [number | null, number | null] =>
  'workingDays' in budget ? [null, budget.workingDays] : [budget.minutes, null];

const budgetOf = (minutes: number | null | undefined, workingDays: number | null | undefined): Budget =>
  workingDays != null ? { workingDays } : { minutes: minutes ?? 0 };

export function budgetColumns(policy: Pick<SlaPolicy, 'respond' | 'resolve'>): BudgetColumns {
  const [respondMinutes, respondWorkingDays] = columnsOf(policy.respond);
  const [resolveMinutes, resolveWorkingDays] = columnsOf(policy.resolve);
  return { respondMinutes, respondWorkingDays, resolveMinutes, resolveWorkingDays };
}

/** The respond and resolve budgets the columns give (working days where both of a pair are set). */
export const budgetsOf = (columns: Partial<BudgetColumns>): Pick<SlaPolicy, 'respond' | 'resolve'> => ({
  respond: budgetOf(columns.respondMinutes, columns.respondWorkingDays),
  resolve: budgetOf(columns.resolveMinutes, columns.resolveWorkingDays),
});

export function policyOf(category: string, severity: Severity, columns: Partial<BudgetColumns>): SlaPolicy {
  return { category, severity, ...budgetsOf(columns) };
}

/** The budget fields that are set (the API shows one of each pair). */
export const budgetFields = (policy: Pick<SlaPolicy, 'respond' | 'resolve'>): Partial<Record<keyof BudgetColumns, number>> =>
  Object.fromEntries(Object.entries(budgetColumns(policy)).filter(([, v]) => v !== null));

/** Minutes in a working day for comparing budgets of different units: a whole day (a working-day budget ends at 18:00, so never before the day is out). */
export const MINUTES_PER_WORKING_DAY = 1440;

/** A budget's length for comparing two budgets: minutes as they are, a working day as MINUTES_PER_WORKING_DAY. */
const comparableMinutes = (b: Budget): number => ('minutes' in b ? b.minutes : b.workingDays * MINUTES_PER_WORKING_DAY);

/**
 * Whether the resolve budget is shorter than the respond budget. Two budgets of one unit compare
 * directly; a budget in minutes and one in working days compare with a working day as 1440 minutes,
 * so respond 3 working days / resolve 60 minutes is refused (resolve due long before respond), and
 * respond 600 minutes / resolve 1 working day is taken. The rule is a clear bound, not every receipt
 * time: a working day budget spans more than 1440 minutes over a weekend or holiday.
 */
export function resolvesBeforeResponding(policy: Pick<SlaPolicy, 'respond' | 'resolve'>): boolean {
  return comparableMinutes(policy.resolve) < comparableMinutes(policy.respond);
}

export function pickPolicy(policies: readonly SlaPolicy[], category: string, severity: Severity): SlaPolicy {
  const exact = policies.find((p) => p.category === category && p.severity === severity);
  const any = policies.find((p) => p.category === '*' && p.severity === severity);
  const fallback = DEFAULT_POLICIES.find((p) => p.severity === severity) as SlaPolicy;
  return exact ?? any ?? fallback;
}

export interface Deadlines {
  respondBy: Date;
  resolveBy: Date;
  /** Which side set each deadline. */
  source: { respondBy: 'policy' | 'sender'; resolveBy: 'policy' | 'sender' };
}

const earlier = (policy: Date, sender?: string): [Date, 'policy' | 'sender'] => {
  const s = sender ? new Date(sender) : undefined;
  return s && s.getTime() < policy.getTime() ? [s, 'sender'] : [policy, 'policy'];
};

/**
 * The case keeps the earlier of the policy's deadline and the one the sender required. Working-day
 * budgets fall due at 18:00 Asia/Shanghai on the Nth working day after the day of receipt. A case
 * due to be resolved before its respond deadline (a sender's resolveBy earlier than the policy's
 * respondBy) must be acknowledged by then too: respondBy never falls after resolveBy.
 */
export function computeDeadlines(
  policy: SlaPolicy,
  receivedAt: Date,
  sender: { respondBy?: string | undefined; resolveBy?: string | undefined },
  calendar: WorkingCalendar,
): Deadlines {
  const [respondBy, r] = earlier(deadline(receivedAt, policy.respond, calendar), sender.respondBy);
  const [resolveBy, s] = earlier(deadline(receivedAt, policy.resolve, calendar), sender.resolveBy);
  if (resolveBy.getTime() < respondBy.getTime()) return { respondBy: resolveBy, resolveBy, source: { respondBy: s, resolveBy: s } };
  return { respondBy, resolveBy, source: { respondBy: r, resolveBy: s } };
}
