// A minimal enforcement point embedding Warden through the installed package
// only (find_package(warden)): load a compiled policy and facts from a JSON
// file, keep both hot-reloadable with the Watcher, read requests as JSON,
// decide them and print each decision with its explanation as JSON (what an
// access log records) and as text (what a 403 body or an operator shows).
//
// usage: consumer GATEWAY.wdn FACTS.jsonl
//
// With the reference gateway policy and fixtures/facts/gateway.jsonl, the
// read-only key `k-read` must be refused registering a model (SCOPE_MISSING,
// naming `model:write`) and the write key `k-write` let through; the exit
// status says whether both came out so.
#include <iostream>
#include <string>
#include <vector>

#include <warden/engine.hpp>
#include <warden/explain.hpp>
#include <warden/facts_json.hpp>
#include <warden/request_json.hpp>
#include <warden/watcher.hpp>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: consumer GATEWAY.wdn FACTS.jsonl\n";
    return 2;
  }
  const std::string artifact = argv[1], facts_file = argv[2];

  // Facts from a JSON file: every error has a code and a line.
  warden::FactsReader facts;
  if (const auto error = facts.add_file(facts_file)) {
    std::cerr << warden::format_error(*error) << "\n";
    return 1;
  }
  std::cout << "facts: " << facts.facts().keys.size() << " keys, " << facts.facts().entities.size()
            << " entities\n";

  // The policy and the facts loaded through the Watcher's targets, which
  // reload them when the files are replaced (start() would run that loop on
  // a thread; this example decides once and exits).
  warden::Engine engine;
  warden::Watcher watcher(engine, [](const warden::ReloadReport& r) {
    std::cout << r.target << ": " << (r.ok ? "loaded" : "refused: error[" + r.code + "]: " + r.message) << "\n";
  });
  for (warden::WatchTarget target : {warden::artifact_target(artifact), warden::facts_target({facts_file})}) {
    if (const warden::Status s = watcher.add(std::move(target)); !s.ok) {
      std::cerr << "error[" << s.code << "]: " << s.message << "\n";
      return 1;
    }
  }
  watcher.load_all();
  if (!engine.has_policy()) return 1;

  int exit_code = 0;
  for (const char* key : {"k-read", "k-write"}) {
    const std::string json = std::string(R"({"request_id":"consumer-)") + key + R"(","api_key":")" + key +
                             R"(","method":"POST","path":"/api/2.0/mlflow/registered-models/create"})";
    warden::OwnedRequest request;
    if (const auto error = warden::parse_request(json, request, "request")) {
      std::cerr << warden::format_error(*error) << "\n";
      return 1;
    }
    const warden::Decision d = engine.decide(request.request);
    std::cout << warden::decision_json(d) << "\n" << warden::explain_text(d);
    // The read key must be refused and the write key let through.
    const bool expected = std::string(key) == "k-write";
    if (d.allowed() != expected) exit_code = 1;
  }
  return exit_code;
}
