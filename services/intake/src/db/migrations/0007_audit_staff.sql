CREATE TABLE "intake"."audit" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"target" text NOT NULL,
	"before" jsonb,
	"after" jsonb
);
--> statement-breakpoint
CREATE TABLE "intake"."staff" (
	"officer_id" text PRIMARY KEY NOT NULL,
	"role" text NOT NULL,
	"grid_code" text,
	"police_grid_code" text,
	"station" text NOT NULL,
	"version" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "intake"."clients" ADD COLUMN "grids" jsonb;--> statement-breakpoint
CREATE INDEX "audit_at_idx" ON "intake"."audit" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_actor_idx" ON "intake"."audit" USING btree ("actor","at");--> statement-breakpoint
CREATE OR REPLACE FUNCTION "intake".audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only: % is refused', TG_OP;
END $$;
--> statement-breakpoint
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON "intake"."audit"
  FOR EACH STATEMENT EXECUTE FUNCTION "intake".audit_append_only();
