// Running suites and comparing decisions with expectations (see
// runner.hpp).
#include "policy_test/runner.hpp"

#include <algorithm>

#include "warden/facts_json.hpp"
#include "warden/owned_request.hpp"
#include "warden/request_json.hpp"

namespace warden::policy_test {
namespace fs = std::filesystem;
namespace {

std::string ticked(std::string_view s) { return "`" + std::string(s) + "`"; }

std::string rule_names(const Decision& d) {
  std::string s;
  for (std::uint8_t i = 0; i < d.rule_count && i < Decision::kMaxRules; ++i) {
    s += (i ? ", " : "") + ticked(d.rules[i].name.view());
  }
  return s.empty() ? "none" : s;
}

std::string list_names(const std::vector<std::string>& names) {
  std::string s;
  for (std::size_t i = 0; i < names.size(); ++i) s += (i ? ", " : "") + ticked(names[i]);
  return s.empty() ? "none" : s;
}

// Where a line of inline facts is: the suite file and the line of the
// `facts` value, with the record (JSONL) as the text gives it.
std::string inline_place(const InputError& e, const FactsSource& f, const fs::path& suite) {
  std::string where = suite.generic_string() + ":" + std::to_string(f.line);
  std::string record = f.lines && e.line ? " (record " + std::to_string(e.line) + ")" : "";
  return where + ": " + (e.warning ? "warning[" : "error[") + e.code + "]: inline facts" + record + ": " + e.message;
}

// Adds a suite's or case's facts to `reader`; returns an error (every
// finding when the policy refused them) or "". Findings loaded anyway go to
// `warnings`.
std::string add_facts(FactsReader& reader, const std::vector<FactsSource>& sources, const fs::path& suite,
                      std::vector<std::string>& warnings) {
  for (const FactsSource& f : sources) {
    const std::size_t before = reader.findings().size();
    std::optional<InputError> e;
    if (!f.file.empty()) {
      e = reader.add_file(f.file);
    } else {
      e = reader.add(f.text, "inline facts", f.lines ? FactsFormat::Lines : FactsFormat::Document);
    }
    std::vector<std::string> found;
    for (std::size_t i = before; i < reader.findings().size(); ++i) {
      const InputError& finding = reader.findings()[i];
      found.push_back(f.file.empty() ? inline_place(finding, f, suite) : format_error(finding));
    }
    if (e && !found.empty()) {
      std::string all;
      for (const auto& line : found) all += (all.empty() ? "" : "\n") + line;
      return all;
    }
    if (e) return f.file.empty() ? inline_place(*e, f, suite) : format_error(*e);
    warnings.insert(warnings.end(), found.begin(), found.end());
  }
  return "";
}

std::string status_text(const Status& s) { return s.ok ? "" : "error[" + s.code + "]: " + s.message; }

void run_case(const Engine& engine, const Suite& suite, const TestCase& test, CaseResult& out) {
  OwnedRequest request;
  if (auto e = parse_request(test.request, request, suite.file.generic_string())) {
    out.error = suite.file.generic_string() + ":" + std::to_string(test.request_line) + ": error[" + e->code +
                "]: request: " + e->message;
    return;
  }
  engine.decide(request.request, out.decision, out.trace);
  out.mismatches = compare(test.expect, out.decision);
  out.passed = out.mismatches.empty();
}

}  // namespace

std::size_t SuiteResult::passed() const {
  std::size_t n = 0;
  for (const auto& c : cases) n += c.passed;
  return n;
}

std::size_t SuiteResult::failed() const {
  if (!error.empty()) return std::max<std::size_t>(1, suite.cases.size());
  return cases.size() - passed();
}

std::size_t TestRun::passed() const {
  std::size_t n = 0;
  for (const auto& s : suites_) n += s->passed();
  return n;
}

std::size_t TestRun::failed() const {
  std::size_t n = 0;
  for (const auto& s : suites_) n += s->failed();
  return n;
}

TestedPolicy& TestRun::policy(const fs::path& path) {
  std::error_code ec;
  std::string key = fs::weakly_canonical(fs::absolute(path), ec).generic_string();
  if (ec) key = path.generic_string();
  auto& slot = policies_[key];
  if (slot) return *slot;
  slot = std::make_unique<TestedPolicy>();
  slot->display = path.generic_string();
  slot->compiled = compiler::compile_path(path);
  if (!slot->compiled.ok()) slot->error = slot->compiled.error_report();
  order_.push_back(slot.get());
  return *slot;
}

void TestRun::run_file(const fs::path& file) {
  auto result = std::make_unique<SuiteResult>();
  SuiteResult& r = *result;
  suites_.push_back(std::move(result));
  if (auto e = read_suite(file, r.suite)) {
    r.error = format_error(*e);
    return;
  }
  TestedPolicy& tested = policy(r.suite.policy);
  tested.suites.push_back(file.generic_string());
  r.policy = &tested;
  if (!tested.error.empty()) {
    r.error = "the policy `" + tested.display + "` could not be loaded:\n" + tested.error;
    return;
  }
  // The policy first: facts are read under it.
  Engine engine;
  r.error = status_text(engine.load_policy(tested.compiled.artifact));
  if (!r.error.empty()) return;
  FactsReader facts;
  facts.check_against(engine.fact_schema(), facts_check_);
  r.error = add_facts(facts, r.suite.facts, file, r.warnings);
  if (r.error.empty()) r.error = status_text(engine.replace_facts(facts.facts()));
  if (!r.error.empty()) return;

  r.cases.resize(r.suite.cases.size());
  for (std::size_t i = 0; i < r.suite.cases.size(); ++i) {
    const TestCase& test = r.suite.cases[i];
    CaseResult& out = r.cases[i];
    out.test = &test;
    if (test.facts.empty()) {
      run_case(engine, r.suite, test, out);
    } else {
      // Facts of this case only: the suite's facts plus its own.
      FactsReader own = facts;
      Engine case_engine;
      out.error = status_text(case_engine.load_policy(tested.compiled.artifact));
      if (out.error.empty()) out.error = add_facts(own, test.facts, file, r.warnings);
      if (out.error.empty()) out.error = status_text(case_engine.replace_facts(own.facts()));
      if (out.error.empty()) run_case(case_engine, r.suite, test, out);
    }
    if (out.error.empty()) observe(*tested.compiled.program, out.decision, tested.observed);
  }
}

std::vector<std::string> compare(const Expectation& e, const Decision& d) {
  std::vector<std::string> out;
  auto check = [&](const char* field, const std::optional<std::string>& want, std::string_view got) {
    if (want && *want != got) out.push_back(std::string(field) + ": expected " + ticked(*want) + ", got " + ticked(got));
  };
  check("decision", std::string(outcome_name(e.decision)), outcome_name(d.outcome));
  check("code", e.code, d.code.view());
  if (e.rule) {
    bool found = false;
    for (std::uint8_t i = 0; i < d.rule_count && i < Decision::kMaxRules; ++i) found = found || d.rules[i].name.view() == *e.rule;
    if (!found) out.push_back("rule: expected " + ticked(*e.rule) + " among the determining rules, got " + rule_names(d));
  }
  if (e.rules) {
    std::vector<std::string> got;
    for (std::uint8_t i = 0; i < d.rule_count && i < Decision::kMaxRules; ++i) got.push_back(d.rules[i].name.str());
    if (got != *e.rules) out.push_back("rules: expected " + list_names(*e.rules) + ", got " + list_names(got));
  }
  check("source", e.source, source_kind_name(d.source));
  check("grant_id", e.grant_id, d.grant_id.view());
  if (e.message_contains && d.message.view().find(*e.message_contains) == std::string_view::npos) {
    out.push_back("message: expected it to contain " + ticked(*e.message_contains) + ", got " + ticked(d.message.view()));
  }
  check("tenant", e.tenant, d.tenant.view());
  check("endpoint", e.endpoint, d.endpoint.view());
  check("request_id", e.request_id, d.request_id.view());
  check("resource_id", e.resource_id, d.resource_id.view());
  check("path", e.path, d.path.view());
  check("client_ip", e.client_ip, d.client_ip.view());
  return out;
}

std::string expectation_text(const Expectation& e) {
  std::string s = outcome_name(e.decision);
  if (e.code) s += " " + *e.code;
  if (e.rule) s += ", rule " + ticked(*e.rule);
  if (e.rules) s += ", rules " + list_names(*e.rules);
  if (e.source) s += ", source " + *e.source;
  if (e.grant_id) s += ", grant " + ticked(*e.grant_id);
  if (e.message_contains) s += ", message containing " + ticked(*e.message_contains);
  if (e.tenant) s += ", tenant " + ticked(*e.tenant);
  if (e.endpoint) s += ", endpoint " + ticked(*e.endpoint);
  if (e.request_id) s += ", request id " + ticked(*e.request_id);
  if (e.resource_id) s += ", resource " + ticked(*e.resource_id);
  if (e.path) s += ", path " + ticked(*e.path);
  if (e.client_ip) s += ", client ip " + ticked(*e.client_ip);
  return s;
}

std::string actual_text(const Expectation& e, const Decision& d) {
  std::string s = outcome_name(d.outcome);
  s += " " + d.code.str();
  if (e.rule || e.rules) s += ", rules " + rule_names(d);
  if (e.source) s += ", source " + std::string(source_kind_name(d.source));
  if (e.grant_id) s += ", grant " + ticked(d.grant_id.view());
  if (e.message_contains) s += ", message " + ticked(d.message.view());
  if (e.tenant) s += ", tenant " + ticked(d.tenant.view());
  if (e.endpoint) s += ", endpoint " + ticked(d.endpoint.view());
  if (e.request_id) s += ", request id " + ticked(d.request_id.view());
  if (e.resource_id) s += ", resource " + ticked(d.resource_id.view());
  if (e.path) s += ", path " + ticked(d.path.view());
  if (e.client_ip) s += ", client ip " + ticked(d.client_ip.view());
  return s;
}

}  // namespace warden::policy_test
