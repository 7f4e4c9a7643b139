import { z } from 'zod';
import { Instant, OfficerRole } from './common.ts';
import { text } from './text.ts';
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

/** Key of the staff map on `gridcase.reference`. */
export const STAFF_KEY = 'staff';

/**
 * Who serves where, as assignment publishes it with every reference-data version
 * (`gridcase.staff.updated.v1`): enough to scope a token (a grid worker's community grid), and no
 * names or phone numbers. A higher `version` replaces a lower one.
 */
export const StaffMap = z.object({
  version: z.number().int().min(1),
  station: text(),
  officers: z.array(
    z.object({
      officerId: text(),
      role: OfficerRole,
      gridCode: text().optional(),
      policeGridCode: text().optional(),
    }),
  ),
  /** The station's community grid codes, so a token's grids can be checked (absent from maps published before it was added). */
  grids: z.array(text()).optional(),
  updatedAt: Instant,
});
export type StaffMap = z.infer<typeof StaffMap>;
