import type { SwaggerTransform, SwaggerTransformObject } from '@fastify/swagger';
import { ClientRole, Problem } from '@gridcase/contracts';
import type { FastifyContextConfig } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { z } from 'zod';

/** The media type of every error answer (RFC 9457). */
export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** Where /docs keeps the one Problem schema every error response refers to. */
const PROBLEM_REF = '#/components/schemas/Problem';

/** What of a route decides which problems it can answer (fastify's route options, as /docs sees them). */
export interface DocumentedRoute {
  url: string;
  bodyLimit?: number;
  schema?: unknown;
  config?: unknown;
}

/** The request parts a route's schema may declare; any of them (or a check across them) means a 400 for bad input. */
const VALIDATED_PARTS = ['body', 'querystring', 'params', 'headers'] as const;

const RETRY_AFTER = { type: 'integer', minimum: 1, description: 'seconds to wait before trying again' };

const bytes = (n: number) => (n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MiB` : n % 1024 === 0 ? `${n / 1024} KiB` : `${n} bytes`);

/** What a 413 says of a route's body limit (1 MiB, 64 KiB…): in /docs and in the answer itself. */
export const overBodyLimit = (limit: number): string => `the body is over ${bytes(limit)}`;

/**
 * The problems a route can answer and when, derived from what it declares, so that no route's
 * list is written by hand: 400 when it validates any part of the request, 401 when it needs a token,
 * 403 when not every role may call it, 404 when its path has a parameter, 413 and 415 when it takes a
 * body, 503 always (an unreachable dependency or load shed). A route adds its own in config.problems
 * (409 for a conflict, 429 where it is rate-limited); those win over the derived wording.
 */
export function routeProblems(route: DocumentedRoute, defaultBodyLimit: number): Record<number, string> {
  const schema = (route.schema ?? {}) as Record<string, unknown>;
  const config = (route.config ?? {}) as FastifyContextConfig;
  const problems: Record<number, string> = {};
  const takesBody = schema.body !== undefined;
  if (VALIDATED_PARTS.some((part) => schema[part] !== undefined) || config.acrossParts) {
    problems[400] = 'the request is invalid: `errors` names every bad field (its path and what is wrong with it)';
  }
  // A public route that declares roles takes its token itself (Open311's api_key, the stream's access_token).
  if (!config.public || config.roles) {
    problems[401] = 'no bearer token, or one that is invalid, expired or revoked';
    const roles = config.roles ?? [];
    if (!ClientRole.options.every((role) => roles.includes(role))) {
      const others = roles.includes('admin') ? '' : ' (or admin)';
      problems[403] = `the token is valid but may not do this: it needs one of the roles ${roles.join(', ')}${others}`;
    }
    if (config.scope === 'install') {
      const install = "or it is limited to stations that do not include the one this install serves (this install's own settings and records)";
      problems[403] = problems[403] ? `${problems[403]}; ${install}` : `the token is valid but may not do this: ${install}`;
    }
  }
  if (/[:*]/.test(route.url)) {
    const where = config.scope === 'station' ? " or not in the token's stations" : config.scope === 'own' ? " or not the calling client's own" : '';
    problems[404] = `nothing with this id${where}`;
  }
  if (takesBody) {
    problems[413] = overBodyLimit(route.bodyLimit ?? defaultBodyLimit);
    problems[415] = "the body's Content-Type, charset or Content-Encoding is not one this route reads: `detail` says what to send";
  }
  problems[503] =
    'the service cannot serve this now: a database or message broker it needs is unreachable, it is shedding load, or it cannot check tokens (a stale revocation list); retry after `Retry-After`';
  for (const [status, when] of Object.entries(config.problems ?? {})) if (when) problems[Number(status)] = when;
  return problems;
}

/**
 * A problem response as OpenAPI has it: `application/problem+json` with the Problem schema, or the body
 * the route rewrites its errors to (config.errorBody), and the headers it sends.
 */
function problemResponse(status: number, description: string, errorBody: Record<string, unknown>) {
  const headers =
    status === 401
      ? { 'WWW-Authenticate': { type: 'string', const: 'Bearer', description: 'the scheme to authenticate with' } }
      : status === 429 || status === 503
        ? { 'Retry-After': RETRY_AFTER }
        : undefined;
  return { description, ...(headers ? { headers } : {}), content: errorBody };
}

/**
 * The per-route transform of /docs: the route's zod schemas as JSON Schema (fastify-type-provider-zod),
 * then every problem the route can answer (routeProblems) beside the responses it declares. A route
 * that declares no 2xx keeps fastify-swagger's "200 Default Response".
 */
export function openapiTransform(defaultBodyLimit: number): SwaggerTransform {
  return (document) => {
    const transformed = jsonSchemaTransform(document as Parameters<typeof jsonSchemaTransform>[0]);
    // A route that declares no schema at all (anyQuery, no parameters) gets none from the transform.
    const schema = (transformed.schema ?? {}) as { hide?: boolean; response?: Record<string, unknown> };
    if (schema.hide) return transformed;
    const response: Record<string, unknown> = { ...schema.response };
    if (!Object.keys(response).some((status) => status.startsWith('2'))) response[200] = { description: 'Default Response', type: 'null' };
    const config = (document.route.config ?? {}) as FastifyContextConfig;
    const own = config.errorBody;
    const errorBody = own ? { [own.mediaType]: { schema: openapiSchema(own.schema) } } : { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: PROBLEM_REF } } };
    for (const [status, description] of Object.entries(routeProblems(document.route, defaultBodyLimit))) {
      response[status] ??= problemResponse(Number(status), description, errorBody);
    }
    // A route no token is needed for says so, against the document's bearer default.
    return { ...transformed, schema: { ...schema, response, ...(config.public && !config.roles ? { security: [] } : {}) } };
  };
}

/** A zod schema as the JSON Schema an OpenAPI 3.1 document holds: what is sent (output), as the routes' own are. */
export function openapiSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _, ...json } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'output', unrepresentable: 'any' });
  return json;
}

/** The whole-document transform: the Problem schema (packages/contracts, the one definition) as the component every error response refers to. */
export const openapiTransformObject: SwaggerTransformObject = (document) => {
  if (!('openapiObject' in document)) throw new Error('/docs is OpenAPI 3.1, not Swagger 2');
  const { openapiObject } = document;
  const components = openapiObject.components ?? {};
  return { ...openapiObject, components: { ...components, schemas: { ...components.schemas, Problem: openapiSchema(Problem) } } } as ReturnType<SwaggerTransformObject>;
};
