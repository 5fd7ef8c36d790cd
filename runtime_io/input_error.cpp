// Rendering of JSON input errors (see warden/input_error.hpp).
#include "warden/input_error.hpp"

namespace warden {
namespace {

std::string location(const InputError& e) {
  std::string out = e.file;
  if (e.line) {
    if (!out.empty()) out += ':';
    out += std::to_string(e.line);
    if (e.column) out += ':' + std::to_string(e.column);
  }
  return out;
}

}  // namespace

std::string format_error(const InputError& e) {
  std::string where = location(e);
  if (!where.empty()) where += ": ";
  return where + (e.warning ? "warning[" : "error[") + e.code + "]: " + e.message;
}

std::string format_findings(const std::vector<InputError>& kept, std::size_t total) {
  std::string out;
  for (const InputError& e : kept) out += format_error(e) + "\n";
  if (total > kept.size()) out += "... " + std::to_string(total - kept.size()) + " more not shown\n";
  return out;
}

Status to_status(const InputError& e) {
  std::string message = e.message;
  if (!e.file.empty()) message = e.file + ": " + message;
  return Status::error(e.code, std::move(message), e.line);
}

}  // namespace warden
