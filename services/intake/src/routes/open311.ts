import { newId, type Principal, QueryInstant, reportBodyWith, text, withFieldsCheck } from '@gridcase/contracts';
import { childTraceparent } from '@gridcase/messaging';
import { ANY_ROLE, type App, FORM_BODY, HttpProblem, hasRole, notFound, parseFormBody, requestScope, type TokenSigner } from '@gridcase/service-kit';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { bearerToken, type ClientDirectory, principalOf, READ_ANY } from '../auth.ts';
import { refreshCatalogue } from '../db/catalogue.ts';
import { listRequests, type RequestRow, requestById, visibleRequests } from '../db/open311.ts';
import { open311Issue, toOpen311Errors, toReportBody, toService, toServiceRequest, UNKNOWN_SERVICE } from '../domain/open311.ts';
import type { ReportReceivedData } from '../domain/report.ts';
import { type IntakeDeps, receiveReport } from '../handlers/receive-report.ts';
import { refuseOtherStations } from './reports.ts';

const PREFIX = '/open311/v2';

/** Open311's error body, which this file's onSend rewrites every problem+json answer to (toOpen311Errors). */
const Open311Errors = z.array(z.object({ code: z.number().int().describe('the HTTP status'), description: z.string().describe('`field: why` for a bad field, else what is wrong') }));

const Service = z.object({
  service_code: z.string(),
  service_name: z.string(),
  description: z.string(),
  metadata: z.boolean(),
  type: z.enum(['realtime', 'batch', 'blackbox']),
  keywords: z.string(),
  group: z.string(),
});

const ServiceRequest = z.object({
  service_request_id: z.string(),
  status: z.enum(['open', 'closed']),
  status_notes: z.string(),
  service_name: z.string().nullable(),
  service_code: z.string(),
  description: z.string(),
  agency_responsible: z.string().nullable(),
  service_notice: z.string().nullable(),
  requested_datetime: z.string(),
  updated_datetime: z.string(),
  expected_datetime: z.string().nullable(),
  address: z.string().nullable(),
  address_id: z.string().nullable(),
  zipcode: z.string().nullable(),
  lat: z.number().nullable(),
  long: z.number().nullable(),
  media_url: z.string().nullable(),
});

const optionalText = text().max(4000).optional();
/** A coordinate: text in a form, a number or text in JSON (GeoReport v2 clients send both); read as text either way. */
const coordinate = z.union([z.number().transform(String), text().max(4000)]).optional();
/** Form fields of a new request; attribute[…] and other extras are accepted and ignored. */
const RequestForm = z.looseObject({
  api_key: text().max(4000).optional(),
  jurisdiction_id: optionalText,
  service_code: optionalText,
  description: optionalText,
  lat: coordinate,
  long: coordinate,
  address_string: optionalText,
  address_id: optionalText,
  email: optionalText,
  device_id: optionalText,
  account_id: optionalText,
  first_name: optionalText,
  last_name: optionalText,
  phone: optionalText,
  media_url: optionalText,
});

/**
 * A list's filters. Both dates are inclusive, so the same instant twice is a range; a start after the
 * end is a mistake to name, as the desk's from/to are (audit17 #9), not an empty list.
 */
const RequestsQuery = withFieldsCheck(
  z.object({
    service_request_id: text().max(4000).optional(),
    service_code: text().max(64).optional(),
    start_date: QueryInstant.optional(),
    end_date: QueryInstant.optional(),
    status: z.string().regex(/^(open|closed)(,(open|closed))?$/, 'open, closed or open,closed').optional(),
    jurisdiction_id: text().max(200).optional(),
    page_size: z.coerce.number().int().min(1).max(200).default(50),
    // 1-based; bounded so a deep page cannot make the database skip millions of rows.
    page: z.coerce.number().int().min(1).max(10_000).default(1),
  }),
  ['start_date', 'end_date'],
  ({ start_date: start, end_date: end }, ctx) => {
    if (start && end && Date.parse(start) > Date.parse(end)) ctx.addIssue({ code: 'custom', path: ['start_date'], message: 'must not be after end_date' });
  },
);

const Locale = z.object({ locale: z.enum(['zh', 'en']).default('zh'), jurisdiction_id: text().max(200).optional() });
const FileParams = z.object({ file: text().min(1).max(200) });

