// The peer benchmark's C++ side: Warden (through the public API of
// include/warden/, the artifact compiled by `warden compile`) and the plain
// hand-written C++ evaluator, on the data and requests ../js/generate.mjs
// wrote. Driven by ../js/run.mjs:
//
//   warden_peers_harness --data DIR --artifact FILE --mode check --out FILE
//       every decision of every engine ("0"/"1" per request, Warden's codes)
//   warden_peers_harness --data DIR --artifact FILE --mode time --out FILE
//       [--min-seconds S] [--rounds R]
//       per engine and round: p50/p90/p99/mean of decisions timed alone,
//       and decisions per second (timing.hpp); engines alternate per round
//
// Output is JSON, in the same shape as ../js/harness.mjs writes.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "plain_evaluator.hpp"
#include "scenario_data.hpp"
#include "timing.hpp"
#include "warden/engine.hpp"
#include "warden_facts.hpp"

namespace warden::peers {
namespace {

struct Options {
  std::string data, artifact, mode, out;
  double min_seconds = 2.0;
  int rounds = 1;
};

Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (i + 1 >= argc) throw std::runtime_error("missing value after `" + arg + "`");
    const std::string value = argv[++i];
    if (arg == "--data") o.data = value;
    else if (arg == "--artifact") o.artifact = value;
    else if (arg == "--mode") o.mode = value;
    else if (arg == "--out") o.out = value;
    else if (arg == "--min-seconds") o.min_seconds = std::stod(value);
    else if (arg == "--rounds") o.rounds = std::stoi(value);
    else throw std::runtime_error("unknown option `" + arg + "`");
  }
  if (o.data.empty() || o.artifact.empty() || o.out.empty() || (o.mode != "check" && o.mode != "time") || o.rounds < 1) {
    throw std::runtime_error(
        "usage: warden_peers_harness --data DIR --artifact FILE --mode check|time --out FILE [--min-seconds S] [--rounds R]");
  }
  return o;
}

// JSON strings here are ids, codes and version text: escape what JSON needs.
std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') out += '\\', out += c;
    else if (static_cast<unsigned char>(c) < 0x20) out += ' ';
    else out += c;
  }
  return out + "\"";
}

std::string number(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", x);
  return buf;
}

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

// Warden's requests borrow the strings of the HTTP requests they stand for.
std::vector<Request> warden_requests(const std::vector<HttpRequest>& http, std::int64_t now) {
  std::vector<Request> out;
  out.reserve(http.size());
  for (const auto& h : http) {
    Request r;
    r.api_key = h.key;
    r.method = h.method;
    r.path = h.path;
    r.time = now;
    out.push_back(r);
  }
  return out;
}

int run(const Options& o) {
  const auto t_read = std::chrono::steady_clock::now();
  const Scenario scenario = read_scenario(o.data);
  const std::vector<HttpRequest> http = read_requests(o.data);
  const double read_ms = ms_since(t_read);

  const auto t_warden = std::chrono::steady_clock::now();
  Engine engine;
  if (const Status st = engine.load_policy_file(o.artifact); !st.ok) throw std::runtime_error(st.code + ": " + st.message);
  if (const Status st = engine.replace_facts(to_fact_set(scenario)); !st.ok) throw std::runtime_error(st.code + ": " + st.message);
  const double warden_setup_ms = ms_since(t_warden);
  const std::vector<Request> requests = warden_requests(http, scenario.now);

  const auto t_plain = std::chrono::steady_clock::now();
  const PlainEvaluator plain(scenario);
  const double plain_setup_ms = ms_since(t_plain);

  auto warden_decide = [&engine, d = Decision{}](const Request& r) mutable {
    engine.decide(r, d);
    return d.allowed();
  };
  const auto plain_decide = [&plain](const HttpRequest& r) { return plain.decide(r); };

#if defined(__clang__)
  const std::string compiler = "clang " __clang_version__;
#elif defined(__GNUC__)
  const std::string compiler = "GCC " __VERSION__;
#else
  const std::string compiler = "unknown";
#endif
  std::string json = "{\"mode\":" + quoted(o.mode) + ",\"read_ms\":" + number(read_ms) + ",\"compiler\":" + quoted(compiler);
  char fingerprint[17];
  std::snprintf(fingerprint, sizeof fingerprint, "%016llx", static_cast<unsigned long long>(engine.policy_fingerprint()));
  const std::string warden_head = "{\"name\":\"warden\",\"policy_fingerprint\":" + quoted(fingerprint) +
                                  ",\"setup_ms\":" + number(warden_setup_ms);
  const std::string plain_head = "{\"name\":\"plain-cpp\",\"setup_ms\":" + number(plain_setup_ms);

  if (o.mode == "check") {
    std::string warden_decisions, plain_decisions, codes;
    Decision d;
    for (std::size_t i = 0; i < requests.size(); ++i) {
      engine.decide(requests[i], d);
      warden_decisions += d.allowed() ? '1' : '0';
      codes += (i ? "," : "") + quoted(d.code.view());
      plain_decisions += plain.decide(http[i]) ? '1' : '0';
    }
    json += ",\"engines\":[" + warden_head + ",\"decisions\":" + quoted(warden_decisions) + ",\"codes\":[" + codes + "]}," +
            plain_head + ",\"decisions\":" + quoted(plain_decisions) + "}]}";
  } else {
    std::string warden_rounds, plain_rounds;
    const auto round_json = [](const RoundResult& r) {
      return "{\"p50_ns\":" + number(r.p50_ns) + ",\"p90_ns\":" + number(r.p90_ns) + ",\"p99_ns\":" + number(r.p99_ns) +
             ",\"mean_ns\":" + number(r.mean_ns) + ",\"samples\":" + std::to_string(r.samples) +
             ",\"throughput_per_s\":" + number(r.throughput_per_s) + ",\"throughput_per_cpu_s\":" + number(r.throughput_per_cpu_s) +
             ",\"allow_ratio\":" + number(r.allow_ratio) + "}";
    };
    for (int round = 0; round < o.rounds; ++round) {
      const RoundResult w = time_engine(requests, warden_decide, o.min_seconds);
      const RoundResult p = time_engine(http, plain_decide, o.min_seconds);
      warden_rounds += (round ? "," : "") + round_json(w);
      plain_rounds += (round ? "," : "") + round_json(p);
      for (const auto& [name, r] : {std::pair{"warden", w}, std::pair{"plain-cpp", p}}) {
        std::cerr << "  " << name << ": p50 " << r.p50_ns << " ns, p99 " << r.p99_ns << " ns, "
                  << static_cast<long long>(r.throughput_per_cpu_s) << " decisions per CPU second\n";
      }
    }
    json += ",\"clock_overhead_ns\":" + number(clock_overhead_ns()) + ",\"engines\":[" + warden_head + ",\"rounds\":[" +
            warden_rounds + "]}," + plain_head + ",\"rounds\":[" + plain_rounds + "]}]}";
  }
  std::ofstream out(o.out);
  out << json << "\n";
  if (!out.flush()) throw std::runtime_error("cannot write `" + o.out + "`");
  return 0;
}

}  // namespace
}  // namespace warden::peers

int main(int argc, char** argv) {
  try {
    return warden::peers::run(warden::peers::parse_options(argc, argv));
  } catch (const std::exception& e) {
    std::cerr << "warden_peers_harness: " << e.what() << "\n";
    return 1;
  }
}
