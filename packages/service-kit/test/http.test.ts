import { type AddressInfo, connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it, vi } from 'vitest';
import { fieldsCheck, withFieldsCheck } from '@gridcase/contracts';
import { z } from 'zod';
import { RevocationList, TokenSigner } from '../src/auth.ts';
import { ManualClock } from '../src/clock.ts';
import { openapiGaps } from '../../../infra/test/openapi.ts';
import { ANY_ROLE, buildHttp, findUnstorableText, lazyRequestLogger, MAX_PROBLEM_ERRORS, type ReadinessCheck } from '../src/http.ts';
import { answerClientError, decodeParams, JSON_SUFFIX_BODY, nameableMediaType, parseFormBody } from '../src/parsing.ts';
import { HttpProblem, notFound } from '../src/problem.ts';
import { capturedLogger } from './log-sink.ts';

const ADMIN = 'admin-token-0123456789';
const signer = new TokenSigner(ADMIN);
const admin = { authorization: `Bearer ${ADMIN}` };
const clientToken = signer.issue({ clientId: 'c1', name: 'hotline', roles: ['reporter'] });
const client = { authorization: `Bearer ${clientToken}` };

async function testApp(opts: { readiness?: Record<string, ReadinessCheck>; revocations?: RevocationList; requestTimeoutMs?: number } = {}) {
  const { logger, text } = capturedLogger();
  const app = await buildHttp({
    service: 'test',
    logger,
    signer,
    readiness: opts.readiness ?? {},
    readinessTimeoutMs: 50,
    bodyLimit: 1024,
    ...(opts.revocations ? { revocations: opts.revocations } : {}),
    ...(opts.requestTimeoutMs ? { requestTimeoutMs: opts.requestTimeoutMs } : {}),
  });
  app.post(
    '/things/:id',
    { config: { roles: ['reporter'], scope: 'own' }, schema: { params: z.object({ id: z.string() }), body: z.object({ title: z.string(), tags: z.array(z.string()).optional() }) } },
    async (req) => ({ id: req.params.id, title: req.body.title }),
  );
  app.get('/things', { config: { roles: ['reporter'], scope: 'own' } }, async () => ({ items: [] }));
  app.get('/broken/db-down', { config: { roles: ['reporter'], scope: 'own' } }, async () => {
    throw Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01', severity: 'FATAL' });
  });
  app.get('/broken/bug', { config: { roles: ['reporter'], scope: 'own' } }, async () => {
    throw new TypeError('secret internals: cannot read x of undefined');
  });
  return { app, log: text };
}

