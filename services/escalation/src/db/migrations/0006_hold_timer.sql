-- A held case's set may name holdUntil: its end is timed as a timer of kind 'hold' (one 'passed' timer).
ALTER TABLE "escalation"."timers" DROP CONSTRAINT "timers_kind_check";--> statement-breakpoint
ALTER TABLE "escalation"."timers" ADD CONSTRAINT "timers_kind_check" CHECK (kind in ('respond', 'resolve', 'verify', 'follow-up', 'hold'));
