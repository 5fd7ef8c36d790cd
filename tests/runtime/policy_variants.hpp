// Test helper: variants of a policy directory, written to a fresh temporary
// directory — the policy's files copied, with text appended in a new file
// (an extra rule, `mode monitor;`) or a declaration line rewritten (a role
// given another parent). Compile them with compile_helper.hpp.
#pragma once

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <unistd.h>

namespace warden::test {

inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + p.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void write_text(const std::filesystem::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + p.string());
}

// A copy of a policy under a new temporary directory, removed again when
// the variant goes out of scope. `dir` keeps the original directory's name,
// so the policy keeps its name.
class PolicyVariant {
 public:
  // The policy in `source` plus `extra` (when not empty) as the file
  // `zz_variant.warden`, which is read last.
  PolicyVariant(const std::string& source, const std::string& extra) {
    static std::atomic<unsigned> counter{0};
    const std::filesystem::path src(source);
    root_ = std::filesystem::temp_directory_path() /
            ("warden-variant-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    const std::filesystem::path out = root_ / src.filename();
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(out);
    for (const auto& entry : std::filesystem::directory_iterator(src)) {
      if (entry.path().extension() == ".warden") std::filesystem::copy_file(entry.path(), out / entry.path().filename());
    }
    if (!extra.empty()) write_text(out / "zz_variant.warden", extra);
    dir_ = out.string();
  }
  ~PolicyVariant() {
    std::error_code ignored;
    std::filesystem::remove_all(root_, ignored);
  }
  PolicyVariant(const PolicyVariant&) = delete;
  PolicyVariant& operator=(const PolicyVariant&) = delete;

  const std::string& dir() const { return dir_; }

 private:
  std::filesystem::path root_;
  std::string dir_;
};

// In the policy at `dir` (a variant's, modified in place): give role `role`
// the additional parent `parent`. The role's declaration must be on one
// line that starts with `role NAME`.
inline void add_role_parent(const std::string& dir, const std::string& role, const std::string& parent) {
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".warden") continue;
    std::istringstream in(read_text(entry.path()));
    std::string line, text;
    bool changed = false;
    while (std::getline(in, line)) {
      const std::string head = "role " + role;
      if (line.rfind(head, 0) == 0 && line.size() > head.size() && (line[head.size()] == ';' || line[head.size()] == ' ')) {
        const auto semi = line.find(';');
        const bool has_parents = line.find(" inherits ") != std::string::npos && line.find(" inherits ") < semi;
        line = line.substr(0, semi) + (has_parents ? ", " : " inherits ") + parent + line.substr(semi);
        changed = true;
      }
      text += line + "\n";
    }
    if (changed) {
      write_text(entry.path(), text);
      return;
    }
  }
  throw std::runtime_error("no declaration of role " + role + " in " + dir);
}

// In the policy at `dir` (a variant's, modified in place): replace every
// occurrence of `from` by `to`; returns how many there were.
inline std::size_t replace_in_policy(const std::string& dir, const std::string& from, const std::string& to) {
  std::size_t count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".warden") continue;
    std::string text = read_text(entry.path());
    std::size_t n = 0;
    for (std::size_t pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size())) {
      text.replace(pos, from.size(), to);
      ++n;
    }
    if (n) write_text(entry.path(), text);
    count += n;
  }
  return count;
}

}  // namespace warden::test
