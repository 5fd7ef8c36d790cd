// The reload watcher, target by target: an artifact file, fact files and
// policy sources (recompiled). Each: a change is picked up, a broken version
// is refused with its diagnostics, counted, and leaves the running snapshot
// serving, and the next good version is picked up.
#include <catch2/catch.hpp>

#include <fstream>
#include <mutex>

#include "tests/concurrency/stress_world.hpp"
#include "tests/concurrency/temp_dir.hpp"
#include "warden/watcher.hpp"
#include "watch/source_target.hpp"

namespace {

using namespace warden;
using namespace std::chrono_literals;
using test::eventually;

// Written in place (truncate, write, close): inotify reports it on close.
// Files a reload reads together are replaced atomically instead
// (test::replace_file), as a deployment should: a reload triggered by one
// file could otherwise read another one half written.
void write_text(const std::filesystem::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
}

// The reports a watcher made, in order (the callback runs on its thread).
struct Log {
  std::mutex mutex;
  std::vector<ReloadReport> reports;
  ReloadCallback callback() {
    return [this](const ReloadReport& r) {
      std::lock_guard<std::mutex> lock(mutex);
      reports.push_back(r);
    };
  }
  std::size_t size() {
    std::lock_guard<std::mutex> lock(mutex);
    return reports.size();
  }
  ReloadReport last() {
    std::lock_guard<std::mutex> lock(mutex);
    return reports.back();
  }
  ReloadReport at(std::size_t i) {
    std::lock_guard<std::mutex> lock(mutex);
    return reports.at(i);
  }
};

// Tests that a change is ignored do not wait a fixed time and then look:
// after the changes that must be ignored they make one that must not be (a
// sentinel) and wait for its report. A watcher sees the events of one
// directory in the order they happened, so when the sentinel's reload is
// reported every earlier event has been handled — and anything they had
// triggered would have been reported first, or in its place.

const char* kFactsRead = R"({"kind":"grant","id":"g1","subject_id":"alice","resource_type":"doc","resource_id":"d1","level":"read"})";
const char* kFactsWrite = R"({"kind":"grant","id":"g1","subject_id":"alice","resource_type":"doc","resource_id":"d1","level":"write"})";

}  // namespace

TEST_CASE("an artifact target reloads a replaced artifact and refuses damaged ones") {
  const test::StressArtifacts w;
  const test::TempDir dir("watch-artifact");
  const auto file = dir / "policy.wdn";
  test::replace_file(file, w.a);
  Engine engine;
  Log log;
  Watcher watcher(engine, log.callback(), WatchOptions{0ms});
  REQUIRE(watcher.add(artifact_target(file)).ok);
  watcher.load_all();
  REQUIRE(log.size() == 1);
  CHECK(log.last().ok);
  CHECK(log.last().trigger.empty());
  CHECK(log.last().policy_fingerprint == w.fingerprint_a);
  REQUIRE(watcher.start().ok);

  test::replace_file(file, w.b);
  // Counters and the callback follow the publication: wait for them, not for
  // the fingerprint alone, before reading them.
  REQUIRE(eventually([&] { return log.size() == 2; }));
  CHECK(engine.policy_fingerprint() == w.fingerprint_b);
  CHECK(watcher.counters("policy").successes == 2);

  SECTION("truncated, corrupt and foreign files are refused with their code; the next good one is picked up") {
    const std::pair<const std::string*, const char*> bad[] = {{&w.truncated, "E0503"}, {&w.flipped, "E0504"},
                                                              {&w.foreign, "E0501"}};
    std::uint64_t failures = 0;
    for (const auto& [bytes, code] : bad) {
      test::replace_file(file, *bytes);
      REQUIRE(eventually([&] { return watcher.counters("policy").failures == failures + 1; }));
      ++failures;
      const ReloadCounters c = watcher.counters("policy");
      REQUIRE(c.last_failure.has_value());
      CHECK(c.last_failure->code == code);
      CHECK(c.last_failure->trigger == file.string());
      CHECK(c.last_failure->policy_fingerprint == w.fingerprint_b);
      REQUIRE(c.last_failure->diagnostics.size() == 1);
      CHECK(c.last_failure->diagnostics[0].find("error[" + std::string(code) + "]") != std::string::npos);
      CHECK(c.consecutive_failures == failures);
      CHECK(engine.policy_fingerprint() == w.fingerprint_b);
      CHECK(engine.decide(test::stress_request(false)).policy_fingerprint == w.fingerprint_b);
    }
    test::replace_file(file, w.a);
    REQUIRE(eventually([&] { return engine.policy_fingerprint() == w.fingerprint_a; }));
    REQUIRE(eventually([&] { return watcher.counters("policy").consecutive_failures == 0; }));
    CHECK(watcher.counters("policy").failures == 3);
  }

  SECTION("a deleted artifact is a failure (E0506) and the policy keeps serving") {
    std::filesystem::remove(file);
    REQUIRE(eventually([&] { return watcher.counters("policy").failures == 1; }));
    CHECK(watcher.counters("policy").last_failure->code == "E0506");
    CHECK(engine.policy_fingerprint() == w.fingerprint_b);
    test::replace_file(file, w.a);
    REQUIRE(eventually([&] { return engine.policy_fingerprint() == w.fingerprint_a; }));
  }

  SECTION("other files in the directory are ignored") {
    const std::size_t before = log.size();
    write_text(dir / "other.wdn", w.a);
    write_text(dir / "policy.wdn.tmp", w.a);
    test::replace_file(file, w.b);  // the sentinel: the watched file, same bytes
    REQUIRE(eventually([&] { return log.size() > before; }));
    const ReloadReport next = log.at(before);
    CHECK(next.trigger == file.string());
    CHECK(next.ok);
    CHECK(log.size() == before + 1);
    CHECK(engine.policy_fingerprint() == w.fingerprint_b);
  }
  watcher.stop();
}

