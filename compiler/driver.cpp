// The compiler driver (see driver.hpp): the one place where policy sources
// become a checked, lowered, validated and serialized decision table.
#include "compiler/driver.hpp"

#include "compiler/check.hpp"
#include "compiler/lower.hpp"
#include "grammar/parse.hpp"
#include "support/diagnostic_render.hpp"
#include "support/file_io.hpp"
#include "table/artifact.hpp"
#include "table/detect.hpp"
#include "table/validate.hpp"

namespace warden::compiler {
namespace fs = std::filesystem;
namespace {

using Clock = std::chrono::steady_clock;

// Times one phase into `slot`.
class PhaseTimer {
 public:
  explicit PhaseTimer(std::chrono::nanoseconds& slot) : slot_(slot), start_(Clock::now()) {}
  ~PhaseTimer() { slot_ += std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start_); }
  PhaseTimer(const PhaseTimer&) = delete;
  PhaseTimer& operator=(const PhaseTimer&) = delete;

 private:
  std::chrono::nanoseconds& slot_;
  Clock::time_point start_;
};

// `dir` as shown before a table's relative source paths: normalized, no
// trailing slash, "" for the current directory.
std::string display_dir(const fs::path& dir) {
  std::string s = dir.lexically_normal().generic_string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s == "." ? "" : s;
}

// A failure about the input as a whole (no source position).
void fail(Compilation& c, Failure failure, Code code, std::string message) {
  c.failure = failure;
  c.diagnostics.push_back(make_diagnostic(code, Span{}, std::move(message)));
}

// The fingerprint of the sources under the paths the table records (relative
// to the policy root), so it does not depend on where the policy lives.
std::uint64_t source_fingerprint(const table::Program& program, const SourceSet& sources) {
  std::vector<table::SourceEntry> entries;
  for (std::uint32_t i = 0; i < sources.size(); ++i) {
    const std::string path = i < program.files.size() ? program.files[i] : sources.file(i).path();
    entries.push_back({path, sources.file(i).text()});
  }
  return table::fingerprint_sources(std::move(entries));
}

// The pipeline, over sources already in `c.sources` (`diagnostics` holds what
// reading them reported). Syntax errors stop before the semantic checks,
// which would only report their consequences.
void run_pipeline(Compilation& c, DiagnosticSink& sink, const Options& options) {
  if (!options.verify_keys.empty()) {
    // Sources compiled here are never signed: a verify key asks for an
    // artifact.
    c.diagnostics = sink.take();
    const std::string shown = c.path.empty() ? c.name : c.path;
    return fail(c, Failure::Input, Code::E0509,
                "policy sources are never signed: with verify keys, `" + shown + "` needs a signed artifact (.wdn)");
  }
  ast::Policy tree;
  {
    PhaseTimer t(c.times.parse);
    for (std::uint32_t id = 0; id < c.sources.size(); ++id) grammar::parse_file(c.sources, id, tree, sink);
  }
  std::shared_ptr<const CheckedPolicy> model;
  if (!sink.has_errors()) {
    PhaseTimer t(c.times.check);
    CheckedPolicy checked = check(tree, c.sources, sink);
    if (!sink.has_errors()) model = std::make_shared<const CheckedPolicy>(std::move(checked));
  }
  c.diagnostics = sink.take();
  if (options.warnings_as_errors) {
    for (auto& d : c.diagnostics) d.severity = Severity::Error;
  }
  normalize(c.diagnostics, options.max_diagnostics);
  if (c.failure != Failure::None) return;  // a source could not be read
  if (!model || c.error_count() > 0) {
    c.failure = Failure::Policy;
    return;
  }
  if (options.keep_model) c.model = model;
  if (options.check_only) return;

  table::Program program;
  {
    PhaseTimer t(c.times.lower);
    program = lower(*model, c.sources, c.name, c.root);
  }
  {
    PhaseTimer t(c.times.validate);
    if (auto problem = table::validate(program)) {
      return fail(c, Failure::Internal, Code::E0508, "the compiled table is invalid: " + *problem);
    }
  }
  PhaseTimer t(c.times.serialize);
  c.fingerprint = source_fingerprint(program, c.sources);
  c.artifact = table::write_artifact(program, {std::string(compiler_version()), c.fingerprint},
                                     options.signing_key ? &*options.signing_key : nullptr);
  c.name = program.str(program.name);
  c.program = std::make_shared<const table::Program>(std::move(program));
}

Compilation load_artifact(const fs::path& path, std::span<const table::VerifyKey> verify_keys) {
  Compilation c;
  c.kind = InputKind::Artifact;
  c.path = path.string();
  c.name = path.stem().string();
  c.root = path.parent_path();
  FileRead file;
  {
    PhaseTimer t(c.times.read);
    file = read_file(path);
  }
  if (!file.ok()) {
    fail(c, Failure::Input, Code::E0506, "cannot read `" + c.path + "`: " + file.error);
    return c;
  }
  table::ArtifactLoad loaded;
  {
    PhaseTimer t(c.times.validate);
    loaded = table::load_artifact(file.bytes, verify_keys);
  }
  if (!loaded.ok()) {
    const Failure failure = loaded.error->code == Code::E0506 ? Failure::Input : Failure::Policy;
    fail(c, failure, loaded.error->code, "cannot load `" + c.path + "`: " + loaded.error->message);
    return c;
  }
  c.artifact = std::move(file.bytes);
  c.fingerprint = loaded.header.source_fingerprint;
  c.program = std::move(loaded.program);
  c.name = c.program->str(c.program->name);
  return c;
}

}  // namespace

