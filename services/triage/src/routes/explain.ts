import { ReportBody, Severity } from '@gridcase/contracts';
import type { Db } from '@gridcase/db';
import type { App, Clock } from '@gridcase/service-kit';
import { z } from 'zod';
import { slaPolicies } from '../db/schema.ts';
import { classify } from '../domain/classify.ts';
import { computeDeadlines, pickPolicy, type SlaPolicy } from '../domain/deadlines.ts';

const Explanation = z.object({
  category: z.string(),
  kind: z.string(),
  severity: Severity,
  respondBy: z.string(),
  resolveBy: z.string(),
  rule: z.string(),
  policy: z.object({ category: z.string(), respondMinutes: z.number(), resolveMinutes: z.number() }),
});

export function explainRoutes(app: App, db: Db, clock: Clock) {
  app.post(
    '/v1/triage/explain',
    {
      schema: {
        summary: 'What triage would decide for a report body, without creating anything',
        body: ReportBody.partial({ externalId: true }),
        response: { 200: Explanation },
      },
    },
    async (req) => {
      const { category, severity, rule } = classify(req.body);
      const policy = pickPolicy((await db.select().from(slaPolicies)) as SlaPolicy[], category.code, severity);
      const deadlines = computeDeadlines(policy, clock.now(), req.body);
      return {
        category: category.code,
        kind: category.kind,
        severity,
        respondBy: deadlines.respondBy.toISOString(),
        resolveBy: deadlines.resolveBy.toISOString(),
        rule,
        policy: { category: policy.category, respondMinutes: policy.respondMinutes, resolveMinutes: policy.resolveMinutes },
      };
    },
  );
}
