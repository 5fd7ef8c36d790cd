// Limits and hostile clients: oversized bodies and headers, malformed HTTP,
// slow senders, too many connections, graceful shutdown.
#include <catch2/catch.hpp>
#include <thread>

#include "support/json.hpp"
#include "tests/server/server_fixture.hpp"

namespace warden::test {
namespace {

std::string code_of(const Response& r) {
  auto v = json::parse(r.body());
  REQUIRE(v.ok());
  return v.value->find("code")->as_string();
}

}  // namespace

TEST_CASE("body and header limits answer 413 and 431", "[server]") {
  ServerFixture f([](server::ServeOptions& o, const fs::path&) {
    o.limits.max_body = 256;
    o.limits.max_header = 1024;
  });
  {
    auto c = f.client();
    auto big = c.post("/v1/decide", std::string(300, ' '));
    CHECK(big.result_int() == 413);
    CHECK(code_of(big) == "S0101");
  }
  {
    auto c = f.client();
    auto big = c.get("/healthz", {{"X-Padding", std::string(2000, 'a')}});
    CHECK(big.result_int() == 431);
    CHECK(code_of(big) == "S0102");
  }
  auto c = f.client();
  c.send_raw("GARBAGE / HTTP/9.9\r\n\r\n");
  auto bad = c.read_response();
  CHECK(bad.result_int() == 400);
  CHECK(code_of(bad) == "S0103");
  CHECK(c.closed_by_server());
  // The service is still there.
  CHECK(f.client().get("/healthz").result_int() == 200);
}

TEST_CASE("a client that sends its headers too slowly is cut off", "[server]") {
  ServerFixture f([](server::ServeOptions& o, const fs::path&) { o.limits.header_timeout = std::chrono::milliseconds(200); });
  auto c = f.client();
  c.send_raw("GET /healthz HTTP/1.1\r\nHost: x\r\n");  // and never the blank line
  CHECK(c.closed_by_server());
  CHECK(eventually([&] {
    return metric(f.client().get("/metrics").body(), "warden_http_errors_total{code=\"S0104\",status=\"408\"}") == 1;
  }));
}

TEST_CASE("an idle keep-alive connection is closed after the idle timeout", "[server]") {
  ServerFixture f([](server::ServeOptions& o, const fs::path&) { o.limits.idle_timeout = std::chrono::milliseconds(100); });
  auto c = f.client();
  CHECK(c.get("/healthz").result_int() == 200);
  CHECK(c.closed_by_server());
}

TEST_CASE("connections over the limit get 503 and are closed", "[server]") {
  ServerFixture f([](server::ServeOptions& o, const fs::path&) { o.limits.max_connections = 2; });
  auto a = f.client();
  auto b = f.client();
  CHECK(a.get("/healthz").result_int() == 200);
  CHECK(b.get("/healthz").result_int() == 200);
  auto third = f.client();
  auto refused = third.read_response();
  CHECK(refused.result_int() == 503);
  CHECK(code_of(refused) == "S0109");
  CHECK(metric(a.get("/metrics").body(), "warden_connections_refused_total") == 1);
}

TEST_CASE("graceful shutdown closes idle connections and flushes the log", "[server]") {
  auto f = std::make_unique<ServerFixture>();
  auto c = f->client();
  for (int i = 0; i < 50; ++i) {
    c.post("/v1/decide", "{\"api_key\":\"k-read\",\"action\":\"read\",\"resource\":{\"type\":\"model\",\"id\":\"churn\"}}");
  }
  f->server->stop();
  CHECK(c.closed_by_server());
  std::istringstream in(read_file(f->path("decisions.jsonl")));
  std::string line;
  int n = 0;
  while (std::getline(in, line)) ++n;
  CHECK(n == 50);
  CHECK(f->log.str().find("\"event\":\"stopped\"") != std::string::npos);
}

}  // namespace warden::test
