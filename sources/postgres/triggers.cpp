// The triggers that publish row changes (see triggers.hpp).
#include "postgres/triggers.hpp"

namespace warden::postgres {
namespace {

// NOTIFY payloads must stay under 8000 bytes; a row whose keys would not fit
// asks for the whole mapping to be re-read instead of failing the writer's
// transaction.
constexpr const char* kFunction = R"SQL(
CREATE OR REPLACE FUNCTION warden.notify_change() RETURNS trigger
LANGUAGE plpgsql AS $warden$
DECLARE
  head text := '{"t":' || to_json(TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME)::text
               || ',"x":"' || pg_current_xact_id()::text || '","k":';
  new_row jsonb;
  old_row jsonb;
  new_keys jsonb := '{}';
  old_keys jsonb := '{}';
  payload text;
BEGIN
  IF TG_LEVEL = 'STATEMENT' OR TG_NARGS < 2 THEN
    PERFORM pg_notify(TG_ARGV[0], head || 'null}');
    RETURN NULL;
  END IF;
  IF TG_OP <> 'DELETE' THEN new_row := to_jsonb(NEW); END IF;
  IF TG_OP <> 'INSERT' THEN old_row := to_jsonb(OLD); END IF;
  FOR i IN 1 .. TG_NARGS - 1 LOOP
    IF new_row IS NOT NULL THEN new_keys := new_keys || jsonb_build_object(TG_ARGV[i], new_row ->> TG_ARGV[i]); END IF;
    IF old_row IS NOT NULL THEN old_keys := old_keys || jsonb_build_object(TG_ARGV[i], old_row ->> TG_ARGV[i]); END IF;
  END LOOP;
  IF old_row IS NOT NULL AND (new_row IS NULL OR old_keys <> new_keys) THEN
    payload := head || old_keys::text || '}';
    IF octet_length(payload) > 7900 THEN payload := head || 'null}'; END IF;
    PERFORM pg_notify(TG_ARGV[0], payload);
  END IF;
  IF new_row IS NOT NULL THEN
    payload := head || new_keys::text || '}';
    IF octet_length(payload) > 7900 THEN payload := head || 'null}'; END IF;
    PERFORM pg_notify(TG_ARGV[0], payload);
  END IF;
  RETURN NULL;
END
$warden$)SQL";

std::string qualified(const std::string& table) {
  auto [schema, name] = split_table_name(table, "public");
  return quote_identifier(schema) + "." + quote_identifier(name);
}

TriggerResult run(Connection& db, const std::vector<std::string>& statements, const Plan& plan) {
  TriggerResult out;
  Result begin = db.exec("BEGIN");
  if (!begin.ok()) return {false, begin.error(), {}};
  for (const std::string& s : statements) {
    Result r = db.exec(s);
    if (!r.ok()) {
      db.exec("ROLLBACK");
      return {false, r.error(), {}};
    }
  }
  Result commit = db.exec("COMMIT");
  if (!commit.ok()) return {false, commit.error(), {}};
  for (const auto& [table, keys] : plan.tables) out.tables.push_back(table);
  return out;
}

}  // namespace

std::string trigger_call(const std::string& channel, const std::vector<std::string>& keys) {
  std::string call = "notify_change(" + quote_literal(channel);
  for (const std::string& k : keys) call += ", " + quote_literal(k);
  return call + ")";
}

std::vector<std::string> install_statements(const Plan& plan) {
  std::vector<std::string> out = {"CREATE SCHEMA IF NOT EXISTS warden", kFunction};
  for (const auto& [table, keys] : plan.tables) {
    out.push_back("CREATE OR REPLACE TRIGGER " + std::string(kTriggerName) + " AFTER INSERT OR UPDATE OR DELETE ON " +
                  qualified(table) + " FOR EACH ROW EXECUTE FUNCTION warden." + trigger_call(plan.channel, keys));
    out.push_back("CREATE OR REPLACE TRIGGER " + std::string(kTruncateTriggerName) + " AFTER TRUNCATE ON " +
                  qualified(table) + " FOR EACH STATEMENT EXECUTE FUNCTION warden." + trigger_call(plan.channel, {}));
  }
  return out;
}

std::vector<std::string> uninstall_statements(const Plan& plan) {
  std::vector<std::string> out;
  for (const auto& [table, keys] : plan.tables) {
    out.push_back("DROP TRIGGER IF EXISTS " + std::string(kTriggerName) + " ON " + qualified(table));
    out.push_back("DROP TRIGGER IF EXISTS " + std::string(kTruncateTriggerName) + " ON " + qualified(table));
  }
  // The function and its schema go with the last trigger that uses them
  // (another mapping's tables may still have theirs).
  out.push_back(R"SQL(DO $warden$
BEGIN
  -- Nested: a condition on a function that may not exist must not be cast.
  IF to_regprocedure('warden.notify_change()') IS NOT NULL THEN
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgfoid = to_regprocedure('warden.notify_change()')) THEN
      DROP FUNCTION warden.notify_change();
      BEGIN
        DROP SCHEMA warden;  -- only when nothing else lives in it
      EXCEPTION WHEN dependent_objects_still_exist THEN NULL;
      END;
    END IF;
  END IF;
END
$warden$)SQL");
  return out;
}

TriggerResult install_triggers(Connection& db, const Plan& plan) { return run(db, install_statements(plan), plan); }

TriggerResult uninstall_triggers(Connection& db, const Plan& plan) { return run(db, uninstall_statements(plan), plan); }

}  // namespace warden::postgres
