import { OfficerRole } from '@gridcase/contracts';
import type { Db } from '@gridcase/db';
import { type App, HttpProblem } from '@gridcase/service-kit';
import { asc } from 'drizzle-orm';
import { z } from 'zod';
import { ladder } from '../db/schema.ts';
import { DEFAULT_LADDER, roleForLevel, TOP_LEVEL } from '../domain/ladder.ts';

const Step = z.object({
  level: z.number().int(),
  role: OfficerRole,
  respondMinutes: z.number().int(),
  resolveMinutes: z.number().int(),
});

const StepBody = z.strictObject({
  respondMinutes: z.number().int().positive().max(525_600),
  resolveMinutes: z.number().int().positive().max(525_600),
});

const toView = (r: { level: number; respondMinutes: number; resolveMinutes: number }) => ({
  level: r.level,
  role: roleForLevel(r.level),
  respondMinutes: r.respondMinutes,
  resolveMinutes: r.resolveMinutes,
});

export function ladderRoutes(app: App, db: Db) {
  app.get(
    '/v1/ladder',
    {
      config: { roles: ['desk', 'supervisor', 'officer'] },
      schema: {
        summary: 'Budget each escalation level gets; levels above `top` reuse the top one',
        response: { 200: z.object({ items: z.array(Step), top: z.number().int() }) },
      },
    },
    async () => {
      const rows = await db.select().from(ladder).orderBy(asc(ladder.level));
      return { items: rows.map(toView), top: TOP_LEVEL };
    },
  );

  app.put(
    '/v1/ladder/:level',
    {
      config: { roles: ['admin'] },
      schema: {
        summary: 'Sets the budget of one level; applies to escalations from now on',
        params: z.object({ level: z.coerce.number().int().min(1).max(TOP_LEVEL) }),
        body: StepBody,
        response: { 200: Step },
      },
    },
    async (req) => {
      if (req.body.resolveMinutes < req.body.respondMinutes) {
        throw new HttpProblem(400, 'Bad Request', 'resolveMinutes must not be shorter than respondMinutes', {
          errors: [{ path: 'resolveMinutes', message: 'must be >= respondMinutes' }],
        });
      }
      const row = { level: req.params.level, role: roleForLevel(req.params.level), ...req.body, updatedAt: new Date() };
      await db.insert(ladder).values(row).onConflictDoUpdate({ target: ladder.level, set: row });
      return toView(row);
    },
  );
}

/** A fresh install gets the default ladder; levels an operator changed stay as they are. */
export async function seedDefaultLadder(db: Db): Promise<void> {
  await db
    .insert(ladder)
    .values(DEFAULT_LADDER.map((s) => ({ ...s, role: roleForLevel(s.level) })))
    .onConflictDoNothing();
}
