// Reading the mapping file: TOML (toml++) into a Mapping (see mapping.hpp).
//
// TOML does the syntax (and refuses duplicate keys, as its specification
// says); this file is strict about the rest: every key is known (else P0104
// with a suggestion), every value has the expected type (P0103), required
// parts are there (P0102), parts that exclude each other are not both given
// (P0109). All problems of a file are reported, each at its place.
#include <algorithm>
#include <toml++/toml.h>

#include "postgres/mapping.hpp"

namespace warden::postgres {
namespace {

constexpr std::string_view kKinds[] = {"entity", "membership", "role", "grant", "key"};
constexpr FactKind kKindValues[] = {FactKind::Entity, FactKind::Membership, FactKind::Role, FactKind::Grant,
                                    FactKind::ApiKey};

class Reader {
 public:
  Reader(SourceSet& sources, std::uint32_t file) : sources_(sources), file_(file) {}

  std::vector<Diagnostic> diagnostics;

  // A span from a toml++ region (lines and columns 1-based; columns count
  // code points, which we turn into bytes).
  Span span(const toml::source_region& r) const {
    const std::uint32_t begin = offset(r.begin.line, r.begin.column);
    std::uint32_t end = offset(r.end.line, r.end.column);
    if (end < begin) end = begin;
    // Keep a span on one line: the caret line shows one source line.
    const std::string_view text = sources_.file(file_).text();
    const auto eol = text.find('\n', begin);
    if (eol != std::string_view::npos && end > eol) end = static_cast<std::uint32_t>(eol);
    return sources_.span(file_, begin, std::max<std::uint32_t>(1, end - begin));
  }
  Span span(const toml::node& n) const { return span(n.source()); }
  Span span(const toml::key& k) const { return span(k.source()); }

  void error(Code code, Span at, std::string message, std::string note = {}) {
    Diagnostic d = make_diagnostic(code, at, std::move(message));
    if (!note.empty()) d.notes.push_back(std::move(note));
    diagnostics.push_back(std::move(d));
  }

  void unknown_key(const toml::key& k, std::string_view where, const std::vector<std::string_view>& known) {
    std::string note;
    if (auto near = closest_name(k.str(), known)) note = "help: did you mean `" + *near + "`?";
    error(Code::P0104, span(k), "unknown field `" + std::string(k.str()) + "` in " + std::string(where), note);
  }

  // A string value: its text, and the span of the text inside its quotes,
  // with whether offsets inside it map one to one onto the file (no escape
  // sequences, no trimmed first newline).
  struct Text {
    std::string value;
    Span span;
    bool literal = true;
  };
  std::optional<Text> text(const toml::node& n, std::string_view what) {
    const auto* s = n.as_string();
    if (!s) {
      error(Code::P0103, span(n), std::string(what) + " must be a string, not " + type_name(n));
      return std::nullopt;
    }
    Text t;
    t.value = s->get();
    const std::string_view file = sources_.file(file_).text();
    std::uint32_t at = offset(n.source().begin.line, n.source().begin.column);
    std::uint32_t skip = 1;
    bool escapes = false;
    if (file.substr(at, 3) == "'''" || file.substr(at, 3) == "\"\"\"") {
      skip = 3;
      if (file.substr(at + 3, 1) == "\n") ++skip;
      else if (file.substr(at + 3, 2) == "\r\n") skip += 2;
    }
    escapes = file[at] == '"';
    at += skip;
    // A basic string is literal when it has no backslash: the value is then
    // exactly the bytes that follow the opening quote.
    t.literal = !escapes || file.substr(at, t.value.size()) == t.value;
    t.span = t.literal ? sources_.span(file_, at, static_cast<std::uint32_t>(std::max<std::size_t>(1, first_line(t.value))))
                       : span(n);
    return t;
  }

  std::optional<Constant> constant(const toml::node& n, FieldType type, std::string_view what) {
    Constant c;
    c.span = span(n);
    if (const auto* s = n.as_string(); s && (type == FieldType::Text || type == FieldType::Scopes || type == FieldType::Attribute)) {
      c.kind = Constant::Kind::Text;
      c.text = s->get();
      return c;
    }
    if (const auto* b = n.as_boolean(); b && (type == FieldType::Bool || type == FieldType::Attribute)) {
      c.kind = Constant::Kind::Bool;
      c.boolean = b->get();
      return c;
    }
    if (const auto* i = n.as_integer(); i && (type == FieldType::Time || type == FieldType::Attribute)) {
      c.kind = Constant::Kind::Int;
      c.number = i->get();
      return c;
    }
    error(Code::P0103, c.span, std::string(what) + " must be " + expected(type) + ", not " + type_name(n));
    return std::nullopt;
  }

