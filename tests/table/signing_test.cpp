// Signed artifacts (table/signing.hpp, artifact.hpp): key files, Ed25519
// over the header and the payload, and a loader with verify keys refusing
// everything not signed by one of them — unsigned (E0509), another key
// (E0510), a signature that does not verify after any change, even with the
// checksum recomputed (E0511) — before the payload is decoded.
#include <catch2/catch.hpp>

#include "table/artifact.hpp"
#include "table/signing.hpp"
#include "tests/table/artifact_helpers.hpp"
#include "tests/table/sample_program.hpp"

using namespace warden;
using namespace warden::table;

namespace {

SigningKey key() {
  auto k = generate_signing_key();
  REQUIRE(k.has_value());
  return *k;
}

ArtifactLoad load(const std::string& bytes, std::span<const VerifyKey> keys = {}) {
  return load_artifact(std::span<const char>(bytes.data(), bytes.size()), keys);
}

}  // namespace

TEST_CASE("key files round-trip and name their key", "[table][signing]") {
  const SigningKey k = key();
  std::string error;
  const auto secret = parse_signing_key(signing_key_text(k), error);
  REQUIRE(secret.has_value());
  CHECK(secret->id == k.id);
  CHECK(secret->secret_key == k.secret_key);
  const auto pub = parse_verify_key(verify_key_text(k.verify_key()), error);
  REQUIRE(pub.has_value());
  CHECK(*pub == k.verify_key());
  CHECK(pub->id == key_id_of(pub->public_key));
  CHECK(verify_key_text(*pub).rfind("warden-verify-key ed25519 " + hex64(k.id) + " ", 0) == 0);
}

TEST_CASE("damaged or misplaced key files are refused with a reason", "[table][signing]") {
  const SigningKey k = key();
  std::string text = verify_key_text(k.verify_key()), error;
  CHECK_FALSE(parse_signing_key(text, error));
  CHECK(error == "this is a verify (public) key, not a signing key");
  CHECK_FALSE(parse_verify_key(signing_key_text(k), error));
  CHECK(error == "this is a signing (secret) key, not a verify key");
  CHECK_FALSE(parse_verify_key("hello", error));
  CHECK(error.rfind("not a warden verify key", 0) == 0);
  std::string flipped = text;
  flipped[flipped.size() - 2] = flipped[flipped.size() - 2] == '0' ? '1' : '0';
  CHECK_FALSE(parse_verify_key(flipped, error));
  CHECK(error == "the key id does not match the key");
  CHECK_FALSE(parse_verify_key(text.substr(0, text.size() - 3), error));
  CHECK(error == "the key id or the key is not hex of the right length");
  CHECK_FALSE(read_verify_key_file("/nonexistent/key.pub", error));
  CHECK(error == "cannot read the key file: no such file or directory");
}

TEST_CASE("signing is deterministic and the signature names its key", "[table][signing]") {
  const SigningKey k = key();
  const Program p = test::sample_program();
  const std::string a = write_artifact(p, {"test", 7}, &k), b = write_artifact(p, {"test", 7}, &k);
  CHECK(a == b);
  const ArtifactLoad r = load(a);
  REQUIRE(r.ok());
  CHECK(r.header.is_signed());
  CHECK(r.header.key_id == k.id);
  CHECK_FALSE(load(write_artifact(p, {"test", 7})).header.is_signed());
}

TEST_CASE("with verify keys only artifacts signed by one of them load", "[table][signing]") {
  const SigningKey alice = key(), mallory = key();
  const Program p = test::sample_program();
  const VerifyKey trusted[] = {alice.verify_key()};
  const std::string signed_ = write_artifact(p, {"test", 7}, &alice);

  CHECK(load(signed_, trusted).ok());
  const ArtifactLoad unsigned_ = load(write_artifact(p, {"test", 7}), trusted);
  REQUIRE_FALSE(unsigned_.ok());
  CHECK(unsigned_.error->code == Code::E0509);
  const ArtifactLoad other = load(write_artifact(p, {"test", 7}, &mallory), trusted);
  REQUIRE_FALSE(other.ok());
  CHECK(other.error->code == Code::E0510);
  CHECK(other.error->message.find(hex64(mallory.id)) != std::string::npos);
  // Rotation: either of two keys.
  const VerifyKey both[] = {mallory.verify_key(), alice.verify_key()};
  CHECK(load(signed_, both).ok());
  CHECK(load(write_artifact(p, {"test", 7}, &mallory), both).ok());
  // Without keys a signed artifact loads like any other.
  CHECK(load(signed_).ok());
}

TEST_CASE("any change to a signed artifact is refused, even with the checksum recomputed", "[table][signing]") {
  const SigningKey alice = key();
  const VerifyKey trusted[] = {alice.verify_key()};
  const std::string good = write_artifact(test::sample_program(), {"test", 7}, &alice);
  // Header with the compiler version "test": fingerprint at 18, payload
  // length at 26, algorithm at 34, key id at 35, signature at 43, checksum
  // at 107, payload from 115.
  REQUIRE(load(good, trusted).ok());
  for (std::size_t i = 0; i < good.size(); ++i) {
    if (i < 18 || (i >= 26 && i < 43) || (i >= 107 && i < 115)) continue;  // fields refused by other checks
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ 0x01);
    const ArtifactLoad r = load(test::reseal_checksum(bad), trusted);
    INFO("byte " << i);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error->code == Code::E0511);
  }
}

TEST_CASE("the signature is checked before the payload is decoded", "[table][signing]") {
  const SigningKey alice = key();
  const VerifyKey trusted[] = {alice.verify_key()};
  // A payload that does not decode, signed by nobody trusted: refused for
  // the signature, not for the payload.
  const std::string garbage = test::wrap_payload("not a table");
  const ArtifactLoad r = load(garbage, trusted);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error->code == Code::E0509);
}
