import {
  type CaseStatus,
  type Category,
  type FieldIssue,
  findCategory,
  GPS_DEFAULT,
  LAT_LNG_TOGETHER,
  LOCATION_NEEDED,
  readableMessage,
  SAYS_NOTHING,
  UNKNOWN_CATEGORY,
  webUrl,
} from '@gridcase/contracts';
import type { z } from 'zod';
import type { ReportReceivedData } from './report.ts';

/** Open311 GeoReport v2: categories are the services, reports are the service requests. */
export interface Open311Service {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: 'realtime' | 'batch' | 'blackbox';
  keywords: string;
  group: string;
}

export function toService(category: Category, locale: 'zh' | 'en'): Open311Service {
  const other = locale === 'zh' ? 'en' : 'zh';
  return {
    service_code: category.code,
    service_name: category.name[locale],
    description: category.name[other],
    // No extra attributes: a service definition lists none.
    metadata: false,
    type: 'realtime',
    keywords: [category.kind, category.code].join(', '),
    group: category.kind,
  };
}

/** The fields of POST /open311/v2/requests.json that intake uses (others, like attribute[…], are ignored). */
export interface Open311Form {
  service_code?: string | undefined;
  description?: string | undefined;
  lat?: string | undefined;
  long?: string | undefined;
  address_string?: string | undefined;
  email?: string | undefined;
  phone?: string | undefined;
  first_name?: string | undefined;
  last_name?: string | undefined;
  media_url?: string | undefined;
}

const HAN = /^\p{Script=Han}+$/u;

/** 李 + 秀兰 → 李秀兰 (family name first, no space, as Chinese names are written); John + Smith → John Smith. */
export function fullName(first?: string, last?: string): string | undefined {
  const f = first?.trim();
  const l = last?.trim();
  if (f && l) return HAN.test(f) && HAN.test(l) ? `${l}${f}` : `${f} ${l}`;
  return f || l || undefined;
}

const MEDIA_TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  mp4: 'video/mp4',
  mp3: 'audio/mpeg',
  pdf: 'application/pdf',
};

