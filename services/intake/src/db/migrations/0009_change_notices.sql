-- Intake keeps clients and the category catalogue in memory; these triggers tell every instance
-- (LISTEN gridcase_intake_changes, db/change-notices.ts) when a row changes, whoever changed it.
CREATE FUNCTION "intake"."notify_client_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('gridcase_intake_changes', 'client:' || OLD.client_id);
  ELSE
    PERFORM pg_notify('gridcase_intake_changes', 'client:' || NEW.client_id);
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "clients_changed" AFTER INSERT OR UPDATE OR DELETE ON "intake"."clients"
  FOR EACH ROW EXECUTE FUNCTION "intake"."notify_client_changed"();--> statement-breakpoint
CREATE FUNCTION "intake"."notify_catalogue_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('gridcase_intake_changes', 'catalogue');
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "category_catalogue_changed" AFTER INSERT OR UPDATE OR DELETE ON "intake"."category_catalogue"
  FOR EACH STATEMENT EXECUTE FUNCTION "intake"."notify_catalogue_changed"();
