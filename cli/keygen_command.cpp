// `warden keygen NAME` — make an Ed25519 key pair for signing artifacts —
// and reading the key files other commands take (`compile --sign`,
// `--verify-key` of eval and watch).
//
// Pipeline position: cli/, over table/signing.hpp (keys and their files).
// docs/signing.md says what a signature protects and how keys rotate.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <iostream>

#include "cli/commands.hpp"
#include "support/file_io.hpp"
#include "table/artifact.hpp"
#include "table/signing.hpp"

namespace warden::cli {
namespace {

// Creates `path` (failing if it exists) with `mode` and writes `text`.
// Returns an error message, or "". Not write_file_atomically(): a key is
// never replaced, and the secret one is never readable by others, not even
// for a moment.
std::string create_file(const std::string& path, const std::string& text, mode_t mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) return errno == EEXIST ? "the file exists (keygen never overwrites a key)" : os_error_text(errno);
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string reason = os_error_text(errno);
      ::close(fd);
      ::unlink(path.c_str());
      return reason;
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) return os_error_text(errno);
  return "";
}

int run(const Command& self, const ParsedArgs& args, std::ostream& out, std::ostream& err) {
  const std::vector<std::string>& names = args.operands();
  if (names.size() != 1) return usage_error(self, names.empty() ? "no key name given" : "give exactly one key name", err);
  const auto key = table::generate_signing_key();
  if (!key) {
    print_error(err, Code::E0901, "internal failure: the cryptography library cannot be initialized");
    return kExitUsage;
  }
  const std::string secret = names[0] + ".key", pub = names[0] + ".pub";
  if (const std::string failure = create_file(secret, table::signing_key_text(*key), 0600); !failure.empty()) {
    print_error(err, Code::E0004, "cannot write `" + secret + "`: " + failure);
    return kExitUsage;
  }
  if (const std::string failure = create_file(pub, table::verify_key_text(key->verify_key()), 0644); !failure.empty()) {
    ::unlink(secret.c_str());
    print_error(err, Code::E0004, "cannot write `" + pub + "`: " + failure);
    return kExitUsage;
  }
  out << "key " << table::hex64(key->id) << ": signing key " << secret << " (keep it secret), verify key " << pub << "\n";
  return kExitOk;
}

}  // namespace

std::optional<int> read_verify_keys(const std::vector<std::string>& files, std::vector<table::VerifyKey>& keys,
                                    std::ostream& err) {
  for (const std::string& file : files) {
    std::string problem;
    const auto key = table::read_verify_key_file(file, problem);
    if (!key) {
      print_error(err, Code::E0512, "`" + file + "`: " + problem);
      return kExitUsage;
    }
    keys.push_back(*key);
  }
  return std::nullopt;
}

const Command kKeygenCommand{
    "keygen", "NAME", "make a key pair for signing artifacts (NAME.key, NAME.pub)",
    "Make an Ed25519 key pair for signing artifacts: NAME.key, the signing key\n"
    "(secret: readable by its owner only; give it to `warden compile --sign`),\n"
    "and NAME.pub, the verify key (give it to services and to `--verify-key`).\n"
    "Existing files are never overwritten.\n",
    {}, "0 written, 2 usage or I/O failure", run};

}  // namespace warden::cli
