CREATE TABLE "intake"."category_catalogue" (
	"key" text PRIMARY KEY NOT NULL,
	"version" integer NOT NULL,
	"categories" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