describe('the input guard', () => {
  it('finds NULs and unpaired surrogates wherever they are, by path', () => {
    expect(
      findUnstorableText({
        query: { q: 'ok', s: 'a\u0000b' },
        params: { id: '\ud800' },
        body: { title: 'fine', tags: ['x', 'y\udc00'], nested: { 'k\u0000': 1 } },
      }).map((e) => e.path),
    ).toEqual(['querystring.s', 'params.id', 'tags.1', 'nested']);
    expect(findUnstorableText({ body: '\u0000' })).toEqual([{ path: '(body)', message: expect.stringMatching(/NUL/) }]);
    expect(findUnstorableText({ query: { q: '城关 😀' }, body: { a: ['ok'] } })).toEqual([]);
  });

  it('answers 400 problem+json naming the field, for the body, the query and route params', async () => {
    const { app } = await testApp();
    const body = await app.inject({
      method: 'POST',
      url: '/things/1',
      headers: { ...client, 'content-type': 'application/json' },
      payload: '{"title":"a\\u0000b","tags":["\\ud800"]}',
    });
    expect(body.statusCode).toBe(400);
    expect(body.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(body.json().errors).toEqual([
      { path: 'title', message: expect.any(String) },
      { path: 'tags.0', message: expect.any(String) },
    ]);
    const query = await app.inject({ method: 'GET', url: '/things?q=a%00b', headers: client });
    expect(query.statusCode).toBe(400);
    expect(query.json().errors).toEqual([{ path: 'querystring.q', message: expect.any(String) }]);
    const param = await app.inject({ method: 'POST', url: '/things/%ED%A0%80x', headers: client, payload: { title: 't' } });
    expect(param.statusCode).toBe(400);
    const nul = await app.inject({ method: 'POST', url: '/things/a%00', headers: client, payload: { title: 't' } });
    expect(nul.json().errors).toEqual([{ path: 'params.id', message: expect.any(String) }]);
  });

  it('names unstorable text beside every other problem of the request, each field once', async () => {
    const { app } = await testApp();
    const res = await app.inject({
      method: 'POST',
      url: '/things/1',
      headers: { ...client, 'content-type': 'application/json' },
      payload: '{"title":"a\\u0000b","tags":"not a list"}',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([
      { path: 'title', message: expect.stringMatching(/NUL/) },
      { path: 'tags', message: expect.any(String) },
    ]);
    const query = await app.inject({ method: 'POST', url: '/things/1?q=a%00b', headers: client, payload: { tags: [] } });
    expect(query.json().errors).toEqual([
      { path: 'querystring.q', message: expect.stringMatching(/NUL/) },
      { path: 'title', message: expect.any(String) },
    ]);
  });

  it('answers 400 problem+json for invalid JSON and malformed percent-encoding, 413 for a big body', async () => {
    const { app } = await testApp();
    const json = await app.inject({
      method: 'POST',
      url: '/things/1',
      headers: { ...client, 'content-type': 'application/json' },
      payload: '{"title": ',
    });
    expect(json.statusCode).toBe(400);
    expect(json.headers['content-type']).toMatch(/^application\/problem\+json/);
    const path = await app.inject({ method: 'GET', url: '/things/%E0%A4%A', headers: client });
    expect(path.statusCode).toBe(400);
    expect(path.headers['content-type']).toMatch(/^application\/problem\+json/);
    const query = await app.inject({ method: 'GET', url: '/things?q=%E0%A4%A', headers: client });
    expect(query.statusCode).toBe(400);
    expect(query.json().errors).toEqual([{ path: 'querystring.q', message: expect.stringContaining('not validly percent-encoded UTF-8') }]);
    const big = await app.inject({ method: 'POST', url: '/things/1', headers: client, payload: { title: 'x'.repeat(2048) } });
    expect(big.statusCode).toBe(413);
    expect(big.headers['content-type']).toMatch(/^application\/problem\+json/);
    // The limit named, so the sender knows how far to cut (audit19 #10).
    expect(big.json()).toMatchObject({ status: 413, type: 'urn:gridcase:problem:payload-too-large', detail: 'the body is over 1 KiB, the most this route takes' });
  });

  it('reads a query string as fastify did, but names each parameter that does not percent-decode to UTF-8 rather than keep its escapes (audit21 #2, #5)', () => {
    expect(decodeParams('a=1&b=x+y%20z&a=2&a=3&flag&&=v&c=%E4%BA%95')).toEqual({ params: { a: ['1', '2', '3'], b: 'x y z', flag: '', '': 'v', c: '井' }, undecodable: [] });
    // Malformed, not UTF-8 (a stray byte, GBK, a cut sequence, a lone surrogate), in a key or a value.
    expect(decodeParams('ok=1&a=%ZZ&b=%FF&c=%BE%AE&d=%E4%BA&e=%ED%A0%80&a=%ZZ&%FF=1&tel13812345678=%FF&x%FF=1')).toEqual({
      params: { ok: '1' },
      undecodable: ['a', 'b', 'c', 'd', 'e', '(key)'],
    });
    expect(Object.getPrototypeOf(decodeParams('__proto__=x').params)).toBeNull();
  });

  it('answers 400 naming each query parameter that does not percent-decode to UTF-8, beside the other problems, never as missing', async () => {
    const { app } = await testApp();
    app.get(
      '/search',
      { config: { roles: ['reporter'], scope: 'own' }, schema: { querystring: z.strictObject({ q: z.string(), limit: z.coerce.number().int().optional() }) } },
      async (req) => req.query,
    );
    for (const q of ['%ZZ', '%E4%BA', '%FF', '%BE%AE%B8%C7']) {
      const res = await app.inject({ method: 'GET', url: `/search?q=${q}&limit=x`, headers: client });
      expect(res.statusCode, q).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json().errors, q).toEqual([
        { path: 'querystring.q', message: 'not validly percent-encoded UTF-8: each % must start a %XX escape, and the bytes they give must be UTF-8' },
        { path: 'querystring.limit', message: expect.any(String) },
      ]);
    }
    expect((await app.inject({ method: 'GET', url: '/search?q=%E4%BA%95+1', headers: client })).json()).toEqual({ q: '井 1' });
  });

  it('reads a form as strictly as JSON: 415 for another charset, 400 for bytes or escapes that are not UTF-8, naming the fields', () => {
    const form = 'description=%E4%BA%95%E7%9B%96&address=x';
    expect(parseFormBody('application/x-www-form-urlencoded; charset=UTF-8', Buffer.from(form))).toEqual({ description: '井盖', address: 'x' });
    expect(() => parseFormBody('application/x-www-form-urlencoded; charset=gbk', Buffer.from(form))).toThrow(expect.objectContaining({ status: 415 }));
    expect(() => parseFormBody(undefined, Buffer.from([0x61, 0x3d, 0xbe, 0xae]))).toThrow(expect.objectContaining({ status: 400, message: expect.stringContaining('not valid UTF-8') }));
    expect(() => parseFormBody(undefined, Buffer.from('description=%BE%AE%B8%C7&address=%E4%BA%95%FF&ok=1'))).toThrow(
      expect.objectContaining({ status: 400, errors: [expect.objectContaining({ path: 'description' }), expect.objectContaining({ path: 'address' })] }),
    );
  });

  it('still lets ordinary Chinese text through', async () => {
    const { app } = await testApp();
    const res = await app.inject({ method: 'POST', url: '/things/1', headers: client, payload: { title: '邻里纠纷 😀' } });
    expect(res.statusCode).toBe(200);
  });
});

describe('validation', () => {
  it('names every bad field of params, querystring and body in one 400, each with its path', async () => {
    const { app } = await testApp();
    app.put(
      '/items/:id',
      {
        config: { roles: ['reporter'], scope: 'own' },
        schema: {
          params: z.object({ id: z.coerce.number().int() }),
          querystring: z.strictObject({ wait: z.enum(['true', 'false']).optional() }),
          body: z.object({ title: z.string(), code: z.string().refine(async (c) => c !== 'unknown', 'unknown code') }),
        },
      },
      async (req) => ({ id: req.params.id, title: req.body.title }),
    );
    const res = await app.inject({ method: 'PUT', url: '/items/x?wait=maybe', headers: client, payload: { code: 'unknown' } });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json().errors.map((e: { path: string }) => e.path)).toEqual(['params.id', 'querystring.wait', 'title', 'code']);
    expect(res.json().errors[3].message).toBe('unknown code');
    const ok = await app.inject({ method: 'PUT', url: '/items/7?wait=true', headers: client, payload: { title: 't', code: 'c' } });
    expect(ok.json()).toEqual({ id: 7, title: 't' });
  });

  it("judges a body by a path parameter (config.acrossParts) beside each part's own problems, in one 400", async () => {
    const { app } = await testApp();
    // Each date must lie in the year of the path; a date that is not a string is the body schema's to name.
    const inTheYear = fieldsCheck(z.object({ params: z.object({ year: z.coerce.number().int() }), body: z.object({ dates: z.array(z.unknown()) }) }), ({ params, body }, ctx) => {
      body.dates.forEach((d, i) => {
        if (typeof d === 'string' && !d.startsWith(`${params.year}-`)) ctx.addIssue({ code: 'custom', path: ['body', 'dates', i], message: `not in ${params.year}` });
      });
    });
    app.put(
      '/years/:year',
      {
        config: { roles: ['reporter'], scope: 'own', acrossParts: inTheYear },
        schema: { params: z.object({ year: z.coerce.number().int().min(2000) }), body: z.object({ dates: z.array(z.string()), note: z.string().optional() }) },
      },
      async (req) => ({ year: req.params.year, dates: req.body.dates }),
    );
    const put = (year: string, payload: object) => app.inject({ method: 'PUT', url: `/years/${year}`, headers: client, payload });
    const bad = await put('2027', { dates: ['2027-01-01', '2026-05-01', 5], note: 7 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual([
      { path: 'dates.2', message: expect.any(String) },
      { path: 'note', message: expect.any(String) },
      { path: 'dates.1', message: 'not in 2027' },
    ]);
    // A year that does not parse is named; the check that needs it stays silent.
    expect((await put('soon', { dates: ['2026-05-01'] })).json().errors.map((e: { path: string }) => e.path)).toEqual(['params.year']);
    expect((await put('1999', { dates: ['2026-05-01'] })).json().errors.map((e: { path: string }) => e.path)).toEqual(['params.year', 'dates.0']);
    expect((await put('2027', { dates: ['2027-05-01'] })).json()).toEqual({ year: 2027, dates: ['2027-05-01'] });
  });

  it('runs config.acrossParts on a route with no schema of its own', async () => {
    const { app } = await testApp();
    const ordered = z.object({ params: z.object({ from: z.string(), to: z.string() }) }).refine(({ params }) => params.from <= params.to, {
      path: ['params', 'to'],
      message: 'ends before it starts',
    });
    app.get('/spans/:from/:to', { config: { roles: ['reporter'], scope: 'own', acrossParts: ordered } }, async () => ({ ok: true }));
    const bad = await app.inject({ method: 'GET', url: '/spans/b/a', headers: client });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual([{ path: 'params.to', message: 'ends before it starts' }]);
    expect((await app.inject({ method: 'GET', url: '/spans/a/b', headers: client })).json()).toEqual({ ok: true });
  });

  it('names a query parameter given more than once where it takes one value, whatever its type, beside the other problems', async () => {
    const { app } = await testApp();
    const Query = z.strictObject({
      from: z.iso.datetime({ offset: true }).optional(),
      limit: z.coerce.number().int().min(1).default(50),
      wait: z.enum(['true', 'false']).optional(),
      // Coerced text would take the list silently, as "a,b".
      q: z.coerce.string().optional(),
      tags: z.array(z.string()).optional(),
    });
    app.get('/lists', { config: { roles: ['reporter'], scope: 'own' }, schema: { querystring: withFieldsCheck(Query, ['from'], () => undefined) } }, async (req) => req.query);
    const get = (query: string) => app.inject({ method: 'GET', url: `/lists?${query}`, headers: client });
    const bad = await get('from=2026-01-01T00:00:00Z&from=2026-02-01T00:00:00Z&limit=1&limit=2&wait=true&wait=false&q=a&q=b&tags=x&tags=y&limit=0');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual(
      ['from', 'limit', 'wait', 'q'].map((name) => ({ path: `querystring.${name}`, message: 'given more than once; give it once' })),
    );
    expect(bad.json().detail).toContain('querystring.from (given more than once; give it once)');
    // Beside another parameter's own problem; a list parameter takes a list.
    expect((await get('wait=true&wait=true&limit=0')).json().errors).toEqual([
      { path: 'querystring.wait', message: 'given more than once; give it once' },
      { path: 'querystring.limit', message: 'must be at least 1' },
    ]);
    expect((await get('tags=x&tags=y&q=a')).json()).toEqual({ tags: ['x', 'y'], q: 'a', limit: 50 });
  });

  it('refuses a route that would validate its input again itself (attachValidation)', async () => {
    const { app } = await testApp();
    const schema = { body: z.object({ title: z.string() }) };
    expect(() => app.post('/again', { config: { roles: ['reporter'], scope: 'own' }, attachValidation: true, schema }, async () => ({}))).toThrow(/POST \/again.*attachValidation/);
  });
});

describe('bodies', () => {
  const post = (app: Awaited<ReturnType<typeof testApp>>['app'], payload: string, contentType = 'application/json') =>
    app.inject({ method: 'POST', url: '/things/1', headers: { ...client, 'content-type': contentType }, payload });

  it('refuses a key that could reach a prototype, naming it, where the JSON itself is valid', async () => {
    const { app } = await testApp();
    const proto = await post(app, '{"title":"t","__proto__":{"polluted":1},"tags":[{"constructor":{"prototype":{"x":1}}}]}');
    expect(proto.statusCode).toBe(400);
    expect(proto.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(proto.json().errors).toEqual([
      { path: '__proto__', message: '"__proto__" is not allowed as a key' },
      { path: 'tags.0.constructor.prototype', message: '"prototype" is not allowed as a key inside "constructor"' },
      // And what else is wrong: a tag is a string.
      { path: 'tags.0', message: expect.any(String) },
    ]);
    // Escaped, it is the same key.
    expect((await post(app, '{"title":"t","\\u005f_proto__":{}}')).json().errors).toEqual([{ path: '__proto__', message: expect.any(String) }]);
    // A key that is free text (a name, say) on the way is not quoted back.
    expect((await post(app, '{"title":"t","王小二":{"__proto__":{}}}')).json().errors).toEqual([{ path: '(key).__proto__', message: expect.any(String) }]);
    expect(({} as { polluted?: number }).polluted).toBeUndefined();
    // A field merely called so, and a constructor without a prototype, are ordinary keys.
    expect((await post(app, '{"title":"__proto__ and prototype","tags":["constructor"]}')).statusCode).toBe(200);
    expect((await post(app, '{"title":"t","constructor":{"name":"x"}}')).statusCode).toBe(200);
    expect((await post(app, '{"title": ')).json()).toMatchObject({ status: 400, detail: 'the body is not valid JSON' });
  });

  it('names every bad field beside a key that could reach a prototype: an unknown key and a missing one too (audit9 #19)', async () => {
    const { app } = await testApp();
    app.post('/strict', { config: { roles: ['reporter'], scope: 'own' }, schema: { body: z.strictObject({ title: z.string() }) } }, async () => ({}));
    const res = await app.inject({ method: 'POST', url: '/strict', headers: { ...client, 'content-type': 'application/json' }, payload: '{"extra":"field","__proto__":{"x":1}}' });
    expect(res.statusCode).toBe(400);
    expect((res.json().errors as { path: string }[]).map((e) => e.path).sort()).toEqual(['__proto__', 'extra', 'title']);
    expect(({} as { x?: number }).x).toBeUndefined();
  });

  it('answers 415 naming the Content-Encoding of a body in an encoding no service reads (gzip), before reading it; identity is read (audit9 #19)', async () => {
    const { app } = await testApp();
    const send = (encoding: string, payload: Buffer | string) =>
      app.inject({ method: 'POST', url: '/things/1', headers: { ...client, 'content-type': 'application/json', 'content-encoding': encoding }, payload });
    const gzipped = await send('gzip', gzipSync('{"title":"t"}'));
    expect(gzipped.statusCode).toBe(415);
    expect(gzipped.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(gzipped.json().detail).toBe("the body's Content-Encoding (gzip) is not supported; send the body unencoded (identity)");
    expect((await send('br, gzip', 'x')).json().detail).toContain('(br, gzip)');
    // Text a sender put in the header is not quoted back.
    expect((await send('王小二', 'x')).json().detail).toBe("the body's Content-Encoding is not supported; send the body unencoded (identity)");
    expect((await send('identity', '{"title":"t"}')).statusCode).toBe(200);
    expect((await send('Identity', '{"title":"t"}')).statusCode).toBe(200);
  });

  it('answers 415 naming the type received and the accepted one for a JSON body sent as text/plain, as for a missing content type (audit11 #11)', async () => {
    const { app } = await testApp();
    for (const [contentType, received] of [
      ['text/plain', 'text/plain'],
      ['Text/Plain; charset=utf-8', 'text/plain'],
      // What curl -d sends unless told otherwise.
      ['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded'],
      ['application/xml', 'application/xml'],
    ]) {
      const res = await post(app, '{"title":"t"}', contentType);
      expect(res.statusCode, contentType).toBe(415);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({
        type: 'urn:gridcase:problem:unsupported-media-type',
        title: 'Unsupported Media Type',
        detail: `the body's Content-Type is ${received}; send the body as application/json (Content-Type)`,
      });
    }
    // A Content-Type that is no registered media type is not quoted back (it may be anything a sender put there).
    for (const contentType of ['13800138000/x', 'zhang/san', 'text/张三']) {
      const res = await post(app, '{"title":"t"}', contentType);
      expect(res.statusCode, contentType).toBe(415);
      expect(res.json().detail, contentType).toBe("the body's Content-Type is not a media type read here; send the body as application/json (Content-Type)");
    }
    const untyped = await app.inject({ method: 'POST', url: '/things/1', headers: { ...client, 'content-length': '13' }, payload: '{"title":"t"}' });
    expect(untyped.statusCode).toBe(415);
    expect(untyped.json().detail).toBe('the body has no Content-Type; send the body as application/json (Content-Type)');
    expect((await post(app, '{"title":"t"}', 'application/json; charset=utf-8')).statusCode).toBe(200);
  });

  it('reads a body of any application/*+json type as JSON, with or without a charset (audit11 #11)', async () => {
    const { app } = await testApp();
    for (const contentType of ['application/merge-patch+json', 'application/vnd.gridcase.case+json; charset=utf-8', 'Application/Problem+JSON']) {
      const res = await post(app, '{"title":"标题"}', contentType);
      expect(res.statusCode, contentType).toBe(200);
      expect(res.json(), contentType).toEqual({ id: '1', title: '标题' });
    }
    // Read as JSON is: a bad body is said to be bad JSON, another charset is 415.
    expect((await post(app, '{"title":', 'application/merge-patch+json')).json()).toMatchObject({ status: 400, detail: 'the body is not valid JSON' });
    expect((await post(app, '{"title":"t"}', 'application/merge-patch+json; charset=latin1')).statusCode).toBe(415);
    // Only under application/, and only as the suffix.
    for (const contentType of ['text/x+json', 'application/json+xml', 'application/+json']) {
      expect((await post(app, '{"title":"t"}', contentType)).statusCode, contentType).toBe(415);
    }
  });

  it('reads bodies as UTF-8 only: 415 naming utf-8 for another charset, 400 for bytes that are not UTF-8', async () => {
    const { app } = await testApp();
    for (const contentType of ['application/json; charset=latin1', 'application/json;charset="ISO-8859-1"', 'application/json; charset=UTF-16']) {
      const res = await post(app, '{"title":"t"}', contentType);
      expect(res.statusCode, contentType).toBe(415);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ type: 'urn:gridcase:problem:unsupported-media-type', status: 415, detail: expect.stringContaining('charset=utf-8') });
    }
    for (const contentType of ['application/json; charset=UTF-8', 'application/json; charset="utf-8"', 'application/json; charset=utf8']) {
      expect((await post(app, '{"title":"标题"}', contentType)).statusCode, contentType).toBe(200);
    }
    // One leading byte-order mark (EF BB BF, as .NET and PowerShell write) is not part of the JSON (RFC 8259 §8.1, audit21 #3).
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const marked = await app.inject({ method: 'POST', url: '/things/1', headers: { ...client, 'content-type': 'application/json' }, payload: Buffer.concat([bom, Buffer.from('{"title":"标题"}')]) });
    expect(marked.statusCode).toBe(200);
    expect(marked.json()).toEqual({ id: '1', title: '标题' });
    const twice = await app.inject({ method: 'POST', url: '/things/1', headers: { ...client, 'content-type': 'application/json' }, payload: Buffer.concat([bom, bom, Buffer.from('{"title":"t"}')]) });
    expect(twice.json()).toMatchObject({ status: 400, detail: 'the body is not valid JSON' });
    const bytes = Buffer.concat([Buffer.from('{"title":"'), Buffer.from([0xff, 0xfe]), Buffer.from(' bad"}')]);
    const bad = await app.inject({ method: 'POST', url: '/things/1', headers: { ...client, 'content-type': 'application/json' }, payload: bytes });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(bad.json()).toMatchObject({ status: 400, detail: expect.stringContaining('not valid UTF-8') });
    // A sequence cut short at the end, and an overlong encoding, are no UTF-8 either.
    for (const tail of [[0xe4, 0xb8], [0xc0, 0xaf]]) {
      const res = await app.inject({ method: 'POST', url: '/things/1', headers: { ...client, 'content-type': 'application/json' }, payload: Buffer.concat([Buffer.from('{"title":"t'), Buffer.from(tail), Buffer.from('"}')]) });
      expect(res.statusCode, String(tail)).toBe(400);
    }
  });
});

/** A DELETE that reads no body, a POST whose body is optional, and testApp's POST /things/:id that needs one. */
async function appWithBodilessRoutes() {
  const { app } = await testApp();
  app.delete('/things/:id', { config: { roles: ['reporter'], scope: 'own' }, schema: { params: z.object({ id: z.string() }) } }, async (_req, reply) =>
    reply.code(204).send(),
  );
  app.post(
    '/things/:id/seen',
    { config: { roles: ['reporter'], scope: 'own' }, schema: { params: z.object({ id: z.string() }), body: z.object({ note: z.string().optional() }).nullable() } },
    async (req) => ({ note: req.body?.note ?? null }),
  );
  return app;
}

describe('a request with a JSON Content-Type and no body', () => {
  // Many HTTP clients set Content-Type: application/json on every request, a DELETE's included.
  const json = (length?: string) => ({ ...client, 'content-type': 'application/json', ...(length === undefined ? {} : { 'content-length': length }) });

  it.each([
    ['without Content-Length', undefined],
    ['with Content-Length: 0', '0'],
  ])('is accepted on a route that reads no body (DELETE, %s)', async (_what, length) => {
    const app = await appWithBodilessRoutes();
    const res = await app.inject({ method: 'DELETE', url: '/things/1', headers: json(length) });
    expect(res.statusCode, res.body).toBe(204);
  });

  it('is accepted where the body is optional, as no body', async () => {
    const app = await appWithBodilessRoutes();
    const res = await app.inject({ method: 'POST', url: '/things/1/seen', headers: json('0') });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ note: null });
    expect((await app.inject({ method: 'POST', url: '/things/1/seen', headers: json(), payload: '{"note":"看过"}' })).json()).toEqual({ note: '看过' });
  });

  it('is still refused where the route needs a body, saying so', async () => {
    const app = await appWithBodilessRoutes();
    const res = await app.inject({ method: 'POST', url: '/things/1', headers: json('0') });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 400, detail: 'the body is empty; send a JSON value' });
  });

  it('is read as JSON when there is a body, on a DELETE too', async () => {
    const app = await appWithBodilessRoutes();
    const res = await app.inject({ method: 'DELETE', url: '/things/1', headers: json(), payload: '{"x": ' });
    expect(res.json()).toMatchObject({ status: 400, detail: 'the body is not valid JSON' });
  });
});

