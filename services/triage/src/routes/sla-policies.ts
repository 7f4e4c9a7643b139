import { Severity, SlaPolicyBody, SlaPolicyView } from '@gridcase/contracts';
import { ANY_ROLE, type App, HttpProblem, recordAudit } from '@gridcase/service-kit';
import { audit } from '../db/schema.ts';
import type { Db } from '@gridcase/db';
import { z } from 'zod';
import { loadPolicies, storePolicy } from '../db/policies.ts';
import { ruleBook } from '../db/rules.ts';
import { budgetFields, policyOf, resolvesBeforeResponding, type SlaPolicy } from '../domain/deadlines.ts';

const view = (p: SlaPolicy) => ({ category: p.category, severity: p.severity, ...budgetFields(p) });

export function slaPolicyRoutes(app: App, db: Db) {
  app.get(
    '/v1/sla-policies',
    {
      config: { roles: ANY_ROLE, scope: 'none' },
      schema: {
        summary: 'Acknowledge and resolve budgets, each in minutes or working days; category "*" applies to every category',
        response: { 200: z.object({ items: z.array(SlaPolicyView) }) },
      },
    },
    async () => ({ items: (await loadPolicies(db)).map(view) }),
  );

  app.put(
    '/v1/sla-policies/:category/:severity',
    {
      config: { roles: ['admin'], scope: 'none' },
      schema: {
        summary: 'Set the budgets: exactly one of respondMinutes/respondWorkingDays and one of resolveMinutes/resolveWorkingDays',
        params: z.object({ category: z.string(), severity: Severity }),
        body: SlaPolicyBody,
        response: { 200: SlaPolicyView },
      },
    },
    async (req) => {
      const { category, severity } = req.params;
      const known = (await ruleBook(db).current(db)).document.categories.some((c) => c.code === category);
      if (category !== '*' && !known) {
        throw new HttpProblem(400, 'Bad Request', `unknown category ${category}`, {
          errors: [{ path: 'params.category', message: 'unknown category code; see GET /v1/categories' }],
        });
      }
      const policy = policyOf(category, severity, req.body);
      if (resolvesBeforeResponding(policy)) {
        throw new HttpProblem(400, 'Bad Request', 'the resolve budget must not be shorter than the respond budget', {
          errors: [{ path: 'resolve', message: 'must be at least the respond budget' }],
        });
      }
      const before = (await loadPolicies(db)).find((p) => p.category === category && p.severity === severity);
      await storePolicy(db, policy);
      await recordAudit(db, audit, req, {
        action: 'sla-policy.set',
        target: `sla-policy:${category}/${severity}`,
        before: before ? view(before) : null,
        after: view(policy),
      });
      return view(policy);
    },
  );
}
