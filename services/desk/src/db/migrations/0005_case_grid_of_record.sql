-- A case's grid is the one the case of record routed it to (case.assigned). case.opened used to fill it
-- from the sender's location.gridCode, which may name a grid the station does not have (it then showed
-- in the stats as a grid of the station, even earning 五没有). Clear the grids no case.assigned named.
UPDATE "desk"."cases" c SET "grid_code" = NULL
 WHERE c."grid_code" IS NOT NULL
   AND NOT EXISTS (
     SELECT 1 FROM "desk"."timeline" t
      WHERE t."case_id" = c."case_id" AND t."type" = 'gridcase.case.assigned.v1' AND t."data"->>'gridCode' = c."grid_code"
   );
