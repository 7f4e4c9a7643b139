import { z } from 'zod';
import { Instant } from './common.ts';
import { RuleCategory } from './rules.ts';

/** Key of the category catalogue on `gridcase.reference` (compacted: the latest record is current). */
export const CATEGORY_CATALOGUE_KEY = 'categories';

/**
 * The category catalogue of one rules version, as triage publishes it with every version
 * (`gridcase.categories.updated.v1`). Intake keeps a copy to check a report's `category` without
 * calling triage; a higher `version` replaces a lower one.
 */
export const CategoryCatalogue = z.object({
  version: z.number().int().min(1),
  categories: z.array(RuleCategory).min(1),
  updatedAt: Instant,
});
export type CategoryCatalogue = z.infer<typeof CategoryCatalogue>;
