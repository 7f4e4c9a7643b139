import { CATEGORIES, Severity } from '@gridcase/contracts';
import type { App } from '@gridcase/service-kit';
import { z } from 'zod';

const CategoryView = z.object({
  code: z.string(),
  kind: z.string(),
  name: z.object({ zh: z.string(), en: z.string() }),
  defaultSeverity: Severity,
});

export function categoryRoutes(app: App) {
  app.get(
    '/v1/categories',
    { schema: { summary: 'The category tree', response: { 200: z.object({ items: z.array(CategoryView), severities: z.array(Severity) }) } } },
    async () => ({ items: [...CATEGORIES], severities: Severity.options }),
  );
}
