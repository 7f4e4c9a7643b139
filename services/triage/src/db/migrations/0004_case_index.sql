CREATE TABLE "triage"."case_index" (
	"case_id" text PRIMARY KEY NOT NULL,
	"case_number" text NOT NULL,
	"kind" text NOT NULL,
	"category" text NOT NULL,
	"lat" double precision,
	"lng" double precision,
	"address_key" text,
	"grid_code" text,
	"community_code" text,
	"text" text NOT NULL,
	"status" text NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"last_report_at" timestamp with time zone NOT NULL,
	"settled_at" timestamp with time zone,
	CONSTRAINT "case_index_status" CHECK ("triage"."case_index"."status" in ('open', 'resolved', 'closed'))
);
--> statement-breakpoint
CREATE INDEX "case_index_point" ON "triage"."case_index" USING btree ("lat","lng");--> statement-breakpoint
CREATE INDEX "case_index_address" ON "triage"."case_index" USING btree ("address_key");--> statement-breakpoint
CREATE INDEX "case_index_grid" ON "triage"."case_index" USING btree ("grid_code");--> statement-breakpoint
CREATE INDEX "case_index_community" ON "triage"."case_index" USING btree ("community_code");