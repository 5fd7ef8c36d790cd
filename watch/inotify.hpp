// Directory change notification (Linux inotify), the primitive under the
// reload watcher (warden/watcher.hpp).
//
// Pipeline position: watch/, internal to the library warden_watch. Files are watched
// through their directory, not their inode: an artifact replaced by an atomic
// rename (`warden compile`, `mv new.wdn policy.wdn`) is a new inode, and a
// watch on the old one would never fire again. The events kept are the ones
// after which a file's content is complete — closed after writing, renamed
// into the directory — plus removals and renames away (a deleted policy file
// changes the policy).
//
// Not thread-safe except stop(), which any thread (or a signal handler) may
// call while another waits.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace warden::watch {

struct DirectoryEvent {
  int watch = -1;         // the id add() returned for the directory
  std::string name;       // the file's name within the directory
  bool overflow = false;  // the kernel dropped events: treat everything as changed
};

class DirectoryWatch {
 public:
  // Opens the inotify instance; check ok() (or error()) before use.
  DirectoryWatch();
  ~DirectoryWatch();
  DirectoryWatch(const DirectoryWatch&) = delete;
  DirectoryWatch& operator=(const DirectoryWatch&) = delete;

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

  // Watches a directory; returns its watch id, or -1 with `error` set. Adding
  // the same directory twice returns the same id.
  int add(const std::filesystem::path& directory, std::string& error);

  // Waits up to `timeout` (negative: forever) for events; appends them to
  // `out`. Returns false once stop() was called.
  bool wait(std::chrono::milliseconds timeout, std::vector<DirectoryEvent>& out);

  // Makes every current and future wait() return false. Async-signal-safe:
  // a single write(2) to an eventfd.
  void stop() noexcept;

 private:
  int inotify_fd_ = -1;
  int stop_fd_ = -1;
  std::string error_;
};

}  // namespace warden::watch
