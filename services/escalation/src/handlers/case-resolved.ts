import type { DataOf } from '@gridcase/contracts';
import { caseResolved } from '../domain/case-events.ts';
import { type CaseEventRef, changeCase } from './change-case.ts';
import type { HandlerDeps } from './deps.ts';

/** Resolved: nothing is pending any more. */
export const handleCaseResolved = (deps: HandlerDeps, event: CaseEventRef, data: DataOf<'gridcase.case.resolved.v1'>) =>
  changeCase(deps, { ...event, type: 'case.resolved', caseId: data.caseId }, caseResolved);
