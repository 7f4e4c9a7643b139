ALTER TABLE "intake"."reporters" ADD COLUMN "written_title" text;--> statement-breakpoint
ALTER TABLE "intake"."reporters" ADD COLUMN "written_description" text;--> statement-breakpoint
ALTER TABLE "intake"."reporters" ADD COLUMN "written_address" text;