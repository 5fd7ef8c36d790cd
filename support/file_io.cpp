// Whole-file reads and atomic replacement (see file_io.hpp).
#include "support/file_io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>

namespace warden {
namespace fs = std::filesystem;
namespace {

// Closes a descriptor on every path out of a function.
class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  int get() const { return fd_; }
  // Close now, reporting the error close(2) gives (a write-back failure).
  int close() {
    const int r = ::close(fd_);
    fd_ = -1;
    return r;
  }

 private:
  int fd_;
};

}  // namespace

std::string os_error_text(int errnum) {
  std::string s = std::strerror(errnum);
  if (!s.empty()) s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  return s;
}

FileRead read_file(const fs::path& path) {
  FileRead out;
  Descriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    out.error = os_error_text(errno);
    return out;
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    out.error = os_error_text(errno);
    return out;
  }
  if (S_ISDIR(st.st_mode)) {
    out.error = "it is a directory";
    return out;
  }
  // The size is a hint (the file may grow or be a pipe): read to the end.
  if (S_ISREG(st.st_mode) && st.st_size > 0) out.bytes.reserve(static_cast<std::size_t>(st.st_size));
  char buffer[64 * 1024];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      out.error = os_error_text(errno);
      out.bytes.clear();
      return out;
    }
    if (n == 0) break;
    out.bytes.append(buffer, static_cast<std::size_t>(n));
  }
  return out;
}

std::string write_file_atomically(const fs::path& target, std::string_view bytes) {
  struct stat st {};
  const bool exists = ::stat(target.c_str(), &st) == 0;
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  // A hidden name: watchers of `*.warden` or of the target's own name skip it.
  const fs::path temp = dir / ("." + target.filename().string() + "." + std::to_string(::getpid()) + ".tmp");
  Descriptor fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (fd.get() < 0) return os_error_text(errno);
  auto fail = [&temp](int errnum) {
    ::unlink(temp.c_str());
    return os_error_text(errnum);
  };
  for (std::size_t done = 0; done < bytes.size();) {
    const ssize_t n = ::write(fd.get(), bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail(n < 0 ? errno : EIO);
    done += static_cast<std::size_t>(n);
  }
  if (exists && ::fchmod(fd.get(), st.st_mode & 07777) != 0) return fail(errno);
  if (::fsync(fd.get()) != 0) return fail(errno);
  if (fd.close() != 0) return fail(errno);
  if (::rename(temp.c_str(), target.c_str()) != 0) return fail(errno);
  return "";
}

}  // namespace warden
