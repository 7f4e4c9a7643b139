-- Cases still open when this runs keep taking repeats: their place is read back from the old key
-- (grid:, pt:lat,lng, community:, addr:<fingerprint>) and their text is the old fingerprint.
INSERT INTO "triage"."case_index" ("case_id", "case_number", "kind", "category", "lat", "lng", "address_key", "grid_code", "community_code", "text", "status", "opened_at", "last_report_at")
SELECT "case_id", "case_number",
	CASE WHEN "category" = 'unclassified' THEN 'unclassified' ELSE split_part("category", '.', 1) END,
	"category",
	CASE WHEN "location_key" LIKE 'pt:%' THEN split_part(substr("location_key", 4), ',', 1)::double precision END,
	CASE WHEN "location_key" LIKE 'pt:%' THEN split_part(substr("location_key", 4), ',', 2)::double precision END,
	CASE WHEN "location_key" LIKE 'addr:%' THEN nullif(substr("location_key", 6), '') END,
	CASE WHEN "location_key" LIKE 'grid:%' THEN substr("location_key", 6) END,
	CASE WHEN "location_key" LIKE 'community:%' THEN substr("location_key", 11) END,
	"fingerprint", 'open', "opened_at", "opened_at"
FROM "triage"."open_cases"
ON CONFLICT ("case_id") DO NOTHING;
--> statement-breakpoint
DROP TABLE "triage"."open_cases" CASCADE;
