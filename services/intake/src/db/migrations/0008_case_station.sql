-- Reads of reporter data recorded before the audit log existed move into it, then the old table goes.
INSERT INTO "intake"."audit" ("at", "actor", "action", "target", "before", "after")
  SELECT "read_at", "client_id", 'reporter.read', 'report:' || "report_id", NULL, jsonb_build_object('masked', "masked")
    FROM "intake"."reporter_reads" ORDER BY "id";--> statement-breakpoint
DROP TABLE "intake"."reporter_reads" CASCADE;--> statement-breakpoint
ALTER TABLE "intake"."cases" ADD COLUMN "station" text;
