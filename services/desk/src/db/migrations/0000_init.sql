CREATE SCHEMA "desk";
--> statement-breakpoint
CREATE TABLE "desk"."cases" (
	"case_id" text PRIMARY KEY NOT NULL,
	"case_number" text,
	"station" text,
	"status" text NOT NULL,
	"level" integer DEFAULT 0 NOT NULL,
	"category" text,
	"severity" text,
	"kind" text,
	"title" text,
	"description" text,
	"assignees" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"police_grid_code" text,
	"grid_code" text,
	"respond_by" timestamp with time zone,
	"resolve_by" timestamp with time zone,
	"reports" text[] DEFAULT '{}'::text[] NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"outcome" text,
	"escalations" integer DEFAULT 0 NOT NULL,
	"last_event_at" timestamp with time zone NOT NULL,
	"last_traceparent" text
);
--> statement-breakpoint
CREATE TABLE "desk"."commands" (
	"command_id" text PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"type" text NOT NULL,
	"status" text NOT NULL,
	"reason" text,
	"issued_by" jsonb NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "desk"."inbox" (
	"consumer_group" text NOT NULL,
	"event_id" text NOT NULL,
	"processed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbox_consumer_group_event_id_pk" PRIMARY KEY("consumer_group","event_id")
);
--> statement-breakpoint
CREATE TABLE "desk"."outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"topic" text NOT NULL,
	"key" text NOT NULL,
	"value" jsonb NOT NULL,
	"headers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "desk"."timeline" (
	"event_id" text PRIMARY KEY NOT NULL,
	"seq" bigserial NOT NULL,
	"case_id" text NOT NULL,
	"type" text NOT NULL,
	"time" timestamp with time zone NOT NULL,
	"data" jsonb NOT NULL
);
--> statement-breakpoint
CREATE INDEX "cases_opened_idx" ON "desk"."cases" USING btree ("opened_at" DESC NULLS LAST,"case_id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "cases_status_idx" ON "desk"."cases" USING btree ("status");--> statement-breakpoint
CREATE INDEX "cases_police_grid_idx" ON "desk"."cases" USING btree ("police_grid_code");--> statement-breakpoint
CREATE INDEX "cases_respond_by_idx" ON "desk"."cases" USING btree ("respond_by");--> statement-breakpoint
CREATE INDEX "cases_resolve_by_idx" ON "desk"."cases" USING btree ("resolve_by");--> statement-breakpoint
CREATE INDEX "cases_assignees_idx" ON "desk"."cases" USING gin ("assignees" jsonb_path_ops);--> statement-breakpoint
CREATE INDEX "commands_case_idx" ON "desk"."commands" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "outbox_unsent_idx" ON "desk"."outbox" USING btree ("id") WHERE sent_at is null;--> statement-breakpoint
CREATE UNIQUE INDEX "timeline_seq_idx" ON "desk"."timeline" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "timeline_case_idx" ON "desk"."timeline" USING btree ("case_id","seq");