// Faults under load: while clients decide without pause, the fact source is
// killed (its file removed), a corrupt artifact replaces the policy and a
// malformed fact update arrives. No decision may be lost (every request gets
// its answer), none may allow wrongly, the last good snapshot keeps serving
// and every failure is counted. Then the policy's own faults: a broken edit
// of policy sources, and with `--verify-key` artifacts that are not signed by
// a trusted key.
#include <catch2/catch.hpp>
#include <thread>

#include "support/json.hpp"
#include "table/artifact.hpp"
#include "table/signing.hpp"
#include "tests/server/server_fixture.hpp"

namespace warden::test {
namespace {

const std::string kRegister = "/api/2.0/mlflow/registered-models/create";

struct LoadResult {
  long long requests = 0;
  long long wrong = 0;       // an answer other than the one expected
  long long transport = 0;   // a request that got no answer
};

// One client: alternately a key that must be denied and one that must be
// allowed, until told to stop (and at most `cap` requests: the loop is
// bounded whatever happens).
void load(unsigned short port, const std::atomic<bool>& stop, LoadResult& out, long long cap) {
  try {
    HttpClient c(port);
    for (long long i = 0; i < cap && !stop.load(std::memory_order_relaxed); ++i) {
      const bool write = i % 2 == 1;
      const auto res = c.get("/v1/authz", {{"X-Original-Method", "POST"}, {"X-Original-URI", kRegister},
                                           {"X-Tenant-ID", "acme"},
                                           {"Authorization", write ? "Bearer k-write" : "Bearer k-read"}});
      ++out.requests;
      if (res.result_int() != (write ? 200u : 403u)) ++out.wrong;
    }
  } catch (const std::exception&) {
    ++out.transport;
  }
}

long long metric_now(unsigned short port, const std::string& sample) {
  return metric(HttpClient(port).get("/metrics").body(), sample);
}

}  // namespace

TEST_CASE("faults under load lose no decision and never allow wrongly", "[server][fault]") {
  ServerFixture f;
  const unsigned short port = f.port();
  const std::string fingerprint = json::parse(f.client().get("/v1/policy").body()).value->find("fingerprint")->as_string();

  std::atomic<bool> stop{false};
  constexpr int kClients = 3;
  std::vector<LoadResult> results(kClients);
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) clients.emplace_back(load, port, std::cref(stop), std::ref(results[i]), 200000);

  // 1. Kill the fact source: its file disappears.
  fs::remove(f.path("facts.jsonl"));
  CHECK(eventually([&] { return metric_now(port, "warden_reloads_total{target=\"facts\",result=\"failed\"}") >= 1; }));

  // 2. A corrupt artifact replaces the policy (renamed over it, as a deploy would).
  std::string corrupt = gateway_artifact();
  corrupt[corrupt.size() / 2] = static_cast<char>(corrupt[corrupt.size() / 2] ^ 0x5a);
  replace_file(f.path("gateway.wdn"), corrupt);
  CHECK(eventually([&] { return metric_now(port, "warden_reloads_total{target=\"policy\",result=\"failed\"}") >= 1; }));
  // A truncated one too.
  replace_file(f.path("gateway.wdn"), gateway_artifact().substr(0, 40));
  CHECK(eventually([&] { return metric_now(port, "warden_reloads_total{target=\"policy\",result=\"failed\"}") >= 2; }));

  // 3. Malformed fact updates, and one that would grant k-read write access
  //    but is not valid as a whole (all or none).
  HttpClient admin(port);
  const Headers token = {{"Authorization", bearer(kAdminToken)}};
  CHECK(admin.request(http::verb::patch, "/v1/facts", "{\"op\":\"upsert\",\"kind\":\"key\"", token).result_int() == 400);
  const std::string half_valid =
      "{\"op\":\"upsert\",\"kind\":\"key\",\"id\":\"k-read\",\"principal_id\":\"alice\",\"scopes\":[\"model:write\"]}\n"
      "{\"op\":\"remove\",\"kind\":\"grant\",\"id\":\"no-such-grant\"}\n";
  CHECK(admin.request(http::verb::patch, "/v1/facts", half_valid, token).result_int() == 409);

  // Let the load run on past the last fault until every client has been
  // answered after it: a sentinel of progress, not a fixed wait.
  const long long decided_after_faults = metric_now(port, "warden_decision_duration_seconds_count{endpoint=\"authz\"}");
  CHECK(eventually([&] {
    return metric_now(port, "warden_decision_duration_seconds_count{endpoint=\"authz\"}") > decided_after_faults + 300;
  }));
  stop = true;
  for (auto& t : clients) t.join();

  long long total = 0;
  for (const auto& r : results) {
    CHECK(r.transport == 0);
    CHECK(r.wrong == 0);
    total += r.requests;
  }
  CHECK(total > 300);
  // Every request was decided and counted; the last good pair still serves.
  const std::string m = HttpClient(port).get("/metrics").body();
  CHECK(metric(m, "warden_decision_duration_seconds_count{endpoint=\"authz\"}") == total);
  CHECK(metric(m, "warden_fact_updates_total{result=\"failed\"}") == 2);
  CHECK(metric(m, "warden_facts_version") == 1);
  CHECK(json::parse(HttpClient(port).get("/v1/policy").body()).value->find("fingerprint")->as_string() == fingerprint);
  CHECK(HttpClient(port).get("/readyz").result_int() == 200);

  // The fact source comes back: the next reload succeeds and serves.
  replace_file(f.path("facts.jsonl"), read_file("fixtures/facts/gateway.jsonl"));
  CHECK(eventually([&] { return metric_now(port, "warden_reloads_total{target=\"facts\",result=\"ok\"}") >= 2; }));
  f.server->stop();
  CHECK(f.log.str().find("\"event\":\"policy_reload_failed\"") != std::string::npos);
}

}  // namespace warden::test

