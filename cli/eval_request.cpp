// `warden eval`: the request from command-line flags, and reading inputs.
#include <charconv>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "cli/eval.hpp"
#include "runtime/input_error.hpp"
#include "runtime/request_json.hpp"
#include "support/literals.hpp"

namespace warden::cli {
namespace {

std::string flag_error(const char* code, const std::string& message) {
  return std::string("error[") + code + "]: " + message;
}

// RFC 3339 text or Unix seconds.
std::optional<std::int64_t> parse_flag_time(const std::string& text, std::string& reason) {
  std::int64_t seconds = 0;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (r.ec == std::errc{} && r.ptr == text.data() + text.size()) return seconds;
  const TimeResult t = parse_time(text);
  if (!t.error.empty()) {
    reason = t.error;
    return std::nullopt;
  }
  return t.unix_seconds;
}

}  // namespace

bool RequestFlags::any() const {
  return key || user || method || path || tenant || action || resource || time || ip || request_id || !headers.empty() ||
         !query.empty();
}

std::optional<std::string> request_from_flags(const RequestFlags& f, runtime::OwnedRequest& out) {
  const auto& codes = runtime::kRequestCodes;
  out.clear();
  Request& q = out.request;
  if (f.request_id) q.request_id = out.keep(*f.request_id);
  if (f.tenant) q.tenant = out.keep(*f.tenant);
  if (f.key) q.api_key = out.keep(*f.key);
  if (f.user) q.principal_id = out.keep(*f.user);
  if (f.action) q.action = out.keep(*f.action);
  if (f.resource) {
    const auto slash = f.resource->find('/');
    q.resource_type = out.keep(std::string_view(*f.resource).substr(0, slash));
    if (slash != std::string::npos) q.resource_id = out.keep(std::string_view(*f.resource).substr(slash + 1));
    if (q.resource_type.empty()) return flag_error(codes.invalid_value, "`--resource` needs a type: `TYPE/ID` or `TYPE`");
  }
  if (f.method) q.method = out.keep(*f.method);
  if (f.path) {
    const char* reason = nullptr;
    if (!runtime::set_target(*f.path, out, reason)) {
      return flag_error(codes.invalid_value, "invalid `--path` `" + *f.path + "`: " + reason);
    }
  }
  for (const auto& [name, value] : f.headers) out.add_header(name, value);
  for (const auto& [name, value] : f.query) out.add_query(name, value);
  if (f.time) {
    std::string reason;
    const auto t = parse_flag_time(*f.time, reason);
    if (!t) return flag_error(codes.invalid_time, "invalid `--time` `" + *f.time + "`: " + reason);
    q.time = *t;
  }
  if (f.ip) {
    if (const IpResult ip = parse_ip(*f.ip); !ip.error.empty()) {
      return flag_error(codes.invalid_value, "invalid `--ip` `" + *f.ip + "`: " + ip.error);
    }
    q.client_ip = out.keep(*f.ip);
  }
  return std::nullopt;
}

std::optional<std::string> read_input(const std::string& path) {
  if (path == "-") {
    std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    if (std::cin.bad()) return std::nullopt;
    return text;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return std::move(ss).str();
}

}  // namespace warden::cli
