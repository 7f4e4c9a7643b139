CREATE SCHEMA "assignment";
--> statement-breakpoint
CREATE TABLE "assignment"."case_notes" (
	"command_id" text PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"text" text NOT NULL,
	"by" jsonb NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assignment"."cases" (
	"case_id" text PRIMARY KEY NOT NULL,
	"case_number" text NOT NULL,
	"station" text NOT NULL,
	"status" text NOT NULL,
	"level" integer NOT NULL,
	"category" text NOT NULL,
	"severity" text NOT NULL,
	"title" text,
	"description" text NOT NULL,
	"location" jsonb NOT NULL,
	"assignees" jsonb NOT NULL,
	"police_grid_code" text,
	"grid_code" text,
	"routed_by" text NOT NULL,
	"unroutable_reason" text,
	"respond_by" timestamp with time zone NOT NULL,
	"resolve_by" timestamp with time zone NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"respond_budget_ms" bigint NOT NULL,
	"resolve_budget_ms" bigint NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"outcome" text,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assignment"."grids" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"police_grid_code" text NOT NULL,
	"community_code" text NOT NULL,
	"community_name" text NOT NULL,
	"geometry" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assignment"."inbox" (
	"consumer_group" text NOT NULL,
	"event_id" text NOT NULL,
	"processed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbox_consumer_group_event_id_pk" PRIMARY KEY("consumer_group","event_id")
);
--> statement-breakpoint
CREATE TABLE "assignment"."officers" (
	"officer_id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"police_grid_code" text,
	"grid_code" text,
	"on_duty" boolean DEFAULT true NOT NULL,
	"position" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assignment"."outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"topic" text NOT NULL,
	"key" text NOT NULL,
	"value" jsonb NOT NULL,
	"headers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "assignment"."police_grids" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"station_code" text NOT NULL,
	"geometry" jsonb
);
--> statement-breakpoint
CREATE TABLE "assignment"."stations" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"county" text,
	"city" text,
	"province" text
);
--> statement-breakpoint
CREATE INDEX "case_notes_case_idx" ON "assignment"."case_notes" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "cases_status_idx" ON "assignment"."cases" USING btree ("status");--> statement-breakpoint
CREATE INDEX "cases_police_grid_idx" ON "assignment"."cases" USING btree ("police_grid_code");--> statement-breakpoint
CREATE INDEX "grids_community_idx" ON "assignment"."grids" USING btree ("community_code");--> statement-breakpoint
CREATE INDEX "grids_police_grid_idx" ON "assignment"."grids" USING btree ("police_grid_code");--> statement-breakpoint
CREATE INDEX "outbox_unsent_idx" ON "assignment"."outbox" USING btree ("id") WHERE sent_at is null;