ALTER TABLE "intake"."webhook_deliveries" ADD COLUMN "leased_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "intake"."webhook_deliveries" ADD COLUMN "lease_token" text;