// Checking the mapping against the live database and writing its SQL (see
// plan.hpp).
#include "postgres/plan.hpp"

#include <algorithm>

#include "postgres/triggers.hpp"

namespace warden::postgres {
namespace {

constexpr unsigned kBool = 16, kInt8 = 20, kInt2 = 21, kInt4 = 23, kNumeric = 1700, kTime = 1083, kTimeTz = 1266;

struct Column {
  std::string name;
  unsigned type = 0;
};

struct TypeInfo {
  char category = 'X';
  std::string name;
};

// Character offset (as the server counts) to byte offset in `s`.
std::size_t byte_offset(std::string_view s, std::size_t chars) {
  std::size_t at = 0;
  for (std::size_t c = 0; c < chars && at < s.size(); ++c) {
    ++at;
    while (at < s.size() && (static_cast<unsigned char>(s[at]) & 0xC0) == 0x80) ++at;
  }
  return at;
}

std::size_t char_count(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

class Planner {
 public:
  Planner(Connection& db, const Mapping& m, const SourceSet& sources) : db_(db), m_(m), sources_(sources) {}

  std::vector<Diagnostic> diagnostics;
  Plan plan;

  void run() {
    plan.channel = m_.channel;
    for (const FactMapping& e : m_.entries) {
      PlannedMapping pm;
      if (entry(e, pm)) plan.mappings.push_back(std::move(pm));
    }
    if (has_errors()) return;
    for (const PlannedMapping& pm : plan.mappings) {
      for (const std::string& t : pm.watched) plan.tables.try_emplace(t);
    }
    for (const PlannedMapping& pm : plan.mappings) {
      if (pm.mapping->from_query()) continue;
      auto& keys = plan.tables[pm.watched.front()];
      for (const auto& k : pm.key_columns) {
        if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
      }
    }
    check_triggers();
  }

  bool has_errors() const {
    return std::any_of(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& d) { return d.severity == Severity::Error; });
  }

 private:
  void error(Code code, Span at, std::string message, std::string note = {}) {
    Diagnostic d = make_diagnostic(code, at, std::move(message));
    if (!note.empty()) d.notes.push_back(std::move(note));
    diagnostics.push_back(std::move(d));
  }

  // An error the server reported for `prefix + text + suffix`: pointed at
  // the place in `text` (written at `where` in the mapping file) when the
  // server says where, else at the whole text.
  void sql_error(const Result& r, std::string_view prefix, std::string_view text, Span where, bool literal,
                 const std::string& what) {
    Span at = where;
    const std::uint32_t pos = r.position();
    const std::size_t before = char_count(prefix);
    if (literal && pos > before && pos - 1 - before <= char_count(text)) {
      const std::size_t off = byte_offset(text, pos - 1 - before);
      std::size_t len = 1;
      while (off + len < text.size() && (std::isalnum(static_cast<unsigned char>(text[off + len])) || text[off + len] == '_')) ++len;
      at = sources_.span(where.file, where.offset + static_cast<std::uint32_t>(off), static_cast<std::uint32_t>(len));
    }
    error(Code::P0304, at, what + ": " + r.error(), r.sqlstate().empty() ? "" : "note: SQLSTATE " + r.sqlstate());
  }

  std::optional<TypeInfo> type_info(unsigned oid) {
    if (auto it = types_.find(oid); it != types_.end()) return it->second;
    Result r = db_.exec("SELECT typcategory, format_type(oid, NULL) FROM pg_type WHERE oid = $1", {std::to_string(oid)});
    if (!r.ok() || r.rows() != 1) return std::nullopt;
    TypeInfo t{r.text(0, 0).empty() ? 'X' : r.text(0, 0)[0], std::string(r.text(0, 1))};
    types_.emplace(oid, t);
    return t;
  }

  std::vector<std::string> relations(const std::string& schema) {
    Result r = db_.exec(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f') ORDER BY 1",
        {schema});
    std::vector<std::string> out;
    for (int i = 0; i < r.rows(); ++i) out.emplace_back(r.text(i, 0));
    return out;
  }

  // The table's oid as text, or nothing (reported).
  std::optional<std::string> find_table(const std::string& written, Span at) {
    auto [schema, name] = split_table_name(written, m_.schema);
    Result r = db_.exec(
        "SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p', 'v', 'm', 'f')",
        {schema, name});
    if (!r.ok()) {
      error(Code::P0308, at, "cannot look up table `" + written + "`: " + r.error());
      return std::nullopt;
    }
    if (r.rows() == 1) return std::string(r.text(0, 0));
    const std::vector<std::string> known = relations(schema);
    std::vector<std::string_view> names(known.begin(), known.end());
    std::string note;
    if (auto near = closest_name(name, names)) note = "help: did you mean `" + *near + "`?";
    error(Code::P0302, at, "unknown table `" + name + "` in schema `" + schema + "`", note);
    return std::nullopt;
  }

  std::vector<Column> table_columns(const std::string& oid) {
    Result r = db_.exec(
        "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = $1 AND attnum > 0 AND NOT attisdropped "
        "ORDER BY attnum",
        {oid});
    std::vector<Column> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back({std::string(r.text(i, 0)), static_cast<unsigned>(std::stoul(std::string(r.text(i, 1))))});
    return out;
  }

  std::vector<std::string> primary_key(const std::string& oid) {
    Result r = db_.exec(
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
        "WHERE i.indrelid = $1 AND i.indisprimary ORDER BY array_position(i.indkey::int2[], a.attnum)",
        {oid});
    std::vector<std::string> out;
    for (int i = 0; i < r.rows(); ++i) out.emplace_back(r.text(i, 0));
    return out;
  }

  const Column* column(const std::vector<Column>& columns, const std::string& name, Span at, const std::string& source) {
    for (const Column& c : columns) {
      if (c.name == name) return &c;
    }
    std::vector<std::string_view> names;
    for (const Column& c : columns) names.push_back(c.name);
    std::string note;
    if (auto near = closest_name(name, names)) note = "help: did you mean `" + *near + "`?";
    error(Code::P0303, at, "unknown column `" + name + "` in " + source, note);
    return nullptr;
  }

  bool entry(const FactMapping& e, PlannedMapping& pm) {
    pm.mapping = &e;
    std::vector<Column> columns;
    std::string from;
    std::string source;
    const std::size_t errors_before = diagnostics.size();
    if (!e.from_query()) {
      auto [schema, name] = split_table_name(e.table, m_.schema);
      pm.table_schema = schema;
      pm.table_name = name;
      source = "table `" + schema + "." + name + "`";
      pm.source = schema + "." + name;
      const auto oid = find_table(e.table, e.table_span);
      if (!oid) return false;
      columns = table_columns(*oid);
      from = quote_identifier(schema) + "." + quote_identifier(name) + " AS t";
      if (e.key.empty()) {
        pm.key_columns = primary_key(*oid);
        if (pm.key_columns.empty()) {
          error(Code::P0306, e.table_span, "table `" + pm.source + "` has no primary key",
                "help: name the columns that identify a row: `key = [\"id\"]`");
          return false;
        }
      } else {
        for (const auto& [k, at] : e.key) {
          if (column(columns, k, at, source)) pm.key_columns.push_back(k);
        }
        if (pm.key_columns.size() != e.key.size()) return false;
      }
      for (const std::string& k : pm.key_columns) {
        const auto c = std::find_if(columns.begin(), columns.end(), [&](const Column& col) { return col.name == k; });
        const auto t = type_info(c->type);
        pm.key_types.push_back(t ? t->name : "text");
      }
      pm.watched.push_back(pm.source);
      if (!e.filter.empty()) {
        const std::string prefix = "SELECT (";
        Result r = db_.describe(prefix + e.filter + ")::boolean FROM " + from);
        if (!r.ok()) sql_error(r, prefix, e.filter, e.filter_span, e.filter_literal, "in `where`");
      }
    } else {
      pm.source = "query #" + std::to_string(e.index + 1);
      source = "the query's columns";
      const std::string prefix = "SELECT * FROM (";
      Result r = db_.describe(prefix + e.query + ") AS t");
      if (!r.ok()) {
        sql_error(r, prefix, e.query, e.query_span, e.query_literal, "in `query`");
        return false;
      }
      for (int i = 0; i < r.columns(); ++i) columns.push_back({PQfname(r.raw(), i), PQftype(r.raw(), i)});
      from = "(" + e.query + ") AS t";
      for (const auto& [w, at] : e.watch) {
        if (find_table(w, at)) {
          auto [schema, name] = split_table_name(w, m_.schema);
          pm.watched.push_back(schema + "." + name);
        }
      }
    }

    // The fields, in the order of field_rules(), then the attributes.
    std::vector<std::string> selected;
    auto add_field = [&](const std::string& name, FieldType type, const FieldSpec* spec, bool attribute) {
      PlannedField f;
      f.name = name;
      f.type = type;
      f.spec = spec;
      f.attribute = attribute;
      if (spec->from == FieldSpec::From::Constant) {
        pm.fields.push_back(std::move(f));
        return;
      }
      std::string expr;
      unsigned oid = 0;
      if (spec->from == FieldSpec::From::Column) {
        const Column* c = column(columns, spec->text, spec->text_span, source);
        if (!c) return;
        expr = "t." + quote_identifier(c->name);
        oid = c->type;
      } else {
        const std::string prefix = "SELECT (";
        Result r = db_.describe(prefix + spec->text + ") FROM " + from);
        if (!r.ok()) {
          sql_error(r, prefix, spec->text, spec->text_span, spec->literal_text, "in field `" + name + "`");
          return;
        }
        expr = "(" + spec->text + ")";
        oid = PQftype(r.raw(), 0);
      }
      const auto t = type_info(oid);
      const char category = t ? t->category : 'X';
      const std::string type_name = t ? t->name : "unknown";
      const bool integer = oid == kInt2 || oid == kInt4 || oid == kInt8;
      const bool timestamp = category == 'D' && oid != kTime && oid != kTimeTz;
      auto mismatch = [&](const std::string& needs, const std::string& help) {
        error(Code::P0305, spec->text_span, "field `" + name + "` needs " + needs + "; " +
              (spec->from == FieldSpec::From::Column ? "column `" + spec->text + "`" : "the expression") + " is `" + type_name + "`",
              help);
      };
      std::string select;
      if (!spec->map.empty() || spec->otherwise) {
        select = expr + "::text";
        f.decode = Decode::Mapped;
      } else {
        switch (type) {
          case FieldType::Text:
            select = expr + "::text";
            f.decode = Decode::Text;
            break;
          case FieldType::Time:
            if (timestamp) {
              select = "floor(extract(epoch from " + expr + "))::bigint";
            } else if (integer || oid == kNumeric) {
              select = "floor(" + expr + ")::bigint";
            } else {
              mismatch("a timestamp, a date or Unix seconds", "help: convert it with `sql = \"...\"`");
              return;
            }
            f.decode = Decode::Int;
            break;
          case FieldType::Bool:
            if (oid != kBool) {
              mismatch("a boolean", "help: map its values (`map = { yes = true, no = false }`) or write a condition with `sql`");
              return;
            }
            select = expr;
            f.decode = Decode::Bool;
            break;
          case FieldType::Scopes:
            if (category == 'A') {
              select = "array_to_string(" + expr + ", ' ')";
            } else if (!spec->split.empty() && category == 'S') {
              select = expr + "::text";
            } else {
              mismatch(spec->split.empty() ? "a text array" : "text to split", "help: a text column needs `split`, the separator between its scopes");
              return;
            }
            f.decode = Decode::Split;
            break;
          case FieldType::Attribute:
            if (oid == kBool) {
              select = expr;
              f.decode = Decode::Bool;
              f.value_kind = Constant::Kind::Bool;
            } else if (integer) {
              select = expr + "::bigint";
              f.decode = Decode::Int;
              f.value_kind = Constant::Kind::Int;
            } else if (timestamp) {
              select = "floor(extract(epoch from " + expr + "))::bigint";
              f.decode = Decode::Int;
              f.value_kind = Constant::Kind::Int;
            } else {
              select = expr + "::text";
              f.decode = Decode::Text;
            }
            break;
        }
      }
      f.column = static_cast<int>(pm.key_columns.size() + selected.size());
      selected.push_back(select);
      pm.fields.push_back(std::move(f));
    };
    for (const FieldRule& rule : field_rules(e.kind)) {
      const std::string name(rule.name);
      if (const FieldSpec* spec = e.field(name)) {
        add_field(name, rule.type, spec, false);
      } else if (!rule.default_value.empty()) {
        PlannedField f;
        f.name = name;
        f.type = rule.type;
        f.default_value.text = std::string(rule.default_value);
        pm.fields.push_back(std::move(f));
      }
    }
    for (const auto& [name, spec] : e.attributes) add_field(name, FieldType::Attribute, &spec, true);
    if (diagnostics.size() != errors_before) return false;

    // The statements.
    std::string list;
    for (const std::string& k : pm.key_columns) list += (list.empty() ? "" : ", ") + ("to_jsonb(t." + quote_identifier(k) + ") #>> '{}'");
    for (const std::string& s : selected) list += (list.empty() ? "" : ", ") + s;
    if (list.empty()) list = "1";
    pm.select_all = "SELECT " + list + " FROM " + from;
    if (!e.filter.empty()) pm.select_all += " WHERE (" + e.filter + ")";
    if (!e.from_query()) {
      std::string tuple, casts, arrays, names;
      for (std::size_t i = 0; i < pm.key_columns.size(); ++i) {
        const std::string sep = i ? ", " : "";
        tuple += sep + "t." + quote_identifier(pm.key_columns[i]);
        casts += sep + "u.c" + std::to_string(i) + "::" + pm.key_types[i];
        arrays += sep + "$" + std::to_string(i + 1) + "::text[]";
        names += sep + "c" + std::to_string(i);
      }
      pm.select_by_keys = "SELECT " + list + " FROM " + from + " WHERE (" + tuple + ") IN (SELECT " + casts +
                          " FROM unnest(" + arrays + ") AS u(" + names + "))";
      if (!e.filter.empty()) pm.select_by_keys += " AND (" + e.filter + ")";
      // Check the statement as a whole too: a cast of a key type, say.
      Result r = db_.describe(pm.select_by_keys);
      if (!r.ok()) error(Code::P0304, e.table_span, "cannot select rows of `" + pm.source + "` by key: " + r.error());
    }
    Result r = db_.describe(pm.select_all);
    if (!r.ok()) {
      error(Code::P0304, e.from_query() ? e.query_span : e.table_span, "cannot select `" + pm.source + "`: " + r.error());
      return false;
    }
    return diagnostics.size() == errors_before;
  }

  void check_triggers() {
    for (const auto& [table, keys] : plan.tables) {
      auto [schema, name] = split_table_name(table, m_.schema);
      Result r = db_.exec(
          "SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
          "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2 AND t.tgname = $3",
          {schema, name, std::string(kTriggerName)});
      const std::string expected = trigger_call(plan.channel, keys);
      std::string problem;
      if (!r.ok() || r.rows() == 0) {
        problem = "not installed";
      } else if (!std::string_view(r.text(0, 0)).ends_with(expected)) {
        problem = "installed for another mapping (its channel or key columns differ)";
      }
      if (problem.empty()) continue;
      Span at;
      for (const PlannedMapping& pm : plan.mappings) {
        if (std::find(pm.watched.begin(), pm.watched.end(), table) != pm.watched.end()) {
          at = pm.mapping->from_query() ? pm.mapping->query_span : pm.mapping->table_span;
          break;
        }
      }
      Diagnostic d = make_diagnostic(Code::P0307, at, "live changes of `" + table + "` are " + problem);
      d.notes.push_back("help: run `warden facts install-triggers` with this mapping");
      diagnostics.push_back(std::move(d));
    }
  }

  Connection& db_;
  const Mapping& m_;
  const SourceSet& sources_;
  std::map<unsigned, TypeInfo> types_;
};

}  // namespace

PlanResult plan_mapping(Connection& db, const Mapping& mapping, const SourceSet& sources) {
  Planner p(db, mapping, sources);
  p.run();
  PlanResult result;
  const bool errors = p.has_errors();
  result.diagnostics = std::move(p.diagnostics);
  normalize(result.diagnostics, 100);
  if (!errors) result.plan = std::move(p.plan);
  return result;
}

}  // namespace warden::postgres
