CREATE SCHEMA "intake";
--> statement-breakpoint
CREATE TABLE "intake"."cases" (
	"case_id" text PRIMARY KEY NOT NULL,
	"case_number" text NOT NULL,
	"status" text NOT NULL,
	"level" integer NOT NULL,
	"category" text NOT NULL,
	"severity" text NOT NULL,
	"assignees" jsonb NOT NULL,
	"respond_by" timestamp with time zone NOT NULL,
	"resolve_by" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "intake"."clients" (
	"client_id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"roles" jsonb NOT NULL,
	"stations" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "intake"."inbox" (
	"consumer_group" text NOT NULL,
	"event_id" text NOT NULL,
	"processed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbox_consumer_group_event_id_pk" PRIMARY KEY("consumer_group","event_id")
);
--> statement-breakpoint
CREATE TABLE "intake"."outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"topic" text NOT NULL,
	"key" text NOT NULL,
	"value" jsonb NOT NULL,
	"headers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "intake"."reporter_reads" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"report_id" text NOT NULL,
	"client_id" text NOT NULL,
	"masked" boolean NOT NULL,
	"read_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "intake"."reporters" (
	"report_id" text PRIMARY KEY NOT NULL,
	"name" text,
	"phone" text,
	"id_number" text,
	"anonymous" boolean NOT NULL
);
--> statement-breakpoint
CREATE TABLE "intake"."reports" (
	"report_id" text PRIMARY KEY NOT NULL,
	"client_id" text NOT NULL,
	"external_id" text NOT NULL,
	"body_hash" text NOT NULL,
	"report" jsonb NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'received' NOT NULL,
	"case_id" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "intake"."reporters" ADD CONSTRAINT "reporters_report_id_reports_report_id_fk" FOREIGN KEY ("report_id") REFERENCES "intake"."reports"("report_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "outbox_unsent_idx" ON "intake"."outbox" USING btree ("id") WHERE sent_at is null;--> statement-breakpoint
CREATE INDEX "reporter_reads_report_idx" ON "intake"."reporter_reads" USING btree ("report_id");--> statement-breakpoint
CREATE UNIQUE INDEX "reports_idempotency_key" ON "intake"."reports" USING btree ("client_id","external_id");--> statement-breakpoint
CREATE INDEX "reports_case_idx" ON "intake"."reports" USING btree ("case_id");