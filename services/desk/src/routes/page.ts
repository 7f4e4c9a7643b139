import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type App, HttpProblem, notFound } from '@gridcase/service-kit';
import { z } from 'zod';

/** Where `pnpm --filter @gridcase/desk-web build` (run by infra/dev before `up` and `test`) writes the page. */
export const PAGE_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** The page is scripts and styles from this origin only, and it talks to this origin and nothing else. */
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

interface Asset {
  body: Buffer;
  type: string;
}

/**
 * The built page, read once into memory: a handful of small files whose names Vite hashes. Serving
 * only names found in this map means no request path ever reaches the file system.
 */
export function loadPage(dist = PAGE_DIST): { index: Buffer; assets: Map<string, Asset> } | undefined {
  const indexFile = join(dist, 'index.html');
  if (!existsSync(indexFile)) return undefined;
  const assets = new Map<string, Asset>();
  const assetDir = join(dist, 'assets');
  if (existsSync(assetDir)) {
    for (const name of readdirSync(assetDir)) {
      assets.set(name, { body: readFileSync(join(assetDir, name)), type: CONTENT_TYPES[extname(name)] ?? 'application/octet-stream' });
    }
  }
  return { index: readFileSync(indexFile), assets };
}

const notBuilt = () =>
  new HttpProblem(
    503,
    'Service Unavailable',
    `the desk page is not built (no ${PAGE_DIST}/index.html): run "pnpm --filter @gridcase/desk-web build" (infra/dev up and test do)`,
  );

/** GET / → the duty desk page; GET /assets/{file} → its scripts and styles. The page holds no data: it asks for a token and calls the API. */
export function pageRoutes(app: App, dist = PAGE_DIST) {
  const page = loadPage(dist);
  if (!page) app.log.warn({ dist }, 'desk page not built: GET / answers 503 until it is built and desk restarted');

  // A link to the page may carry anything (a bookmark's tracking parameters); the page reads no query.
  app.get('/', { config: { public: true, anyQuery: true }, schema: { hide: true } }, async (_req, reply) => {
    if (!page) throw notBuilt();
    return reply.type(CONTENT_TYPES['.html']!).header('cache-control', 'no-cache').header('content-security-policy', CSP).send(page.index);
  });

  app.get(
    '/assets/:file',
    { config: { public: true, anyQuery: true }, schema: { hide: true, params: z.object({ file: z.string().min(1).max(200) }) } },
    async (req, reply) => {
      const asset = page?.assets.get(req.params.file);
      if (!asset) throw notFound('no asset with this name');
      // Names carry a content hash: a new build is a new name, so an asset never changes under its name.
      return reply.type(asset.type).header('cache-control', 'public, max-age=31536000, immutable').send(asset.body);
    },
  );
}
