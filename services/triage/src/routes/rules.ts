import { ClassificationRule, GradingRule, type Principal, RuleSet, text, withFieldsCheck } from '@gridcase/contracts';
import type { Db } from '@gridcase/db';
import { ANY_ROLE, type App, auditedChange, notFound } from '@gridcase/service-kit';
import { audit } from '../db/schema.ts';
import { z } from 'zod';
import { findRuleSet, ruleBook, type StoredRuleSet, storeRuleSet } from '../db/rules.ts';
import { sendServed, ServedRules } from './served-rules.ts';

/** How large a rule document PUT /v1/rules takes: the seed document, phrase lists and all, is about 1.1 MB. */
export const RULES_BODY_LIMIT = 8 * 1024 * 1024;

const RuleSetVersion = z.object({
  version: z.number().int(),
  createdAt: z.string(),
  createdBy: z.string(),
  note: z.string().optional(),
  document: RuleSet,
});

const view = (r: StoredRuleSet) => ({ version: r.version, createdAt: r.createdAt, createdBy: r.createdBy, ...(r.note ? { note: r.note } : {}), document: r.document });

/** What GET answers for a version: checked by the response schema as every answer is, once per version (ServedRules keeps the bytes). */
const servedView = (r: StoredRuleSet) => RuleSetVersion.parse(view(r));

/** What the phrase-list check reads: a wrong field elsewhere in a rule does not stop it. */
const PhraseLists = z.object({
  classification: z.array(ClassificationRule.pick({ id: true, all: true, not: true })),
  grading: z.array(GradingRule.pick({ id: true, all: true, not: true })),
});

/**
 * The body of PUT /v1/rules: the contract's document, and what its schema cannot say, named beside
 * the document's other problems: a phrase list given but empty (`any` needs one by the schema; an
 * empty `all` or `not` is a slip, not a rule). Unknown categories and duplicate ids are the schema's own checks.
 */
const RuleSetBody = withFieldsCheck(RuleSet, PhraseLists, (doc, ctx) => {
  for (const list of ['classification', 'grading'] as const) {
    doc[list].forEach((rule, i) => {
      for (const cues of ['all', 'not'] as const) {
        if (rule[cues]?.length === 0) ctx.addIssue({ code: 'custom', path: [list, i, cues], message: `rule ${rule.id}: empty phrase list; leave ${cues} out or name a phrase` });
      }
    });
  }
});

export function ruleRoutes(app: App, db: Db, { readsPerMinute }: { readsPerMinute: number }) {
  const book = ruleBook(db);
  const served = new ServedRules();
  // Any role may read the rules (senders read the categories there), but the document is 1.1 MB: each
  // version is serialised once (ServedRules) and each client's reads are counted (audit21 #1).
  const readConfig = {
    roles: ANY_ROLE,
    scope: 'none',
    rateLimit: { max: readsPerMinute, timeWindow: 60_000 },
    problems: { 429: "over the client's rules reads per minute (each of the two routes): retry after `Retry-After`" },
  } as const;
  const cachingNote =
    ' Answered with a strong ETag (If-None-Match → 304 with no body), gzipped when Accept-Encoding takes gzip, and cache-control `private, no-cache`.';

  app.get(
    '/v1/rules',
    {
      config: readConfig,
      schema: {
        summary: 'The current rules: the category catalogue, the dictionary, classification and grading rules, and their version',
        description: `The version changes only when PUT /v1/rules stores a new one.${cachingNote}`,
        response: { 200: RuleSetVersion },
      },
    },
    async (req, reply) => {
      // Only max(version) is read when the current version is the one RuleBook keeps.
      const current = await book.current(db);
      return sendServed(req, reply, (await served.of(current.version, async () => current, servedView))!);
    },
  );

  app.get(
    '/v1/rules/:version',
    {
      config: readConfig,
      schema: {
        summary: 'One version of the rules, as it was when cases named it (case.opened ruleVersion)',
        description: `A stored version never changes.${cachingNote}`,
        params: z.object({ version: z.coerce.number().int().min(1).max(2_147_483_647) }),
        response: { 200: RuleSetVersion },
      },
    },
    async (req, reply) => {
      const found = await served.of(req.params.version, () => findRuleSet(db, req.params.version), servedView);
      if (!found) throw notFound('no rules of this version');
      return sendServed(req, reply, found);
    },
  );

  app.put(
    '/v1/rules',
    {
      // A whole rule document with its phrase lists: the seed alone is over the 1 MiB every other body is held to.
      bodyLimit: RULES_BODY_LIMIT,
      config: { roles: ['admin'], scope: 'install' },
      schema: {
        summary: 'Replace the rules with a whole new document; stored as the next version and its catalogue published on gridcase.reference',
        querystring: z.strictObject({ note: text().max(500).optional() }),
        body: RuleSetBody,
        response: { 201: RuleSetVersion },
      },
    },
    async (req, reply) => {
      const principal = req.principal as Principal;
      const stored = await auditedChange(
        db,
        audit,
        req,
        (tx) => storeRuleSet(tx, req.body, { createdBy: principal.clientId, note: req.query.note }),
        (version) => ({ action: 'rules.replaced', target: 'rules', before: { version: version.version - 1 }, after: { version: version.version, note: req.query.note ?? null } }),
      );
      req.log.info({ version: stored.version, createdBy: stored.createdBy }, 'rules stored as a new version');
      return reply.status(201).header('location', `/v1/rules/${stored.version}`).send(view(stored));
    },
  );
}
