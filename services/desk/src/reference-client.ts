import { CATEGORIES, CommunityGrid, PoliceGrid, RuleCategory, Station } from '@gridcase/contracts';
import { HttpProblem, unavailable } from '@gridcase/service-kit';
import { z } from 'zod';

/** How long the desk waits for triage or assignment before answering without them. */
const UPSTREAM_TIMEOUT_MS = 5000;

export const CategoryList = z.object({
  items: z.array(RuleCategory),
  /** `triage`: the current rules' catalogue; `built-in`: triage did not answer, the catalogue shipped with this version. */
  source: z.enum(['triage', 'built-in']),
});
export type CategoryList = z.infer<typeof CategoryList>;
export const PoliceGridList = z.object({ items: z.array(PoliceGrid) });
export const CommunityGridList = z.object({ items: z.array(CommunityGrid) });
export const StationList = z.object({ items: z.array(Station) });

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

  private async get<T extends z.ZodType>(base: string, path: string, authorization: string | undefined, schema: T): Promise<z.infer<T>> {
    const url = new URL(path, base);
    let res: Response;
    try {
      res = await fetch(url, {
        headers: { accept: 'application/json', ...(authorization ? { authorization } : {}) },
        signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS),
      });
    } catch {
      throw unavailable(`${url.origin} did not answer ${path}; the page shows it once it does`);
    }
    const body: unknown = await res.json().catch(() => undefined);
    // The caller's token refused there: say so as that service did, not as a fault of the desk.
    if (res.status === 401 || res.status === 403) {
      throw new HttpProblem(res.status, res.status === 401 ? 'Unauthorized' : 'Forbidden', `${path} refused this token: ${detailOf(body)}`);
    }
    if (!res.ok) throw unavailable(`${url.origin}${path} answered ${res.status}: ${detailOf(body)}`);
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw unavailable(`${url.origin}${path} answered a body the desk does not understand`);
    return parsed.data;
  }
}

const detailOf = (body: unknown) =>
  body && typeof body === 'object' && 'detail' in body && typeof body.detail === 'string' ? body.detail : 'no detail';
