ALTER TABLE "intake"."clients" ADD COLUMN "grids_follow_officer" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Clients issued before this did not record whether their grids were given. A community client with an
-- officerId and exactly one grid is taken to have got it from its grid worker (what POST /v1/clients
-- did when no grids were given); one with more grids was given them, and keeps them.
UPDATE "intake"."clients" SET "grids_follow_officer" = true
 WHERE "roles" ? 'community' AND "officer_id" IS NOT NULL AND jsonb_typeof("grids") = 'array' AND jsonb_array_length("grids") = 1;