TEST_CASE("a facts target replaces the facts when a file changes and refuses bad ones") {
  const test::StressArtifacts w;
  const test::TempDir dir("watch-facts");
  const auto grants = dir / "grants.jsonl";
  const auto entities = dir / "entities.json";
  test::replace_file(grants, std::string(kFactsRead) + "\n");
  test::replace_file(entities, R"({"entities":[{"type":"user","id":"alice"}]})");
  Engine engine;
  REQUIRE(engine.load_policy(w.b).ok);  // B: reading needs a write grant
  Watcher watcher(engine, {}, WatchOptions{0ms});
  REQUIRE(watcher.add(facts_target({grants, entities})).ok);
  watcher.load_all();
  REQUIRE(watcher.counters("facts").successes == 1);
  const std::uint64_t v1 = engine.facts_version();
  CHECK_FALSE(engine.decide(test::stress_request(false)).allowed());
  REQUIRE(watcher.start().ok);

  test::replace_file(grants, std::string(kFactsWrite) + "\n");
  REQUIRE(eventually([&] { return engine.facts_version() > v1; }));
  const Decision d = engine.decide(test::stress_request(false));
  CHECK(d.allowed());
  CHECK(d.grant_id.view() == "g1");
  const std::uint64_t v2 = engine.facts_version();

  // A broken file: refused with file:line, the facts stay.
  test::replace_file(grants, std::string(kFactsRead) + "\n{\"kind\":\"grant\",\"id\":\n");
  REQUIRE(eventually([&] { return watcher.counters("facts").failures == 1; }));
  const auto failure = *watcher.counters("facts").last_failure;
  CHECK(failure.code == "F0101");
  REQUIRE(failure.diagnostics.size() == 1);
  CHECK(failure.diagnostics[0].rfind(grants.string() + ":2:", 0) == 0);
  CHECK(engine.facts_version() == v2);
  CHECK(engine.decide(test::stress_request(false)).allowed());

  // A record given in both files is refused too (F0107).
  test::replace_file(entities, R"({"entities":[{"type":"user","id":"alice"}],"grants":[{"id":"g1","subject_id":"bob","resource_type":"doc","resource_id":"d1","level":"read"}]})");
  test::replace_file(grants, std::string(kFactsRead) + "\n");
  REQUIRE(eventually([&] { return watcher.counters("facts").last_failure->code == "F0107"; }));
  CHECK(engine.facts_version() == v2);

  // Fixed: picked up.
  test::replace_file(entities, R"({"entities":[{"type":"user","id":"alice"}]})");
  REQUIRE(eventually([&] { return engine.facts_version() > v2; }));
  CHECK_FALSE(engine.decide(test::stress_request(false)).allowed());
  watcher.stop();
}

