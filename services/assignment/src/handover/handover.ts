import type { Assignee } from '@gridcase/contracts';
import type { CaseEvent, CaseRecord } from '../domain/case.ts';
import { type Decision, type PostDecision, pickForPost } from '../domain/decision.ts';
import { dutyByRoster, highestRung, ladderStep } from '../domain/ladder.ts';
import { dutyStatus } from '../domain/roster.ts';
import { peopleOfPost, toAssignee } from '../domain/people.ts';
import { availabilityOf, decisionOf, needsOnDuty, onDutyUpTheLadder, type RoutingData } from '../domain/routing.ts';

export interface Handover {
  assignees: Assignee[];
  decision: Decision;
  /** What changed, by post and duty (no names, no leave reasons). */
  reason: string;
}

type Handed = Pick<CaseRecord, 'status' | 'level' | 'assignees' | 'policeGridCode' | 'gridCode'> & { severity?: string };

/**
 * Whom an unacknowledged case should pass to now, or undefined. At level 0 as handOver says (owners
 * off duty or on leave, post by post). Above it, only when every police owner (everyone but grid
 * workers) is on leave or gone from the roster: to the ladder's rung for the level by the rosters
 * (someone on leave is never chosen), the grid workers staying. An acknowledged case keeps its
 * owners at any level, as it does at level 0 (escalation of its resolve clock moves it on).
 */
export function handOverAny(c: Handed, data: RoutingData, at: Date): Handover | undefined {
  if (c.status !== 'open') return undefined;
  if (c.level === 0) return handOver(c, data, at);
  const police = c.assignees.filter((a) => a.role !== 'gridWorker');
  const away = (officerId: string) => {
    const person = data.officers.find((o) => o.officerId === officerId);
    return !person || dutyStatus(person, data.duty?.get(officerId), at) === 'on-leave';
  };
  if (police.length === 0 || !police.every((a) => away(a.officerId))) return undefined;
  const workers = c.assignees.filter((a) => a.role === 'gridWorker');
  // At the rank the owners on leave hold or above: a deputy chief's case is not handed down to a lead.
  const duty = dutyByRoster(data.duty, at, false, undefined, highestRung(police));
  const step = ladderStep(c.level, { policeGridCode: c.policeGridCode ?? undefined }, data.officers, data.referenceVersion ?? null, data.openCases, duty);
  const chosen = step.decision.posts.at(-1);
  if (step.assignees.length === 0 || !chosen) return undefined;
  const owners = [...new Set(police.map((a) => a.role))].join(', ');
  return {
    assignees: [...step.assignees, ...workers.filter((w) => !step.assignees.some((a) => a.officerId === w.officerId))],
    decision: step.decision,
    reason: `handed on: ${owners} on-leave → ${chosen.post} ${chosen.filledBy} (escalation level ${c.level})`,
  };
}

/**
 * Who should hold an unacknowledged case now that its owners' duty may have changed: an owner on duty
 * keeps it; one off duty hands it on only to someone of the same post on duty or on call (an equally
 * off-duty colleague is no better); one on leave, or gone from the roster, hands it on to whoever
 * the post's rules give (pickForPost), else to the duty desk leader. A red case's grid officer gone
 * off duty, on leave or from the roster, with nobody of the post on duty or on call, hands it to the
 * first on duty up the ladder, as routing does for a new red case (onDutyUpTheLadder: its 10 minutes
 * must not wait for an officer at home). Undefined when nothing changes.
 */
export function handOver(c: Pick<CaseRecord, 'assignees' | 'policeGridCode' | 'gridCode'> & { severity?: string }, data: RoutingData, at: Date): Handover | undefined {
  const avail = availabilityOf(data, at);
  const posts: PostDecision[] = [];
  const changes: string[] = [];
  const next: Assignee[] = [];
  let laddered = false;
  for (const owner of c.assignees) {
    const person = data.officers.find((o) => o.officerId === owner.officerId);
    const status = person ? dutyStatus(person, data.duty?.get(person.officerId), at) : 'gone';
    const keep = () => {
      next.push(owner);
      posts.push({ post: owner.role, chosen: owner.officerId, filledBy: 'kept', candidates: [] });
    };
    if (status === 'on-duty') {
      keep();
      continue;
    }
    let pick = pickForPost(owner.role, peopleOfPost(data.officers, owner.role, c), avail);
    let better = pick.chosen && pick.chosen.officerId !== owner.officerId && (status !== 'off-duty' || pick.decision.filledBy !== 'off-duty-owner');
    // As routing does (routeCase): a red case's officer post that would go to nobody, or to an owner off
    // duty, goes to the first on duty up the ladder, whether its owner went off duty, on leave or away.
    const nobodyOnDuty = !better || pick.decision.filledBy === 'off-duty-owner';
    if (nobodyOnDuty && owner.role === 'officer' && needsOnDuty(c.severity) && c.policeGridCode) {
      const up = onDutyUpTheLadder(pick.decision, c.policeGridCode, data, avail);
      if (up?.chosen && up.chosen.officerId !== owner.officerId) {
        pick = up;
        better = true;
        laddered = true;
      }
    }
    if (!better && status !== 'off-duty' && owner.role !== 'deskLeader') {
      const desk = pickForPost('deskLeader', peopleOfPost(data.officers, 'deskLeader', {}), avail);
      pick = { chosen: desk.chosen, decision: { ...desk.decision, filledBy: 'desk-leader' } };
    }
    const chosen = pick.chosen;
    const replaces = chosen && chosen.officerId !== owner.officerId && (better || status !== 'off-duty');
    if (!chosen || !replaces) {
      keep();
      continue;
    }
    if (!next.some((a) => a.officerId === chosen.officerId) && !c.assignees.some((a) => a.officerId === chosen.officerId)) next.push(toAssignee(chosen));
    posts.push(pick.decision);
    changes.push(`${owner.role} ${status} → ${pick.decision.post} ${pick.decision.filledBy}`);
  }
  if (changes.length === 0) return undefined;
  return { assignees: next, decision: decisionOf(data, laddered ? 'handover+red-needs-on-duty' : 'handover', posts), reason: `handed on: ${changes.join('; ')}` };
}

/** The case handed on: new owners on the record and a `case.assigned` (routedBy handover) for the timeline. */
export function handOverCase(record: CaseRecord, handover: Handover, now: Date): { record: CaseRecord; events: CaseEvent[] } {
  const after: CaseRecord = { ...record, assignees: handover.assignees, updatedAt: now };
  const event: CaseEvent = {
    type: 'gridcase.case.assigned.v1',
    data: {
      caseId: record.caseId,
      level: record.level,
      assignees: handover.assignees,
      policeGridCode: record.policeGridCode ?? undefined,
      gridCode: record.gridCode ?? undefined,
      routedBy: 'handover',
      reason: handover.reason,
      decision: handover.decision,
      at: now.toISOString(),
    },
  };
  return { record: after, events: [event] };
}
