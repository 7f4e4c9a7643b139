import type { DataOf } from '@gridcase/contracts';
import { caseReopened } from '../domain/case-events.ts';
import { type CaseEventRef, changeCase } from './change-case.ts';
import type { HandlerDeps } from './deps.ts';

/** Reopened: a new round of deadlines at the level the case had reached. */
export const handleCaseReopened = (
  deps: HandlerDeps,
  event: CaseEventRef,
  data: DataOf<'gridcase.case.reopened.v1'>,
  traceparent?: string,
) =>
  changeCase(deps, { ...event, type: 'case.reopened', caseId: data.caseId, traceparent }, (c, pending) =>
    caseReopened(c, pending, data),
  );