std::string_view compiler_version() { return "warden " WARDEN_VERSION; }

std::size_t Compilation::error_count() const {
  std::size_t n = 0;
  for (const auto& d : diagnostics) n += d.severity == Severity::Error;
  return n;
}

std::size_t Compilation::warning_count() const { return diagnostics.size() - error_count(); }

std::vector<std::string> Compilation::rendered(bool errors_only) const {
  std::vector<std::string> out;
  for (const auto& d : diagnostics) {
    if (!errors_only || d.severity == Severity::Error) out.push_back(render_text(d, sources));
  }
  return out;
}

std::string Compilation::error_report() const {
  std::string out;
  for (const auto& d : diagnostics) {
    if (d.severity != Severity::Error) continue;
    out += render_text(d, sources);
    if (sources.size() > 0) out += "\n";
  }
  if (failure == Failure::Policy && sources.size() > 0) {
    const std::size_t errors = error_count();
    out += std::to_string(errors) + (errors == 1 ? " error" : " errors") + " in the policy `" + (path.empty() ? name : path) +
           "`\n";
  }
  return out;
}

Compilation compile(const PolicyFiles& policy, const Options& options) {
  Compilation c;
  c.path = policy.root.generic_string();
  c.name = policy.name;
  c.root = policy.root;
  c.location = display_dir(policy.root);
  DiagnosticSink sink;
  {
    PhaseTimer t(c.times.read);
    for (const auto& path : policy.files) {
      FileRead file = read_file(path);
      if (!file.ok()) {
        sink.report(Code::E0001, Span{}, "cannot read `" + path.generic_string() + "`: " + file.error);
        c.failure = Failure::Input;
        continue;
      }
      c.sources.add(path.generic_string(), std::move(file.bytes));
    }
  }
  run_pipeline(c, sink, options);
  return c;
}

Compilation compile_path(const fs::path& path, const Options& options) {
  // An artifact has nothing left to check: loading verifies it completely.
  if (table::is_artifact_file(path)) return load_artifact(path, options.verify_keys);
  const std::string shown = path.string();
  const Discovery found = discover_policies({shown});
  Compilation c;
  c.path = shown;
  if (!found.io_errors.empty()) {
    fail(c, Failure::Input, Code::E0001, "cannot read `" + shown + "`: " + unreadable_reason(shown));
  } else if (!found.empty.empty()) {
    fail(c, Failure::Policy, Code::E0002, "no `.warden` files under `" + shown + "`");
  } else if (found.policies.size() != 1) {
    std::string names;
    for (const auto& p : found.policies) names += (names.empty() ? "`" : ", `") + p.name + "`";
    fail(c, Failure::Input, Code::E0003,
         "`" + shown + "` holds " + std::to_string(found.policies.size()) + " policies (" + names +
             "); give one policy directory");
  } else {
    c = compile(found.policies[0], options);
    c.path = shown;
  }
  return c;
}

Compilation compile_sources(std::string name, std::vector<SourceText> files, const Options& options) {
  Compilation c;
  c.name = std::move(name);
  DiagnosticSink sink;
  for (auto& f : files) c.sources.add(std::move(f.path), std::move(f.text));
  run_pipeline(c, sink, options);
  return c;
}

}  // namespace warden::compiler
