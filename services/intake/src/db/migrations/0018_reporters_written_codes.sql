ALTER TABLE "intake"."reporters" ADD COLUMN "written_grid_code" text;--> statement-breakpoint
ALTER TABLE "intake"."reporters" ADD COLUMN "written_community_code" text;