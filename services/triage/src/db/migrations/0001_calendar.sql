CREATE TABLE "triage"."calendar_years" (
	"year" integer PRIMARY KEY NOT NULL,
	"holidays" text[] NOT NULL,
	"workdays" text[] NOT NULL,
	"source" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "triage"."sla_policies" ALTER COLUMN "respond_minutes" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "triage"."sla_policies" ALTER COLUMN "resolve_minutes" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "triage"."sla_policies" ADD COLUMN "respond_working_days" integer;--> statement-breakpoint
ALTER TABLE "triage"."sla_policies" ADD COLUMN "resolve_working_days" integer;--> statement-breakpoint
ALTER TABLE "triage"."sla_policies" ADD CONSTRAINT "sla_policies_one_respond_budget" CHECK (num_nonnulls("triage"."sla_policies"."respond_minutes", "triage"."sla_policies"."respond_working_days") = 1);--> statement-breakpoint
ALTER TABLE "triage"."sla_policies" ADD CONSTRAINT "sla_policies_one_resolve_budget" CHECK (num_nonnulls("triage"."sla_policies"."resolve_minutes", "triage"."sla_policies"."resolve_working_days") = 1);--> statement-breakpoint
-- The contract's budgets (working days for ordinary cases) replace the first seeded defaults, where an operator has not changed them.
UPDATE "triage"."sla_policies" SET "respond_minutes" = 10, "resolve_minutes" = 1440, "updated_at" = now() WHERE "category" = '*' AND "severity" = 'red' AND "respond_minutes" = 5 AND "resolve_minutes" = 120;--> statement-breakpoint
UPDATE "triage"."sla_policies" SET "respond_minutes" = 30, "resolve_minutes" = NULL, "resolve_working_days" = 3, "updated_at" = now() WHERE "category" = '*' AND "severity" = 'orange' AND "respond_minutes" = 15 AND "resolve_minutes" = 1440;--> statement-breakpoint
UPDATE "triage"."sla_policies" SET "respond_minutes" = 120, "resolve_minutes" = NULL, "resolve_working_days" = 5, "updated_at" = now() WHERE "category" = '*' AND "severity" = 'yellow' AND "respond_minutes" = 30 AND "resolve_minutes" = 4320;--> statement-breakpoint
UPDATE "triage"."sla_policies" SET "respond_minutes" = NULL, "respond_working_days" = 1, "resolve_minutes" = NULL, "resolve_working_days" = 5, "updated_at" = now() WHERE "category" = '*' AND "severity" = 'service' AND "respond_minutes" = 120 AND "resolve_minutes" = 4320;--> statement-breakpoint
UPDATE "triage"."sla_policies" SET "respond_minutes" = NULL, "respond_working_days" = 1, "resolve_minutes" = NULL, "resolve_working_days" = 3, "updated_at" = now() WHERE "category" = '*' AND "severity" = 'statutory' AND "respond_minutes" = 1440 AND "resolve_minutes" = 43200;
