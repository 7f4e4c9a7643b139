ALTER TABLE "assignment"."cases" ALTER COLUMN "deadlines" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "assignment"."cases" DROP COLUMN "respond_by";--> statement-breakpoint
ALTER TABLE "assignment"."cases" DROP COLUMN "resolve_by";--> statement-breakpoint
ALTER TABLE "assignment"."cases" DROP COLUMN "respond_budget_ms";