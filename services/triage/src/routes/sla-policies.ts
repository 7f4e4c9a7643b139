import { fieldIssues, Severity, SlaPolicyBody, SlaPolicyView } from '@gridcase/contracts';
import { ANY_ROLE, type App, invalidRequest, auditedChange } from '@gridcase/service-kit';
import { audit } from '../db/schema.ts';
import type { Db } from '@gridcase/db';
import { z } from 'zod';
import { loadPolicies, storePolicy } from '../db/policies.ts';
import { ruleBook } from '../db/rules.ts';
import { budgetFields, policyOf, resolvesBeforeResponding, type SlaPolicy } from '../domain/deadlines.ts';

const PolicyParams = z.object({ category: z.string(), severity: Severity });

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
      // The handler names the schema's problems, an unknown category and a short resolve budget together.
      attachValidation: true,
      schema: {
        summary: 'Set the budgets: exactly one of respondMinutes/respondWorkingDays and one of resolveMinutes/resolveWorkingDays',
        params: PolicyParams,
        body: SlaPolicyBody,
        response: { 200: SlaPolicyView },
      },
    },
    async (req) => {
      const params = PolicyParams.safeParse(req.params);
      const body = SlaPolicyBody.safeParse(req.body);
      const errors = [...(params.success ? [] : fieldIssues(params.error, 'params')), ...(body.success ? [] : fieldIssues(body.error))];
      const { category, severity } = req.params;
      const known = (await ruleBook(db).current(db)).document.categories.some((c) => c.code === category);
      if (category !== '*' && !known) {
        errors.unshift({ path: 'params.category', message: 'unknown category code; see GET /v1/categories' });
      }
      const policy = body.success ? policyOf(category, severity, body.data) : undefined;
      if (policy && resolvesBeforeResponding(policy)) {
        errors.push({ path: req.body.resolveMinutes !== undefined ? 'resolveMinutes' : 'resolveWorkingDays', message: 'must be at least the respond budget' });
      }
      if (errors.length || !policy) throw invalidRequest(errors);
      await auditedChange(
        db,
        audit,
        req,
        async (tx) => {
          const before = (await loadPolicies(tx)).find((p) => p.category === category && p.severity === severity);
          await storePolicy(tx, policy);
          return before;
        },
        (before) => ({ action: 'sla-policy.set', target: `sla-policy:${category}/${severity}`, before: before ? view(before) : null, after: view(policy) }),
      );
      return view(policy);
    },
  );
}
