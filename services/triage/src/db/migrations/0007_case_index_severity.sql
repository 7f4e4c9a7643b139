ALTER TABLE "triage"."case_index" ADD COLUMN "severity" text;--> statement-breakpoint
-- Open cases take their grade from the case.opened triage still keeps in its outbox; the rest stay
-- null (ranked lowest: a report graded above `service` opens its own case, related to them).
UPDATE "triage"."case_index" AS ci SET "severity" = o."value"->'data'->>'severity'
FROM "triage"."outbox" AS o
WHERE ci."severity" IS NULL
	AND o."value"->>'type' = 'gridcase.case.opened.v1'
	AND o."value"->'data'->>'caseId' = ci."case_id";
