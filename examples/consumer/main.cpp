// A minimal enforcement point embedding the Warden runtime: load a compiled
// policy, load facts, decide two gateway requests and print the decisions.
//
// usage: consumer GATEWAY.wdn
#include <iostream>

#include <warden/engine.hpp>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: consumer GATEWAY.wdn\n";
    return 2;
  }
  warden::Engine engine;
  if (const warden::Status s = engine.load_policy_file(argv[1]); !s.ok) {
    std::cerr << "error[" << s.code << "]: " << s.message << "\n";
    return 1;
  }
  warden::FactSet facts;
  facts.entities.push_back({"org", "acme", "acme", {{"status", warden::FactValue::string("active")}}});
  facts.entities.push_back({"user", "alice", "acme", {{"org", warden::FactValue::string("acme")}}});
  facts.keys.push_back({"read-key", "user", "alice", {"model:read"}, "", std::nullopt, false});
  facts.keys.push_back({"write-key", "user", "alice", {"model:write"}, "", std::nullopt, false});
  if (const warden::Status s = engine.replace_facts(facts); !s.ok) {
    std::cerr << "error[" << s.code << "]: " << s.message << "\n";
    return 1;
  }
  int exit_code = 0;
  for (const char* key : {"read-key", "write-key"}) {
    warden::Request r;
    r.api_key = key;
    r.method = "POST";
    r.path = "/api/2.0/mlflow/registered-models/create";
    r.request_id = key;
    const warden::Decision d = engine.decide(r);
    std::cout << key << ": " << warden::outcome_name(d.outcome) << " " << d.code.view() << " — " << d.message.view() << "\n";
    // The read key must be refused and the write key let through.
    const bool expected = std::string_view(key) == "write-key";
    if (d.allowed() != expected) exit_code = 1;
  }
  return exit_code;
}
