// The `.wdn` file: header layout, round trip, determinism, fingerprints, and
// refusal of every damaged, truncated, foreign or newer-format file — with a
// clear code, never a crash, never a Program.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "table/artifact.hpp"
#include "table/serialize.hpp"
#include "tests/table/artifact_helpers.hpp"
#include "tests/table/sample_program.hpp"

using namespace warden;
using namespace warden::table;

namespace {

const ArtifactInfo kInfo{"warden 9.8.7", 0x0123456789abcdefull};

std::string sample_artifact() { return write_artifact(test::sample_program(), kInfo); }

ArtifactLoad load(const std::string& bytes) { return load_artifact(std::span<const char>(bytes.data(), bytes.size())); }

// Refused with `code`, and nothing half-loaded is handed out.
void check_refused(const ArtifactLoad& r, Code code) {
  CHECK_FALSE(r.ok());
  CHECK(r.program == nullptr);
  REQUIRE(r.error.has_value());
  CHECK(code_info(r.error->code).name == code_info(code).name);
  CHECK_FALSE(r.error->message.empty());
}

}  // namespace

TEST_CASE("an artifact loads back to the program that was written", "[table][artifact]") {
  const Program original = test::sample_program();
  const ArtifactLoad r = load(write_artifact(original, kInfo));
  INFO((r.error ? r.error->message : ""));
  REQUIRE(r.ok());
  CHECK_FALSE(r.error.has_value());
  CHECK(*r.program == original);
  CHECK(r.header.format_version == kFormatVersion);
  CHECK(r.header.compiler_version == "warden 9.8.7");
  CHECK(r.header.source_fingerprint == 0x0123456789abcdefull);
  CHECK(r.header.payload_size == serialize_program(original).size());
}

TEST_CASE("the header follows the documented layout", "[table][artifact]") {
  const std::string bytes = sample_artifact();
  const std::string payload = serialize_program(test::sample_program());
  CHECK(bytes.substr(0, 8) == "WARDENPT");
  CHECK(bytes.size() == test::payload_offset("warden 9.8.7") + payload.size());
  CHECK(bytes.substr(test::payload_offset("warden 9.8.7")) == payload);
  // An independent writer of the documented header gives the same bytes
  // (apart from the fingerprint, which this one fixes to 0x1234).
  std::string expected = test::wrap_payload(payload, kFormatVersion, "warden 9.8.7");
  std::string actual = bytes;
  const std::size_t fp = 14 + std::string_view("warden 9.8.7").size();
  actual.replace(fp, 8, std::string("\x34\x12\0\0\0\0\0\0", 8));
  // The checksum covers the fingerprint, so compare everything but it (after
  // the payload length, the signature fields of an unsigned artifact).
  const std::size_t sum = fp + 16 + 1 + 8 + 64;
  CHECK(actual.substr(0, sum) == expected.substr(0, sum));
  CHECK(actual.substr(sum + 8) == expected.substr(sum + 8));
  CHECK(load(expected).ok());
}

TEST_CASE("writing is deterministic", "[table][artifact]") {
  CHECK(sample_artifact() == sample_artifact());
  const Program copy = test::sample_program();
  CHECK(write_artifact(copy, kInfo) == sample_artifact());
  CHECK(write_artifact(copy, ArtifactInfo{"warden 9.8.7", 1}) != sample_artifact());
}

TEST_CASE("the source fingerprint depends on paths and contents, not on order", "[table][artifact]") {
  const std::string a = "policy a;\n", b = "scope x;\n";
  const auto base = fingerprint_sources({{"a.warden", a}, {"sub/b.warden", b}});
  CHECK(fingerprint_sources({{"sub/b.warden", b}, {"a.warden", a}}) == base);
  CHECK(fingerprint_sources({{"a.warden", a}, {"sub/c.warden", b}}) != base);
  CHECK(fingerprint_sources({{"a.warden", a}, {"sub/b.warden", "scope y;\n"}}) != base);
  // Length prefixes: moving bytes between a path and its content changes it.
  CHECK(fingerprint_sources({{"ab", "c"}}) != fingerprint_sources({{"a", "bc"}}));
  CHECK(fingerprint_sources({}) == fingerprint_sources({}));
}

TEST_CASE("every single-bit flip of an artifact is refused", "[table][artifact][corruption]") {
  const std::string good = sample_artifact();
  REQUIRE(load(good).ok());
  std::size_t refused = 0;
  for (std::size_t i = 0; i < good.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string bad = good;
      bad[i] = static_cast<char>(bad[i] ^ (1 << bit));
      const ArtifactLoad r = load(bad);
      if (r.ok() || !r.error) {
        FAIL_CHECK("flip of bit " << bit << " of byte " << i << " was accepted");
        continue;
      }
      const Code code = r.error->code;
      if (i < 8) {
        CHECK(code == Code::E0501);
      } else if (i < 12) {
        CHECK(code == Code::E0502);
      } else {
        CHECK((code == Code::E0503 || code == Code::E0504));
      }
      ++refused;
    }
  }
  CHECK(refused == good.size() * 8);
}

