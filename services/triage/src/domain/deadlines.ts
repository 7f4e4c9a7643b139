import type { Severity } from '@gridcase/contracts';

export interface SlaPolicy {
  category: string;
  severity: Severity;
  respondMinutes: number;
  resolveMinutes: number;
}

/** Budgets by severity for any category ('*'); a category-specific row overrides them. */
export const DEFAULT_POLICIES: readonly SlaPolicy[] = [
  { category: '*', severity: 'red', respondMinutes: 5, resolveMinutes: 120 },
  { category: '*', severity: 'orange', respondMinutes: 15, resolveMinutes: 24 * 60 },
  { category: '*', severity: 'yellow', respondMinutes: 30, resolveMinutes: 72 * 60 },
  { category: '*', severity: 'service', respondMinutes: 120, resolveMinutes: 72 * 60 },
  { category: '*', severity: 'statutory', respondMinutes: 24 * 60, resolveMinutes: 30 * 24 * 60 },
];

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

/** The case keeps the earlier of the policy's deadline and the one the sender required. */
export function computeDeadlines(
  policy: SlaPolicy,
  receivedAt: Date,
  sender: { respondBy?: string | undefined; resolveBy?: string | undefined },
): Deadlines {
  const [respondBy, r] = earlier(new Date(receivedAt.getTime() + policy.respondMinutes * 60_000), sender.respondBy);
  const [resolveBy, s] = earlier(new Date(receivedAt.getTime() + policy.resolveMinutes * 60_000), sender.resolveBy);
  return { respondBy, resolveBy, source: { respondBy: r, resolveBy: s } };
}
