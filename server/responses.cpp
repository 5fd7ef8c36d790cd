// JSON responses and the error shape (see responses.hpp).
#include "server/responses.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <random>
#include <thread>

#include "support/json_writer.hpp"

namespace warden::server {

std::string error_json(const ErrorBody& e) {
  std::string out;
  json::Writer w(out);
  w.begin_object().field("code", e.code).field("message", e.message).field("hint", e.hint);
  w.field("required", e.required).field("request_id", e.request_id);
  if (e.line > 0) w.key("line").unsigned_integer(e.line).key("column").unsigned_integer(e.column);
  w.end_object();
  return out;
}

void set_json(HttpResponse& res, unsigned status, std::string body) {
  res.result(status);
  res.set(http::field::content_type, "application/json");
  res.body() = std::move(body);
}

void set_error(HttpResponse& res, unsigned status, const ErrorBody& e) {
  set_json(res, status, error_json(e));
  if (!e.code.empty()) res.set("X-Warden-Code", header_safe(e.code));
}

std::string header_safe(std::string_view value) {
  std::string out(value);
  for (char& c : out) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) c = ' ';
  }
  return out;
}

std::string new_request_id() {
  // A random per-thread prefix and a counter: unique without a shared lock.
  thread_local std::uint64_t state = [] {
    std::random_device rd;
    return (static_cast<std::uint64_t>(rd()) << 32) ^ rd() ^
           static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  }();
  state += 0x9e3779b97f4a7c15ull;  // splitmix64
  std::uint64_t z = state;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  z ^= z >> 31;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(z));
  return buf;
}

}  // namespace warden::server
