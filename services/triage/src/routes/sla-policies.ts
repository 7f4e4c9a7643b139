import { findCategory, Severity } from '@gridcase/contracts';
import { type App, HttpProblem } from '@gridcase/service-kit';
import type { Db } from '@gridcase/db';
import { z } from 'zod';
import { slaPolicies } from '../db/schema.ts';
import { DEFAULT_POLICIES } from '../domain/deadlines.ts';

const Policy = z.object({
  category: z.string(),
  severity: Severity,
  respondMinutes: z.number().int(),
  resolveMinutes: z.number().int(),
});

const PolicyBody = z.strictObject({
  respondMinutes: z.number().int().positive().max(525_600),
  resolveMinutes: z.number().int().positive().max(525_600),
});

export function slaPolicyRoutes(app: App, db: Db) {
  app.get(
    '/v1/sla-policies',
    { schema: { summary: 'Acknowledge and resolve budgets; category "*" applies to every category', response: { 200: z.object({ items: z.array(Policy) }) } } },
    async () => {
      const rows = await db.select().from(slaPolicies).orderBy(slaPolicies.category, slaPolicies.severity);
      return { items: rows.map((r) => ({ ...r, severity: r.severity as Severity })) };
    },
  );

  app.put(
    '/v1/sla-policies/:category/:severity',
    {
      config: { roles: ['admin'] },
      schema: { params: z.object({ category: z.string(), severity: Severity }), body: PolicyBody, response: { 200: Policy } },
    },
    async (req) => {
      const { category, severity } = req.params;
      if (category !== '*' && !findCategory(category)) {
        throw new HttpProblem(400, 'Bad Request', `unknown category ${category}`, {
          errors: [{ path: 'params.category', message: 'unknown category code; see GET /v1/categories' }],
        });
      }
      if (req.body.resolveMinutes < req.body.respondMinutes) {
        throw new HttpProblem(400, 'Bad Request', 'resolveMinutes must not be shorter than respondMinutes', {
          errors: [{ path: 'resolveMinutes', message: 'must be >= respondMinutes' }],
        });
      }
      const row = { category, severity, ...req.body, updatedAt: new Date() };
      await db.insert(slaPolicies).values(row).onConflictDoUpdate({ target: [slaPolicies.category, slaPolicies.severity], set: row });
      return { category, severity, ...req.body };
    },
  );
}

/** A fresh install gets the default budgets. */
export async function seedDefaultPolicies(db: Db): Promise<void> {
  await db.insert(slaPolicies).values([...DEFAULT_POLICIES]).onConflictDoNothing();
}
