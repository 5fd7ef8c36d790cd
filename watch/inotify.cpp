// inotify and an eventfd behind poll(2): see inotify.hpp.
#include "watch/inotify.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

namespace warden::watch {
namespace {

// Completed writes and renames in, plus whatever makes a file disappear.
// IN_CREATE and IN_MODIFY are left out on purpose: they fire while a file is
// still being written, and a reload then would read half of it.
constexpr std::uint32_t kMask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_ONLYDIR;

std::string errno_text(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

}  // namespace

DirectoryWatch::DirectoryWatch() {
  inotify_fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (inotify_fd_ < 0) {
    error_ = errno_text("cannot start inotify");
    return;
  }
  stop_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (stop_fd_ < 0) error_ = errno_text("cannot create an eventfd");
}

DirectoryWatch::~DirectoryWatch() {
  if (inotify_fd_ >= 0) ::close(inotify_fd_);
  if (stop_fd_ >= 0) ::close(stop_fd_);
}

int DirectoryWatch::add(const std::filesystem::path& directory, std::string& error) {
  if (!ok()) {
    error = error_;
    return -1;
  }
  const std::string dir = directory.empty() ? std::string(".") : directory.string();
  const int wd = ::inotify_add_watch(inotify_fd_, dir.c_str(), kMask);
  if (wd < 0) error = errno_text(("cannot watch `" + dir + "`").c_str());
  return wd;
}

bool DirectoryWatch::wait(std::chrono::milliseconds timeout, std::vector<DirectoryEvent>& out) {
  if (!ok()) return false;
  pollfd fds[2] = {{stop_fd_, POLLIN, 0}, {inotify_fd_, POLLIN, 0}};
  const int ms = timeout.count() < 0 ? -1 : static_cast<int>(timeout.count());
  const int n = ::poll(fds, 2, ms);
  if (n < 0) return errno == EINTR;  // a signal: let the caller look at its deadlines again
  if (fds[0].revents & POLLIN) return false;
  if (!(fds[1].revents & POLLIN)) return true;
  // The buffer is aligned for inotify_event, as inotify(7) requires.
  alignas(inotify_event) char buffer[16 * 1024];
  for (;;) {
    const ssize_t len = ::read(inotify_fd_, buffer, sizeof buffer);
    if (len <= 0) break;  // EAGAIN: drained
    for (ssize_t at = 0; at < len;) {
      const auto* e = reinterpret_cast<const inotify_event*>(buffer + at);
      DirectoryEvent event;
      event.watch = e->wd;
      event.overflow = (e->mask & IN_Q_OVERFLOW) != 0;
      if (e->len > 0) event.name = e->name;  // NUL-padded
      if (event.overflow || !event.name.empty()) out.push_back(std::move(event));
      at += static_cast<ssize_t>(sizeof(inotify_event) + e->len);
    }
  }
  return true;
}

void DirectoryWatch::stop() noexcept {
  const std::uint64_t one = 1;
  // Best effort by design: the only failure is a counter overflow, after
  // which the eventfd is readable anyway.
  [[maybe_unused]] const ssize_t written = ::write(stop_fd_, &one, sizeof one);
}

}  // namespace warden::watch