namespace warden::test {

TEST_CASE("a policy directory is served, recompiled on change, and a broken edit keeps the last good", "[server]") {
  ServerFixture f([](server::ServeOptions& o, const fs::path& dir) {
    fs::create_directories(dir / "gateway");
    for (const auto& e : fs::directory_iterator("policies/gateway")) fs::copy_file(e.path(), dir / "gateway" / e.path().filename());
    o.policy = (dir / "gateway").string();
  });
  auto c = f.client();
  auto policy = json::parse(c.get("/v1/policy").body()).value;
  CHECK(policy->find("kind")->as_string() == "sources");
  const std::string first = policy->find("fingerprint")->as_string();
  const Headers read_register = {{"X-Original-Method", "POST"}, {"X-Original-URI", "/api/2.0/mlflow/registered-models/create"},
                                 {"X-Tenant-ID", "acme"}, {"Authorization", "Bearer k-read"}};
  CHECK(c.get("/v1/authz", read_register).result_int() == 403);

  // A typo: refused with its diagnostic, the running policy stays.
  const fs::path rules = f.path("gateway/rules.warden");
  const std::string good = read_file(rules);
  replace_file(rules, good + "\nallow typo: scope model:read to raed on model;\n");
  CHECK(eventually([&] { return metric(c.get("/metrics").body(), "warden_reloads_total{target=\"policy\",result=\"failed\"}") == 1; }));
  CHECK(c.get("/v1/authz", read_register).result_int() == 403);
  CHECK(json::parse(c.get("/v1/policy").body()).value->find("fingerprint")->as_string() == first);

  // A real change: read keys may now create models.
  replace_file(rules, good + "\nallow readers_create: scope model:read to create on model;\n");
  CHECK(eventually([&] { return metric(c.get("/metrics").body(), "warden_reloads_total{target=\"policy\",result=\"ok\"}") == 2; }));
  CHECK(json::parse(c.get("/v1/policy").body()).value->find("fingerprint")->as_string() != first);
  f.server->stop();
  CHECK(f.log.str().find("unknown action `raed`") != std::string::npos);
}

TEST_CASE("with --verify-key only artifacts a trusted key signed are served", "[server][signing]") {
  const auto release = table::generate_signing_key();
  const auto other = table::generate_signing_key();
  REQUIRE((release && other));
  auto signed_with = [](const table::SigningKey& key) {
    compiler::Options options;
    options.signing_key = key;
    const compiler::Compilation c = compiler::compile_path("policies/gateway", options);
    REQUIRE(c.ok());
    return c.artifact;
  };
  ServerFixture f([&](server::ServeOptions& o, const fs::path& dir) {
    write_file(dir / "gateway.wdn", signed_with(*release));
    write_file(dir / "release.pub", table::verify_key_text(release->verify_key()));
    o.verify_keys = {(dir / "release.pub").string()};
  });
  auto c = f.client();
  auto policy = json::parse(c.get("/v1/policy").body()).value;
  CHECK(policy->find("signature")->as_string() == "verified");
  CHECK(policy->find("signed_by")->as_string() == table::hex64(release->id));
  const std::string first = policy->find("fingerprint")->as_string();

  // Unsigned, then signed by another key: refused, the signed one serves.
  const std::string failed = "warden_reloads_total{target=\"policy\",result=\"failed\"}";
  replace_file(f.path("gateway.wdn"), gateway_artifact());
  CHECK(eventually([&] { return metric(c.get("/metrics").body(), failed) == 1; }));
  replace_file(f.path("gateway.wdn"), signed_with(*other));
  CHECK(eventually([&] { return metric(c.get("/metrics").body(), failed) == 2; }));
  CHECK(json::parse(c.get("/v1/policy").body()).value->find("fingerprint")->as_string() == first);
  CHECK(c.get("/v1/authz", {{"X-Original-Method", "POST"}, {"X-Original-URI", kRegister}, {"X-Tenant-ID", "acme"},
                            {"Authorization", "Bearer k-write"}})
            .result_int() == 200);
  f.server->stop();
  CHECK(f.log.str().find("E0509") != std::string::npos);
  CHECK(f.log.str().find("E0510") != std::string::npos);
}

TEST_CASE("with --verify-key an unsigned artifact or policy sources do not start", "[server][signing]") {
  TempDir dir;
  const auto release = table::generate_signing_key();
  REQUIRE(release);
  write_file(dir.path() / "release.pub", table::verify_key_text(release->verify_key()));
  write_file(dir.path() / "gateway.wdn", gateway_artifact());
  auto start = [&](const std::string& policy, const std::string& key) {
    server::ServeOptions o;
    o.policy = policy;
    o.listen = "127.0.0.1:0";
    o.threads = 1;
    o.verify_keys = {key};
    std::ostringstream log;
    server::Server s(o, log);
    const auto status = s.start();
    s.stop();
    return std::pair{status.value_or(0), log.str()};
  };
  const std::string pub = (dir.path() / "release.pub").string();
  const auto unsigned_ = start((dir.path() / "gateway.wdn").string(), pub);
  CHECK(unsigned_.first == 1);
  CHECK(unsigned_.second.find("E0509") != std::string::npos);
  const auto sources = start("policies/gateway", pub);
  CHECK(sources.first == 2);
  CHECK(sources.second.find("needs a signed artifact") != std::string::npos);
  const auto bad_key = start((dir.path() / "gateway.wdn").string(), (dir.path() / "gateway.wdn").string());
  CHECK(bad_key.first == 2);
  CHECK(bad_key.second.find("E0512") != std::string::npos);
}

}  // namespace warden::test
