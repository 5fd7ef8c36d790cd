// `warden keygen NAME` — make an Ed25519 key pair for signing artifacts —
// and reading the key files other commands take (`compile --sign`,
// `--verify-key` of eval, watch and inspect).
//
// Pipeline position: cli/, over table/signing.hpp (keys and their files) and
// the Engine's verify-key API. docs/signing.md says what a signature
// protects and how keys rotate.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "cli/commands.hpp"
#include "table/artifact.hpp"
#include "table/signing.hpp"
#include "warden/engine.hpp"

namespace warden::cli {
namespace {

constexpr const char* kUsage =
    "usage: warden keygen NAME\n"
    "\n"
    "Make an Ed25519 key pair for signing artifacts: NAME.key, the signing key\n"
    "(secret: readable by its owner only; give it to `warden compile --sign`),\n"
    "and NAME.pub, the verify key (give it to services and to `--verify-key`).\n"
    "Existing files are never overwritten.\n"
    "\n"
    "exit status: 0 written, 2 usage or I/O failure\n";

// Creates `path` (failing if it exists) with `mode` and writes `text`.
// Returns an error message, or "".
std::string create_file(const std::string& path, const std::string& text, mode_t mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) return errno == EEXIST ? "the file exists (keygen never overwrites a key)" : std::strerror(errno);
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string reason = std::strerror(errno);
      ::close(fd);
      ::unlink(path.c_str());
      return reason;
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) return std::strerror(errno);
  return "";
}

}  // namespace

int run_keygen(const Args& args, std::ostream& out, std::ostream& err) {
  std::vector<std::string> names;
  for (const std::string& a : args) {
    if (a == "--help" || a == "-h") {
      out << kUsage;
      return kExitOk;
    }
    if (!a.empty() && a[0] == '-') {
      err << "error: unknown option `" << a << "`\n" << kUsage;
      return kExitUsage;
    }
    names.push_back(a);
  }
  if (names.size() != 1) {
    err << "error: " << (names.empty() ? "no key name given" : "give exactly one key name") << "\n" << kUsage;
    return kExitUsage;
  }
  const auto key = table::generate_signing_key();
  if (!key) {
    err << "error: the cryptography library cannot be initialized\n";
    return kExitUsage;
  }
  const std::string secret = names[0] + ".key", pub = names[0] + ".pub";
  if (const std::string failure = create_file(secret, table::signing_key_text(*key), 0600); !failure.empty()) {
    err << "error: cannot write `" << secret << "`: " << failure << "\n";
    return kExitUsage;
  }
  if (const std::string failure = create_file(pub, table::verify_key_text(key->verify_key()), 0644); !failure.empty()) {
    ::unlink(secret.c_str());
    err << "error: cannot write `" << pub << "`: " << failure << "\n";
    return kExitUsage;
  }
  out << "key " << table::hex64(key->id) << ": signing key " << secret << " (keep it secret), verify key " << pub << "\n";
  return kExitOk;
}

std::optional<int> read_verify_keys(const std::vector<std::string>& files, std::vector<VerifyKey>& keys,
                                    std::ostream& err) {
  for (const std::string& file : files) {
    VerifyKey key;
    if (const Status s = read_verify_key_file(file, key); !s.ok) {
      err << "error[" << s.code << "]: " << s.message << "\n";
      return kExitUsage;
    }
    keys.push_back(key);
  }
  return std::nullopt;
}

}  // namespace warden::cli