describe('a request with another Content-Type and no body', () => {
  // A client library may add its own default type (text/plain, application/octet-stream) to a request without a body.
  const typed = (contentType: string, length?: string) => ({ ...client, 'content-type': contentType, ...(length === undefined ? {} : { 'content-length': length }) });
  const unsupported = { status: 415, type: 'urn:gridcase:problem:unsupported-media-type', detail: expect.stringMatching(/; send the body as application\/json \(Content-Type\)$/) };

  it.each([
    ['text/plain', '0'],
    ['text/plain; charset=utf-8', undefined],
    ['application/octet-stream', '0'],
    ['application/x-www-form-urlencoded', undefined],
  ])('is accepted on a route that reads no body (DELETE, %s, Content-Length %s)', async (contentType, length) => {
    const app = await appWithBodilessRoutes();
    const res = await app.inject({ method: 'DELETE', url: '/things/1', headers: typed(contentType, length) });
    expect(res.statusCode, res.body).toBe(204);
  });

  it('is accepted where the body is optional, as no body', async () => {
    const app = await appWithBodilessRoutes();
    const res = await app.inject({ method: 'POST', url: '/things/1/seen', headers: typed('text/plain', '0') });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ note: null });
  });

  it('is still 415 where the route needs a body, and so is any body of that type', async () => {
    const app = await appWithBodilessRoutes();
    const empty = await app.inject({ method: 'POST', url: '/things/1', headers: typed('text/plain', '0') });
    expect(empty.statusCode).toBe(415);
    expect(empty.json()).toMatchObject(unsupported);
    for (const url of ['/things/1', '/things/1/seen']) {
      const res = await app.inject({ method: 'POST', url, headers: typed('text/plain'), payload: '{"note":"x"}' });
      expect(res.json(), url).toMatchObject(unsupported);
    }
    const bodied = await app.inject({ method: 'DELETE', url: '/things/1', headers: typed('application/octet-stream'), payload: Buffer.from([1, 2, 3]) });
    expect(bodied.json()).toMatchObject(unsupported);
    // A body with no Content-Type at all is refused as before.
    const untyped = await app.inject({ method: 'DELETE', url: '/things/1', headers: { ...client, 'content-length': '1' }, payload: 'x' });
    expect(untyped.json()).toMatchObject(unsupported);
  });

  it('leaves a path no route has to its 404', async () => {
    const app = await appWithBodilessRoutes();
    const res = await app.inject({ method: 'POST', url: '/nowhere', headers: typed('text/plain'), payload: 'hello' });
    expect(res.statusCode).toBe(404);
  });
});

