import type { Assignee, CaseStatus, CommandType, DataOf, Officer, Outcome } from '@gridcase/contracts';
import { ladderStep } from './ladder.ts';
import { type RoutingData, routeCase, toAssignee } from './routing.ts';

/** The case of record, as the domain sees it. */
export interface CaseRecord {
  caseId: string;
  caseNumber: string;
  station: string;
  status: CaseStatus;
  level: number;
  category: string;
  severity: string;
  assignees: Assignee[];
  policeGridCode: string | null;
  gridCode: string | null;
  /** How the current owners were found (routing, the ladder, or a person). */
  routedBy: string;
  /** Why the case sits with the duty desk, when it could not be routed. */
  unroutableReason: string | null;
  respondBy: Date;
  resolveBy: Date;
  openedAt: Date;
  /** The first owners' budgets (respondBy − openedAt, resolveBy − openedAt); a reopened case gets them again. */
  respondBudgetMs: number;
  resolveBudgetMs: number;
  acknowledgedAt: Date | null;
  resolvedAt: Date | null;
  outcome: Outcome | null;
  updatedAt: Date;
}

type Emitted = 'gridcase.case.assigned.v1' | 'gridcase.case.acknowledged.v1' | 'gridcase.case.resolved.v1' | 'gridcase.case.reopened.v1' | 'gridcase.case.note-added.v1' | 'gridcase.case.command-rejected.v1';
/** An event the case of record emits, before it is put in an envelope. */
export type CaseEvent = { [T in Emitted]: { type: T; data: DataOf<T> } }[Emitted];
export type CaseCommand = { [T in CommandType]: { type: T; data: DataOf<T> } }[CommandType];

/** A new case from `case.opened`: routed, at level 0, with its first owners' budgets remembered. */
export function openCase(opened: DataOf<'gridcase.case.opened.v1'>, data: RoutingData, now: Date) {
  const route = routeCase(opened.location, data);
  const openedAt = new Date(opened.openedAt);
  const respondBy = new Date(opened.respondBy);
  const resolveBy = new Date(opened.resolveBy);
  const record: CaseRecord = {
    caseId: opened.caseId,
    caseNumber: opened.caseNumber,
    station: opened.station,
    status: 'open',
    level: 0,
    category: opened.category,
    severity: opened.severity,
    assignees: route.assignees,
    policeGridCode: route.policeGridCode ?? null,
    gridCode: route.gridCode ?? null,
    routedBy: route.routedBy,
    unroutableReason: route.reason ?? null,
    respondBy,
    resolveBy,
    openedAt,
    respondBudgetMs: Math.max(0, respondBy.getTime() - openedAt.getTime()),
    resolveBudgetMs: Math.max(0, resolveBy.getTime() - openedAt.getTime()),
    acknowledgedAt: null,
    resolvedAt: null,
    outcome: null,
    updatedAt: now,
  };
  const assigned: CaseEvent = {
    type: 'gridcase.case.assigned.v1',
    data: {
      caseId: opened.caseId,
      level: 0,
      assignees: route.assignees,
      policeGridCode: route.policeGridCode,
      gridCode: route.gridCode,
      routedBy: route.routedBy,
      reason: route.reason,
      at: now.toISOString(),
    },
  };
  return { record, assigned, route };
}

export type EscalationDecision =
  | { kind: 'ignored'; reason: string }
  | { kind: 'escalated'; record: CaseRecord; event: CaseEvent; skipped: string[]; keptOwners: boolean };

/**
 * `case.escalated` moves the case up the ladder to the event's level with its fresh deadlines.
 * A closed matter (resolved or closed) or a level the case already reached changes nothing, so a
 * late or repeated escalation is harmless.
 */
export function escalateCase(
  record: CaseRecord,
  escalated: DataOf<'gridcase.case.escalated.v1'>,
  officers: readonly Officer[],
  now: Date,
): EscalationDecision {
  if (record.status === 'resolved' || record.status === 'closed') {
    return { kind: 'ignored', reason: `case is ${record.status}` };
  }
  if (escalated.level <= record.level) {
    return { kind: 'ignored', reason: `case is already at level ${record.level}` };
  }
  const step = ladderStep(escalated.level, { policeGridCode: record.policeGridCode ?? undefined }, officers);
  const keptOwners = step.assignees.length === 0;
  const assignees = keptOwners ? record.assignees : step.assignees;
  const next: CaseRecord = {
    ...record,
    level: escalated.level,
    assignees,
    routedBy: 'escalation',
    respondBy: escalated.respondBy ? new Date(escalated.respondBy) : record.respondBy,
    resolveBy: new Date(escalated.resolveBy),
    updatedAt: now,
  };
  const event: CaseEvent = {
    type: 'gridcase.case.assigned.v1',
    data: {
      caseId: record.caseId,
      level: escalated.level,
      assignees,
      policeGridCode: record.policeGridCode ?? undefined,
      gridCode: record.gridCode ?? undefined,
      routedBy: 'escalation',
      reason: keptOwners ? `nobody on the roster at or above ${step.role}; the current owners keep the case` : undefined,
      at: now.toISOString(),
    },
  };
  return { kind: 'escalated', record: next, event, skipped: step.skipped, keptOwners };
}