  static std::string expected(FieldType t) {
    switch (t) {
      case FieldType::Text: return "a string";
      case FieldType::Time: return "an integer (Unix seconds)";
      case FieldType::Bool: return "a boolean";
      case FieldType::Scopes: return "a string";
      case FieldType::Attribute: return "a string, an integer or a boolean";
    }
    return "a value";
  }

  static std::string type_name(const toml::node& n) {
    switch (n.type()) {
      case toml::node_type::string: return "a string";
      case toml::node_type::integer: return "an integer";
      case toml::node_type::floating_point: return "a number";
      case toml::node_type::boolean: return "a boolean";
      case toml::node_type::array: return "an array";
      case toml::node_type::table: return "a table";
      default: return "a date or time";
    }
  }

  // A field: `"column"`, or `{ column | sql | value, map, default, null, split }`.
  std::optional<FieldSpec> field(const toml::node& n, FieldType type, std::string_view name) {
    FieldSpec f;
    f.span = span(n);
    const std::string what = "field `" + std::string(name) + "`";
    if (n.is_string()) {
      auto t = text(n, what);
      if (!t) return std::nullopt;
      if (!non_empty(t->value, t->span, what)) return std::nullopt;
      f.from = FieldSpec::From::Column;
      f.text = t->value;
      f.text_span = t->span;
      return f;
    }
    const auto* table = n.as_table();
    if (!table) {
      error(Code::P0103, f.span, what + " must be a column name or a table such as `{ column = \"c\" }`, not " + type_name(n));
      return std::nullopt;
    }
    static const std::vector<std::string_view> known = {"column", "sql", "value", "map", "default", "null", "split"};
    int sources = 0;
    bool ok = true;
    for (auto&& [k, v] : *table) {
      const std::string_view key = k.str();
      if (key == "column" || key == "sql") {
        ++sources;
        auto t = text(v, "`" + std::string(key) + "`");
        if (!t || !non_empty(t->value, t->span, "`" + std::string(key) + "`")) {
          ok = false;
          continue;
        }
        f.from = key == "column" ? FieldSpec::From::Column : FieldSpec::From::Sql;
        f.text = t->value;
        f.text_span = t->span;
        f.literal_text = t->literal;
      } else if (key == "value") {
        ++sources;
        auto c = constant(v, type, "`value` of " + what);
        if (!c) {
          ok = false;
          continue;
        }
        f.from = FieldSpec::From::Constant;
        f.constant = *c;
      } else if (key == "map") {
        const auto* m = v.as_table();
        if (!m) {
          error(Code::P0103, span(v), "`map` of " + what + " must be a table of database value = fact value");
          ok = false;
          continue;
        }
        for (auto&& [mk, mv] : *m) {
          auto c = constant(mv, type, "mapped value `" + std::string(mk.str()) + "`");
          if (!c) {
            ok = false;
            continue;
          }
          f.map.emplace_back(std::string(mk.str()), *c);
        }
        std::sort(f.map.begin(), f.map.end(), [](const auto& a, const auto& b) { return a.second.span.offset < b.second.span.offset; });
      } else if (key == "default" || key == "null") {
        auto c = constant(v, type, "`" + std::string(key) + "` of " + what);
        if (!c) {
          ok = false;
          continue;
        }
        (key == "default" ? f.otherwise : f.if_null) = *c;
      } else if (key == "split") {
        auto t = text(v, "`split`");
        if (!t || !non_empty(t->value, t->span, "`split`")) {
          ok = false;
          continue;
        }
        if (type != FieldType::Scopes) {
          error(Code::P0109, span(k), "`split` applies to `scopes` only");
          ok = false;
          continue;
        }
        f.split = t->value;
      } else {
        unknown_key(k, what, known);
        ok = false;
      }
    }
    if (sources == 0 && ok) {
      error(Code::P0102, f.span, what + " needs one of `column`, `sql` or `value`");
      return std::nullopt;
    }
    if (sources > 1) {
      error(Code::P0109, f.span, what + " gives more than one of `column`, `sql` and `value`");
      return std::nullopt;
    }
    if (ok && f.from == FieldSpec::From::Constant && (!f.map.empty() || f.otherwise || f.if_null)) {
      error(Code::P0109, f.span, what + ": a constant `value` takes no `map`, `default` or `null`");
      return std::nullopt;
    }
    if (ok && f.otherwise && f.map.empty()) {
      error(Code::P0109, f.otherwise->span, "`default` of " + what + " applies to values a `map` does not list, and there is no `map`");
      return std::nullopt;
    }
    if (!ok) return std::nullopt;
    return f;
  }

  bool non_empty(const std::string& value, Span at, const std::string& what) {
    if (!value.empty()) return true;
    error(Code::P0108, at, what + " is empty");
    return false;
  }

