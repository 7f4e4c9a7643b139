import type { CaseStatus, Outcome, Severity } from '@gridcase/contracts';
import type { CaseState } from '../domain/project.ts';
import type { cases } from './schema.ts';

export type CaseRow = typeof cases.$inferSelect;

/** A stored row as the pure projection sees it (the columns hold only values the projection wrote). */
export const rowToState = (row: CaseRow): CaseState => ({
  ...row,
  status: row.status as CaseStatus,
  severity: row.severity as Severity | null,
  outcome: row.outcome as Outcome | null,
});
