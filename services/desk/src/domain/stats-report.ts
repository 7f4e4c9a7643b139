import type { DeskStats } from '@gridcase/contracts';
import { type CaseFact, figures, groupBy, inPeriod, type PeriodKind, periods, ratio } from './figures.ts';
import { fiveNone } from './five-none.ts';
import { burnStates, DISPUTE_OBJECTIVE, disputeSliEvent } from './slo.ts';

type StatsFigures = DeskStats['overall'];

/** The figures of a set of cases plus the dispute objective's attainment among them. */
export function statsFigures(facts: readonly CaseFact[]): StatsFigures {
  const decided = facts.flatMap((c) => disputeSliEvent(c) ?? []);
  const settled = decided.filter((e) => e.good).length;
  const rate = ratio(settled, decided.length);
  return {
    ...figures(facts),
    disputesDecided: decided.length,
    disputesSettled: settled,
    disputeSettlementRate: rate,
    disputeObjectiveMet: rate === null ? null : rate >= DISPUTE_OBJECTIVE,
  };
}

const byPoliceGrid = (facts: readonly CaseFact[]) =>
  groupBy(facts, (c) => c.policeGridCode).map(([policeGridCode, list]) => ({ policeGridCode, ...statsFigures(list) }));

const byGrid = (facts: readonly CaseFact[]) =>
  groupBy(facts, (c) => c.gridCode).map(([gridCode, list]) => ({
    gridCode,
    // The police grid of the grid's latest case (a redraw can move a grid).
    policeGridCode: list.at(-1)?.policeGridCode ?? null,
    ...statsFigures(list),
  }));

export interface StatsInput {
  from: Date;
  to: Date;
  asOf: Date;
  groupBy?: 'policeGrid' | 'grid' | undefined;
  period?: PeriodKind | undefined;
  /** Cases opened in [from, to), oldest first. */
  facts: readonly CaseFact[];
  /** Every community grid the desk knows of (五没有 lists those with no case too). */
  knownGrids: readonly { gridCode: string; policeGridCode: string | null }[];
  /** Disputes decided within the longest burn window before `asOf`. */
  recentDisputes: readonly CaseFact[];
}

/** The most periods one answer lists (a year of weeks, with room). */
export const MAX_PERIODS = 60;

/** GET /v1/stats's answer. Pure: the route loads the facts, this computes. */
export function statsReport(input: StatsInput): DeskStats {
  const { facts } = input;
  const grouped = (list: readonly CaseFact[]) => (input.groupBy === 'grid' ? { grids: byGrid(list) } : { policeGrids: byPoliceGrid(list) });
  const casesByGrid = new Map(groupBy(facts, (c) => c.gridCode));
  return {
    from: input.from.toISOString(),
    to: input.to.toISOString(),
    asOf: input.asOf.toISOString(),
    overall: statsFigures(facts),
    policeGrids: byPoliceGrid(facts),
    ...(input.groupBy === 'grid' ? { grids: byGrid(facts) } : {}),
    ...(input.period
      ? {
          periods: periods(input.period, input.from, input.to).map((p) => {
            const list = facts.filter((c) => inPeriod(c, p));
            return { period: p.key, from: p.from.toISOString(), to: p.to.toISOString(), overall: statsFigures(list), ...grouped(list) };
          }),
        }
      : {}),
    fiveNone: input.knownGrids.map((g) => ({ ...g, ...fiveNone(casesByGrid.get(g.gridCode) ?? []) })),
    sloBurn: burnStates(input.recentDisputes, input.asOf),
  };
}