describe('a Content-Type named back, and the JSON types read', () => {
  it('names a registered media type without its parameters, and nothing else', () => {
    expect(nameableMediaType('Text/Plain; charset="x"')).toBe('text/plain');
    expect(nameableMediaType(' multipart/form-data; boundary=李四 ')).toBe('multipart/form-data');
    for (const other of [undefined, '', 'text', 'text/', 'a/b/c', 'zhangsan/x', 'text/李四', `text/${'x'.repeat(65)}`]) expect(nameableMediaType(other), other).toBeUndefined();
  });

  it('takes application/<name>+json with any parameters (fastify normalises the header first)', () => {
    for (const json of ['application/merge-patch+json', 'application/vnd.a.b+json; charset="utf-8"']) expect(JSON_SUFFIX_BODY.test(json), json).toBe(true);
    for (const other of ['application/json', 'text/x+json', 'application/+json', 'application/x+jsonx', 'application/x+json-seq']) expect(JSON_SUFFIX_BODY.test(other), other).toBe(false);
  });
});

describe('a request Node cannot parse', () => {
  // The socket side of answerClientError; http.int.test.ts sends such requests over a real socket.
  const socket = (state: { writable: boolean; destroyed?: boolean }) => {
    const written: string[] = [];
    let destroyed = state.destroyed ?? false;
    const fake = {
      ...state,
      get destroyed() {
        return destroyed;
      },
      write: (chunk: string) => written.push(chunk),
      destroy: () => {
        destroyed = true;
      },
    };
    return { fake: fake as unknown as Duplex, written, isDestroyed: () => destroyed };
  };
  const server = { log: { debug: () => {} } } as unknown as FastifyInstance;
  const fail = (code: string) => Object.assign(new Error(code), { code });

  it('answers 408 for a request too slow to arrive, as problem+json, and closes the connection', () => {
    const { fake, written, isDestroyed } = socket({ writable: true });
    answerClientError.call(server, fail('ERR_HTTP_REQUEST_TIMEOUT'), fake);
    expect(written).toHaveLength(1);
    const [head, body] = (written[0] as string).split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1.1 408 Request Timeout\r\n/);
    expect(head).toContain('Content-Type: application/problem+json');
    expect(head).toContain(`Content-Length: ${Buffer.byteLength(body as string)}`);
    expect(JSON.parse(body as string)).toEqual({ type: 'urn:gridcase:problem:request-timeout', title: 'Request Timeout', status: 408, detail: expect.any(String) });
    expect(isDestroyed()).toBe(true);
  });

  it('writes nothing to a socket that cannot take it, and leaves a reset one alone', () => {
    const closed = socket({ writable: false });
    answerClientError.call(server, fail('HPE_INVALID_URL'), closed.fake);
    expect(closed.written).toEqual([]);
    expect(closed.isDestroyed()).toBe(true);
    const reset = socket({ writable: true });
    answerClientError.call(server, fail('ECONNRESET'), reset.fake);
    expect(reset.written).toEqual([]);
  });
});

