// The service's own JSON log (see service_log.hpp).
#include "server/service_log.hpp"

#include <chrono>
#include <ctime>
#include <ostream>

#include "support/json_writer.hpp"

namespace warden::server {

std::int64_t now_unix_millis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string utc_timestamp(std::int64_t unix_millis) {
  const std::time_t seconds = static_cast<std::time_t>(unix_millis / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[40];
  const auto n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char tail[8];
  std::snprintf(tail, sizeof tail, ".%03dZ", static_cast<int>(unix_millis % 1000));
  return std::string(buf, n) + tail;
}

void ServiceLog::write(std::string_view level, std::string_view event, std::initializer_list<LogField> fields) {
  std::string line;
  json::Writer w(line);
  w.begin_object().field("time", utc_timestamp(now_unix_millis())).field("level", level).field("event", event);
  for (const auto& f : fields) {
    w.key(f.key);
    if (f.number) {
      w.raw(f.text);
    } else {
      w.string(f.text);
    }
  }
  w.end_object();
  line += '\n';
  const std::lock_guard lock(mutex_);
  out_ << line << std::flush;
}

}  // namespace warden::server
