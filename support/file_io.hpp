// Reading a whole file and replacing a file atomically: the two file
// operations every layer needs, in one place.
//
// Pipeline position: support/ (no dependency). The compiler driver reads
// policy sources with read_file(), the table layer reads artifacts with it,
// runtime I/O reads fact and request files; `warden compile` and `warden fmt`
// write with write_file_atomically(), so a process watching the target (a
// service's Watcher) never reads half a file. Nothing here throws for an I/O
// failure: errors come back as a short lowercase reason ("no such file or
// directory", "it is a directory") for the caller to put in its message.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace warden {

struct FileRead {
  std::string bytes;
  std::string error;  // empty when the file was read
  bool ok() const { return error.empty(); }
};

// The whole contents of a regular file.
FileRead read_file(const std::filesystem::path& path);

// Replace `target` by `bytes`: write a temporary file beside it, flush it to
// disk, give it the permissions of the file it replaces (0644 less the umask
// for a new one) and rename it over the target. Returns "" on success, else
// the reason; on failure the target is untouched and no temporary is left.
std::string write_file_atomically(const std::filesystem::path& target, std::string_view bytes);

// strerror(errnum) in the style of our messages: "no such file or directory".
std::string os_error_text(int errnum);

}  // namespace warden
