import { readFileSync } from 'node:fs';
import type { App } from '@gridcase/service-kit';

/** The duty desk page: one self-contained file; it holds no data, it asks for a token and calls the API. */
const PAGE = readFileSync(new URL('../page/desk.html', import.meta.url), 'utf8');

export function pageRoutes(app: App) {
  app.get('/', { config: { public: true }, schema: { hide: true } }, async (_req, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      // Inline script and style only; the page talks to this origin and nothing else.
      .header('content-security-policy', "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
      .send(PAGE),
  );
}
