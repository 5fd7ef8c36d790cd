// The compiler driver (compiler/driver.hpp): what "a policy path" means —
// a directory, a one-file policy, an artifact by name or by magic — and
// what each failure reports; determinism of the artifact; in-memory sources.
//
// Runs from the source root (CTest sets the working directory) for the
// reference policies; everything else lives in a temporary directory.
#include <catch2/catch.hpp>

#include <stdlib.h>

#include <filesystem>

#include "compiler/driver.hpp"
#include "compiler/model.hpp"
#include "support/file_io.hpp"
#include "table/artifact.hpp"
#include "table/detect.hpp"

using namespace warden;
namespace fs = std::filesystem;

namespace {

class Scratch {
 public:
  Scratch() {
    std::string pattern = (fs::temp_directory_path() / "warden-driver-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~Scratch() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  fs::path operator/(const std::string& name) const { return path_ / name; }
  void write(const std::string& name, const std::string& text) const {
    fs::create_directories((path_ / name).parent_path());
    REQUIRE(write_file_atomically(path_ / name, text).empty());
  }

 private:
  fs::path path_;
};

constexpr const char* kPolicy = R"(policy small;
principal user;
resource doc { actions read; }
allow readers: anyone to read on doc;
)";

std::vector<std::string> codes(const compiler::Compilation& c) {
  std::vector<std::string> out;
  for (const auto& d : c.diagnostics) out.emplace_back(code_info(d.code).name);
  return out;
}

}  // namespace

TEST_CASE("a policy directory compiles to a validated table and artifact bytes", "[driver]") {
  const compiler::Compilation c = compiler::compile_path("policies/gateway");
  REQUIRE(c.ok());
  CHECK(c.kind == compiler::InputKind::Sources);
  CHECK(c.name == "gateway");
  CHECK(c.location == "policies/gateway");
  CHECK(c.diagnostics.empty());
  CHECK(c.sources.size() == 3);
  REQUIRE(c.program != nullptr);
  const table::ArtifactLoad loaded = table::load_artifact(c.artifact);
  REQUIRE(loaded.ok());
  CHECK(*loaded.program == *c.program);
  CHECK(loaded.header.source_fingerprint == c.fingerprint);
  CHECK(loaded.header.compiler_version == compiler::compiler_version());
  CHECK(c.times.parse.count() > 0);
  CHECK(c.times.serialize.count() > 0);
}

TEST_CASE("the artifact does not depend on how the path is spelled or where it lives", "[driver]") {
  const Scratch dir;
  for (const char* file : {"endpoints.warden", "rules.warden", "scopes.warden"}) {
    dir.write(std::string("copy/gateway/") + file, read_file(fs::path("policies/gateway") / file).bytes);
  }
  const compiler::Compilation a = compiler::compile_path("policies/gateway");
  const compiler::Compilation b = compiler::compile_path((fs::absolute("policies/gateway") / "").string());
  const compiler::Compilation c = compiler::compile_path(dir / "copy/gateway");
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  REQUIRE(c.ok());
  CHECK(a.artifact == b.artifact);
  CHECK(a.artifact == c.artifact);
}

TEST_CASE("in-memory sources compile like the same files on disk", "[driver]") {
  const Scratch dir;
  dir.write("small/small.warden", kPolicy);
  const compiler::Compilation on_disk = compiler::compile_path(dir / "small");
  const compiler::Compilation in_memory = compiler::compile_sources("small", {{"small.warden", kPolicy}});
  REQUIRE(on_disk.ok());
  REQUIRE(in_memory.ok());
  CHECK(in_memory.artifact == on_disk.artifact);
  CHECK(in_memory.location.empty());
  CHECK(in_memory.path.empty());
}

TEST_CASE("a one-file policy is named by its declaration, else by its file", "[driver]") {
  const Scratch dir;
  dir.write("one.warden", kPolicy);
  const compiler::Compilation c = compiler::compile_path(dir / "one.warden");
  REQUIRE(c.ok());
  CHECK(c.name == "small");
  const compiler::Compilation unnamed =
      compiler::compile_sources("fallback", {{"x.warden", "principal user;\nresource doc { actions read; }\n"}});
  REQUIRE(unnamed.ok());
  CHECK(unnamed.name == "fallback");
}

TEST_CASE("an artifact is recognized by its name or its magic and verified", "[driver]") {
  const Scratch dir;
  const compiler::Compilation source = compiler::compile_sources("small", {{"small.warden", kPolicy}});
  REQUIRE(source.ok());
  dir.write("policy.wdn", source.artifact);
  dir.write("policy.bin", source.artifact);
  for (const char* name : {"policy.wdn", "policy.bin"}) {
    INFO(name);
    CHECK(table::is_artifact_file(dir / name));
    const compiler::Compilation c = compiler::compile_path(dir / name);
    REQUIRE(c.ok());
    CHECK(c.kind == compiler::InputKind::Artifact);
    CHECK(c.artifact == source.artifact);
    CHECK(c.fingerprint == source.fingerprint);
    CHECK(*c.program == *source.program);
    CHECK(c.location.empty());
    CHECK(c.sources.size() == 0);
  }

  SECTION("a damaged artifact is refused with its code") {
    dir.write("cut.wdn", source.artifact.substr(0, source.artifact.size() / 2));
    const compiler::Compilation c = compiler::compile_path(dir / "cut.wdn");
    CHECK(c.failure == compiler::Failure::Policy);
    CHECK(codes(c) == std::vector<std::string>{"E0503"});
    CHECK(c.diagnostics[0].message.rfind("cannot load `", 0) == 0);
    CHECK(c.program == nullptr);
    CHECK(c.artifact.empty());
  }
  SECTION("a `.wdn` file without the magic is a foreign artifact, not a policy") {
    dir.write("foreign.wdn", "policy x;\n");
    const compiler::Compilation c = compiler::compile_path(dir / "foreign.wdn");
    CHECK(codes(c) == std::vector<std::string>{"E0501"});
  }
  SECTION("other files without the magic are policy sources") {
    dir.write("notes.txt", kPolicy);
    CHECK_FALSE(table::is_artifact_file(dir / "notes.txt"));
    CHECK(compiler::compile_path(dir / "notes.txt").ok());
  }
}

TEST_CASE("path problems are input failures with their own codes", "[driver]") {
  const Scratch dir;
  const compiler::Compilation missing = compiler::compile_path(dir / "missing");
  CHECK(missing.failure == compiler::Failure::Input);
  CHECK(codes(missing) == std::vector<std::string>{"E0001"});
  CHECK_FALSE(missing.diagnostics[0].span.valid());

  fs::create_directories(dir / "empty");
  const compiler::Compilation empty = compiler::compile_path(dir / "empty");
  CHECK(empty.failure == compiler::Failure::Policy);
  CHECK(codes(empty) == std::vector<std::string>{"E0002"});

  dir.write("two/a/a.warden", kPolicy);
  dir.write("two/b/b.warden", kPolicy);
  const compiler::Compilation two = compiler::compile_path(dir / "two");
  CHECK(two.failure == compiler::Failure::Input);
  REQUIRE(codes(two) == std::vector<std::string>{"E0003"});
  CHECK(two.diagnostics[0].message.find("holds 2 policies (`a`, `b`)") != std::string::npos);
}

TEST_CASE("errors stop the pipeline; warnings do not, unless they count as errors", "[driver]") {
  const std::string broken = std::string(kPolicy) + "allow typo: anyone to raed on doc;\n";
  const compiler::Compilation c = compiler::compile_sources("small", {{"small.warden", broken}});
  CHECK(c.failure == compiler::Failure::Policy);
  CHECK(codes(c) == std::vector<std::string>{"E0204"});
  CHECK(c.error_count() == 1);
  CHECK(c.program == nullptr);
  CHECK(c.artifact.empty());
  REQUIRE(c.rendered().size() == 1);
  CHECK(c.rendered()[0].rfind("small.warden:5:23: error[E0204]: ", 0) == 0);

  // W0403: cross_tenant without isolation.
  const std::string warned = std::string(kPolicy) + "allow everyone: anyone to read on doc cross_tenant;\n";
  const compiler::Compilation w = compiler::compile_sources("small", {{"small.warden", warned}});
  REQUIRE(w.ok());
  CHECK(w.warning_count() == 1);
  CHECK(codes(w) == std::vector<std::string>{"W0403"});
  CHECK_FALSE(w.artifact.empty());
  const compiler::Compilation strict =
      compiler::compile_sources("small", {{"small.warden", warned}}, {.warnings_as_errors = true});
  CHECK(strict.failure == compiler::Failure::Policy);
  CHECK(strict.error_count() == 1);
  CHECK(strict.artifact.empty());
}

TEST_CASE("check-only stops after the checks; the model is kept on request", "[driver]") {
  const compiler::Compilation c = compiler::compile_sources("small", {{"small.warden", kPolicy}}, {.check_only = true});
  CHECK(c.ok());
  CHECK(c.program == nullptr);
  CHECK(c.artifact.empty());
  CHECK(c.model == nullptr);
  const compiler::Compilation kept = compiler::compile_sources("small", {{"small.warden", kPolicy}}, {.keep_model = true});
  REQUIRE(kept.model != nullptr);
  CHECK(kept.ok());
}

TEST_CASE("a signing key signs the artifact; verify keys load only what they signed", "[driver][signing]") {
  const Scratch dir;
  dir.write("small/small.warden", kPolicy);
  const auto alice = table::generate_signing_key();
  const auto mallory = table::generate_signing_key();
  REQUIRE((alice && mallory));

  compiler::Options sign;
  sign.signing_key = alice;
  const compiler::Compilation signed_ = compiler::compile_path(dir / "small", sign);
  REQUIRE(signed_.ok());
  const table::ArtifactLoad header = table::load_artifact(signed_.artifact);
  REQUIRE(header.ok());
  CHECK(header.header.is_signed());
  CHECK(header.header.key_id == alice->id);
  // Deterministic, and the table is the one compiled without a key.
  CHECK(compiler::compile_path(dir / "small", sign).artifact == signed_.artifact);
  CHECK(*signed_.program == *compiler::compile_path(dir / "small").program);

  dir.write("signed.wdn", signed_.artifact);
  dir.write("unsigned.wdn", compiler::compile_path(dir / "small").artifact);
  compiler::Options verify;
  verify.verify_keys = {mallory->verify_key(), alice->verify_key()};
  const compiler::Compilation accepted = compiler::compile_path(dir / "signed.wdn", verify);
  CHECK(accepted.ok());
  CHECK(accepted.artifact == signed_.artifact);

  const compiler::Compilation unsigned_ = compiler::compile_path(dir / "unsigned.wdn", verify);
  CHECK(unsigned_.failure == compiler::Failure::Policy);
  CHECK(codes(unsigned_) == std::vector<std::string>{"E0509"});

  verify.verify_keys = {mallory->verify_key()};
  const compiler::Compilation other = compiler::compile_path(dir / "signed.wdn", verify);
  CHECK(other.failure == compiler::Failure::Policy);
  CHECK(codes(other) == std::vector<std::string>{"E0510"});

  // Sources are never signed: with verify keys they are an input failure,
  // from a path and from memory alike.
  const compiler::Compilation sources = compiler::compile_path(dir / "small", verify);
  CHECK(sources.failure == compiler::Failure::Input);
  REQUIRE(codes(sources) == std::vector<std::string>{"E0509"});
  CHECK(sources.diagnostics[0].message.find("needs a signed artifact") != std::string::npos);
  CHECK(sources.artifact.empty());
  CHECK(codes(compiler::compile_sources("small", {{"small.warden", kPolicy}}, verify)) ==
        std::vector<std::string>{"E0509"});
}