  std::optional<std::vector<std::pair<std::string, Span>>> names(const toml::node& n, std::string_view what) {
    const auto* a = n.as_array();
    if (!a) {
      error(Code::P0103, span(n), "`" + std::string(what) + "` must be an array of names, not " + type_name(n));
      return std::nullopt;
    }
    std::vector<std::pair<std::string, Span>> out;
    for (const auto& item : *a) {
      auto t = text(item, "an item of `" + std::string(what) + "`");
      if (!t) return std::nullopt;
      if (!non_empty(t->value, t->span, "an item of `" + std::string(what) + "`")) return std::nullopt;
      out.emplace_back(t->value, t->span);
    }
    return out;
  }

  std::optional<FactMapping> entry(const toml::table& t, FactKind kind, std::size_t index, Span header) {
    FactMapping m;
    m.kind = kind;
    m.index = index;
    m.span = header;
    const std::vector<FieldRule> rules = field_rules(kind);
    std::vector<std::string_view> known = {"table", "query", "where", "key", "watch"};
    if (kind == FactKind::Entity) {
      known.push_back("type");
      known.push_back("attributes");
    }
    for (const auto& r : rules) known.push_back(r.name);
    const std::string where = "a `" + std::string(fact_kind_name(kind)) + "` mapping";
    bool ok = true;
    for (auto&& [k, v] : t) {
      const std::string_view key = k.str();
      if (key == "table" || key == "query" || key == "where") {
        auto s = text(v, "`" + std::string(key) + "`");
        if (!s || !non_empty(s->value, s->span, "`" + std::string(key) + "`")) {
          ok = false;
          continue;
        }
        if (key == "table") m.table = s->value, m.table_span = s->span;
        if (key == "query") m.query = s->value, m.query_span = s->span, m.query_literal = s->literal;
        if (key == "where") m.filter = s->value, m.filter_span = s->span, m.filter_literal = s->literal;
      } else if (key == "key" || key == "watch") {
        auto list = names(v, key);
        if (!list) {
          ok = false;
          continue;
        }
        (key == "key" ? m.key : m.watch) = std::move(*list);
        if (key == "watch") watch_given_ = true;
      } else if (key == "type" && kind == FactKind::Entity) {
        auto s = text(v, "`type`");
        if (!s || !non_empty(s->value, s->span, "`type`")) {
          ok = false;
          continue;
        }
        m.entity_type = s->value;
        m.entity_type_span = s->span;
      } else if (key == "attributes" && kind == FactKind::Entity) {
        const auto* attrs = v.as_table();
        if (!attrs) {
          error(Code::P0103, span(v), "`attributes` must be a table of attribute = field, not " + type_name(v));
          ok = false;
          continue;
        }
        for (auto&& [ak, av] : *attrs) {
          auto f = field(av, FieldType::Attribute, ak.str());
          if (!f) {
            ok = false;
            continue;
          }
          m.attributes.emplace_back(std::string(ak.str()), std::move(*f));
        }
      } else {
        const auto rule = std::find_if(rules.begin(), rules.end(), [&](const FieldRule& r) { return r.name == key; });
        if (rule == rules.end()) {
          unknown_key(k, where, known);
          ok = false;
          continue;
        }
        auto f = field(v, rule->type, key);
        if (!f) {
          ok = false;
          continue;
        }
        m.fields.emplace_back(std::string(key), std::move(*f));
      }
    }
    // What is required, and what excludes what.
    if (m.table.empty() && m.query.empty() && ok) {
      error(Code::P0102, header, where + " needs `table` or `query`");
      ok = false;
    }
    if (!m.table.empty() && !m.query.empty()) {
      error(Code::P0109, m.query_span, where + " gives both `table` and `query`", "help: a query names its tables itself; keep one of them");
      ok = false;
    }
    if (!m.query.empty() && !m.filter.empty()) {
      error(Code::P0109, m.filter_span, "`where` applies to a `table`; write the condition into the query");
      ok = false;
    }
    if (!m.query.empty() && !m.key.empty()) {
      error(Code::P0109, m.key.front().second, "`key` applies to a `table`; a query's rows are told apart by the facts they give");
      ok = false;
    }
    if (!m.table.empty() && !m.watch.empty()) {
      error(Code::P0109, m.watch.front().second, "`watch` applies to a `query`; a table is watched itself");
      ok = false;
    }
    if (!m.query.empty() && m.table.empty() && !watch_given_) {
      error(Code::P0102, m.query_span, where + " from a `query` needs `watch`: the tables whose changes re-run it",
            "help: `watch = []` loads it once and again only on a full resynchronization");
      ok = false;
    }
    watch_given_ = false;
    // toml++ iterates a table in key order; keep the file's order instead.
    const auto by_place = [](const auto& a, const auto& b) { return a.second.span.offset < b.second.span.offset; };
    std::sort(m.fields.begin(), m.fields.end(), by_place);
    std::sort(m.attributes.begin(), m.attributes.end(), by_place);
    if (kind == FactKind::Entity && m.entity_type.empty() && ok) {
      error(Code::P0102, header, "an `entity` mapping needs `type`: the policy type its rows are");
      ok = false;
    }
    for (const auto& r : rules) {
      if (r.required && !m.field(r.name) && ok) {
        error(Code::P0102, header, where + " needs field `" + std::string(r.name) + "`");
        ok = false;
      }
    }
    if (!ok) return std::nullopt;
    return m;
  }

