// `warden eval --batch`: replay recorded requests, one JSON decision per line.
//
// Throughput matters here (the target is a million requests a minute and
// more): one OwnedRequest, Decision, Trace and output buffer are reused for
// every line, the engine is built once, and output is written in large
// blocks. A line that is not a valid request yields an error object in its
// place and the run goes on.
#include <fstream>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/eval.hpp"
#include "runtime/explain.hpp"
#include "runtime/request_json.hpp"
#include "support/json_writer.hpp"

namespace warden::cli {
namespace {

constexpr std::size_t kFlushAt = std::size_t{1} << 20;

// {"line":N,"error":{"code":"F0201","message":"…","column":C}}
void append_error(std::string& buf, const runtime::InputError& e) {
  json::Writer w(buf);
  w.begin_object().key("line").unsigned_integer(e.line).key("error").begin_object();
  w.field("code", e.code).field("message", e.message).key("column").unsigned_integer(e.column);
  w.end_object().end_object();
}

}  // namespace

int run_batch(const Engine& engine, const EvalOptions& options, std::ostream& out, std::ostream& err) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (options.batch_file != "-") {
    file.open(options.batch_file, std::ios::binary);
    if (!file) {
      err << "error[F0200]: cannot read requests file `" << options.batch_file << "`\n";
      return kExitUsage;
    }
    in = &file;
  }
  const std::string name = options.batch_file == "-" ? "<stdin>" : options.batch_file;

  runtime::OwnedRequest request;
  Decision decision;
  Trace trace;
  std::string line, buf;
  buf.reserve(kFlushAt + 64 * 1024);
  std::uint32_t number = 0;
  std::size_t bad = 0;
  while (std::getline(*in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    if (auto e = runtime::parse_request(line, request, name, number)) {
      ++bad;
      append_error(buf, *e);
    } else if (options.trace) {
      trace.events.clear();
      engine.decide(request.request, decision, trace);
      runtime::append_decision_json(buf, decision, &trace);
    } else {
      engine.decide(request.request, decision);
      runtime::append_decision_json(buf, decision);
    }
    buf += '\n';
    if (buf.size() >= kFlushAt) {
      out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
      buf.clear();
    }
  }
  out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
  out.flush();
  if (in->bad()) {
    err << "error[F0200]: reading `" << name << "` failed after line " << number << "\n";
    return kExitUsage;
  }
  if (bad) {
    err << bad << (bad == 1 ? " line was" : " lines were") << " not a valid request (see the error objects)\n";
    return kExitFindings;
  }
  return kExitOk;
}

}  // namespace warden::cli
