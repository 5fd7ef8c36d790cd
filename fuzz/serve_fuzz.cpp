// libFuzzer target: `warden serve`'s HTTP request parsing and endpoints.
//
// Bytes go through the same Beast parser, with the same limits, as a
// connection's; a request that parses is handled by the Service over an
// Engine holding the compiled gateway policy and its demo facts. Properties:
// nothing crashes or reads out of bounds (ASan/UBSan), every response has a
// status, and a gateway check answered 200 was an allow or a would-deny.
// Inputs are capped at 8 KiB: larger ones hit the size limits first.
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <cstdint>
#include <cstdlib>
#include <ostream>
#include <streambuf>

#include "compiler/driver.hpp"
#include "server/service.hpp"
#include "warden/facts_json.hpp"

namespace {

using namespace warden;

struct NullBuffer : std::streambuf {
  int overflow(int c) override { return c; }
};

struct World {
  NullBuffer null_buffer;
  std::ostream null_stream{&null_buffer};
  Engine engine;
  server::ServeOptions options;
  server::Metrics metrics{1};
  server::DecisionLog log{server::DecisionLogOptions{}};
  server::ServiceLog service_log{null_stream};
  server::Service service{engine, options, metrics, log, service_log, std::make_shared<server::PolicyInfoCell>()};

  World() {
    const std::string root = WARDEN_SOURCE_DIR;
    const compiler::Compilation policy = compiler::compile_path(root + "/policies/gateway");
    if (!policy.ok() || !engine.load_policy(policy.artifact).ok) std::abort();
    FactsReader reader;
    if (reader.add_file(root + "/fixtures/facts/gateway.jsonl") || !engine.replace_facts(reader.take()).ok) std::abort();
    options.limits.max_body = 4096;
    options.limits.max_header = 4096;
    options.limits.max_json_depth = 16;
    options.limits.max_batch = 16;
    service.set_admin_token("fuzz-admin-token-0123456789");
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 8192) return 0;
  static World* world = new World();
  boost::beast::http::request_parser<boost::beast::http::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(world->options.limits.max_header));
  parser.body_limit(world->options.limits.max_body);
  parser.eager(true);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(data, size), ec);
  if (!ec && !parser.is_done()) parser.put_eof(ec);
  if (ec || !parser.is_done()) return 0;
  server::HttpResponse res;
  server::Peer peer;
  peer.address = "127.0.0.1";
  world->service.handle(parser.get(), peer, res);
  if (res.result_int() < 100 || res.result_int() > 599) std::abort();
  const auto decision = res["X-Warden-Decision"];
  if (res.result_int() == 200 && decision == "deny") std::abort();
  return 0;
}
