// Whole-file reads and atomic replacement (support/file_io.hpp): the reasons
// reported for what cannot be read, and that a replacement keeps the
// target's permissions and leaves no temporary file behind.
#include <catch2/catch.hpp>

#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>

#include "support/file_io.hpp"

namespace fs = std::filesystem;

namespace {

struct Scratch {
  fs::path path;
  Scratch() {
    std::string pattern = (fs::temp_directory_path() / "warden-file-io-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~Scratch() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

std::size_t entries(const fs::path& dir) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
  return n;
}

}  // namespace

TEST_CASE("read_file returns the bytes or a reason", "[file_io]") {
  const Scratch s;
  const std::string bytes("binary\0data\nline", 16);
  REQUIRE(warden::write_file_atomically(s.path / "f", bytes).empty());
  const warden::FileRead r = warden::read_file(s.path / "f");
  CHECK(r.ok());
  CHECK(r.bytes == bytes);

  const warden::FileRead missing = warden::read_file(s.path / "missing");
  CHECK_FALSE(missing.ok());
  CHECK(missing.error == "no such file or directory");
  CHECK(missing.bytes.empty());

  const warden::FileRead dir = warden::read_file(s.path);
  CHECK(dir.error == "it is a directory");

  REQUIRE(warden::write_file_atomically(s.path / "empty", "").empty());
  CHECK(warden::read_file(s.path / "empty").ok());
}

TEST_CASE("write_file_atomically replaces the file, keeps its mode and leaves nothing else", "[file_io]") {
  const Scratch s;
  const fs::path target = s.path / "policy.wdn";
  REQUIRE(warden::write_file_atomically(target, "one").empty());
  REQUIRE(::chmod(target.c_str(), 0600) == 0);
  REQUIRE(warden::write_file_atomically(target, "two").empty());
  CHECK(warden::read_file(target).bytes == "two");
  struct stat st {};
  REQUIRE(::stat(target.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(entries(s.path) == 1);

  // A directory that does not exist: the reason, and nothing written.
  CHECK(warden::write_file_atomically(s.path / "missing" / "x", "bytes") == "no such file or directory");
  CHECK(entries(s.path) == 1);
}
