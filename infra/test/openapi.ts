/**
 * What a service's /docs gets wrong, one line per fault, for a test to expect none of (audit12 #4):
 * - the document is not OpenAPI 3.1 in shape: an operation without responses, a response without a
 *   description, a status that is not one, a `$ref` that leads nowhere;
 * - an operation leaves out an error it can give, as `application/problem+json` with the Problem
 *   component: every operation needs a token here (the document's security), so 401; a body means
 *   400, 413 and 415; a path parameter 404; any operation 503.
 * Paths under a prefix of `otherErrorBodies` answer errors in their own media type (Open311's
 * `[{code, description}]` as application/json): there, that media type with a schema stands for problem+json.
 * No OpenAPI validator is a dependency, so this checks what the contract relies on, not the whole spec.
 */
export function openapiGaps(doc: unknown, otherErrorBodies: Record<string, string> = {}): string[] {
  const gaps: string[] = [];
  const d = doc as {
    openapi?: unknown;
    info?: { title?: unknown; version?: unknown };
    paths?: Record<string, Record<string, Operation>>;
    webhooks?: Record<string, Record<string, Operation>>;
    components?: { schemas?: Record<string, unknown> };
    security?: unknown[];
  };
  if (d.openapi !== '3.1.0') gaps.push(`openapi is ${String(d.openapi)}, not 3.1.0`);
  if (typeof d.info?.title !== 'string' || typeof d.info?.version !== 'string') gaps.push('info needs a title and a version');
  if (!d.components?.schemas?.Problem) gaps.push('no Problem schema in components');
  for (const ref of refsIn(doc)) {
    const [, name] = /^#\/components\/schemas\/(.+)$/.exec(ref) ?? [];
    if (!name || !d.components?.schemas?.[name]) gaps.push(`$ref ${ref} leads nowhere`);
  }
  const secured = (d.security ?? []).length > 0;
  for (const [where, items] of [
    ['paths', d.paths ?? {}],
    ['webhooks', d.webhooks ?? {}],
  ] as const) {
    for (const [path, item] of Object.entries(items)) {
      for (const [method, op] of Object.entries(item)) {
        if (!METHODS.has(method)) continue;
        const name = `${method.toUpperCase()} ${path}`;
        const responses = op.responses ?? {};
        if (Object.keys(responses).length === 0) gaps.push(`${name}: no responses`);
        for (const [status, response] of Object.entries(responses)) {
          if (!/^([1-5][0-9][0-9]|[1-5]XX|default)$/.test(status)) gaps.push(`${name}: ${status} is not a status`);
          if (typeof response.description !== 'string') gaps.push(`${name} ${status}: no description`);
        }
        if (!Object.keys(responses).some((s) => s.startsWith('2'))) gaps.push(`${name}: no 2xx`);
        if (where === 'webhooks') continue;
        const needed = new Set([503]);
        if (secured && !(op.security && op.security.length === 0)) needed.add(401);
        if (op.requestBody) for (const s of [400, 413, 415]) needed.add(s);
        if (path.includes('{')) needed.add(404);
        const other = Object.entries(otherErrorBodies).find(([prefix]) => path.startsWith(prefix))?.[1];
        for (const status of needed) {
          const content = responses[status]?.content;
          if (other ? !content?.[other]?.schema : content?.['application/problem+json']?.schema?.$ref !== '#/components/schemas/Problem') {
            gaps.push(`${name}: no ${status} ${other ?? 'application/problem+json (Problem)'}`);
          }
        }
      }
    }
  }
  return gaps;
}

type Operation = {
  responses?: Record<string, { description?: unknown; content?: Record<string, { schema?: { $ref?: string } }> }>;
  requestBody?: unknown;
  security?: unknown[];
};

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

function refsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refsIn(v, found);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') found.push(v);
      else refsIn(v, found);
    }
  }
  return found;
}

/** The 2xx statuses /docs gives an operation (`DELETE /v1/webhooks/{webhookId}`), to hold against what it answers. */
export function documentedSuccess(doc: unknown, operation: string): string[] {
  const [method = '', path = ''] = operation.split(' ');
  const op = (doc as { paths?: Record<string, Record<string, Operation>> }).paths?.[path]?.[method.toLowerCase()];
  return Object.keys(op?.responses ?? {}).filter((s) => s.startsWith('2'));
}
