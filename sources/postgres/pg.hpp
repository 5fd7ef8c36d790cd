// A thin RAII layer over libpq: connections, results, COPY streaming,
// notifications and SQL quoting.
//
// Pipeline position: sources/postgres/, under the schema check, the loader
// and the follower. Nothing here knows about facts. Errors never throw: a
// Result says whether it failed, with the server's message, SQLSTATE and
// the character position of the error in the statement (1-based, 0: none).
#pragma once

#include <libpq-fe.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace warden::postgres {

class Result {
 public:
  Result() = default;
  explicit Result(PGresult* r) : r_(r, &PQclear) {}

  bool ok() const;
  PGresult* raw() const { return r_.get(); }
  int rows() const { return r_ ? PQntuples(r_.get()) : 0; }
  int columns() const { return r_ ? PQnfields(r_.get()) : 0; }
  bool is_null(int row, int column) const { return PQgetisnull(r_.get(), row, column) != 0; }
  std::string_view text(int row, int column) const;
  std::optional<std::string_view> value(int row, int column) const;
  // Errors: the server's message (first line), its SQLSTATE, and where in
  // the statement it points (characters, 1-based; 0 when it does not say).
  std::string error() const;
  std::string sqlstate() const;
  std::uint32_t position() const;

 private:
  std::shared_ptr<PGresult> r_;
};

// One field of a row as the server sent it (text format); nullopt: NULL.
using Field = std::optional<std::string_view>;

class Connection {
 public:
  Connection() = default;
  // Connect (blocking) with a conninfo string or a postgresql:// URL; on
  // failure the connection is closed and error() says why.
  bool open(const std::string& url, std::chrono::seconds timeout = std::chrono::seconds(10));
  void close();
  bool connected() const;
  const std::string& error() const { return error_; }
  PGconn* raw() const { return c_.get(); }

  Result exec(const std::string& sql);
  Result exec(const std::string& sql, const std::vector<std::optional<std::string>>& params);
  // Prepare the unnamed statement and describe its result columns.
  Result describe(const std::string& sql);

  // COPY (query) TO STDOUT, text format, one callback per row. Returns the
  // final result (its error when the statement or the stream failed).
  Result copy_out(const std::string& query, const std::function<void(std::span<const Field>)>& row);

  // Notifications: the socket to wait on, reading what arrived, and taking
  // them one at a time.
  int socket() const { return c_ ? PQsocket(c_.get()) : -1; }
  bool consume_input();  // false: the connection is broken
  struct Notification {
    std::string channel;
    std::string payload;
    int backend_pid = 0;
  };
  std::optional<Notification> next_notification();

  std::string last_error() const;

 private:
  std::unique_ptr<PGconn, void (*)(PGconn*)> c_{nullptr, &PQfinish};
  std::string error_;
};

// SQL text.
std::string quote_identifier(std::string_view name);  // "name", doubling quotes
std::string quote_literal(std::string_view text);     // 'text', doubling quotes (standard_conforming_strings)
// A qualified table name as written in the mapping ("t" or "s.t") split and
// quoted; an unqualified name takes `default_schema`.
std::pair<std::string, std::string> split_table_name(std::string_view name, std::string_view default_schema);
// An array literal for a text[] parameter: {"a","b"}.
std::string text_array_literal(std::span<const std::string> items);

// Decode one line of COPY text output into fields (tab-separated, `\N`
// null, backslash escapes); `storage` holds unescaped copies. False if the
// line is malformed.
bool decode_copy_line(std::string_view line, std::vector<Field>& fields, std::vector<std::string>& storage);

}  // namespace warden::postgres
