ALTER TABLE "desk"."timeline" ALTER COLUMN "seq" SET DATA TYPE bigint;--> statement-breakpoint
-- Added by hand (drizzle-kit keeps a serial's default): seq is now assigned in commit order by the projection.
ALTER TABLE "desk"."timeline" ALTER COLUMN "seq" DROP DEFAULT;--> statement-breakpoint
DROP SEQUENCE IF EXISTS "desk"."timeline_seq_seq";