export type CommandDecision =
  | { kind: 'accepted'; record: CaseRecord; event: CaseEvent; note?: { text: string } }
  | { kind: 'rejected'; reason: string; event: CaseEvent };

/** 'gridcase.case-command.resolve.v1' → 'resolve'. */
export const commandName = (type: CommandType): string => type.split('.')[2] ?? type;

/**
 * What a duty-desk command does to the case of record. Acknowledge only an open case; resolve an
 * open or acknowledged one; reopen only a resolved one (with its first budgets counted from now);
 * notes in any state; reassign an unresolved case to people on the roster, keeping its level.
 * Anything else is rejected with a reason the desk can show, never silently dropped.
 */
export function decideCommand(
  record: CaseRecord | undefined,
  command: CaseCommand,
  ctx: { now: Date; officers: readonly Officer[] },
): CommandDecision {
  const { caseId, commandId } = command.data;
  const at = ctx.now.toISOString();
  const reject = (reason: string): CommandDecision => ({
    kind: 'rejected',
    reason,
    event: { type: 'gridcase.case.command-rejected.v1', data: { caseId, commandId, command: commandName(command.type), reason, at } },
  });
  if (!record) return reject(`unknown case ${caseId} (not opened here, or not yet)`);
  const touched = { ...record, updatedAt: ctx.now };

  switch (command.type) {
    case 'gridcase.case-command.acknowledge.v1': {
      if (record.status !== 'open') return reject(`case is ${record.status}; only an open case can be acknowledged`);
      return {
        kind: 'accepted',
        record: { ...touched, status: 'acknowledged', acknowledgedAt: ctx.now },
        event: { type: 'gridcase.case.acknowledged.v1', data: { caseId, commandId, by: command.data.by, at } },
      };
    }
    case 'gridcase.case-command.resolve.v1': {
      if (record.status !== 'open' && record.status !== 'acknowledged') {
        return reject(`case is ${record.status}; only an open or acknowledged case can be resolved`);
      }
      const { outcome, note, by } = command.data;
      return {
        kind: 'accepted',
        record: { ...touched, status: 'resolved', resolvedAt: ctx.now, outcome },
        event: { type: 'gridcase.case.resolved.v1', data: { caseId, commandId, outcome, note, by, at } },
      };
    }
    case 'gridcase.case-command.reopen.v1': {
      if (record.status !== 'resolved') return reject(`case is ${record.status}; only a resolved case can be reopened`);
      const respondBy = new Date(ctx.now.getTime() + record.respondBudgetMs);
      const resolveBy = new Date(ctx.now.getTime() + record.resolveBudgetMs);
      return {
        kind: 'accepted',
        record: { ...touched, status: 'open', respondBy, resolveBy, acknowledgedAt: null, resolvedAt: null, outcome: null },
        event: {
          type: 'gridcase.case.reopened.v1',
          data: { caseId, commandId, reason: command.data.reason, by: command.data.by, respondBy: respondBy.toISOString(), resolveBy: resolveBy.toISOString(), at },
        },
      };
    }
    case 'gridcase.case-command.note.v1': {
      const { text, by } = command.data;
      return {
        kind: 'accepted',
        record: touched,
        event: { type: 'gridcase.case.note-added.v1', data: { caseId, commandId, text, by, at } },
        note: { text },
      };
    }
    case 'gridcase.case-command.reassign.v1': {
      if (record.status !== 'open' && record.status !== 'acknowledged') {
        return reject(`case is ${record.status}; reopen it before reassigning`);
      }
      const ids = [...new Set(command.data.officerIds)];
      const byId = new Map(ctx.officers.map((o) => [o.officerId, o]));
      const unknown = ids.filter((id) => !byId.has(id));
      if (unknown.length) return reject(`unknown officer${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`);
      const assignees = ids.map((id) => toAssignee(byId.get(id) as Officer));
      return {
        kind: 'accepted',
        record: { ...touched, assignees, routedBy: 'reassign' },
        event: {
          type: 'gridcase.case.assigned.v1',
          data: {
            caseId,
            level: record.level,
            assignees,
            policeGridCode: record.policeGridCode ?? undefined,
            gridCode: record.gridCode ?? undefined,
            routedBy: 'reassign',
            commandId,
            at,
          },
        },
      };
    }
  }
}
