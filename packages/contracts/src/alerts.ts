import { z } from 'zod';
import { Instant } from './common.ts';
import { text } from './text.ts';

/** One window of a burn-rate alert: the decided disputes in it and how fast they burn the budget. */
export const SloWindowBurn = z.object({
  windowSeconds: z.number(),
  good: z.number().int(),
  bad: z.number().int(),
  /** bad share / (1 − objective); null when the window holds no decided dispute. */
  burnRate: z.number().nullable(),
});

/**
 * `gridcase.desk.slo-burn.v1` on `gridcase.alerts`, key = police grid code: a police grid's dispute
 * objective (98 % settled, 矛盾不上交) started or stopped burning its error budget too fast. Emitted
 * once per change by the desk (multi-window burn-rate alert; services/desk/README.md).
 */
export const DeskSloBurn = z.object({
  policeGridCode: text().nullable(),
  /** What is measured: disputes settled at the grid (not escalated, not referred). */
  sli: z.literal('dispute-settled'),
  objective: z.number(),
  alert: z.enum(['fast', 'slow']),
  state: z.enum(['firing', 'resolved']),
  /** When the state changed (both windows over the threshold, or one no longer). */
  at: Instant,
  threshold: z.number(),
  long: SloWindowBurn,
  short: SloWindowBurn,
});
export type DeskSloBurn = z.infer<typeof DeskSloBurn>;
