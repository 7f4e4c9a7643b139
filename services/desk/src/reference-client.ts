import { CATEGORIES, CommunityGrid, OfficerView, PoliceGrid, RuleCategory, Station } from '@gridcase/contracts';
import { HttpProblem, unavailable } from '@gridcase/service-kit';
import { z } from 'zod';
import { getWithToken } from './upstream.ts';

export const CategoryList = z.object({
  items: z.array(RuleCategory),
  /** `triage`: the current rules' catalogue; `built-in`: triage did not answer, the catalogue shipped with this version. */
  source: z.enum(['triage', 'built-in']),
});
export type CategoryList = z.infer<typeof CategoryList>;
export const PoliceGridList = z.object({ items: z.array(PoliceGrid) });
export const CommunityGridList = z.object({ items: z.array(CommunityGrid) });
export const StationList = z.object({ items: z.array(Station) });
/** Assignment's answer as it is (duty and onCall by the rosters now); an assignment from before them is forwarded without. */
export const OfficerList = z.object({ items: z.array(OfficerView.partial({ duty: true, onCall: true })) });

export interface ReferenceUrls {
  triageUrl: string;
  assignmentUrl: string;
}

/**
 * Reads the station's reference data from the services that own it, for the desk page: the page
 * reaches only the desk (the station's network may reach nothing else). The caller's own token is
 * forwarded, so triage and assignment decide what it may see, as they would if asked directly.
 */
export class ReferenceClient {
  private readonly urls: ReferenceUrls;
  constructor(urls: ReferenceUrls) {
    this.urls = urls;
  }

  /** The category catalogue (names in Chinese and English); the built-in one when triage does not answer. */
  async categories(authorization: string | undefined): Promise<CategoryList> {
    try {
      const { items } = await this.get(this.urls.triageUrl, '/v1/categories', authorization, z.object({ items: z.array(RuleCategory) }));
      return { items, source: 'triage' };
    } catch (err) {
      if (err instanceof HttpProblem && err.status < 500) throw err;
      return { items: CATEGORIES.map((c) => ({ ...c })), source: 'built-in' };
    }
  }

  stations(authorization: string | undefined) {
    return this.get(this.urls.assignmentUrl, '/v1/stations', authorization, StationList);
  }

  policeGrids(authorization: string | undefined) {
    return this.get(this.urls.assignmentUrl, '/v1/police-grids', authorization, PoliceGridList);
  }

  grids(authorization: string | undefined) {
    return this.get(this.urls.assignmentUrl, '/v1/grids', authorization, CommunityGridList);
  }

  /** The roster (who a case may be reassigned to), as assignment holds it for this token. */
  officers(authorization: string | undefined) {
    return this.get(this.urls.assignmentUrl, '/v1/officers', authorization, OfficerList);
  }

  private async get<T extends z.ZodType>(base: string, path: string, authorization: string | undefined, schema: T): Promise<z.infer<T>> {
    const found = await getWithToken(base, path, authorization, schema);
    if (found === undefined) throw unavailable(`${base}${path} answered 404`);
    return found;
  }
}
