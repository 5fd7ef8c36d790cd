// `warden fmt [--check] PATH...` — rewrite policy files in the canonical
// layout (format/format.hpp), or with `--check` show what would change.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/policy_loader.hpp"
#include "format/diff.hpp"
#include "format/format.hpp"
#include "support/diagnostic_render.hpp"

namespace warden::cli {
namespace fs = std::filesystem;
namespace {

constexpr const char* kUsage =
    "usage: warden fmt [--check] PATH...\n"
    "\n"
    "Format policy files in the canonical layout. Each PATH is a policy file or\n"
    "a directory (every *.warden file below it); `-` formats standard input to\n"
    "standard output. Files are rewritten in place, atomically; files with\n"
    "syntax errors are reported and left alone.\n"
    "\n"
    "  --check   change nothing: print a unified diff for every file that is\n"
    "            not formatted, and exit 1 if there is any\n"
    "\n"
    "exit status: 0 formatted (with --check: already formatted), 1 syntax\n"
    "errors (with --check: or files not formatted), 2 usage or I/O failure\n";

std::string os_error() {
  std::string s = std::strerror(errno);
  if (!s.empty()) s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  return s;
}

// Replace `target` by `bytes`: a temporary file beside it, flushed, given the
// target's permissions and renamed over it. Returns an error message or "".
std::string replace_file(const fs::path& target, const std::string& bytes) {
  struct stat st {};
  const mode_t mode = ::stat(target.c_str(), &st) == 0 ? (st.st_mode & 07777) : 0644;
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  const fs::path temp = dir / ("." + target.filename().string() + "." + std::to_string(::getpid()) + ".fmt.tmp");
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return os_error();
  auto fail = [&] {
    const std::string reason = os_error();
    ::close(fd);
    ::unlink(temp.c_str());
    return reason;
  };
  for (std::size_t done = 0; done < bytes.size();) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail();
    done += static_cast<std::size_t>(n);
  }
  if (::fchmod(fd, mode) != 0 || ::fsync(fd) != 0) return fail();
  if (::close(fd) != 0 || ::rename(temp.c_str(), target.c_str()) != 0) {
    const std::string reason = os_error();
    ::unlink(temp.c_str());
    return reason;
  }
  return "";
}

std::optional<std::string> read_all(std::istream& in) {
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return ss.str();
}

struct Totals {
  std::size_t files = 0, changed = 0, broken = 0;
  bool io_failure = false;
};

// Format one text; report, rewrite or diff it. `file` is empty for stdin.
void format_one(const std::string& name, std::string text, const fs::path* file, bool check, std::ostream& out,
                std::ostream& err, Totals& totals) {
  ++totals.files;
  const format::Result r = format::format_source(name, text);
  if (!r.internal_error.empty()) {
    err << "error: cannot format `" << name << "`: internal formatter failure (" << r.internal_error
        << "); the file is left unchanged, please report it\n";
    totals.io_failure = true;
    return;
  }
  if (!r.ok()) {
    for (const auto& d : r.diagnostics) err << render_text(d, r.sources) << "\n";
    ++totals.broken;
    return;
  }
  if (r.changed) ++totals.changed;
  if (check) {
    if (r.changed) out << format::unified_diff(text, r.text, name, name);
    return;
  }
  if (!file) {
    out << r.text;
    return;
  }
  if (!r.changed) return;
  if (const std::string failure = replace_file(*file, r.text); !failure.empty()) {
    err << "error: cannot write `" << name << "`: " << failure << "\n";
    totals.io_failure = true;
    return;
  }
  err << "formatted " << name << "\n";
}

}  // namespace

int run_fmt(const Args& args, std::ostream& out, std::ostream& err) {
  bool check = false;
  std::vector<std::string> paths;
  for (const std::string& a : args) {
    if (a == "--help" || a == "-h") {
      out << kUsage;
      return kExitOk;
    } else if (a == "--check") {
      check = true;
    } else if (!a.empty() && a[0] == '-' && a != "-") {
      err << "error: unknown option `" << a << "`\n" << kUsage;
      return kExitUsage;
    } else {
      paths.push_back(a);
    }
  }
  if (paths.empty()) {
    err << "error: no path given\n" << kUsage;
    return kExitUsage;
  }

  Totals totals;
  std::vector<std::string> file_paths;
  for (const auto& p : paths) {
    if (p == "-") {
      auto text = read_all(std::cin);
      if (!text) {
        err << "error: cannot read standard input\n";
        return kExitUsage;
      }
      format_one("<stdin>", std::move(*text), nullptr, check, out, err, totals);
      continue;
    }
    const Discovery found = discover_policies({p});
    for (const auto& missing : found.io_errors) {
      err << "error[E0001]: cannot read `" << missing << "`: no such file or directory\n";
      totals.io_failure = true;
    }
    for (const auto& empty : found.empty) {
      err << "error[E0002]: no `.warden` files under `" << empty << "`\n";
      totals.io_failure = true;
    }
    for (const auto& policy : found.policies) {
      for (const auto& f : policy.files) {
        std::ifstream in(f, std::ios::binary);
        auto text = in ? read_all(in) : std::nullopt;
        if (!text) {
          err << "error[E0001]: cannot read `" << f.generic_string() << "`\n";
          totals.io_failure = true;
          continue;
        }
        format_one(f.generic_string(), std::move(*text), &f, check, out, err, totals);
      }
    }
  }

  if (check && totals.changed) {
    err << totals.changed << (totals.changed == 1 ? " file is" : " files are") << " not formatted (run `warden fmt`)\n";
  }
  if (totals.broken) {
    err << totals.broken << (totals.broken == 1 ? " file has" : " files have") << " syntax errors and "
        << (totals.broken == 1 ? "was" : "were") << " not formatted\n";
  }
  if (totals.io_failure) return kExitUsage;
  if (totals.broken || (check && totals.changed)) return kExitFindings;
  return kExitOk;
}

}  // namespace warden::cli