TEST_CASE("a policy source target recompiles on edit and keeps the last good policy on errors") {
  const test::TempDir dir("watch-sources");
  const auto policy = dir / "stress";
  std::filesystem::create_directories(policy);
  test::replace_file(policy / "rules.warden", test::kStressPolicyA);
  Engine engine;
  REQUIRE(engine.replace_facts(test::initial_stress_facts()).ok);  // a read grant
  Log log;
  Watcher watcher(engine, log.callback(), WatchOptions{5ms});
  REQUIRE(watcher.add(watch::policy_source_target(policy, {})).ok);
  watcher.load_all();
  REQUIRE(log.last().ok);
  const std::uint64_t fp_a = engine.policy_fingerprint();
  CHECK(engine.decide(test::stress_request(false)).allowed());
  REQUIRE(watcher.start().ok);

  // Edit: version B.
  test::replace_file(policy / "rules.warden", test::kStressPolicyB);
  REQUIRE(eventually([&] { return engine.policy_fingerprint() != fp_a; }));
  const std::uint64_t fp_b = engine.policy_fingerprint();
  CHECK_FALSE(engine.decide(test::stress_request(false)).allowed());

  // Break it: the error is reported with its rendered diagnostic and B stays.
  test::replace_file(policy / "rules.warden", std::string(test::kStressPolicyB) + "allow oops: grant to raed on doc;\n");
  REQUIRE(eventually([&] { return log.size() > 0 && !log.last().ok; }));
  const ReloadReport failure = log.last();
  CHECK(watcher.counters("policy").failures == 1);
  CHECK_FALSE(failure.ok);
  CHECK(failure.code == "E0204");
  CHECK(failure.message == "1 error in the policy");
  CHECK(failure.trigger == (policy / "rules.warden").string());
  REQUIRE(failure.diagnostics.size() == 1);
  CHECK(failure.diagnostics[0].find("rules.warden:12:") != std::string::npos);
  CHECK(failure.diagnostics[0].find("error[E0204]") != std::string::npos);
  CHECK(failure.policy_fingerprint == fp_b);
  CHECK(engine.policy_fingerprint() == fp_b);

  // Fixed: picked up. Then a file joins the policy, and its removal is picked
  // up as well.
  test::replace_file(policy / "rules.warden", test::kStressPolicyA);
  REQUIRE(eventually([&] { return engine.policy_fingerprint() == fp_a; }));
  REQUIRE(eventually([&] { return watcher.counters("policy").consecutive_failures == 0; }));

  // Waiting on the reports (made after publication and counting) rather
  // than on the fingerprint keeps the counter checks below race-free.
  const std::string extra = (policy / "extra.warden").string();
  const auto reloaded = [&](bool to_a) {
    const ReloadReport r = log.last();
    return r.ok && r.trigger == extra && (r.policy_fingerprint == fp_a) == to_a;
  };
  write_text(extra, "allow everyone_reads: anyone to read on doc;\n");
  REQUIRE(eventually([&] { return reloaded(false); }));
  std::filesystem::remove(extra);
  REQUIRE(eventually([&] { return reloaded(true); }));
  CHECK(engine.policy_fingerprint() == fp_a);

  // Editors' scratch files do not trigger a recompile (they would fail it).
  const std::size_t before = log.size();
  write_text(policy / ".rules.warden.swp", "garbage");
  write_text(policy / "rules.warden~", "garbage");
  test::replace_file(policy / "rules.warden", test::kStressPolicyA);  // the sentinel: same text
  REQUIRE(eventually([&] { return log.size() > before; }));
  const ReloadReport next = log.at(before);
  CHECK(next.trigger == (policy / "rules.warden").string());
  CHECK(next.ok);
  CHECK(log.size() == before + 1);
  CHECK(watcher.counters("policy").failures == 1);
  watcher.stop();
}

