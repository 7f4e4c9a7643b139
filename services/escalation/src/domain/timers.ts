export type CaseStatus = 'open' | 'acknowledged' | 'resolved';
export type TimerKind = 'respond' | 'resolve';
export type TimerStatus = 'pending' | 'fired' | 'cancelled';

/** What escalation tracks of a case. */
export interface CaseState {
  caseId: string;
  status: CaseStatus;
  level: number;
  round: number;
  respondBy: Date;
  resolveBy: Date;
}

export interface Timer {
  id: string;
  caseId: string;
  kind: TimerKind;
  level: number;
  round: number;
  dueAt: Date;
  status: TimerStatus;
}

export type NewTimer = Omit<Timer, 'id' | 'status'>;

/** The deadlines a case at `level`/`round` gets: respond only while it is not yet acknowledged. */
export function deadlineTimers(
  c: Pick<CaseState, 'caseId' | 'status' | 'level' | 'round'>,
  respondBy: Date | undefined,
  resolveBy: Date,
): NewTimer[] {
  const base = { caseId: c.caseId, level: c.level, round: c.round };
  const respond: NewTimer[] = respondBy && c.status === 'open' ? [{ ...base, kind: 'respond', dueAt: respondBy }] : [];
  return [...respond, { ...base, kind: 'resolve', dueAt: resolveBy }];
}

/** What a case event or an escalation changes: the case row, timers to cancel, timers to create. */
export interface CaseChange {
  case: CaseState;
  cancel: string[];
  create: NewTimer[];
}
