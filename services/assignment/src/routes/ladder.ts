import { fieldsCheck, OfficerRole } from '@gridcase/contracts';
import type { Db } from '@gridcase/db';
import { type App, auditedChange } from '@gridcase/service-kit';
import { z } from 'zod';
import { loadLadder, storeLadderLevel } from '../db/clock-data.ts';
import { audit } from '../db/schema.ts';
import { type LevelBudget, roleForLevel, TOP_LEVEL } from '../domain/ladder.ts';

const Step = z.object({
  level: z.number().int(),
  role: OfficerRole,
  respondMinutes: z.number().int(),
  resolveMinutes: z.number().int(),
});

// The two budgets are compared in the schema, so a bad level in the path is named beside them. The
// body takes the shape GET shows a level in: `level` and `role` are read-only, accepted when they are
// the path's level and that level's role (StepReplacement), so a level can be read, edited and sent back.
const StepBody = z
  .strictObject({
    level: z.number().int().optional(),
    role: OfficerRole.optional(),
    respondMinutes: z.number().int().positive().max(525_600),
    resolveMinutes: z.number().int().positive().max(525_600),
  })
  .refine((b) => b.resolveMinutes >= b.respondMinutes, { path: ['resolveMinutes'], message: 'must be >= respondMinutes' });

/** The check of `PUT /v1/ladder/{level}` across its parts: a body's level and role, when sent, are the path's level and its role. */
const StepReplacement = fieldsCheck(z.object({ params: z.object({ level: z.number().int().min(1).max(TOP_LEVEL) }), body: z.unknown() }), ({ params, body }, ctx) => {
  const sent = body as { level?: unknown; role?: unknown } | null | undefined;
  if (sent?.level !== undefined && sent.level !== params.level) {
    ctx.addIssue({ code: 'custom', path: ['body', 'level'], message: `must be the level of the path, ${params.level}, or left out` });
  }
  const role = roleForLevel(params.level);
  if (sent?.role !== undefined && sent.role !== role) {
    ctx.addIssue({ code: 'custom', path: ['body', 'role'], message: `level ${params.level} is the ${role}'s: the role follows from the level and cannot be set` });
  }
});

const toView = (r: LevelBudget) => ({ level: r.level, role: roleForLevel(r.level), respondMinutes: r.respondMinutes, resolveMinutes: r.resolveMinutes });

/** The budgets each escalation level gets (moved here from escalation: the case of record escalates). */
export function ladderRoutes(app: App, db: Db) {
  app.get(
    '/v1/ladder',
    {
      config: { roles: ['desk', 'supervisor', 'officer'], scope: 'none' },
      schema: {
        summary: 'Budget each escalation level gets; levels above `top` reuse the top one',
        response: { 200: z.object({ items: z.array(Step), top: z.number().int() }) },
      },
    },
    async () => ({ items: (await loadLadder(db)).map(toView), top: TOP_LEVEL }),
  );

  app.put(
    '/v1/ladder/:level',
    {
      config: { roles: ['admin'], scope: 'install', acrossParts: StepReplacement },
      schema: {
        summary: 'Sets the budget of one level (the shape GET shows a level in); applies to escalations from now on',
        params: z.object({ level: z.coerce.number().int().min(1).max(TOP_LEVEL) }),
        body: StepBody,
        response: { 200: Step },
      },
    },
    async (req) => {
      const { respondMinutes, resolveMinutes } = req.body;
      const row = { level: req.params.level, respondMinutes, resolveMinutes, updatedAt: new Date() };
      await auditedChange(
        db,
        audit,
        req,
        (tx) => storeLadderLevel(tx, row),
        (before) => ({ action: 'ladder.set', target: `ladder:${row.level}`, before: before ? toView(before) : null, after: toView(row) }),
      );
      return toView(row);
    },
  );
}
