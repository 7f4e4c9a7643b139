ALTER TABLE "desk"."cases" ADD COLUMN "missed_deadlines" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
-- Cases projected before: the clocks each was escalated for with no later event (in projection order)
-- that met the step, as domain/project.ts now keeps them. A closed case has missed nothing that counts.
UPDATE "desk"."cases" c SET "missed_deadlines" = m.kinds
  FROM (
    SELECT e."case_id", array_agg(DISTINCT e.kind ORDER BY e.kind) AS kinds
      FROM (
        SELECT t."case_id", t."seq", coalesce(t."data"->>'kind', regexp_replace(t."data"->>'reason', '-overdue$', '')) AS kind
          FROM "desk"."timeline" t
         WHERE t."type" = 'gridcase.case.escalated.v1'
      ) e
     WHERE NOT EXISTS (
       SELECT 1 FROM "desk"."timeline" d
        WHERE d."case_id" = e."case_id" AND d."seq" > e."seq"
          AND (d."type" IN ('gridcase.case.closed.v1', 'gridcase.case.reopened.v1')
            OR (d."type" = 'gridcase.case.acknowledged.v1' AND e.kind = 'respond')
            OR (d."type" = 'gridcase.case.resolved.v1' AND e.kind IN ('respond', 'resolve'))
            OR (d."type" = 'gridcase.case.extension-approved.v1' AND e.kind = 'resolve')
            OR (d."type" = 'gridcase.case.verified.v1' AND e.kind = 'verify')
            OR (d."type" = 'gridcase.case.followed-up.v1' AND e.kind = 'follow-up')
            OR (d."type" = 'gridcase.case.deadlines-set.v1' AND d."data"->'cleared' ? e.kind))
     )
     GROUP BY e."case_id"
  ) m
 WHERE m."case_id" = c."case_id" AND c."status" <> 'closed';
