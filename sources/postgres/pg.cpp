// The libpq layer (see pg.hpp).
#include "postgres/pg.hpp"

#include <charconv>

namespace warden::postgres {

bool Result::ok() const {
  if (!r_) return false;
  const auto s = PQresultStatus(r_.get());
  return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK || s == PGRES_COPY_OUT || s == PGRES_SINGLE_TUPLE;
}

std::string_view Result::text(int row, int column) const {
  return {PQgetvalue(r_.get(), row, column), static_cast<std::size_t>(PQgetlength(r_.get(), row, column))};
}

std::optional<std::string_view> Result::value(int row, int column) const {
  if (is_null(row, column)) return std::nullopt;
  return text(row, column);
}

std::string Result::error() const {
  if (!r_) return "no result";
  const char* primary = PQresultErrorField(r_.get(), PG_DIAG_MESSAGE_PRIMARY);
  std::string m = primary ? primary : PQresultErrorMessage(r_.get());
  while (!m.empty() && (m.back() == '\n' || m.back() == '.')) m.pop_back();
  if (const auto nl = m.find('\n'); nl != std::string::npos) m.resize(nl);
  return m;
}

std::string Result::sqlstate() const {
  const char* s = r_ ? PQresultErrorField(r_.get(), PG_DIAG_SQLSTATE) : nullptr;
  return s ? s : "";
}

std::uint32_t Result::position() const {
  const char* p = r_ ? PQresultErrorField(r_.get(), PG_DIAG_STATEMENT_POSITION) : nullptr;
  if (!p) return 0;
  std::uint32_t v = 0;
  std::from_chars(p, p + std::char_traits<char>::length(p), v);
  return v;
}

bool Connection::open(const std::string& url, std::chrono::seconds timeout) {
  close();
  // Keywords beside the URL: a connect timeout, and TCP keepalives so that a
  // dead peer is noticed without waiting for the kernel's default hours.
  const std::string timeout_text = std::to_string(timeout.count());
  const char* keys[] = {"dbname", "connect_timeout", "keepalives_idle", "keepalives_interval", "keepalives_count",
                        "application_name", nullptr};
  const char* values[] = {url.c_str(), timeout_text.c_str(), "5", "2", "3", "warden", nullptr};
  c_.reset(PQconnectdbParams(keys, values, /*expand_dbname=*/1));
  if (!c_ || PQstatus(c_.get()) != CONNECTION_OK) {
    error_ = last_error();
    close();
    return false;
  }
  error_.clear();
  return true;
}

void Connection::close() { c_.reset(); }

bool Connection::connected() const { return c_ && PQstatus(c_.get()) == CONNECTION_OK; }

std::string Connection::last_error() const {
  if (!c_) return error_.empty() ? "not connected" : error_;
  std::string m = PQerrorMessage(c_.get());
  while (!m.empty() && (m.back() == '\n' || m.back() == '.')) m.pop_back();
  if (const auto nl = m.rfind('\n'); nl != std::string::npos) m = m.substr(nl + 1);
  return m.empty() ? "connection failed" : m;
}

Result Connection::exec(const std::string& sql) { return Result(c_ ? PQexec(c_.get(), sql.c_str()) : nullptr); }

Result Connection::exec(const std::string& sql, const std::vector<std::optional<std::string>>& params) {
  if (!c_) return Result();
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  return Result(PQexecParams(c_.get(), sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr,
                             nullptr, 0));
}

Result Connection::describe(const std::string& sql) {
  if (!c_) return Result();
  Result prepared(PQprepare(c_.get(), "", sql.c_str(), 0, nullptr));
  if (!prepared.ok()) return prepared;
  return Result(PQdescribePrepared(c_.get(), ""));
}

Result Connection::copy_out(const std::string& query, const std::function<void(std::span<const Field>)>& row) {
  if (!c_) return Result();
  Result start(PQexec(c_.get(), ("COPY (" + query + ") TO STDOUT").c_str()));
  if (PQresultStatus(start.raw()) != PGRES_COPY_OUT) return start;
  std::vector<Field> fields;
  std::vector<std::string> storage;
  bool malformed = false;
  for (;;) {
    char* buffer = nullptr;
    const int n = PQgetCopyData(c_.get(), &buffer, 0);
    if (n < 0) break;  // -1: done, -2: failed (the final result says why)
    std::string_view line(buffer, static_cast<std::size_t>(n));
    if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
    if (!malformed && decode_copy_line(line, fields, storage)) {
      row(fields);
    } else {
      malformed = true;
    }
    PQfreemem(buffer);
  }
  Result last(PQgetResult(c_.get()));
  // Drain: libpq wants PQgetResult until it returns null.
  while (PGresult* extra = PQgetResult(c_.get())) PQclear(extra);
  return last;
}

bool Connection::consume_input() { return c_ && PQconsumeInput(c_.get()) == 1 && PQstatus(c_.get()) == CONNECTION_OK; }

std::optional<Connection::Notification> Connection::next_notification() {
  if (!c_) return std::nullopt;
  PGnotify* n = PQnotifies(c_.get());
  if (!n) return std::nullopt;
  Notification out{n->relname, n->extra ? n->extra : "", n->be_pid};
  PQfreemem(n);
  return out;
}

std::string quote_identifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string quote_literal(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::pair<std::string, std::string> split_table_name(std::string_view name, std::string_view default_schema) {
  const auto dot = name.find('.');
  if (dot == std::string_view::npos) return {std::string(default_schema), std::string(name)};
  return {std::string(name.substr(0, dot)), std::string(name.substr(dot + 1))};
}

std::string text_array_literal(std::span<const std::string> items) {
  std::string out = "{";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    out += '"';
    for (char c : items[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

bool decode_copy_line(std::string_view line, std::vector<Field>& fields, std::vector<std::string>& storage) {
  fields.clear();
  // Unescaped copies must not move while `fields` points into them.
  std::size_t columns = 1;
  for (char c : line) columns += c == '\t';
  if (storage.size() < columns) storage.resize(columns);
  std::size_t start = 0;
  for (std::size_t col = 0; col < columns; ++col) {
    std::size_t end = line.find('\t', start);
    if (end == std::string_view::npos) end = line.size();
    const std::string_view raw = line.substr(start, end - start);
    start = end + 1;
    if (raw == "\\N") {
      fields.emplace_back(std::nullopt);
      continue;
    }
    if (raw.find('\\') == std::string_view::npos) {
      fields.emplace_back(raw);
      continue;
    }
    std::string& s = storage[col];
    s.clear();
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] != '\\') {
        s += raw[i];
        continue;
      }
      if (++i == raw.size()) return false;
      switch (raw[i]) {
        case 'b': s += '\b'; break;
        case 'f': s += '\f'; break;
        case 'n': s += '\n'; break;
        case 'r': s += '\r'; break;
        case 't': s += '\t'; break;
        case 'v': s += '\v'; break;
        case '\\': s += '\\'; break;
        default:
          if (raw[i] >= '0' && raw[i] <= '7') {  // up to three octal digits
            int v = 0, n = 0;
            while (n < 3 && i < raw.size() && raw[i] >= '0' && raw[i] <= '7') v = v * 8 + (raw[i++] - '0'), ++n;
            --i;
            s += static_cast<char>(v);
          } else if (raw[i] == 'x' && i + 1 < raw.size() && std::isxdigit(static_cast<unsigned char>(raw[i + 1]))) {
            int v = 0, n = 0;
            ++i;
            while (n < 2 && i < raw.size() && std::isxdigit(static_cast<unsigned char>(raw[i]))) {
              const char h = raw[i++];
              v = v * 16 + (h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
              ++n;
            }
            --i;
            s += static_cast<char>(v);
          } else {
            s += raw[i];  // any other escaped character stands for itself
          }
      }
    }
    fields.emplace_back(std::string_view(s));
  }
  return true;
}

}  // namespace warden::postgres
