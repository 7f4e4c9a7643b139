CREATE TABLE "assignment"."addresses" (
	"normalized" text PRIMARY KEY NOT NULL,
	"address" text NOT NULL,
	"grid_code" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assignment"."reference_versions" (
	"version" integer PRIMARY KEY NOT NULL,
	"effective_at" timestamp with time zone NOT NULL,
	"imported_at" timestamp with time zone NOT NULL,
	"source" text NOT NULL,
	"imported_by" text,
	"document" jsonb
);
--> statement-breakpoint
ALTER TABLE "assignment"."cases" ADD COLUMN "reference_version" integer;--> statement-breakpoint
CREATE INDEX "addresses_grid_idx" ON "assignment"."addresses" USING btree ("grid_code");--> statement-breakpoint
-- Data loaded before versions were kept becomes version 1, so routing always has a version to record.
INSERT INTO "assignment"."reference_versions" ("version", "effective_at", "imported_at", "source") SELECT 1, now(), now(), 'baseline' WHERE EXISTS (SELECT 1 FROM "assignment"."grids");