export function mediaTypeOf(url: string): string {
  const ext = /\.([a-z0-9]+)(?:[?#].*)?$/i.exec(url)?.[1]?.toLowerCase();
  return (ext && MEDIA_TYPES[ext]) || 'application/octet-stream';
}

const blank = (v: string | undefined) => v === undefined || v.trim() === '';
/** A number, or NaN (which the report schema rejects naming the field) when the text is not one. */
const numberOrNaN = (v: string | undefined) => (blank(v) ? undefined : Number(v));

/** Finds a category by code: intake's copy of the catalogue (`CategoryHolder.find`), the built-in list by default. */
export type CategoryLookup = (code: string) => Category | undefined;

/** An Open311 request as a report body, before validation against ReportBody. */
export function toReportBody(form: Open311Form, externalId: string, find: CategoryLookup = findCategory): Record<string, unknown> {
  const category = blank(form.service_code) ? undefined : form.service_code;
  const kind = category ? find(category)?.kind : undefined;
  const name = fullName(form.first_name, form.last_name);
  const reporter = {
    ...(name ? { name } : {}),
    ...(blank(form.phone) ? {} : { phone: form.phone }),
    ...(blank(form.email) ? {} : { email: form.email }),
  };
  return {
    externalId,
    ...(category ? { category } : {}),
    ...(kind && kind !== 'unclassified' ? { kind } : {}),
    description: form.description ?? '',
    location: {
      ...(numberOrNaN(form.lat) !== undefined ? { lat: numberOrNaN(form.lat) } : {}),
      ...(numberOrNaN(form.long) !== undefined ? { lng: numberOrNaN(form.long) } : {}),
      ...(blank(form.address_string) ? {} : { address: form.address_string }),
    },
    ...(Object.keys(reporter).length ? { reporter } : {}),
    ...(blank(form.media_url) ? {} : { attachments: [{ url: form.media_url, mediaType: mediaTypeOf(form.media_url ?? '') }] }),
  };
}

/** Which Open311 field a ReportBody error path came from, so a 400 names what the sender sent. */
export function open311Field(path: string): string {
  if (path === 'category' || path === 'kind') return 'service_code';
  if (path === 'location.lat') return 'lat';
  if (path === 'location.lng') return 'long';
  if (path === 'location.address') return 'address_string';
  if (path === 'location') return 'lat/long or address_string';
  if (path === 'reporter.name') return 'first_name/last_name';
  if (path.startsWith('reporter.')) return path.slice('reporter.'.length);
  if (path.startsWith('attachments')) return 'media_url';
  return path;
}

/** A service_code that is no category here (POST requests.json, GET services/{code}.json): Open311's categories are its services. */
export const UNKNOWN_SERVICE = 'not a service here; GET /open311/v2/services.json lists them';

/** The place an Open311 request gives: the fields toReportBody makes a location of. */
const OPEN311_PLACE = 'lat and long together, or address_string';

/**
 * A ReportBody issue as an Open311 400 names it: the field the sender used (open311Field) and what is
 * wrong, readable and in Open311's field names, not the REST body's (lat+lng, gridCode, communityCode).
 */
export function open311Issue(issue: z.core.$ZodIssue): FieldIssue {
  const path = open311Field(issue.path.join('.'));
  const message = readableMessage(issue);
  if (message === LOCATION_NEEDED) return { path, message: `required: ${OPEN311_PLACE}` };
  if (message === LAT_LNG_TOGETHER) return { path, message: 'lat and long must be given together' };
  // Named `location`, which open311Field reads as "lat/long or address_string": only the point is wrong.
  if (message === GPS_DEFAULT) return { path: 'lat/long', message: 'lat 0, long 0 is a GPS default, not a place; leave lat and long out when not known' };
  if (message === UNKNOWN_CATEGORY) return { path, message: UNKNOWN_SERVICE };
  if (message.startsWith(SAYS_NOTHING)) return { path, message: `${SAYS_NOTHING}, so it gives no location: give ${OPEN311_PLACE} that does` };
  return { path, message };
}

/** An Open311 error answer: one `{code, description}` per problem, the code being the HTTP status. */
export type Open311Errors = { code: number; description: string }[];

/**
 * A problem+json body as Open311's `[{code, description}]`: one entry per bad field (`field: why`),
 * else one with the detail. Query-string fields lose their `querystring.` prefix: Open311 names them bare.
 */
export function toOpen311Errors(problem: { status: number; title?: string; detail?: string; errors?: { path: string; message: string }[] }): Open311Errors {
  const { status } = problem;
  if (problem.errors?.length) {
    return problem.errors.map((e) => ({ code: status, description: `${e.path.replace(/^querystring\./, '')}: ${e.message}` }));
  }
  return [{ code: status, description: problem.detail ?? problem.title ?? 'error' }];
}

export interface Open311Request {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string;
  service_name: string | null;
  service_code: string;
  description: string;
  agency_responsible: string | null;
  service_notice: string | null;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  address: string | null;
  address_id: string | null;
  zipcode: string | null;
  lat: number | null;
  long: number | null;
  media_url: string | null;
}

export interface RequestSource {
  reportId: string;
  status: string;
  receivedAt: Date;
  updatedAt: Date;
  report: ReportReceivedData;
}

export interface CaseSource {
  caseNumber: string;
  status: string;
  level: number;
  category: string;
  resolveBy: Date;
  updatedAt: Date;
}

/**
 * Open311 knows only open and closed. A case is closed for the sender only at `closed`: resolved
 * still awaits verification (核查) and follow-up (回访), and either may send it back.
 */
export const CLOSED_STATUSES: readonly CaseStatus[] = ['closed'];
export const isClosed = (caseStatus: string | undefined) => CLOSED_STATUSES.some((s) => s === caseStatus);

/** The finer state in words a sender understands. */
const STATUS_WORDS: Record<CaseStatus, string> = {
  open: 'open',
  acknowledged: 'acknowledged',
  resolved: 'resolved, awaiting verification',
  'follow-up': 'verified, awaiting follow-up with the reporter',
  closed: 'closed',
  'on-hold': 'on hold',
};
const statusWords = (status: string) => STATUS_WORDS[status as CaseStatus] ?? status;

/** Our finer state in words: what happened to the report and where its case stands. */
export function statusNotes(reportStatus: string, c: CaseSource | undefined): string {
  if (!c) return 'received; awaiting triage';
  const how = reportStatus === 'merged' ? `merged into case ${c.caseNumber}` : `${reportStatus}; case ${c.caseNumber}`;
  const level = c.level > 0 ? `, escalated to level ${c.level}` : '';
  return `${how}: ${statusWords(c.status)}${level}`;
}

const WebUrl = webUrl();
/** A stored attachment URL a client may render as a link; reports stored before http(s) was required may hold others. */
const linkable = (url: string | undefined) => (url !== undefined && WebUrl.safeParse(url).success ? url : null);

export function toServiceRequest(r: RequestSource, c: CaseSource | undefined, find: CategoryLookup = findCategory): Open311Request {
  const code = c?.category ?? r.report.category ?? 'unclassified';
  const updated = c && c.updatedAt > r.updatedAt ? c.updatedAt : r.updatedAt;
  return {
    service_request_id: r.reportId,
    status: isClosed(c?.status) ? 'closed' : 'open',
    status_notes: statusNotes(r.status, c),
    service_name: find(code)?.name.zh ?? null,
    service_code: code,
    description: r.report.description,
    agency_responsible: null,
    service_notice: null,
    requested_datetime: r.receivedAt.toISOString(),
    updated_datetime: updated.toISOString(),
    expected_datetime: c ? c.resolveBy.toISOString() : null,
    address: r.report.location.address ?? null,
    address_id: null,
    zipcode: null,
    lat: r.report.location.lat ?? null,
    long: r.report.location.lng ?? null,
    media_url: linkable(r.report.attachments[0]?.url),
  };
}