describe('unknown fields', () => {
  it('are named each at its own path, in the body, nested, and in the query', async () => {
    const { app } = await testApp();
    const strict = z.strictObject({ title: z.string(), reporter: z.strictObject({ name: z.string() }).optional() });
    app.post('/strict', { config: { roles: ['reporter'], scope: 'own' }, schema: { body: strict, querystring: z.strictObject({}) } }, async () => ({}));
    const res = await app.inject({
      method: 'POST',
      url: '/strict?foo=1',
      headers: client,
      payload: { title: 't', extraTop: 1, other: 2, reporter: { name: 'n', nickname: 'x' }, '王小二 13800138000': 3 },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([
      { path: 'querystring.foo', message: 'unknown field' },
      { path: 'reporter.nickname', message: 'unknown field' },
      { path: 'extraTop', message: 'unknown field' },
      { path: 'other', message: 'unknown field' },
      // A key that is not a field name is counted, never quoted.
      { path: '(body)', message: expect.stringMatching(/^1 unknown field /) },
    ]);
    expect(res.body).not.toContain('13800138000');
  });

  it('are refused in the query of a route that declares none; a route that says anyQuery, and the probes, let them through', async () => {
    const { app } = await testApp();
    app.get('/loose', { config: { roles: ['reporter'], scope: 'own', anyQuery: true } }, async () => ({ ok: true }));
    const res = await app.inject({ method: 'GET', url: '/things?externalID=x', headers: client });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ path: 'querystring.externalID', message: 'unknown field' }]);
    expect((await app.inject({ method: 'POST', url: '/things/1?foo=1', headers: client, payload: { title: 't' } })).json().errors).toEqual([
      { path: 'querystring.foo', message: 'unknown field' },
    ]);
    expect((await app.inject({ method: 'GET', url: '/things', headers: client })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/loose?foo=1', headers: client })).json()).toEqual({ ok: true });
    for (const url of ['/healthz?x=1', '/readyz?x=1', '/metrics?x=1']) expect((await app.inject({ method: 'GET', url })).statusCode, url).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/docs?x=1', headers: client })).statusCode).toBe(200);
  });

  it('keep a route from starting whose querystring schema would let them through', async () => {
    const { app } = await testApp();
    const config = { roles: ['reporter'], scope: 'own' } as const;
    expect(() => app.get('/lenient', { config, schema: { querystring: z.object({ limit: z.string().optional() }) } }, async () => ({}))).toThrow(
      /GET \/lenient: its querystring must refuse unknown parameters/,
    );
    // A strict object behind a check across its fields is strict still.
    const checked = withFieldsCheck(z.strictObject({ from: z.string().optional() }), ['from'], () => undefined);
    app.get('/checked', { config, schema: { querystring: checked } }, async () => ({ ok: true }));
    expect((await app.inject({ method: 'GET', url: '/checked?form=1', headers: client })).json().errors).toEqual([{ path: 'querystring.form', message: 'unknown field' }]);
  });
});

describe('headers on every answer', () => {
  it('says nosniff and no-referrer everywhere, and no-store on what a token reads (errors too), not on health', async () => {
    const { app } = await testApp();
    const read = await app.inject({ method: 'GET', url: '/things', headers: client });
    expect(read.statusCode).toBe(200);
    expect(read.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' });
    const refused = await app.inject({ method: 'GET', url: '/things' });
    expect(refused.statusCode).toBe(401);
    expect(refused.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' });
    const health = await app.inject({ method: 'GET', url: '/healthz' });
    expect(health.headers['x-content-type-options']).toBe('nosniff');
    expect(health.headers['cache-control']).toBeUndefined();
  });

  it("says no-store on a route that takes its token itself (Open311's api_key, the desk's stream), answer and refusal (audit26 #1, audit25 #4)", async () => {
    const { app } = await testApp();
    app.get('/own-token', { config: { public: true, roles: ['reporter'], scope: 'own' } }, async (req) => {
      if (!req.headers['x-key']) throw new HttpProblem(429, 'Too Many Requests', 'this client already has 10 open streams');
      return { ok: true };
    });
    expect((await app.inject({ method: 'GET', url: '/own-token', headers: { 'x-key': '1' } })).headers['cache-control']).toBe('no-store');
    const refused = await app.inject({ method: 'GET', url: '/own-token' });
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['cache-control']).toBe('no-store');
  });
});

describe('a request that comes while the service shuts down', () => {
  it("is answered 503 problem+json with Retry-After and Connection: close, not fastify's own JSON (audit25 #3)", async () => {
    const { app } = await testApp();
    // A shutdown step that takes a while (the desk ends its streams): requests still arrive meanwhile.
    let closing!: () => void;
    const begun = new Promise<void>((resolve) => (closing = resolve));
    let finish!: () => void;
    const held = new Promise<void>((resolve) => (finish = resolve));
    app.addHook('preClose', async () => {
      closing();
      await held;
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const closed = app.close();
    await begun;
    const res = await fetch(`http://127.0.0.1:${port}/things`, { headers: client });
    finish();
    await closed;
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.headers.get('retry-after')).toBe('5');
    expect(res.headers.get('connection')).toBe('close');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(((await res.json()) as { detail: string }).detail).toBe('this instance is shutting down; retry the request: another instance, or this one once restarted, answers it');
  });
});

describe('not found', () => {
  it('says what was not found without quoting the URL, and answers 405 with Allow for a known path', async () => {
    const { app } = await testApp();
    app.get('/cases/:id', { config: { roles: ['reporter'], scope: 'own' } }, async () => {
      throw notFound('no case with this id');
    });
    const missing = await app.inject({ method: 'GET', url: '/cases/..%2f..%2fetc%2fpasswd', headers: client });
    expect(missing.json()).toMatchObject({ status: 404, detail: 'no case with this id' });
    const badUrl = await app.inject({ method: 'GET', url: '/cases/%', headers: client });
    expect(badUrl.statusCode).toBe(400);
    expect(badUrl.json().detail).toBe('the URL is not validly percent-encoded');
    const noRoute = await app.inject({ method: 'GET', url: '/nothing/宝', headers: client });
    expect(noRoute.json()).toMatchObject({ status: 404, detail: 'no route has this method and path' });

    const wrongMethod = await app.inject({ method: 'DELETE', url: '/things?x=1', headers: client });
    expect(wrongMethod.statusCode).toBe(405);
    expect(wrongMethod.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(wrongMethod.headers.allow).toBe('HEAD, GET');
    expect(wrongMethod.json()).toMatchObject({ type: 'urn:gridcase:problem:method-not-allowed', title: 'Method Not Allowed' });
    expect((await app.inject({ method: 'GET', url: '/things/1', headers: client })).headers.allow).toBe('POST');
  });
});

describe('errors', () => {
  it('answers a database outage with 503 and Retry-After', async () => {
    const { app } = await testApp();
    const res = await app.inject({ method: 'GET', url: '/broken/db-down', headers: client });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json()).toMatchObject({ status: 503, type: 'urn:gridcase:problem:unavailable' });
  });

  it('logs a database outage once when it starts and once when a request is served again, not every 503 (audit 24 #1)', async () => {
    const { app, log } = await testApp();
    for (let i = 0; i < 5; i++) expect((await app.inject({ method: 'GET', url: '/broken/db-down', headers: client })).statusCode).toBe(503);
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect(log().match(/a dependency is unreachable/g)).toHaveLength(1);
    expect(log()).not.toContain('requests served again');
    expect((await app.inject({ method: 'GET', url: '/things', headers: client })).statusCode).toBe(200);
    expect(log()).toContain('"heldBack":4');
    expect(log()).toContain('requests served again after a dependency outage');
  });

  it('answers any other failure with a plain 500 that tells nothing inside, and logs it', async () => {
    const { app, log } = await testApp();
    const res = await app.inject({ method: 'GET', url: '/broken/bug', headers: client });
    expect(res.statusCode).toBe(500);
    expect(res.headers['retry-after']).toBeUndefined();
    expect(res.body).not.toContain('secret internals');
    expect(log()).toContain('secret internals');
  });
});

describe('the request logger', () => {
  it("carries the request's id on every line it writes, the failure's and the request's own", async () => {
    const { app, log } = await testApp();
    const res = await app.inject({ method: 'GET', url: '/broken/bug', headers: { ...client, 'x-request-id': 'req-from-caller' } });
    expect(res.statusCode).toBe(500);
    const lines = log().trim().split('\n').map((l) => JSON.parse(l) as { msg: string; reqId?: string });
    expect(lines.find((l) => l.msg === 'request failed')?.reqId).toBe('req-from-caller');
    expect(lines.find((l) => l.msg === 'request completed')?.reqId).toBe('req-from-caller');
  });

  it('is made only when something is logged at an enabled level, once, and redacts as the service logger does', () => {
    const { logger, text } = capturedLogger('warn');
    let made = 0;
    const child = logger.child.bind(logger);
    logger.child = ((...args: Parameters<typeof logger.child>) => {
      made++;
      return child(...args);
    }) as typeof logger.child;
    const log = lazyRequestLogger(logger, { reqId: 'r1' }, {});
    log.info({ token: 'secret' }, 'below the level');
    log.debug('below the level too');
    expect(made).toBe(0);
    expect(log.level).toBe('warn');
    log.warn({ token: 'secret' }, 'at the level');
    log.error('above it');
    expect(made).toBe(1);
    const lines = text().trim().split('\n').map((l) => JSON.parse(l) as { msg: string; reqId: string; token?: string });
    expect(lines.map((l) => [l.msg, l.reqId])).toEqual([
      ['at the level', 'r1'],
      ['above it', 'r1'],
    ]);
    expect(lines[0]!.token).toBe('[redacted]');
  });
});

describe('the bearer token', () => {
  it('is read whatever the case of the scheme (RFC 9110), and nothing else passes for it', async () => {
    const { app } = await testApp();
    const as = (authorization: string) => app.inject({ method: 'GET', url: '/things', headers: { authorization } });
    expect((await as(`bearer ${clientToken}`)).statusCode).toBe(200);
    expect((await as(`BEARER  ${clientToken}`)).statusCode).toBe(200);
    expect((await as(`Basic ${clientToken}`)).statusCode).toBe(401);
    expect((await as(`Bearer${clientToken}`)).statusCode).toBe(401);
    expect((await as('Bearer ')).statusCode).toBe(401);
  });
});

describe('/readyz', () => {
  it('answers 503 naming a check that never answers, while the others pass', async () => {
    const { app } = await testApp({ readiness: { database: () => {}, kafka: () => new Promise(() => {}) } });
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json().failing).toEqual({ kafka: 'no answer within 50 ms' });
  });

  it('?for=http leaves out the broker and the pipeline: routes still answer while Kafka is away (audit 24 #5)', async () => {
    const away = () => {
      throw new Error('KafkaJSConnectionError: Connection error');
    };
    let database = true;
    const { app } = await testApp({
      readiness: {
        database: () => {
          if (!database) throw new Error('database away');
        },
        kafka: away,
        outbox: away,
        consumers: away,
      },
    });
    expect(Object.keys((await app.inject({ method: 'GET', url: '/readyz' })).json().failing).sort()).toEqual(['consumers', 'kafka', 'outbox']);
    expect((await app.inject({ method: 'GET', url: '/readyz?for=http' })).statusCode).toBe(200);
    database = false;
    const down = await app.inject({ method: 'GET', url: '/readyz?for=http' });
    expect(down.statusCode).toBe(503);
    expect(down.json().failing).toEqual({ database: 'database away' });
  });
});

describe('a stale revocation list', () => {
  it('refuses client tokens with 503 but not the admin token, and /readyz names it', async () => {
    const clock = new ManualClock();
    let up = true;
    const revocations = new RevocationList(
      async () => {
        if (!up) throw new Error('intake unreachable');
        return { revoked: ['revoked-client'] };
      },
      { clock, maxAgeMs: 90_000 },
    );
    const { app } = await testApp({ revocations });

    const early = await app.inject({ method: 'GET', url: '/things', headers: client });
    expect(early.statusCode).toBe(503);
    await revocations.refresh();
    expect((await app.inject({ method: 'GET', url: '/things', headers: client })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    const revoked = signer.issue({ clientId: 'revoked-client', name: 'old', roles: ['reporter'] });
    expect((await app.inject({ method: 'GET', url: '/things', headers: { authorization: `Bearer ${revoked}` } })).statusCode).toBe(401);

    up = false;
    clock.advance(91_000);
    await revocations.refresh();
    const refused = await app.inject({ method: 'GET', url: '/things', headers: client });
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.json().detail).toMatch(/revocation list is stale/);
    expect((await app.inject({ method: 'GET', url: '/things', headers: admin })).statusCode).toBe(200);
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json().failing.revocations).toMatch(/stale .*intake unreachable/);
  });
});

describe('the access table', () => {
  it('lists every route with its roles and scope, and refuses a route that declares neither', async () => {
    const { app } = await testApp();
    expect(app.accessTable).toContainEqual({ method: 'GET', url: '/things', auth: 'bearer', roles: ['reporter'], scope: 'own' });
    expect(app.accessTable).toContainEqual({ method: 'GET', url: '/healthz', auth: 'public', roles: [], scope: 'none' });
    expect(() => app.get('/forgotten', async () => ({}))).toThrow(/must declare config.roles and config.scope/);
    expect(() => app.get('/half', { config: { roles: ['desk'] } }, async () => ({}))).toThrow(/GET \/half/);
  });
});

describe('ids in the path', () => {
  it('reads a UUID case-insensitively (an upper-case id names the same item), and leaves any other text as sent', async () => {
    const { logger } = capturedLogger();
    const app = await buildHttp({ service: 'test', logger, signer, readiness: {} });
    app.get('/items/:itemId', { config: { roles: ['reporter'], scope: 'own' }, schema: { params: z.object({ itemId: z.string() }) } }, async (req) => req.params);
    const get = async (id: string) => (await app.inject({ method: 'GET', url: `/items/${id}`, headers: client })).json();
    const id = '01a23af3-0ee0-7145-87d2-6d6b41b25ed8';
    expect(await get(id.toUpperCase())).toEqual({ itemId: id });
    expect(await get('Officer-CG-01')).toEqual({ itemId: 'Officer-CG-01' });
    await app.close();
  });
});

describe("an install's own settings (scope install)", () => {
  it('refuses a token limited to other stations, and takes one scoped to this station or unscoped', async () => {
    const { logger } = capturedLogger();
    const app = await buildHttp({ service: 'test', logger, signer, readiness: {}, station: 'CG' });
    app.put('/settings', { config: { roles: ['admin'], scope: 'install' } }, async () => ({ ok: true }));
    const as = (stations?: string[]) => ({ authorization: `Bearer ${signer.issue({ clientId: 'a1', name: 'admin', roles: ['admin'], ...(stations ? { stations } : {}) })}` });
    const put = (headers: Record<string, string>) => app.inject({ method: 'PUT', url: '/settings', headers });
    const refused = await put(as(['XX']));
    expect(refused.statusCode).toBe(403);
    expect(refused.json().detail).toMatch(/do not include the station this install serves/);
    expect(refused.json().detail).not.toMatch(/XX|CG/);
    for (const ok of [as(['XX', 'CG']), as(), admin]) expect((await put(ok)).statusCode).toBe(200);
    await app.close();
  });
});

describe('HTTP metrics', () => {
  const count = async (app: FastifyInstance, labels: string) => {
    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    const line = text.split('\n').find((l) => l.startsWith(`gridcase_http_requests_total{${labels}}`));
    return line ? Number(line.split(' ').at(-1)) : 0;
  };

  it('counts answers by method, route template and status, never by the URL as sent', async () => {
    const { app } = await testApp();
    const ok = 'method="POST",route="/things/:id",status="200"';
    const bad = 'method="POST",route="/things/:id",status="400"';
    const unmatched = 'method="GET",route="unmatched",status="404"';
    const before = { ok: await count(app, ok), bad: await count(app, bad), unmatched: await count(app, unmatched) };
    await app.inject({ method: 'POST', url: '/things/a-1', headers: client, payload: { title: 't' } });
    await app.inject({ method: 'POST', url: '/things/a-2', headers: client, payload: { title: 't' } });
    await app.inject({ method: 'POST', url: '/things/a-3', headers: client, payload: {} });
    await app.inject({ method: 'GET', url: '/no/such/13912345678', headers: client });
    expect(await count(app, ok)).toBe(before.ok + 2);
    expect(await count(app, bad)).toBe(before.bad + 1);
    expect(await count(app, unmatched)).toBe(before.unmatched + 1);
    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).toContain('gridcase_http_request_duration_seconds_bucket{le="0.005",method="POST",route="/things/:id"}');
    expect(text).not.toContain('a-1');
    expect(text).not.toContain('13912345678');
  });
});

describe("a refused request's log line", () => {
  const completed = (log: string) =>
    log
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.msg === 'request completed');

  it('names the client and the fields a 400 named, never the values or the token', async () => {
    const { app, log } = await testApp();
    const res = await app.inject({ method: 'POST', url: '/things/1', headers: client, payload: { title: ['private-value'], tags: [7] } });
    expect(res.statusCode).toBe(400);
    const [line] = completed(log());
    expect(line).toMatchObject({ statusCode: 400, clientId: 'c1', fields: ['title', 'tags.0'] });
    expect(log()).not.toContain('private-value');
    expect(log()).not.toContain(clientToken);
  });

  it('says the limit a 429 hit, and adds nothing to an answer that succeeded', async () => {
    const { app, log } = await testApp();
    app.get('/throttled', { config: { roles: ['reporter'], scope: 'own' } }, async (_req, reply) => {
      reply.header('x-ratelimit-limit', '600');
      throw new HttpProblem(429, 'Too Many Requests', 'over 600 requests per minute');
    });
    expect((await app.inject({ method: 'GET', url: '/throttled', headers: client })).statusCode).toBe(429);
    expect((await app.inject({ method: 'GET', url: '/things', headers: client })).statusCode).toBe(200);
    const [throttled, ok] = completed(log());
    expect(throttled).toMatchObject({ statusCode: 429, clientId: 'c1', limit: 600 });
    expect(ok).not.toHaveProperty('clientId');
  });
});

