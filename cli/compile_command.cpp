// `warden compile POLICY_PATH -o OUT.wdn` — check a policy, lower it to the
// decision table and write the artifact atomically.
#include <fcntl.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/policy_loader.hpp"
#include "compiler/lower.hpp"
#include "support/diagnostic_render.hpp"
#include "table/artifact.hpp"
#include "table/validate.hpp"

namespace warden::cli {
namespace fs = std::filesystem;
namespace {

constexpr const char* kUsage =
    "usage: warden compile [--werror] [--sign KEY] POLICY_PATH -o OUT.wdn\n"
    "\n"
    "Check one policy (a file, or the directory holding its *.warden files) and\n"
    "compile it to a decision-table artifact. Diagnostics are reported as by\n"
    "`warden check`; with errors nothing is written. The artifact replaces\n"
    "OUT.wdn atomically (written beside it, then renamed), so a service\n"
    "watching the file never sees half of it.\n"
    "\n"
    "  -o, --output FILE   the artifact to write (required)\n"
    "  --sign KEY          sign it with the signing key KEY (`warden keygen`)\n"
    "  --werror            treat warnings as errors\n"
    "\n"
    "exit status: 0 written, 1 errors in the policy, 2 usage or I/O failure\n";

// strerror() text in the style of our messages: "no such file or directory".
std::string os_error() {
  std::string s = std::strerror(errno);
  if (!s.empty()) s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  return s;
}

// Writes `bytes` to a temporary file in the target's directory, flushes it to
// disk and renames it over `target`. Returns an error message, or "".
std::string write_atomically(const fs::path& target, const std::string& bytes) {
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  const fs::path temp = dir / ("." + target.filename().string() + "." + std::to_string(::getpid()) + ".tmp");
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return os_error();
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string reason = os_error();
      ::close(fd);
      ::unlink(temp.c_str());
      return reason;
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const std::string reason = os_error();
    ::unlink(temp.c_str());
    return reason;
  }
  if (::rename(temp.c_str(), target.c_str()) != 0) {
    const std::string reason = os_error();
    ::unlink(temp.c_str());
    return reason;
  }
  return "";
}

// The fingerprint of the policy's sources under the paths the table records
// (relative to the policy root), so it does not depend on where the policy
// was compiled from.
std::uint64_t source_fingerprint(const table::Program& program, const SourceSet& sources) {
  std::vector<table::SourceEntry> entries;
  for (std::uint32_t i = 0; i < sources.size(); ++i) {
    const std::string path = i < program.files.size() ? program.files[i] : sources.file(i).path();
    entries.push_back({path, sources.file(i).text()});
  }
  return table::fingerprint_sources(std::move(entries));
}

}  // namespace

int run_compile(const Args& args, std::ostream& out, std::ostream& err) {
  bool werror = false;
  std::string output, sign;
  std::vector<std::string> paths;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      out << kUsage;
      return kExitOk;
    } else if (a == "--werror") {
      werror = true;
    } else if (a == "-o" || a == "--output") {
      if (i + 1 >= args.size()) {
        err << "error: `" << a << "` needs a file name\n" << kUsage;
        return kExitUsage;
      }
      output = args[++i];
    } else if (a.rfind("--output=", 0) == 0) {
      output = a.substr(9);
    } else if (a == "--sign") {
      if (i + 1 >= args.size()) {
        err << "error: `--sign` needs a signing key file\n" << kUsage;
        return kExitUsage;
      }
      sign = args[++i];
    } else if (!a.empty() && a[0] == '-' && a != "-") {
      err << "error: unknown option `" << a << "`\n" << kUsage;
      return kExitUsage;
    } else {
      paths.push_back(a);
    }
  }
  if (paths.size() != 1) {
    err << "error: " << (paths.empty() ? "no policy path given" : "give exactly one policy path") << "\n" << kUsage;
    return kExitUsage;
  }
  if (output.empty()) {
    err << "error: no output file given (`-o OUT.wdn`)\n" << kUsage;
    return kExitUsage;
  }

  std::optional<table::SigningKey> key;
  if (!sign.empty()) {
    std::string problem;
    key = table::read_signing_key_file(sign, problem);
    if (!key) {
      err << "error[E0511]: `" << sign << "`: " << problem << "\n";
      return kExitUsage;
    }
  }

  const Discovery found = discover_policies(paths);
  if (!found.io_errors.empty()) {
    err << "error[E0001]: cannot read `" << paths[0] << "`: no such file or directory\n";
    return kExitUsage;
  }
  if (!found.empty.empty()) {
    err << "error[E0002]: no `.warden` files under `" << paths[0] << "`\n";
    return kExitFindings;
  }
  if (found.policies.size() != 1) {
    err << "error: `" << paths[0] << "` holds " << found.policies.size() << " policies (";
    for (std::size_t i = 0; i < found.policies.size(); ++i) err << (i ? ", " : "") << "`" << found.policies[i].name << "`";
    err << "); compile them one at a time\n";
    return kExitUsage;
  }
  const PolicyFiles& policy = found.policies[0];

  const FrontEndResult r = run_front_end(policy, werror);
  std::size_t errors = 0, warnings = 0;
  for (const auto& d : r.diagnostics) {
    (d.severity == Severity::Error ? errors : warnings) += 1;
    err << render_text(d, r.sources) << "\n";
  }
  if (errors || warnings) {
    err << errors << (errors == 1 ? " error" : " errors") << ", " << warnings << (warnings == 1 ? " warning" : " warnings")
        << "\n";
  }
  if (r.io_error) return kExitUsage;
  if (errors || !r.model) return kExitFindings;

  const table::Program program = compiler::lower(*r.model, r.sources, policy.name, policy.root);
  if (auto problem = table::validate(program)) {
    err << "error: internal compiler error: the lowered table is invalid: " << *problem << "\n";
    return kExitUsage;
  }
  const std::string bytes = table::write_artifact(
      program, {std::string(kVersionText), source_fingerprint(program, r.sources)}, key ? &*key : nullptr);
  if (const std::string failure = write_atomically(output, bytes); !failure.empty()) {
    err << "error[E0507]: cannot write `" << output << "`: " << failure << "\n";
    return kExitUsage;
  }
  out << "compiled `" << program.str(program.name) << "` to " << output << ": " << program.endpoints.size()
      << " endpoints, " << program.rules.size() << " rules, " << bytes.size() << " bytes";
  if (key) out << ", signed with key " << table::hex64(key->id);
  out << "\n";
  return kExitOk;
}

}  // namespace warden::cli
