CREATE SCHEMA "escalation";
--> statement-breakpoint
CREATE TABLE "escalation"."cases" (
	"case_id" text PRIMARY KEY NOT NULL,
	"case_number" text NOT NULL,
	"status" text NOT NULL,
	"level" integer DEFAULT 0 NOT NULL,
	"round" integer DEFAULT 0 NOT NULL,
	"respond_by" timestamp with time zone NOT NULL,
	"resolve_by" timestamp with time zone NOT NULL,
	"traceparent" text,
	"opened_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cases_status_check" CHECK (status in ('open', 'acknowledged', 'resolved'))
);
--> statement-breakpoint
CREATE TABLE "escalation"."inbox" (
	"consumer_group" text NOT NULL,
	"event_id" text NOT NULL,
	"processed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbox_consumer_group_event_id_pk" PRIMARY KEY("consumer_group","event_id")
);
--> statement-breakpoint
CREATE TABLE "escalation"."ladder" (
	"level" integer PRIMARY KEY NOT NULL,
	"role" text NOT NULL,
	"respond_minutes" integer NOT NULL,
	"resolve_minutes" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ladder_level_check" CHECK (level >= 1),
	CONSTRAINT "ladder_budget_check" CHECK (respond_minutes > 0 and resolve_minutes >= respond_minutes)
);
--> statement-breakpoint
CREATE TABLE "escalation"."outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"topic" text NOT NULL,
	"key" text NOT NULL,
	"value" jsonb NOT NULL,
	"headers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "escalation"."timers" (
	"id" text PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"kind" text NOT NULL,
	"level" integer NOT NULL,
	"round" integer NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"fired_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	CONSTRAINT "timers_kind_check" CHECK (kind in ('respond', 'resolve')),
	CONSTRAINT "timers_status_check" CHECK (status in ('pending', 'fired', 'cancelled'))
);
--> statement-breakpoint
ALTER TABLE "escalation"."timers" ADD CONSTRAINT "timers_case_id_cases_case_id_fk" FOREIGN KEY ("case_id") REFERENCES "escalation"."cases"("case_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "outbox_unsent_idx" ON "escalation"."outbox" USING btree ("id") WHERE sent_at is null;--> statement-breakpoint
CREATE UNIQUE INDEX "timers_deadline_key" ON "escalation"."timers" USING btree ("case_id","kind","level","round");--> statement-breakpoint
CREATE INDEX "timers_pending_due_idx" ON "escalation"."timers" USING btree ("due_at") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "timers_case_idx" ON "escalation"."timers" USING btree ("case_id");