import type { AssignmentDecision, Officer, OfficerRole } from '@gridcase/contracts';
import type { z } from 'zod';
import { type DutyStatus, dutyStatus, type Roster } from './roster.ts';

export type Decision = z.infer<typeof AssignmentDecision>;
export type PostDecision = Decision['posts'][number];
type Candidate = PostDecision['candidates'][number];

/** What choosing a person needs besides the roster: shifts and leave, open-case counts, the time. */
export interface Availability {
  duty?: ReadonlyMap<string, Roster>;
  openCases?: ReadonlyMap<string, number>;
  at: Date;
}

export interface PostPick {
  chosen?: Officer;
  decision: PostDecision;
}

const FALLBACK_WORDS: Partial<Record<PostDecision['filledBy'], string>> = {
  'on-call': 'nobody on duty: the person on call',
  'off-duty-owner': "nobody on duty or on call: the post's owner off duty",
  'desk-leader': 'nobody available for the post: the duty desk leader',
  'ladder-on-duty': 'a red case and nobody of the post on duty or on call: the first on duty up the escalation ladder',
  none: 'nobody to take the post',
};

/**
 * Fills one post (the grid officer of a police grid, the grid worker of a grid, the desk leader) from
 * the people who serve it, in roster order: the one on duty with the fewest open cases (ties: roster
 * order); if nobody is on duty, the one on call; else the first off duty (the post's owner stays
 * responsible and escalation covers slowness). Someone on leave is never chosen. Every person
 * considered is listed with why they were passed over.
 */
export function pickForPost(post: OfficerRole, people: readonly Officer[], avail: Availability): PostPick {
  const seen = people.map((o) => ({
    officer: o,
    status: dutyStatus(o, avail.duty?.get(o.officerId), avail.at) as DutyStatus,
    onCall: avail.duty?.get(o.officerId)?.onCall ?? false,
    openCases: avail.openCases?.get(o.officerId) ?? 0,
  }));
  const onDuty = seen.filter((s) => s.status === 'on-duty');
  const onCall = seen.filter((s) => s.status === 'off-duty' && s.onCall);
  const offDuty = seen.filter((s) => s.status === 'off-duty');
  const [pool, filledBy] =
    onDuty.length > 0
      ? ([onDuty, 'on-duty'] as const)
      : onCall.length > 0
        ? ([onCall, 'on-call'] as const)
        : ([offDuty.slice(0, 1), 'off-duty-owner'] as const);
  // Stable: among equal counts the earlier in the roster wins.
  const best = [...pool].sort((a, b) => a.openCases - b.openCases)[0];
  const candidates: Candidate[] = seen.map((s) => {
    const c: Candidate = { officerId: s.officer.officerId, role: s.officer.role, openCases: s.openCases };
    if (s === best) return c;
    if (s.status === 'on-leave') c.passedOver = 'on-leave';
    else if (!pool.includes(s)) c.passedOver = filledBy === 'on-call' && s.status === 'off-duty' ? 'not-on-call' : 'off-duty';
    else c.passedOver = best && s.openCases > best.openCases ? 'more-open-cases' : 'later-in-roster';
    return c;
  });
  if (!best) return { decision: { post, chosen: null, filledBy: 'none', candidates } };
  return { chosen: best.officer, decision: { post, chosen: best.officer.officerId, filledBy, candidates } };
}

/** A post left empty on purpose (a pairing rule), its people listed as passed over for their role. */
export function passedForRole(post: OfficerRole, people: readonly Officer[], avail: Availability): PostDecision {
  return {
    post,
    chosen: null,
    filledBy: 'none',
    candidates: people.map((o) => ({ officerId: o.officerId, role: o.role, openCases: avail.openCases?.get(o.officerId) ?? 0, passedOver: 'wrong-role' })),
  };
}

/** The fallbacks taken, in words, one per post that was not filled by someone on duty; null if none. */
export function fallbackOf(posts: readonly PostDecision[]): string | null {
  const words = posts
    .filter((p) => p.filledBy !== 'on-duty' && p.filledBy !== 'kept' && !(p.filledBy === 'none' && p.candidates.every((c) => c.passedOver === 'wrong-role')))
    .map((p) => `${p.post}: ${FALLBACK_WORDS[p.filledBy]}`);
  return words.length > 0 ? words.join('; ') : null;
}
