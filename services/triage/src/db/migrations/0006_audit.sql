CREATE TABLE "triage"."audit" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"target" text NOT NULL,
	"before" jsonb,
	"after" jsonb
);
--> statement-breakpoint
CREATE INDEX "audit_at_idx" ON "triage"."audit" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_actor_idx" ON "triage"."audit" USING btree ("actor","at");--> statement-breakpoint
CREATE OR REPLACE FUNCTION "triage".audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only: % is refused', TG_OP;
END $$;
--> statement-breakpoint
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON "triage"."audit"
  FOR EACH STATEMENT EXECUTE FUNCTION "triage".audit_append_only();
