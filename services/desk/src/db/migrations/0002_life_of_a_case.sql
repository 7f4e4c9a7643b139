ALTER TABLE "desk"."cases" ADD COLUMN "rework_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "desk"."cases" ADD COLUMN "relapse" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "desk"."cases" ADD COLUMN "related_case_ids" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "desk"."cases" ADD COLUMN "verify_by" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "desk"."cases" ADD COLUMN "follow_up_by" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "desk"."cases" ADD COLUMN "hold" jsonb;--> statement-breakpoint
ALTER TABLE "desk"."cases" ADD COLUMN "extension" jsonb;--> statement-breakpoint
ALTER TABLE "desk"."cases" ADD COLUMN "extensions_approved" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "desk"."cases" ADD COLUMN "warnings" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "desk"."cases" ADD COLUMN "deadlines_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "desk"."cases" ADD COLUMN "resolved_by" jsonb;--> statement-breakpoint
ALTER TABLE "desk"."commands" ADD COLUMN "code" text;--> statement-breakpoint
CREATE INDEX "cases_verify_by_idx" ON "desk"."cases" USING btree ("verify_by");--> statement-breakpoint
CREATE INDEX "cases_follow_up_by_idx" ON "desk"."cases" USING btree ("follow_up_by");