TEST_CASE("a burst of changes within the debounce window is one reload") {
  const test::TempDir dir("watch-debounce");
  const auto policy = dir / "stress";
  std::filesystem::create_directories(policy);
  write_text(policy / "rules.warden", test::kStressPolicyA);
  Engine engine;
  Log log;
  Watcher watcher(engine, log.callback(), WatchOptions{500ms});
  REQUIRE(watcher.add(watch::policy_source_target(policy, {})).ok);
  watcher.load_all();
  REQUIRE(watcher.start().ok);
  // Three saves, as a `git checkout` of several files would make.
  write_text(policy / "rules.warden", test::kStressPolicyB);
  write_text(policy / "a.warden", "# nothing\n");
  write_text(policy / "b.warden", "# nothing either\n");
  REQUIRE(eventually([&] { return log.size() == 2; }));
  CHECK(log.at(1).trigger == (policy / "rules.warden").string());  // the burst's first event
  // The sentinel, after the burst's reload: its reload is the next one
  // reported only if the burst made no second one.
  write_text(policy / "sentinel.warden", "# sentinel\n");
  REQUIRE(eventually([&] { return log.size() >= 3; }));
  CHECK(log.at(2).trigger == (policy / "sentinel.warden").string());
  CHECK(log.size() == 3);
  CHECK(watcher.counters("policy").successes == 3);
  watcher.stop();
}

TEST_CASE("run() on the caller's thread returns after request_stop(); watching a missing directory fails") {
  const test::TempDir dir("watch-run");
  Engine engine;
  Watcher watcher(engine);
  CHECK(watcher.add(artifact_target(dir / "policy.wdn")).ok);
  std::thread stopper([&] {
    std::this_thread::sleep_for(20ms);
    watcher.request_stop();
  });
  watcher.run();  // returns once stopped
  stopper.join();

  Watcher other(engine);
  const Status s = other.add(artifact_target(dir / "missing" / "policy.wdn"));
  CHECK_FALSE(s.ok);
  CHECK(s.code == "E0601");
  CHECK(s.message.find("missing") != std::string::npos);
}

TEST_CASE("a facts target reads the files under the policy in service: warnings, or refused") {
  const test::StressArtifacts w;
  const test::TempDir dir("watch-facts-check");
  const auto grants = dir / "grants.jsonl";
  const char* kTypo = R"({"kind":"grant","id":"g2","subject_id":"alice","resource_type":"doc","resource_id":"d1","level":"wrte"})";
  test::replace_file(grants, std::string(kFactsWrite) + "\n" + kTypo + "\n");

  // The default: loaded, the unknown level reported as a warning (and
  // never counting).
  Engine warned;
  REQUIRE(warned.load_policy(w.b).ok);
  Log log;
  Watcher watching(warned, log.callback(), WatchOptions{0ms});
  REQUIRE(watching.add(facts_target({grants})).ok);
  watching.load_all();
  REQUIRE(log.size() == 1);
  const ReloadReport ok = log.last();
  CHECK(ok.ok);
  REQUIRE(ok.warnings.size() == 1);
  CHECK(ok.warnings[0].rfind(grants.string() + ":2:", 0) == 0);
  CHECK(ok.warnings[0].find("warning[F0404]: unknown level `wrte` in grant `g2`") != std::string::npos);
  CHECK(warned.facts_version() == 1);

  // Refuse: the reload fails with every finding, and the facts stay.
  Engine strict;
  REQUIRE(strict.load_policy(w.b).ok);
  Watcher refusing(strict, {}, WatchOptions{0ms});
  REQUIRE(refusing.add(facts_target({grants}, FactsCheck::Refuse)).ok);
  refusing.load_all();
  const ReloadCounters c = refusing.counters("facts");
  CHECK(c.failures == 1);
  REQUIRE(c.last_failure);
  CHECK(c.last_failure->code == "F0404");
  REQUIRE(c.last_failure->diagnostics.size() == 1);
  CHECK(c.last_failure->diagnostics[0].find("error[F0404]") != std::string::npos);
  REQUIRE(c.last_failure->findings.size() == 1);
  CHECK(c.last_failure->findings[0].code == "F0404");
  CHECK(!c.last_failure->findings[0].warning);
  CHECK(strict.facts_version() == 0);
}