TEST_CASE("every byte replaced by 0x00 or 0xff is refused", "[table][artifact][corruption]") {
  const std::string good = sample_artifact();
  for (const char fill : {'\0', '\xff'}) {
    for (std::size_t i = 0; i < good.size(); ++i) {
      if (good[i] == fill) continue;
      std::string bad = good;
      bad[i] = fill;
      const ArtifactLoad r = load(bad);
      INFO("byte " << i);
      CHECK_FALSE(r.ok());
      CHECK(r.program == nullptr);
    }
  }
}

TEST_CASE("every truncation of an artifact is refused as truncated", "[table][artifact][corruption]") {
  const std::string good = sample_artifact();
  for (std::size_t n = 0; n < good.size(); ++n) {
    INFO("length " << n);
    check_refused(load(good.substr(0, n)), Code::E0503);
  }
}

TEST_CASE("bytes after the payload are refused", "[table][artifact][corruption]") {
  check_refused(load(sample_artifact() + "x"), Code::E0504);
}

TEST_CASE("foreign files are not warden artifacts", "[table][artifact]") {
  const std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
  check_refused(load(png), Code::E0501);
  check_refused(load("policy gateway;\nscope model:read;\n"), Code::E0501);
  check_refused(load("W"), Code::E0503);  // could be the start of an artifact
  check_refused(load(""), Code::E0503);
  const ArtifactLoad text = load("hello");
  CHECK(text.error->message == "the file does not start with the warden artifact magic `WARDENPT`");
}

TEST_CASE("a newer or older format version is refused", "[table][artifact]") {
  const std::string payload = serialize_program(test::sample_program());
  const ArtifactLoad newer = load(test::wrap_payload(payload, kFormatVersion + 1));
  check_refused(newer, Code::E0502);
  CHECK(newer.header.format_version == kFormatVersion + 1);
  CHECK(newer.error->message.find("newer") != std::string::npos);
  const ArtifactLoad older = load(test::wrap_payload(payload, kFormatVersion - 1));
  check_refused(older, Code::E0502);
  CHECK(older.error->message.find("older") != std::string::npos);
  CHECK(load(test::wrap_payload(payload, kFormatVersion)).ok());
}

TEST_CASE("a checksum mismatch names both checksums", "[table][artifact]") {
  std::string bad = sample_artifact();
  bad.back() = static_cast<char>(bad.back() ^ 1);
  const ArtifactLoad r = load(bad);
  check_refused(r, Code::E0504);
  CHECK(r.error->message.find("checksum mismatch") == 0);
}

TEST_CASE("hostile payloads with a valid checksum never crash", "[table][artifact][corruption]") {
  // Corrupt the payload, then recompute the checksum: the decoder and the
  // validator are the only defence. Every result is a refusal or a table
  // that passed validation.
  const std::string payload = serialize_program(test::sample_program());
  std::size_t accepted = 0;
  for (std::size_t i = 0; i < payload.size(); ++i) {
    for (const std::uint8_t value : {0x00, 0x01, 0x7f, 0xff}) {
      std::string bad = payload;
      if (static_cast<std::uint8_t>(bad[i]) == value) continue;
      bad[i] = static_cast<char>(value);
      const ArtifactLoad r = load(test::wrap_payload(bad));
      CHECK(r.ok() == !r.error.has_value());
      if (r.ok()) {
        ++accepted;  // e.g. a changed line number: still a consistent table
      } else {
        CHECK((r.error->code == Code::E0504 || r.error->code == Code::E0505));
      }
    }
  }
  // Most damage is caught; what gets through changed only free values.
  CHECK(accepted < payload.size() * 4);
}

TEST_CASE("a random table is refused by validation, not loaded", "[table][artifact]") {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const ArtifactLoad r = load(write_artifact(test::noise_program(seed), kInfo));
    check_refused(r, Code::E0505);
  }
}

TEST_CASE("artifact files are read from disk", "[table][artifact]") {
  const auto dir = std::filesystem::temp_directory_path() / "warden_artifact_test";
  std::filesystem::create_directories(dir);
  const auto path = dir / "sample.wdn";
  std::ofstream(path, std::ios::binary) << sample_artifact();
  const ArtifactLoad r = load_artifact_file(path);
  REQUIRE(r.ok());
  CHECK(*r.program == test::sample_program());
  check_refused(load_artifact_file(dir / "missing.wdn"), Code::E0506);
  check_refused(load_artifact_file(dir), Code::E0506);
  std::filesystem::remove_all(dir);
}