/** `dispute.general.json` → `dispute.general`; only JSON is served. */
function jsonName(file: string, what: string): string {
  if (!file.endsWith('.json')) throw notFound(`no ${what} in this format: only .json is served`);
  return file.slice(0, -'.json'.length);
}

/**
 * Open311 GeoReport v2 (JSON only). These routes authenticate by `api_key` (a client token, in the
 * form body of POST) or a bearer header, so they are public to buildHttp and verified here. Errors
 * are Open311's [{code, description}], rewritten from the problem+json every gridcase answer starts as.
 */
export async function open311Routes(app: App, deps: IntakeDeps & { signer: TokenSigner; clients: ClientDirectory }) {
  const { db } = deps;
  const ReportBody = reportBodyWith(deps.categories.has);
  const find = (code: string) => deps.categories.find(code);
  // Read as bytes, as JSON is: 415 for another charset, 400 naming each field that does not
  // percent-decode to UTF-8, where @fastify/formbody's parser kept the escapes as text (audit21 #2).
  app.addContentTypeParser(FORM_BODY, { parseAs: 'buffer' }, async (req: FastifyRequest, body: string | Buffer) => parseFormBody(req.headers['content-type'], body as Buffer));

  app.addHook('onSend', async (_req, reply, payload) => {
    if (!String(reply.getHeader('content-type') ?? '').startsWith('application/problem+json') || typeof payload !== 'string') return payload;
    reply.type('application/json');
    return JSON.stringify(toOpen311Errors(JSON.parse(payload)));
  });

  app.addHook('preValidation', async (req) => {
    const fromForm = (req.body as { api_key?: unknown } | undefined)?.api_key;
    const bearer = bearerToken(req.headers.authorization);
    // Two credentials that differ name two clients: which one posts is not ours to guess (audit19b #5).
    if (bearer !== undefined && fromForm !== undefined && fromForm !== bearer) {
      throw new HttpProblem(401, 'Unauthorized', 'the api_key in the form is not the bearer token: send one credential, or the same in both', {
        headers: { 'www-authenticate': 'Bearer' },
      });
    }
    const token = bearer ?? (typeof fromForm === 'string' ? fromForm : undefined);
    if (!token && (req.query as { api_key?: unknown } | undefined)?.api_key !== undefined) {
      throw new HttpProblem(401, 'Unauthorized', 'send the api_key as a bearer token (Authorization header) or in the POST form, not in the URL: URLs end up in logs', {
        headers: { 'www-authenticate': 'Bearer' },
      });
    }
    req.principal = await principalOf(deps.clients, deps.signer, token);
    // The roles each route declares, checked here as buildHttp checks them for bearer routes.
    const roles = req.routeOptions.config?.roles;
    if (roles && !hasRole(req.principal, roles)) throw new HttpProblem(403, 'Forbidden', `this needs one of the roles: ${roles.join(', ')}`);
  });
  // The same per-client limiter as every other route; it runs once the api_key named the client.
  const limit = app.rateLimit();
  // Public to buildHttp (the token may come in the form); the roles and scope say what this file enforces.
  // Open311 clients send the spec's parameters (jurisdiction_id on every resource) and their own
  // extensions: what a route does not read is let through, as Open311 servers do.
  const config = { public: true, rateLimit: false, anyQuery: true, errorBody: { mediaType: 'application/json', schema: Open311Errors } } as const;
  const anyone = { ...config, roles: ANY_ROLE, scope: 'none' } as const;
  const readers = { ...config, roles: ['reporter', ...READ_ANY], scope: 'station' } as const;

  const principalOfReq = (req: { principal?: Principal }) => req.principal as Principal;
  /** A client's own requests, and for desk roles every request whose case is in the token's station scope. */
  const visible = (principal: Principal) => visibleRequests(principal.clientId, hasRole(principal, READ_ANY) ? requestScope({ principal }) : undefined);
  const toRequest = (row: RequestRow) =>
    toServiceRequest({ ...row.report, report: row.report.report as ReportReceivedData }, row.case ?? undefined, find);

  app.get(
    `${PREFIX}/services.json`,
    { config: anyone, preHandler: limit, schema: { summary: 'Open311: the categories, as services', querystring: Locale, response: { 200: z.array(Service) } } },
    async (req) => {
      await refreshCatalogue(deps.db, deps.categories);
      return deps.categories.all().map((c) => toService(c, req.query.locale));
    },
  );

  app.get(
    `${PREFIX}/services/:file`,
    {
      config: anyone,
      preHandler: limit,
      schema: {
        summary: 'Open311: a service definition (no extra attributes)',
        params: FileParams,
        response: { 200: z.object({ service_code: z.string(), attributes: z.array(z.unknown()) }) },
      },
    },
    async (req) => {
      const code = jsonName(req.params.file, 'service');
      await refreshCatalogue(deps.db, deps.categories);
      // Named as the POST names it, so a client learns where the codes are.
      if (!deps.categories.has(code)) throw notFound(`service_code: ${UNKNOWN_SERVICE}`);
      return { service_code: code, attributes: [] };
    },
  );

  app.post(
    `${PREFIX}/requests.json`,
    {
      config: { ...config, roles: ['reporter'], scope: 'own' },
      // After this file's own preValidation, which names the principal.
      preValidation: refuseOtherStations(deps),
      preHandler: limit,
      schema: {
        summary: 'Open311: post a service request (form-encoded; api_key = a reporter token)',
        body: RequestForm,
        response: {
          201: z.array(z.object({ service_request_id: z.string(), service_notice: z.string(), account_id: z.string().nullable() })),
        },
      },
    },
    async (req, reply) => {
      const principal = principalOfReq(req);
      // Open311 has no sender id, so every POST is a new report under a fresh key.
      await refreshCatalogue(deps.db, deps.categories);
      const candidate = toReportBody(req.body, `open311-${newId()}`, find);
      const parsed = ReportBody.safeParse(candidate);
      const errors = parsed.success ? [] : parsed.error.issues.map(open311Issue);
      if (!req.body.service_code?.trim()) errors.unshift({ path: 'service_code', message: 'required; see services.json' });
      if (!parsed.success || errors.length) {
        throw new HttpProblem(400, 'Bad Request', `invalid request: ${[...new Set(errors.map((e) => e.path))].join(', ')}`, { errors });
      }
      const result = await receiveReport(deps, {
        clientId: principal.clientId,
        body: parsed.data,
        traceparent: req.traceparent ?? childTraceparent(),
        via: 'open311',
      });
      const self = `${PREFIX}/requests/${result.reportId}.json`;
      return reply
        .status(201)
        .header('location', self)
        .send([{ service_request_id: result.reportId, service_notice: `received; follow it at ${self}`, account_id: null }]);
    },
  );

  app.get(
    `${PREFIX}/requests.json`,
    {
      config: readers,
      preHandler: limit,
      schema: {
        summary: "Open311: requests (a reporter's own; every request for desk roles), newest first, page_size (≤ 200) at a time",
        querystring: RequestsQuery,
        response: { 200: z.array(ServiceRequest) },
      },
    },
    async (req) => {
      const principal = principalOfReq(req);
      const rows = await listRequests(db, visible(principal), req.query);
      return rows.map(toRequest);
    },
  );

  app.get(
    `${PREFIX}/requests/:file`,
    {
      config: readers,
      preHandler: limit,
      schema: {
        summary: 'Open311: one request; status_notes carries our finer state, expected_datetime the case resolveBy',
        params: FileParams,
        response: { 200: z.array(ServiceRequest) },
      },
    },
    async (req) => {
      const id = jsonName(req.params.file, 'request');
      const rows = await requestById(db, id, visible(principalOfReq(req)));
      // 404 also for another client's request: an id must not reveal that it exists.
      if (rows.length === 0) throw notFound('no request with this id');
      return rows.map(toRequest);
    },
  );

  app.get(
    `${PREFIX}/tokens/:file`,
    {
      config: readers,
      preHandler: limit,
      schema: {
        summary: 'Open311: the request id of a token (ids are assigned at once, so the token is the id)',
        params: FileParams,
        response: { 200: z.array(z.object({ service_request_id: z.string(), token: z.string() })) },
      },
    },
    async (req) => {
      const token = jsonName(req.params.file, 'token');
      const rows = await requestById(db, token, visible(principalOfReq(req)));
      if (rows.length === 0) throw notFound('no request with this token');
      return [{ service_request_id: token, token }];
    },
  );

  // Anything else under the prefix (services.xml, a method a resource does not take) answers as
  // Open311 does, through this scope's hooks, rather than as gridcase's problem+json.
  app.route({
    method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    url: `${PREFIX}/*`,
    config: anyone,
    schema: { hide: true },
    handler: async () => {
      throw notFound('no Open311 resource here: GeoReport v2 is served in JSON (.json) only');
    },
  });
}
