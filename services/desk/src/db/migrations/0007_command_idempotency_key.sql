ALTER TABLE "desk"."commands" ADD COLUMN "client_id" text;--> statement-breakpoint
ALTER TABLE "desk"."commands" ADD COLUMN "idempotency_key" text;--> statement-breakpoint
ALTER TABLE "desk"."commands" ADD COLUMN "request_hash" text;--> statement-breakpoint
CREATE UNIQUE INDEX "commands_idempotency_key" ON "desk"."commands" USING btree ("client_id","idempotency_key") WHERE idempotency_key is not null;