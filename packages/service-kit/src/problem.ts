import type { Problem } from '@gridcase/contracts';

/** An error a route throws to answer with a specific problem+json. */
export class HttpProblem extends Error {
  readonly status: number;
  readonly title: string;
  readonly errors: Problem['errors'];
  readonly headers: Record<string, string>;
  constructor(
    status: number,
    title: string,
    detail?: string,
    extra: { errors?: Problem['errors']; headers?: Record<string, string> } = {},
  ) {
    super(detail ?? title);
    this.status = status;
    this.title = title;
    this.errors = extra.errors;
    this.headers = extra.headers ?? {};
  }
}

export const problemType = (status: number): string => {
  const slug: Record<number, string> = {
    400: 'validation',
    401: 'unauthenticated',
    403: 'forbidden',
    404: 'not-found',
    409: 'conflict',
    413: 'payload-too-large',
    415: 'unsupported-media-type',
    429: 'rate-limited',
    503: 'unavailable',
  };
  return `urn:gridcase:problem:${slug[status] ?? (status >= 500 ? 'internal' : 'client-error')}`;
};

export const notFound = (what: string) => new HttpProblem(404, 'Not Found', `${what} not found`);
export const conflict = (detail: string) => new HttpProblem(409, 'Conflict', detail);
