// The service's own log: one JSON object per line on standard error.
//
// Pipeline position: server/, used by every part of `warden serve` to report
// what an operator must see — listening, reloads (with their diagnostics),
// refused fact updates, shutdown. Not the decision log (decision_log.hpp),
// which records decisions. Lines are written whole under a mutex: these are
// rare events, never on the decision path.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <iosfwd>
#include <mutex>
#include <string>
#include <string_view>

namespace warden::server {

// A field of a log line: text (quoted) or a number.
struct LogField {
  std::string_view key;
  std::string text;
  bool number = false;

  LogField(std::string_view k, std::string v) : key(k), text(std::move(v)) {}
  LogField(std::string_view k, const char* v) : key(k), text(v) {}
  LogField(std::string_view k, std::string_view v) : key(k), text(v) {}
  LogField(std::string_view k, std::uint64_t n) : key(k), text(std::to_string(n)), number(true) {}
  LogField(std::string_view k, int n) : key(k), text(std::to_string(n)), number(true) {}
};

class ServiceLog {
 public:
  explicit ServiceLog(std::ostream& out) : out_(out) {}

  // {"time":"…","level":"info","event":"…",fields…}
  void info(std::string_view event, std::initializer_list<LogField> fields = {}) { write("info", event, fields); }
  void warn(std::string_view event, std::initializer_list<LogField> fields = {}) { write("warn", event, fields); }
  void error(std::string_view event, std::initializer_list<LogField> fields = {}) { write("error", event, fields); }

 private:
  void write(std::string_view level, std::string_view event, std::initializer_list<LogField> fields);

  std::mutex mutex_;
  std::ostream& out_;
};

// RFC 3339 UTC with milliseconds: "2026-01-31T10:00:00.123Z".
std::string utc_timestamp(std::int64_t unix_millis);
std::int64_t now_unix_millis();

}  // namespace warden::server