describe('errors lists', () => {
  it('are capped, the detail saying how many more there were', async () => {
    const { app } = await testApp();
    const res = await app.inject({ method: 'POST', url: '/things/1', headers: client, payload: { title: 'x', tags: Array(250).fill(0) } });
    expect(res.statusCode).toBe(400);
    const problem = res.json() as { detail: string; errors: unknown[] };
    expect(problem.errors).toHaveLength(MAX_PROBLEM_ERRORS);
    expect(problem.detail).toContain(`${250 - MAX_PROBLEM_ERRORS} more not listed`);
  });
});

describe('a client that gives up waiting for the answer', () => {
  it('is logged as that, with the method and route, not as one that gave up sending its body (audit 24 #3)', async () => {
    const { app, log } = await testApp();
    let started!: () => void;
    const handling = new Promise<void>((resolve) => (started = resolve));
    let fail!: (err: Error) => void;
    let request!: { destroyed: boolean };
    app.get('/slow', { config: { roles: ['reporter'], scope: 'none' } }, async (req) => {
      request = req.raw;
      started();
      // As a query behind a lock: it fails only after the client has gone.
      await new Promise<never>((_, reject) => (fail = reject));
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { port } = app.server.address() as AddressInfo;
      const socket = connect(port, '127.0.0.1');
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      socket.write(`GET /slow HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${clientToken}\r\n\r\n`);
      await handling;
      socket.destroy();
      await vi.waitFor(() => expect(request.destroyed).toBe(true), { timeout: 5000, interval: 20 });
      fail(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
      await vi.waitFor(() => expect(log()).toContain('request abandoned: the client closed the connection before the answer'), { timeout: 5000, interval: 20 });
      expect(log()).toContain('"route":"/slow"');
      expect(log()).not.toContain('while sending its body');
    } finally {
      await app.close();
    }
  });
});

describe('a client that gives up sending its body', () => {
  it('is logged as its own doing, not as an unreachable dependency', async () => {
    const { app, log } = await testApp();
    let reading!: () => void;
    const bodyStarted = new Promise<void>((resolve) => {
      reading = resolve;
    });
    app.addHook('preParsing', async () => reading());
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { port } = app.server.address() as AddressInfo;
      const socket = connect(port, '127.0.0.1');
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      socket.write(`POST /things/1 HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${clientToken}\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{"ti`);
      await bodyStarted;
      socket.destroy();
      await vi.waitFor(() => expect(log()).toContain('request aborted by the client'), { timeout: 5000, interval: 20 });
      expect(log()).not.toContain('a dependency is unreachable');
    } finally {
      await app.close();
    }
  });
});

describe('a slow request body (audit9 #18)', () => {
  /** A raw connection to `app`, listening on a free port, with what it has received so far and whether it closed. */
  async function rawConnection(app: FastifyInstance) {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const seen = { text: '', closed: false };
    socket.on('data', (chunk) => {
      seen.text += chunk;
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      seen.closed = true;
    });
    return { socket, seen };
  }
  /** A POST announcing more body than it sends (within testApp's 1 KiB body limit). */
  const POST_HEAD = 'POST /things/1 HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n';

  it('closes the connection after answering a request before its body arrived (401 without a token), instead of reading the rest', async () => {
    const { app } = await testApp();
    try {
      const { socket, seen } = await rawConnection(app);
      socket.write(`${POST_HEAD}\r\n{"ti`);
      await vi.waitFor(() => expect(seen.closed).toBe(true), { timeout: 5000, interval: 20 });
      expect(seen.text).toMatch(/^HTTP\/1\.1 401 /);
      expect(seen.text.toLowerCase()).toContain('connection: close');
    } finally {
      await app.close();
    }
  });

  it('closes a connection whose body has not arrived within the request timeout', async () => {
    const { app } = await testApp({ requestTimeoutMs: 200 });
    try {
      const { socket, seen } = await rawConnection(app);
      socket.write(`${POST_HEAD}authorization: Bearer ${clientToken}\r\n\r\n{"ti`);
      // Nothing answers the half-sent request but the timeout (Node's 408), then the close.
      await vi.waitFor(() => expect(seen.closed).toBe(true), { timeout: 5000, interval: 20 });
      expect(seen.text).toMatch(/^HTTP\/1\.1 408 /);
    } finally {
      await app.close();
    }
  });

  it('does not cut an answer that takes longer than the request timeout (an SSE stream), and keeps a connection alive between requests', async () => {
    const { app } = await testApp({ requestTimeoutMs: 200 });
    let finish!: () => void;
    const streaming = new Promise<void>((resolve) => {
      finish = resolve;
    });
    app.get('/stream', { config: { roles: ['reporter'], scope: 'own' } }, async (_req, reply) => {
      reply.raw.writeHead(200, { 'content-type': 'text/event-stream' });
      reply.raw.write('data: first\n\n');
      await streaming;
      reply.raw.end('data: last\n\n');
      return reply;
    });
    try {
      const { socket, seen } = await rawConnection(app);
      socket.write('GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n');
      await vi.waitFor(() => expect(seen.text).toContain('"ok"'), { timeout: 5000, interval: 20 });
      socket.write(`GET /stream HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${clientToken}\r\n\r\n`);
      await vi.waitFor(() => expect(seen.text).toContain('data: first'), { timeout: 5000, interval: 20 });
      // Past the request timeout three times over (the only wait here is the bound itself), the stream is still open.
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(seen.closed).toBe(false);
      finish();
      await vi.waitFor(() => expect(seen.text).toContain('data: last'), { timeout: 5000, interval: 20 });
      expect(seen.text).not.toContain(' 408 ');
      expect(seen.closed).toBe(false);
      socket.destroy();
    } finally {
      await app.close();
    }
  });
});

describe('/docs (audit12 #4)', () => {
  const docsOf = async (app: FastifyInstance) => (await app.inject({ method: 'GET', url: '/docs', headers: admin })).json();
  const problem = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };

  it('documents every error an operation can give as problem+json, derived from what the route declares', async () => {
    const { app } = await testApp();
    app.get('/open', { config: { public: true } }, async () => ({}));
    app.get('/loose', { config: { public: true, anyQuery: true } }, async () => ({}));
    app.delete(
      '/things/:id',
      {
        config: { roles: ANY_ROLE, scope: 'own', problems: { 409: 'the thing is in use' } },
        schema: { params: z.object({ id: z.string() }), response: { 204: z.null() } },
      },
      async (_req, reply) => reply.status(204).send(null),
    );
    const doc = await docsOf(app);
    expect(openapiGaps(doc)).toEqual([]);
    expect(doc.components.schemas.Problem).toMatchObject({ properties: { type: {}, title: {}, status: {}, detail: {}, errors: { type: 'array' } }, required: ['type', 'title', 'status'] });
    const statuses = (path: string, method: string) => Object.keys(doc.paths[path][method].responses);
    // A body: 400, 413, 415; a role: 401, 403; a path parameter: 404; always 503.
    expect(statuses('/things/{id}', 'post')).toEqual(['200', '400', '401', '403', '404', '413', '415', '503']);
    expect(doc.paths['/things/{id}'].post.responses['413'].description).toBe('the body is over 1 KiB');
    expect(doc.paths['/things/{id}'].post.responses['403'].description).toContain('reporter (or admin)');
    expect(doc.paths['/things/{id}'].post.responses['401'].headers['WWW-Authenticate']).toBeDefined();
    expect(doc.paths['/things/{id}'].post.responses['503'].headers['Retry-After']).toBeDefined();
    for (const status of ['400', '401', '403', '404', '413', '415', '503']) expect(doc.paths['/things/{id}'].post.responses[status].content, status).toEqual(problem);
    // Any role: no 403; the route's own 409; its 204, not the 200 of a route that declares no success.
    expect(statuses('/things/{id}', 'delete')).toEqual(['204', '400', '401', '404', '409', '503']);
    expect(doc.paths['/things/{id}'].delete.responses['409']).toEqual({ description: 'the thing is in use', content: problem });
    // No token, no body, no parameter: only what the query and the service's state can refuse.
    expect(statuses('/open', 'get')).toEqual(['200', '400', '503']);
    // Nor a query: nothing to refuse but the load.
    expect(statuses('/loose', 'get')).toEqual(['200', '503']);
    // The probes are not operations of the API.
    expect(Object.keys(doc.paths)).not.toContain('/healthz');
    // /v1/access documents its body, and still answers it whole.
    expect(doc.paths['/v1/access'].get.responses['200'].content['application/json'].schema.properties.routes).toBeDefined();
    const access = await app.inject({ method: 'GET', url: '/v1/access', headers: admin });
    expect(access.json().routes).toContainEqual({ method: 'DELETE', url: '/things/:id', auth: 'bearer', roles: ANY_ROLE, scope: 'own' });
  });

  it("shows a route's own error body where it rewrites problem+json (Open311)", async () => {
    const { app } = await testApp();
    const errorBody = { mediaType: 'application/json', schema: z.array(z.object({ code: z.number(), description: z.string() })) };
    app.get('/legacy', { config: { public: true, roles: ['reporter'], scope: 'own', errorBody } }, async () => ({}));
    const responses = (await docsOf(app)).paths['/legacy'].get.responses;
    expect(Object.keys(responses)).toEqual(['200', '400', '401', '403', '503']);
    expect(responses['401'].content).toEqual({ 'application/json': { schema: expect.objectContaining({ type: 'array' }) } });
  });
});
