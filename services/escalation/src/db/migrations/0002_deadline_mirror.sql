-- Escalation becomes a mirror of assignment's case.deadlines-set (issue 6). Timers of the old
-- design have no deadline version, so they cannot be carried over: they and the case copies go,
-- and an active case is armed again by its next deadlines-set.
DELETE FROM "escalation"."timers";--> statement-breakpoint
DELETE FROM "escalation"."cases";--> statement-breakpoint
ALTER TABLE "escalation"."ladder" DISABLE ROW LEVEL SECURITY;--> statement-breakpoint
DROP TABLE "escalation"."ladder" CASCADE;--> statement-breakpoint
ALTER TABLE "escalation"."timers" DROP CONSTRAINT "timers_kind_check";--> statement-breakpoint
ALTER TABLE "escalation"."cases" ADD COLUMN "version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "escalation"."timers" ADD COLUMN "fact" text NOT NULL;--> statement-breakpoint
ALTER TABLE "escalation"."timers" ADD COLUMN "version" integer NOT NULL;--> statement-breakpoint
ALTER TABLE "escalation"."timers" ADD COLUMN "fire_at" timestamp with time zone NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "timers_fact_key" ON "escalation"."timers" USING btree ("case_id","kind","version","fact");--> statement-breakpoint
CREATE INDEX "timers_pending_fire_idx" ON "escalation"."timers" USING btree ("fire_at") WHERE status = 'pending';--> statement-breakpoint
ALTER TABLE "escalation"."timers" ADD CONSTRAINT "timers_fact_check" CHECK (fact in ('warning', 'passed'));--> statement-breakpoint
ALTER TABLE "escalation"."timers" ADD CONSTRAINT "timers_kind_check" CHECK (kind in ('respond', 'resolve', 'verify', 'follow-up'));--> statement-breakpoint
ALTER TABLE "escalation"."cases" DROP CONSTRAINT "cases_status_check";--> statement-breakpoint
DROP INDEX "escalation"."timers_deadline_key";--> statement-breakpoint
DROP INDEX "escalation"."timers_pending_due_idx";--> statement-breakpoint
ALTER TABLE "escalation"."cases" DROP COLUMN "case_number";--> statement-breakpoint
ALTER TABLE "escalation"."cases" DROP COLUMN "status";--> statement-breakpoint
ALTER TABLE "escalation"."cases" DROP COLUMN "level";--> statement-breakpoint
ALTER TABLE "escalation"."cases" DROP COLUMN "round";--> statement-breakpoint
ALTER TABLE "escalation"."cases" DROP COLUMN "respond_by";--> statement-breakpoint
ALTER TABLE "escalation"."cases" DROP COLUMN "resolve_by";--> statement-breakpoint
ALTER TABLE "escalation"."cases" DROP COLUMN "opened_at";--> statement-breakpoint
ALTER TABLE "escalation"."cases" DROP COLUMN "last_event_at";--> statement-breakpoint
ALTER TABLE "escalation"."timers" DROP COLUMN "round";