CREATE TABLE "escalation"."audit" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"target" text NOT NULL,
	"before" jsonb,
	"after" jsonb
);
--> statement-breakpoint
ALTER TABLE "escalation"."cases" ADD COLUMN "station" text;--> statement-breakpoint
CREATE INDEX "audit_at_idx" ON "escalation"."audit" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_actor_idx" ON "escalation"."audit" USING btree ("actor","at");--> statement-breakpoint
CREATE OR REPLACE FUNCTION "escalation".audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only: % is refused', TG_OP;
END $$;
--> statement-breakpoint
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON "escalation"."audit"
  FOR EACH STATEMENT EXECUTE FUNCTION "escalation".audit_append_only();
