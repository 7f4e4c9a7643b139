import { z } from 'zod';
import { DeskCaseSummary } from './desk.ts';

/**
 * GET /v1/map on desk: every case not yet closed, as a list shows it, with the point its first
 * report gave (WGS 84) or null when the report gave only a grid, a community or an address (the
 * page then places it in its community grid).
 */
export const DeskMapCase = DeskCaseSummary.extend({
  point: z.object({ lat: z.number(), lng: z.number() }).nullable(),
});
export type DeskMapCase = z.infer<typeof DeskMapCase>;

export const DeskMap = z.object({
  items: z.array(DeskMapCase),
  /** True when there were more cases than one answer carries (the newest are kept). */
  truncated: z.boolean(),
});
export type DeskMap = z.infer<typeof DeskMap>;
