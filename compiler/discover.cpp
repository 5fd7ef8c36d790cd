// Policy discovery: paths to the `*.warden` files of each policy (see
// discover.hpp).
#include "compiler/discover.hpp"

#include <algorithm>
#include <cctype>
#include <map>

namespace warden::compiler {
namespace fs = std::filesystem;
namespace {

// A `.warden` entry that is not a directory. A symbolic link that cannot be
// followed (dangling, or a loop) counts: reading it then fails with its
// reason, instead of the file silently not being part of the policy.
bool is_policy_file(const fs::directory_entry& e) {
  std::error_code ec;
  return e.path().extension() == ".warden" && !e.is_directory(ec);
}

}  // namespace

std::string unreadable_reason(const fs::path& p) {
  std::error_code ec;
  (void)fs::status(p, ec);
  std::string reason = ec ? ec.message() : "read error";
  if (!reason.empty()) reason[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(reason[0])));
  return reason;
}

Discovery discover_policies(const std::vector<std::string>& paths) {
  Discovery out;
  for (const auto& arg : paths) {
    const fs::path root(arg);
    std::error_code ec;
    const auto status = fs::status(root, ec);
    if (ec || !fs::exists(status)) {
      out.io_errors.push_back(arg);
      continue;
    }
    if (fs::is_regular_file(status)) {
      out.policies.push_back({root.stem().string(), root.parent_path(), {root}});
      continue;
    }
    // Group `*.warden` files by the directory that directly holds them.
    std::map<std::string, std::vector<fs::path>> by_dir;
    auto add_dir_files = [&](const fs::path& dir) {
      for (const auto& e : fs::directory_iterator(dir, ec)) {
        if (is_policy_file(e)) by_dir[dir.generic_string()].push_back(e.path());
      }
    };
    add_dir_files(root);
    fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
    if (ec) {
      out.io_errors.push_back(arg);
      continue;
    }
    for (; it != end; it.increment(ec)) {
      if (ec) break;
      if (it->is_directory(ec)) add_dir_files(it->path());
    }
    if (by_dir.empty()) {
      out.empty.push_back(arg);
      continue;
    }
    for (auto& [dir, files] : by_dir) {
      std::sort(files.begin(), files.end());
      fs::path d(dir);
      std::string name = d.filename().string();
      if (name.empty() || name == ".") name = fs::absolute(d).lexically_normal().parent_path().filename().string();
      out.policies.push_back({name, d, std::move(files)});
    }
  }
  return out;
}

std::vector<Diagnostic> discovery_diagnostics(const Discovery& found) {
  std::vector<Diagnostic> out;
  for (const auto& p : found.io_errors) {
    out.push_back(make_diagnostic(Code::E0001, Span{}, "cannot read `" + p + "`: " + unreadable_reason(p)));
  }
  for (const auto& p : found.empty) {
    out.push_back(make_diagnostic(Code::E0002, Span{}, "no `.warden` files under `" + p + "`"));
  }
  return out;
}

}  // namespace warden::compiler