TEST_CASE("a policy reload reports the facts in service the new policy does not declare, and keeps them") {
  // Version C renames the level `write` to `edit`: the grants of level
  // `write` already loaded name what it does not declare.
  const std::string c = test::compile_policy_text(R"(# version C: `write` is now `edit`
policy stress;
levels read < edit;
principal user;
resource doc {
  actions read, write;
  grants to user;
  level read: read;
  level edit: write;
}
allow granted_c: grant to read, write on doc;
)");
  const test::StressArtifacts w;
  const test::TempDir dir("watch-policy-recheck");
  const auto artifact = dir / "policy.wdn";
  const auto grants = dir / "grants.jsonl";
  test::replace_file(artifact, w.a);
  test::replace_file(grants, std::string(kFactsWrite) + "\n");
  Engine engine;
  Log log;
  Watcher watcher(engine, log.callback(), WatchOptions{0ms});
  REQUIRE(watcher.add(artifact_target(artifact)).ok);
  REQUIRE(watcher.add(facts_target({grants})).ok);
  watcher.load_all();
  REQUIRE(log.size() == 2);
  CHECK(log.at(0).warnings.empty());  // no facts yet
  CHECK(log.at(1).warnings.empty());  // clean under A
  const std::uint64_t facts_version = engine.facts_version();

  REQUIRE(watcher.start().ok);
  test::replace_file(artifact, c);
  REQUIRE(eventually([&] { return log.size() == 3; }));
  const ReloadReport r = log.last();
  CHECK(r.target == "policy");
  CHECK(r.ok);
  REQUIRE(r.warnings.size() == 1);
  CHECK(r.warnings[0].rfind("facts in service: warning[F0404]: unknown level `write` in grant `g1`", 0) == 0);
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].code == "F0404");
  CHECK(r.findings[0].warning);
  CHECK(r.findings_total == 1);
  // The policy is in service and the facts stay as they were.
  CHECK(engine.policy_fingerprint() == r.policy_fingerprint);
  CHECK(engine.policy_fingerprint() != w.fingerprint_a);
  CHECK(engine.facts_version() == facts_version);

  // Back to A: nothing to report.
  test::replace_file(artifact, w.a);
  REQUIRE(eventually([&] { return log.size() == 4; }));
  CHECK(log.last().ok);
  CHECK(log.last().warnings.empty());
  CHECK(log.last().findings_total == 0);
  watcher.stop();
}

TEST_CASE("a policy-sources reload reports the facts in service the new policy does not declare") {
  const test::TempDir dir("watch-sources-recheck");
  const auto policy = dir / "policy";
  std::filesystem::create_directories(policy);
  test::replace_file(policy / "stress.warden", test::kStressPolicyA);
  Engine engine;
  FactSet facts;
  facts.grants.push_back(test::stress_grant(2));  // level `write`
  REQUIRE(engine.replace_facts(facts).ok);
  Log log;
  Watcher watcher(engine, log.callback(), WatchOptions{0ms});
  REQUIRE(watcher.add(watch::policy_source_target(policy, {})).ok);
  watcher.load_all();
  REQUIRE(log.size() == 1);
  CHECK(log.last().ok);
  CHECK(log.last().warnings.empty());
  REQUIRE(watcher.start().ok);
  std::string renamed = test::kStressPolicyA;
  renamed.replace(renamed.find("read < write"), 12, "read < edit");
  renamed.replace(renamed.find("level write:"), 12, "level edit:");
  test::replace_file(policy / "stress.warden", renamed);
  REQUIRE(eventually([&] { return log.size() == 2; }));
  const ReloadReport r = log.last();
  INFO(r.message);
  CHECK(r.ok);
  REQUIRE(r.warnings.size() == 1);
  CHECK(r.warnings[0].rfind("facts in service: warning[F0404]: unknown level `write` in grant `g2`", 0) == 0);
  CHECK(engine.facts_version() == 1);
  watcher.stop();
}
