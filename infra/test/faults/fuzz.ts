import fc from 'fast-check';
import { personalData } from './load.ts';

/** The suite's seed: FAULTS_SEED overrides it, and it is printed so a failure can be replayed. */
export const SEED = Number(process.env.FAULTS_SEED ?? 20_260_505);

/** Strings that break parsers, databases and encoders: NUL, lone surrogates, controls, huge and odd numbers. */
const nasty = fc.oneof(
  fc.constantFrom('\u0000', 'a\u0000b', '\uD800', '\uDFFF', 'x\uDBFFy', '\uFFFF', '\u202E', '', ' ', '%00', '\\u0000', '1e999999', '-0', 'NaN', 'Infinity', '\'; drop table reports; --', '{{7*7}}', '../../etc/passwd'),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ maxLength: 5000 }),
);
const wrong = fc.oneof(nasty, fc.anything({ maxDepth: 3 }), fc.double(), fc.bigInt().map(String), fc.constant(null), fc.boolean(), fc.array(nasty, { maxLength: 3 }));

const validBody = (n: number) => ({
  externalId: `fuzz-${n}`,
  description: '楼道堆放杂物，存在消防隐患',
  location: { gridCode: 'CG-001-01' },
  reporter: personalData(n),
});

const FIELDS = ['externalId', 'kind', 'category', 'title', 'description', 'occurredAt', 'location', 'reporter', 'respondBy', 'resolveBy', 'attachments', '__proto__', 'constructor'];

/** A report body with some fields replaced by wrong or nasty values, or removed. */
const mutatedBody = fc
  .tuple(fc.nat(), fc.array(fc.tuple(fc.constantFrom(...FIELDS), fc.option(wrong, { nil: undefined })), { minLength: 1, maxLength: 4 }))
  .map(([n, edits]) => {
    const body: Record<string, unknown> = validBody(n);
    for (const [k, v] of edits) {
      if (v === undefined) delete body[k];
      else Object.defineProperty(body, k, { value: v, enumerable: true, writable: true, configurable: true });
    }
    return JSON.stringify(body);
  });

/** JSON text that JSON.stringify cannot make: huge numbers, deep nesting, raw controls, invalid escapes. */
const rawJson = fc.oneof(
  fc.nat({ max: 200_000 }).map((d) => `${'['.repeat(d)}${']'.repeat(d)}`),
  fc.nat({ max: 50_000 }).map((d) => `{"externalId":"deep","description":"x","location":${'{"a":'.repeat(d)}1${'}'.repeat(d)}}`),
  fc.constantFrom('1e999999', '-1e999999', '123456789012345678901234567890123456789', '0.' + '0'.repeat(400) + '1').map(
    (num) => `{"externalId":"big-${num.length}","description":"x","location":{"lat":${num},"lng":${num}},"attachments":${num}}`,
  ),
  fc.constantFrom('{"externalId":"a\u0000b","description":"x","location":{"address":"y"}}', '{"description":"\\ud800","externalId":"s","location":{"address":"\\udfff"}}', '{"externalId":"x","externalId":"y"}', '{', '}', 'null', '[]', '""', 'true', '{"__proto__":{"admin":true}}'),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

export interface FuzzRequest {
  method: 'POST' | 'GET';
  path: string;
  contentType?: string;
  body?: string | Uint8Array;
  /** Whether to send the reporter's bearer token (Open311 sends it in the form instead). */
  auth: boolean;
}

const asBytes = fc.uint8Array({ maxLength: 300 });

/** 2 000 of these go to intake; none may be answered ≥ 500. */
export const httpRequest = (reporterToken: string): fc.Arbitrary<FuzzRequest> =>
  fc.oneof(
    { weight: 5, arbitrary: mutatedBody.map((body) => ({ method: 'POST' as const, path: '/v1/reports', contentType: 'application/json', body, auth: true })) },
    { weight: 3, arbitrary: rawJson.map((body) => ({ method: 'POST' as const, path: '/v1/reports', contentType: 'application/json', body, auth: true })) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(undefined, 'text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', 'application/x-www-form-urlencoded'), fc.oneof(asBytes, nasty))
        .map(([contentType, body]) => ({ method: 'POST' as const, path: '/v1/reports', contentType, body, auth: true })),
    },
    {
      weight: 3,
      arbitrary: fc
        .dictionary(
          fc.constantFrom('service_code', 'lat', 'long', 'address_string', 'description', 'first_name', 'last_name', 'phone', 'email', 'media_url', 'attribute[x]', 'device_id', 'jurisdiction_id'),
          nasty,
          { maxKeys: 8 },
        )
        .chain((form) =>
          fc.boolean().map((withKey) => {
            const params = new URLSearchParams(form);
            if (withKey) params.set('api_key', reporterToken);
            return { method: 'POST' as const, path: '/open311/v2/requests.json', contentType: 'application/x-www-form-urlencoded', body: params.toString(), auth: false };
          }),
        ),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom('/v1/reports/', '/v1/reports?externalId=', '/open311/v2/requests/', '/open311/v2/services/', '/open311/v2/requests.json?page_size='), nasty)
        .map(([prefix, v]) => ({ method: 'GET' as const, path: `${prefix}${encodeURIComponent(v.replace(/[\uD800-\uDFFF]/g, '\uFFFD'))}`, auth: true })),
    },
  );

export function sampleHttp(reporterToken: string, count: number): FuzzRequest[] {
  return fc.sample(httpRequest(reporterToken), { seed: SEED, numRuns: count });
}

export interface FuzzRecord {
  key: string | null;
  value: string | Buffer;
  /** Which client-id header to send: the reporter's, an unknown one, or none. */
  client: 'reporter' | 'unknown' | 'none';
}

/** Inbound Kafka records: bad JSON, bad fields, NUL, wrong headers, some valid; each must be dead-lettered or accepted. */
export const kafkaRecord: fc.Arbitrary<FuzzRecord> = fc
  .tuple(
    fc.oneof({ weight: 4, arbitrary: mutatedBody }, { weight: 3, arbitrary: rawJson }, { weight: 1, arbitrary: fc.nat().map((n) => JSON.stringify({ ...validBody(n), externalId: `kfuzz-valid-${n}` })) }),
    fc.constantFrom<FuzzRecord['client']>('reporter', 'reporter', 'reporter', 'unknown', 'none'),
    fc.constantFrom('externalId', 'null', 'other'),
  )
  .map(([value, client, keyKind]) => {
    let externalId: string | null = null;
    try {
      const id = JSON.parse(value).externalId;
      externalId = typeof id === 'string' ? id : null;
    } catch {
      externalId = null;
    }
    const key = keyKind === 'null' ? null : keyKind === 'externalId' && externalId ? externalId : `other-${value.length}`;
    return { key, value, client };
  });

export function sampleKafka(count: number): FuzzRecord[] {
  const records = fc.sample(kafkaRecord, { seed: SEED, numRuns: count - 1 });
  // One record of about 1 MB: a valid-looking report whose description is far over the limit, with personal data.
  const big = { ...validBody(999_999), externalId: 'kfuzz-1mb', description: '杂'.repeat(333_000) };
  records.splice(Math.floor(count / 2), 0, { key: 'kfuzz-1mb', value: JSON.stringify(big), client: 'reporter' });
  return records;
}
