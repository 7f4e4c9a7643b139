CREATE TABLE "assignment"."leave" (
	"leave_id" text PRIMARY KEY NOT NULL,
	"officer_id" text NOT NULL,
	"from" timestamp with time zone NOT NULL,
	"until" timestamp with time zone NOT NULL,
	"reason" text NOT NULL,
	"source" text NOT NULL,
	"recorded_by" text,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "leave_period_check" CHECK ("until" > "from")
);
--> statement-breakpoint
CREATE TABLE "assignment"."pairing_rules" (
	"position" integer PRIMARY KEY NOT NULL,
	"rule_id" text NOT NULL,
	"categories" jsonb NOT NULL,
	"owners" text NOT NULL,
	"note" text,
	CONSTRAINT "pairing_rules_rule_id_unique" UNIQUE("rule_id")
);
--> statement-breakpoint
CREATE TABLE "assignment"."rosters" (
	"officer_id" text PRIMARY KEY NOT NULL,
	"shifts" jsonb NOT NULL,
	"on_call" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE INDEX "leave_officer_idx" ON "assignment"."leave" USING btree ("officer_id");