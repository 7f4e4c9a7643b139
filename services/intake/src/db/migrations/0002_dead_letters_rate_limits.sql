CREATE TABLE "intake"."dead_letter_personal" (
	"id" text PRIMARY KEY NOT NULL,
	"client_id" text,
	"reporter" text,
	"raw" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "intake"."rate_limits" (
	"key" text PRIMARY KEY NOT NULL,
	"window" bigint NOT NULL,
	"hits" integer NOT NULL
);