 private:
  std::uint32_t offset(std::uint32_t line, std::uint32_t column) const {
    const SourceFile& f = sources_.file(file_);
    const std::string_view text = f.text();
    std::size_t at = 0;
    for (std::uint32_t l = 1; l < line && at < text.size(); ++l) {
      const auto nl = text.find('\n', at);
      if (nl == std::string_view::npos) return static_cast<std::uint32_t>(text.size());
      at = nl + 1;
    }
    // Columns count code points: step over continuation bytes.
    for (std::uint32_t c = 1; c < column && at < text.size() && text[at] != '\n'; ++c) {
      ++at;
      while (at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) ++at;
    }
    return static_cast<std::uint32_t>(at);
  }

  static std::size_t first_line(const std::string& s) {
    const auto nl = s.find('\n');
    return nl == std::string::npos ? s.size() : nl;
  }

  SourceSet& sources_;
  std::uint32_t file_;
  bool watch_given_ = false;
};

}  // namespace

MappingResult parse_mapping(SourceSet& sources, const std::string& path, std::string text) {
  const std::uint32_t file = sources.add(path, std::move(text));
  MappingResult result;
  Reader r(sources, file);
  toml::table doc;
  try {
    doc = toml::parse(sources.file(file).text(), path);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source();
    toml::source_region region = where;
    region.end = region.begin;
    ++region.end.column;
    std::string message(e.description());
    if (!message.empty()) message[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(message[0])));
    while (!message.empty() && message.back() == '.') message.pop_back();
    r.error(Code::P0101, r.span(region), "invalid TOML: " + message);
    result.diagnostics = std::move(r.diagnostics);
    return result;
  }
  Mapping m;
  std::vector<std::string_view> known = {"channel", "schema"};
  for (auto k : kKinds) known.push_back(k);
  std::size_t index = 0;
  for (auto&& [k, v] : doc) {
    const std::string_view key = k.str();
    if (key == "channel" || key == "schema") {
      auto t = r.text(v, "`" + std::string(key) + "`");
      if (!t || !r.non_empty(t->value, t->span, "`" + std::string(key) + "`")) continue;
      if (key == "channel") {
        m.channel = t->value;
        m.channel_span = t->span;
      } else {
        m.schema = t->value;
      }
      continue;
    }
    const auto kind = std::find(std::begin(kKinds), std::end(kKinds), key);
    if (kind == std::end(kKinds)) {
      r.unknown_key(k, "the mapping file", known);
      continue;
    }
    const FactKind fk = kKindValues[kind - std::begin(kKinds)];
    const auto* entries = v.as_array();
    if (!entries || !entries->is_array_of_tables()) {
      r.error(Code::P0103, r.span(k), "`" + std::string(key) + "` must be an array of tables: write each as `[[" +
                                          std::string(key) + "]]`");
      continue;
    }
    for (const auto& e : *entries) {
      Span header = r.span(e);
      if (auto fm = r.entry(*e.as_table(), fk, index++, header)) m.entries.push_back(std::move(*fm));
    }
  }
  if (m.entries.empty() && r.diagnostics.empty()) {
    r.error(Code::P0102, sources.span(file, 0, 1), "the mapping file maps no facts",
            "help: add a `[[grant]]`, `[[membership]]`, `[[entity]]`, `[[role]]` or `[[key]]` table");
  }
  // Entries keep file order (toml++ tables are ordered by key; arrays keep order).
  std::stable_sort(m.entries.begin(), m.entries.end(),
                   [](const FactMapping& a, const FactMapping& b) { return a.span.offset < b.span.offset; });
  for (std::size_t i = 0; i < m.entries.size(); ++i) m.entries[i].index = i;
  result.diagnostics = std::move(r.diagnostics);
  normalize(result.diagnostics, 100);
  if (result.diagnostics.empty()) result.mapping = std::move(m);
  return result;
}

}  // namespace warden::postgres
