import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** One version of the rules as answered: its JSON bytes, those bytes gzipped, and the ETag of each. */
export interface ServedVersion {
  json: Buffer;
  gzip: Buffer;
  etag: string;
  gzipEtag: string;
}

/** Versions kept serialised: the current one and the few older ones cases still name; each is about 1.1 MB (plus its gzip). */
const KEPT_VERSIONS = 8;

const gzipped = promisify(gzip);

async function serialise(version: number, body: unknown): Promise<ServedVersion> {
  const json = Buffer.from(JSON.stringify(body));
  // Version and content: a version number alone could name another document after a database is rebuilt.
  const tag = `v${version}-${createHash('sha256').update(json).digest('base64url').slice(0, 22)}`;
  // Off the event loop (zlib's thread pool), once per version.
  return { json, gzip: await gzipped(json), etag: `"${tag}"`, gzipEtag: `"${tag}-gzip"` };
}

/**
 * The rules' answers, serialised once per version (audit21 #1). A stored version never changes, so its
 * bytes are kept by version number: running the 1.1 MB document through the response schema and
 * JSON.stringify took ~230 ms of CPU on every read. Concurrent reads of a version not yet kept share one
 * serialisation; a version that turns out not to exist is not kept (it may be stored later).
 */
export class ServedRules {
  readonly #byVersion = new Map<number, Promise<ServedVersion | undefined>>();

  /** Version `version`'s answer, from `load` and `toBody` the first time it is asked for. */
  async of<T>(version: number, load: () => Promise<T | undefined>, toBody: (rules: T) => unknown): Promise<ServedVersion | undefined> {
    const kept = this.#byVersion.get(version);
    if (kept) {
      // Most recently used last: the oldest is the one let go.
      this.#byVersion.delete(version);
      this.#byVersion.set(version, kept);
      return kept;
    }
    const serving = load().then((rules) => rules && serialise(version, toBody(rules)));
    this.#byVersion.set(version, serving);
    const forget = () => {
      if (this.#byVersion.get(version) === serving) this.#byVersion.delete(version);
    };
    serving.then((served) => served || forget(), forget);
    for (const oldest of this.#byVersion.keys()) {
      if (this.#byVersion.size <= KEPT_VERSIONS) break;
      this.#byVersion.delete(oldest);
    }
    return serving;
  }
}

/** Whether the client takes gzip: named in Accept-Encoding (or `*`) without `q=0`. */
export function acceptsGzip(header: string | undefined): boolean {
  return (header ?? '').split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding?.trim() !== 'gzip' && coding?.trim() !== '*') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

/** Whether If-None-Match names this version (either encoding; weak comparison, as RFC 9110 has for it). */
function notModified(header: string | undefined, served: ServedVersion): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const opaque = tag.trim().replace(/^W\//, '');
    return opaque === '*' || opaque === served.etag || opaque === served.gzipEtag;
  });
}

/**
 * Answers a version's kept bytes: 304 when the client already has them (If-None-Match), gzipped when it
 * takes gzip. `private, no-cache`: the client may keep the answer and ask again with its ETag (each ask is
 * still checked against the token); no shared cache keeps what a token was given.
 */
export function sendServed(req: FastifyRequest, reply: FastifyReply, served: ServedVersion) {
  const gzip = acceptsGzip(req.headers['accept-encoding']);
  reply
    .header('etag', gzip ? served.gzipEtag : served.etag)
    .header('vary', 'accept-encoding')
    .header('cache-control', 'private, no-cache');
  if (notModified(req.headers['if-none-match'], served)) return reply.status(304).send();
  reply.type('application/json; charset=utf-8');
  if (gzip) return reply.header('content-encoding', 'gzip').send(served.gzip);
  return reply.send(served.json);
}
