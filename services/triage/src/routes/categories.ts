import { RuleCategory, Severity } from '@gridcase/contracts';
import type { Db } from '@gridcase/db';
import { ANY_ROLE, type App } from '@gridcase/service-kit';
import { z } from 'zod';
import { ruleBook } from '../db/rules.ts';

export function categoryRoutes(app: App, db: Db) {
  const book = ruleBook(db);
  app.get(
    '/v1/categories',
    {
      config: { roles: ANY_ROLE, scope: 'none' },
      schema: {
        summary: 'The category tree of the current rules (GET /v1/rules); ruleVersion names that version',
        response: { 200: z.object({ items: z.array(RuleCategory), severities: z.array(Severity), ruleVersion: z.number().int() }) },
      },
    },
    async () => {
      const rules = await book.current(db);
      return { items: rules.document.categories, severities: Severity.options, ruleVersion: rules.version };
    },
  );
}
