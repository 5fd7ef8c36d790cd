// Golden-file helpers: run the compiler driver the way `warden check` does
// and compare its rendered output with a checked-in file.
//
// Set WARDEN_UPDATE_GOLDEN=1 to rewrite the expected files from the current
// output (then review the diff before committing).
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "compiler/driver.hpp"
#include "support/diagnostic_render.hpp"

namespace warden::test {

struct Checked {
  std::string text;                // every diagnostic, rendered as `warden check` prints it
  std::string json;                // the same as a JSON array
  std::vector<std::string> codes;  // in output order
};

inline Checked check_paths(const std::vector<std::string>& paths) {
  Checked out;
  out.json = "[";
  const auto found = compiler::discover_policies(paths);
  for (const auto& policy : found.policies) {
    const auto r = compiler::compile(policy, {.warnings_as_errors = false, .check_only = true});
    for (const auto& d : r.diagnostics) {
      out.text += render_text(d, r.sources) + "\n";
      out.json += (out.codes.empty() ? "" : ",") + render_json(d, r.sources);
      out.codes.emplace_back(code_info(d.code).name);
    }
  }
  out.json += "]\n";
  return out;
}

inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline bool update_golden() {
  const char* v = std::getenv("WARDEN_UPDATE_GOLDEN");
  return v && std::string(v) == "1";
}

inline void write_text(const std::filesystem::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

}  // namespace warden::test
