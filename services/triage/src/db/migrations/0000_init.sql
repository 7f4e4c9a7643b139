CREATE SCHEMA "triage";
--> statement-breakpoint
CREATE TABLE "triage"."case_numbers" (
	"prefix" text PRIMARY KEY NOT NULL,
	"last" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "triage"."inbox" (
	"consumer_group" text NOT NULL,
	"event_id" text NOT NULL,
	"processed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbox_consumer_group_event_id_pk" PRIMARY KEY("consumer_group","event_id")
);
--> statement-breakpoint
CREATE TABLE "triage"."open_cases" (
	"case_id" text PRIMARY KEY NOT NULL,
	"case_number" text NOT NULL,
	"category" text NOT NULL,
	"location_key" text NOT NULL,
	"fingerprint" text NOT NULL,
	"opened_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "triage"."outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"topic" text NOT NULL,
	"key" text NOT NULL,
	"value" jsonb NOT NULL,
	"headers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "triage"."report_cases" (
	"report_id" text PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "triage"."sla_policies" (
	"category" text NOT NULL,
	"severity" text NOT NULL,
	"respond_minutes" integer NOT NULL,
	"resolve_minutes" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "outbox_unsent_idx" ON "triage"."outbox" USING btree ("id") WHERE sent_at is null;--> statement-breakpoint
CREATE UNIQUE INDEX "sla_policies_key" ON "triage"."sla_policies" USING btree ("category","severity");