CREATE INDEX "timers_pending_case_idx" ON "escalation"."timers" USING btree ("case_id") WHERE status = 'pending';--> statement-breakpoint
DROP INDEX "escalation"."timers_case_idx";
