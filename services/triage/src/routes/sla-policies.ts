import { Severity, SlaBudgets, SlaPolicyBody, SlaPolicyReplacement, SlaPolicyView, text, UNKNOWN_CATEGORY, withFieldsCheck } from '@gridcase/contracts';
import { ANY_ROLE, type App, auditedChange, notFound } from '@gridcase/service-kit';
import { audit } from '../db/schema.ts';
import type { Db } from '@gridcase/db';
import { z } from 'zod';
import { loadPolicies, removePolicy, storePolicy } from '../db/policies.ts';
import { ruleBook } from '../db/rules.ts';
import { budgetFields, budgetsOf, MINUTES_PER_WORKING_DAY, policyOf, resolvesBeforeResponding, type SlaPolicy } from '../domain/deadlines.ts';

const view = (p: SlaPolicy) => ({ category: p.category, severity: p.severity, ...budgetFields(p) });

/** A resolve budget shorter than the respond one, where the body gives one of each pair and the two compare. */
const PolicyBody = withFieldsCheck(SlaPolicyBody, SlaBudgets, (body, ctx) => {
  const oneOfEach = (body.respondMinutes === undefined) !== (body.respondWorkingDays === undefined) && (body.resolveMinutes === undefined) !== (body.resolveWorkingDays === undefined);
  if (oneOfEach && resolvesBeforeResponding(budgetsOf(body))) {
    const mixed = (body.respondMinutes === undefined) !== (body.resolveMinutes === undefined);
    ctx.addIssue({
      code: 'custom',
      path: [body.resolveMinutes !== undefined ? 'resolveMinutes' : 'resolveWorkingDays'],
      message: `must be at least the respond budget${mixed ? ` (a working day counted as ${MINUTES_PER_WORKING_DAY} minutes)` : ''}`,
    });
  }
});

export function slaPolicyRoutes(app: App, db: Db) {
  const known = async (category: string) => category === '*' || (await ruleBook(db).current(db)).document.categories.some((c) => c.code === category);
  // The category is looked up in the current rules, beside the body's problems.
  const PolicyParams = z.object({ category: z.string().refine(known, UNKNOWN_CATEGORY), severity: Severity });
  // The default of every category ("*") can be replaced, not removed: a case always needs a budget.
  // Any other code is taken, known now or not: an override left behind by rules that dropped its
  // category must still be removable, or it would apply again unseen once the category came back (audit26 #5).
  const OverrideParams = z.object({
    category: text()
      .min(1)
      .max(64)
      .refine((c) => c !== '*', 'the default for every category ("*") can be replaced but not removed'),
    severity: Severity,
  });

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
      config: { roles: ['admin'], scope: 'install', acrossParts: SlaPolicyReplacement },
      schema: {
        summary: 'Set the budgets: exactly one of respondMinutes/respondWorkingDays and one of resolveMinutes/resolveWorkingDays',
        params: PolicyParams,
        body: PolicyBody,
        response: { 200: SlaPolicyView },
      },
    },
    async (req) => {
      const { category, severity } = req.params;
      const policy = policyOf(category, severity, req.body);
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

  app.delete(
    '/v1/sla-policies/:category/:severity',
    {
      config: { roles: ['admin'], scope: 'install' },
      schema: {
        summary: 'Removes a category override, so the default ("*") of the severity applies again from the next case on; 404 when there is none',
        params: OverrideParams,
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      const { category, severity } = req.params;
      await auditedChange(
        db,
        audit,
        req,
        async (tx) => {
          const removed = await removePolicy(tx, category, severity);
          // Not quoting the code: any text reaches here now, a known category or not.
          if (!removed) throw notFound(`no ${severity} override of this category: its budgets are the default's already`);
          return removed;
        },
        (removed) => ({ action: 'sla-policy.removed', target: `sla-policy:${category}/${severity}`, before: view(removed), after: null }),
      );
      return reply.code(204).send(null);
    },
  );
}
