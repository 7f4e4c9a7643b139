import type { DataOf } from '@gridcase/contracts';
import { caseAcknowledged } from '../domain/case-events.ts';
import { type CaseEventRef, changeCase } from './change-case.ts';
import type { HandlerDeps } from './deps.ts';

/** Acknowledged: the respond deadline is met; its pending timers are cancelled. */
export const handleCaseAcknowledged = (deps: HandlerDeps, event: CaseEventRef, data: DataOf<'gridcase.case.acknowledged.v1'>) =>
  changeCase(deps, { ...event, type: 'case.acknowledged', caseId: data.caseId }, caseAcknowledged);
