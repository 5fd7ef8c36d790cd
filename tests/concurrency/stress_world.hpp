// The world of the concurrency tests (and the reload benchmark): two
// versions of a small policy and a fact history whose every (policy, facts)
// pair gives a known, distinct set of answers, so a decision made with a mix
// of two snapshots is caught.
//
// Policy A lets any grant on a doc read it; policy B wants a `write` grant
// even to read. The facts hold one grant of alice on doc `d1`; at facts
// version v its id is `g<v>` and its level `read` when v is odd, `write` when
// v is even (next_update() moves from v to v + 1). A decision reports the
// policy fingerprint and facts version it was made with; expected() says what
// that pair must answer — outcome, the allowing rule (which names the policy
// version) and the grant id (which names the facts version).
//
// The policies are compiled here, in memory, by the compiler driver (not the
// cli), which keeps the ThreadSanitizer build small.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "compiler/driver.hpp"
#include "table/artifact.hpp"
#include "warden/engine.hpp"

namespace warden::test {

inline constexpr const char* kStressPolicyA = R"(# version A: any grant reads
policy stress;
levels read < write;
principal user;
resource doc {
  actions read, write;
  grants to user;
  level read: read;
  level write: write;
}
allow granted_a: grant to read, write on doc;
)";

inline constexpr const char* kStressPolicyB = R"(# version B: reading needs a write grant
policy stress;
levels read < write;
principal user;
resource doc {
  actions read, write;
  grants to user;
  level read: read;
  level write: write;
}
allow granted_b: grant >= write to read, write on doc;
)";

// Artifact bytes for one policy text, compiled by the driver as `warden
// compile` would.
inline std::string compile_policy_text(const std::string& text) {
  const compiler::Compilation c = compiler::compile_sources("stress", {{"stress.warden", text}});
  if (!c.ok()) {
    std::string all;
    for (const auto& d : c.rendered()) all += d + "\n";
    throw std::runtime_error("stress policy does not compile:\n" + all);
  }
  return c.artifact;
}

inline std::uint64_t artifact_fingerprint(const std::string& bytes) {
  const table::ArtifactLoad loaded = table::load_artifact(bytes);
  if (!loaded.ok()) throw std::runtime_error("stress artifact does not load");
  return loaded.header.source_fingerprint;
}

struct StressArtifacts {
  std::string a, b;
  std::uint64_t fingerprint_a = 0, fingerprint_b = 0;
  // Refused for different reasons: a cut payload (E0503), a flipped byte
  // (E0504) and something that is not an artifact at all (E0501).
  std::string truncated, flipped, foreign;

  StressArtifacts() : a(compile_policy_text(kStressPolicyA)), b(compile_policy_text(kStressPolicyB)) {
    fingerprint_a = artifact_fingerprint(a);
    fingerprint_b = artifact_fingerprint(b);
    if (fingerprint_a == fingerprint_b) throw std::runtime_error("the two stress policies share a fingerprint");
    truncated = b.substr(0, b.size() - 7);
    flipped = b;
    flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 0x20);
    foreign = "#!/bin/sh\necho this is not a policy\n";
  }
  const std::string& corrupt(unsigned i) const {
    const std::string* all[] = {&truncated, &flipped, &foreign};
    return *all[i % 3];
  }
};

inline std::string grant_id(std::uint64_t facts_version) { return "g" + std::to_string(facts_version); }
inline const char* grant_level(std::uint64_t facts_version) { return facts_version % 2 ? "read" : "write"; }

inline Grant stress_grant(std::uint64_t facts_version) {
  Grant g;
  g.id = grant_id(facts_version);
  g.subject_id = "alice";
  g.resource_type = "doc";
  g.resource_id = "d1";
  g.level = grant_level(facts_version);
  return g;
}

// The facts at version 1 (what replace_facts() on a fresh Engine publishes).
inline FactSet initial_stress_facts() {
  FactSet f;
  f.entities.push_back({"user", "alice", "", {}});
  f.entities.push_back({"doc", "d1", "", {}});
  f.grants.push_back(stress_grant(1));
  return f;
}

// The update that moves the facts from version v to v + 1.
inline FactsUpdate next_update(std::uint64_t v) {
  FactsUpdate u;
  u.remove(stress_grant(v));
  u.upsert(stress_grant(v + 1));
  return u;
}

// Alice reads or writes doc d1.
inline Request stress_request(bool write) {
  Request r;
  r.principal_type = "user";
  r.principal_id = "alice";
  r.action = write ? "write" : "read";
  r.resource_type = "doc";
  r.resource_id = "d1";
  r.time = 1790000000;
  return r;
}

struct Expected {
  bool allowed = false;
  std::string rule;      // the allowing rule; empty for a deny
  std::string grant_id;  // the grant that allowed; empty for a deny
};

// What a decision made with (policy, facts_version) must say.
inline Expected expected(const StressArtifacts& w, std::uint64_t fingerprint, std::uint64_t facts_version, bool write) {
  const bool policy_a = fingerprint == w.fingerprint_a;
  const bool write_grant = facts_version % 2 == 0;
  // A: any grant reads; writing needs a write grant. B: everything needs one.
  const bool allowed = write_grant || (policy_a && !write);
  if (!allowed) return {};
  return {true, policy_a ? "granted_a" : "granted_b", grant_id(facts_version)};
}

// Empty when `d` is what its own (policy, facts) pair must answer;
// otherwise what is wrong.
inline std::string check_decision(const StressArtifacts& w, const Decision& d, bool write) {
  if (d.policy_fingerprint != w.fingerprint_a && d.policy_fingerprint != w.fingerprint_b) {
    return "unknown policy fingerprint " + table::hex64(d.policy_fingerprint) + " (code " + d.code.str() + ")";
  }
  const Expected e = expected(w, d.policy_fingerprint, d.facts_version, write);
  const std::string rule = d.allowed() && d.rule_count > 0 ? d.rules[0].name.str() : "";
  const std::string grant = d.allowed() ? d.grant_id.str() : "";
  if (d.allowed() == e.allowed && rule == e.rule && grant == e.grant_id) return {};
  return std::string(write ? "write" : "read") + " with policy " + (d.policy_fingerprint == w.fingerprint_a ? "A" : "B") +
         " and facts v" + std::to_string(d.facts_version) + ": got " + (d.allowed() ? "allow" : "deny") + " rule `" +
         rule + "` grant `" + grant + "`, expected " + (e.allowed ? "allow" : "deny") + " rule `" + e.rule +
         "` grant `" + e.grant_id + "`";
}

// Replace `path` atomically, as `warden compile -o` does: write a temporary
// file next to it, then rename it over the target.
inline void replace_file(const std::filesystem::path& path, const std::string& bytes) {
  const std::filesystem::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
  }
  std::filesystem::rename(tmp, path);
}

}  // namespace warden::test
