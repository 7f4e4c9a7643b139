CREATE TABLE "intake"."inbound_rejections" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"client_id" text NOT NULL,
	"external_id" text NOT NULL,
	"reason" text NOT NULL,
	"rejected_at" timestamp with time zone DEFAULT now() NOT NULL,
	"source_partition" integer NOT NULL,
	"source_offset" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX "inbound_rejections_key_idx" ON "intake"."inbound_rejections" USING btree ("client_id","external_id");--> statement-breakpoint
CREATE UNIQUE INDEX "inbound_rejections_record_key" ON "intake"."inbound_rejections" USING btree ("source_partition","source_offset");