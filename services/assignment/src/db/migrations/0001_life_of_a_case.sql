CREATE TABLE "assignment"."calendar_years" (
	"year" integer PRIMARY KEY NOT NULL,
	"data" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assignment"."ladder" (
	"level" integer PRIMARY KEY NOT NULL,
	"respond_minutes" integer NOT NULL,
	"resolve_minutes" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ladder_level_check" CHECK (level >= 1),
	CONSTRAINT "ladder_budget_check" CHECK (respond_minutes > 0 and resolve_minutes >= respond_minutes)
);
--> statement-breakpoint
ALTER TABLE "assignment"."cases" ADD COLUMN "deadlines" jsonb;--> statement-breakpoint
ALTER TABLE "assignment"."cases" ADD COLUMN "deadline_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "assignment"."cases" ADD COLUMN "budgets" jsonb;--> statement-breakpoint
ALTER TABLE "assignment"."cases" ADD COLUMN "reporter" jsonb;--> statement-breakpoint
ALTER TABLE "assignment"."cases" ADD COLUMN "relapse" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "assignment"."cases" ADD COLUMN "related_case_ids" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "assignment"."cases" ADD COLUMN "rework_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "assignment"."cases" ADD COLUMN "resolved_by" jsonb;--> statement-breakpoint
ALTER TABLE "assignment"."cases" ADD COLUMN "hold" jsonb;--> statement-breakpoint
ALTER TABLE "assignment"."cases" ADD COLUMN "extension" jsonb;--> statement-breakpoint
ALTER TABLE "assignment"."cases" ADD COLUMN "extensions_approved" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Hand-added: cases opened before the life of a case keep their two clocks, started at opening.
UPDATE "assignment"."cases" SET "deadlines" = jsonb_build_object(
	'respond', jsonb_build_object('startedAt', to_char("opened_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'dueAt', to_char("respond_by" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
	'resolve', jsonb_build_object('startedAt', to_char("opened_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'dueAt', to_char("resolve_by" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
);
