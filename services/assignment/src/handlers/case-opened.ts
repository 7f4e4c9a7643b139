import type { DataOf } from '@gridcase/contracts';
import { claimInbox, type Tx, writeOutbox } from '@gridcase/db';
import { insertCase } from '../db/cases.ts';
import { loadCalendar } from '../db/clock-data.ts';
import { routingCache } from '../db/routing-cache.ts';
import { inbox, outbox } from '../db/schema.ts';
import { openCase } from '../domain/case.ts';
import type { Route } from '../domain/routing.ts';
import { countRouted } from '../metrics.ts';
import { type AssignmentDeps, caseMessages, SCHEMA } from './deps.ts';

/**
 * A new case becomes the case of record, routed to its first owners (or the duty desk), with its first
 * clocks, in the consumer's transaction. Returns the log lines to write, and the metrics to count, once committed.
 */
export async function handleCaseOpened(
  tx: Tx,
  deps: AssignmentDeps,
  eventId: string,
  opened: DataOf<'gridcase.case.opened.v1'>,
  traceparent?: string,
): Promise<() => void> {
  const now = deps.clock.now();
  const route = await openCaseOfRecord(tx, deps, eventId, opened, now, traceparent);
  return () => logRouted(deps, opened, route);
}

async function openCaseOfRecord(tx: Tx, deps: AssignmentDeps, eventId: string, opened: DataOf<'gridcase.case.opened.v1'>, now: Date, traceparent?: string): Promise<Route | undefined> {
  if (!(await claimInbox(tx, inbox, deps.groupId, eventId))) return undefined;
  const data = await routingCache(deps.db).routingData(tx, opened.location, now);
  const { record, events, route } = openCase(opened, data, now, await loadCalendar(tx));
  const details = { title: opened.title, description: opened.description, location: opened.location };
  if (!(await insertCase(tx, record, details))) return undefined;
  await writeOutbox(tx, outbox, SCHEMA, caseMessages(deps, events, now, traceparent));
  return route;
}

function logRouted(deps: AssignmentDeps, opened: DataOf<'gridcase.case.opened.v1'>, route: Route | undefined): void {
  if (!route) return;
  countRouted(route);
  const fields = {
    caseId: opened.caseId,
    caseNumber: opened.caseNumber,
    routedBy: route.routedBy,
    policeGridCode: route.policeGridCode,
    gridCode: route.gridCode,
    assignees: route.assignees.map((a) => a.officerId),
    rule: route.decision.rule,
    fallback: route.decision.fallback ?? undefined,
  };
  if (route.routedBy === 'desk') deps.logger.warn({ ...fields, reason: route.reason }, `case ${opened.caseNumber} unroutable → duty desk: ${route.reason}`);
  else deps.logger.info(fields, `case ${opened.caseNumber} routed by ${route.routedBy} to grid ${route.gridCode} (rule ${route.decision.rule})`);
  if (route.gap) deps.logger.warn({ caseId: opened.caseId, gap: route.gap }, `case ${opened.caseNumber} assigned without its pair: ${route.gap}`);
}
