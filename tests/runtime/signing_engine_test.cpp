// Engine::set_verify_keys (engine.hpp, docs/signing.md): an engine that
// trusts a key loads only artifacts signed by it and refuses an artifact
// signed by another key or unsigned with a stable code — while the policy it
// was serving keeps deciding, unchanged.
#include <catch2/catch.hpp>

#include "table/artifact.hpp"
#include "table/signing.hpp"
#include "tests/runtime/compile_helper.hpp"
#include "tests/table/artifact_helpers.hpp"
#include "tests/runtime/test_request.hpp"

using namespace warden;

namespace {

table::SigningKey new_key() {
  auto k = table::generate_signing_key();
  REQUIRE(k.has_value());
  return *k;
}

// The policy's artifact, re-signed with `key` (or unsigned).
std::string artifact(const std::string& dir, const table::SigningKey* key, std::uint64_t fingerprint) {
  const std::string bytes = test::compile_artifact(dir);
  const table::ArtifactLoad r = table::load_artifact(bytes);
  REQUIRE(r.ok());
  return table::write_artifact(*r.program, {"warden test", fingerprint}, key);
}

VerifyKey public_key(const table::SigningKey& k) {
  VerifyKey v;
  REQUIRE(parse_verify_key(table::verify_key_text(k.verify_key()), v).ok);
  return v;
}

test::TestRequest write_request() {
  test::TestRequest r;
  r.api_key = "k-write";
  r.method = "POST";
  r.path = "/api/2.0/mlflow/registered-models/create";
  r.headers = {{"X-Tenant-ID", "acme"}};
  r.time = 1'770'000'000;
  return r;
}

}  // namespace

TEST_CASE("an engine with verify keys refuses unsigned and wrongly signed artifacts and keeps serving",
          "[engine][signing]") {
  const table::SigningKey alice = new_key(), mallory = new_key();
  Engine engine;
  engine.set_verify_keys({public_key(alice)});
  REQUIRE(engine.load_policy(artifact("policies/gateway", &alice, 1)).ok);
  const test::TestRequest request = write_request();
  const Decision before = engine.decide(request.view());
  REQUIRE(before.policy_fingerprint == 1);

  const Status other = engine.load_policy(artifact("policies/gateway", &mallory, 2));
  CHECK_FALSE(other.ok);
  CHECK(other.code == "E0510");
  const Status unsigned_ = engine.load_policy(artifact("policies/gateway", nullptr, 3));
  CHECK_FALSE(unsigned_.ok);
  CHECK(unsigned_.code == "E0509");

  const Decision after = engine.decide(request.view());
  CHECK(after.policy_fingerprint == 1);
  CHECK(after.outcome == before.outcome);
  CHECK(after.code.view() == before.code.view());

  // Rotation: the new key next to the old one.
  engine.set_verify_keys({public_key(alice), public_key(mallory)});
  CHECK(engine.load_policy(artifact("policies/gateway", &mallory, 4)).ok);
  CHECK(engine.policy_fingerprint() == 4);
  // No keys: no check.
  engine.set_verify_keys({});
  CHECK(engine.load_policy(artifact("policies/gateway", nullptr, 5)).ok);
}

TEST_CASE("a signed artifact changed after signing is refused by the engine", "[engine][signing]") {
  const table::SigningKey alice = new_key();
  Engine engine;
  engine.set_verify_keys({public_key(alice)});
  std::string bytes = artifact("policies/gateway", &alice, 1);
  // A different fingerprint in the header, the checksum recomputed: the
  // header is signed too.
  const table::ArtifactLoad r = table::load_artifact(bytes);
  REQUIRE(r.ok());
  std::string forged = table::write_artifact(*r.program, {"warden test", 99});
  const std::size_t signed_part = 14 + std::string("warden test").size() + 8 + 8;
  forged.replace(signed_part, 1 + 8 + 64, bytes.substr(signed_part, 1 + 8 + 64));  // alice's signature on the forgery
  const Status s = engine.load_policy(test::reseal_checksum(forged));
  CHECK_FALSE(s.ok);
  CHECK(s.code == "E0511");
  CHECK(engine.policy_fingerprint() == 0);
}

TEST_CASE("verify keys are read from their files with a stable code for bad ones", "[engine][signing]") {
  VerifyKey k;
  const Status bad = parse_verify_key("warden-verify-key ed25519 00 11", k);
  CHECK_FALSE(bad.ok);
  CHECK(bad.code == "E0512");
  const Status missing = read_verify_key_file("/nonexistent/alice.pub", k);
  CHECK_FALSE(missing.ok);
  CHECK(missing.code == "E0512");
  CHECK(missing.message.find("/nonexistent/alice.pub") != std::string::npos);
}
