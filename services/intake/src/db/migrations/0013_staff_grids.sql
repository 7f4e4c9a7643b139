CREATE TABLE "intake"."staff_grids" (
	"grid_code" text PRIMARY KEY NOT NULL,
	"version" integer NOT NULL
);
