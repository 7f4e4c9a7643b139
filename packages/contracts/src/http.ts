import { z } from 'zod';
import { ClientRole } from './common.ts';

/** RFC 9457 problem details, as every service answers an error. */
export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type Problem = z.infer<typeof Problem>;

export const CreateClientBody = z.strictObject({
  name: z.string().min(1).max(200),
  roles: z.array(ClientRole).min(1),
  stations: z.array(z.string().min(1)).optional(),
});
export const ClientCreated = z.object({ clientId: z.string(), token: z.string() });

/** What a token proves about its holder once verified. */
export const Principal = z.object({
  clientId: z.string(),
  name: z.string(),
  roles: z.array(ClientRole),
  stations: z.array(z.string()).optional(),
});
export type Principal = z.infer<typeof Principal>;

/** ISO 8601 duration like PT30M, P1D, PT1H30M, in milliseconds. */
export function parseDuration(text: string): number | undefined {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) return undefined;
  const [, d, h, min, s] = m;
  return ((Number(d ?? 0) * 24 + Number(h ?? 0)) * 60 + Number(min ?? 0)) * 60_000 + Number(s ?? 0) * 1000;
}

export const Duration = z.string().refine((v) => parseDuration(v) !== undefined, 'must be an ISO 8601 duration like PT30M');
