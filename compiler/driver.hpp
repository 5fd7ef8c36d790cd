// The compiler driver: a policy path (or policy text held in memory) in, one
// Compilation out — the sources, every diagnostic sorted, the decision table,
// the artifact bytes and their fingerprint.
//
// Pipeline position: the entry point of compiler/ for every front end. The
// `warden` commands, the watcher's source target, the policy test runner, the
// benchmarks, the test helpers (and the decision service and language
// bindings) call it; none of them wires parse → check → lower → artifact by
// hand. That sequence lives in one function, in driver.cpp:
//
//   read sources ─▶ grammar::parse_file ─▶ compiler::check ─▶ compiler::lower
//        ─▶ table::validate ─▶ table::fingerprint_sources ─▶ table::write_artifact
//
// "A policy path" means one thing everywhere (compile_path): an artifact file
// (`.wdn` or the artifact magic, table/detect.hpp) is read and verified as a
// service would load it; a file is a one-file policy; a directory must hold
// exactly one policy (discover.hpp). Nothing here prints or exits; failures
// are diagnostics with stable codes (docs/diagnostics.md) and a Failure class
// that front ends map to their exit status.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/discover.hpp"
#include "support/diagnostic.hpp"
#include "support/source.hpp"
#include "table/program.hpp"
#include "table/signing.hpp"

namespace warden::compiler {

struct CheckedPolicy;  // compiler/model.hpp

// "warden 0.1.0": what `warden --version` prints and every artifact records.
std::string_view compiler_version();

struct Options {
  bool warnings_as_errors = false;
  // Stop after the semantic checks: diagnostics only, no table and no
  // artifact (what `warden check` needs).
  bool check_only = false;
  std::size_t max_diagnostics = 500;
  // Keep the checked model in the result (for tools that inspect it, and for
  // benchmarks that time lowering alone).
  bool keep_model = false;
  // Sign the artifact compiled from sources with this key (docs/signing.md).
  // An artifact given as the path is returned as it was read, never
  // re-signed: a front end that signs refuses one.
  std::optional<table::SigningKey> signing_key = {};
  // Accept only what one of these keys signed: an artifact path is loaded
  // as a service given these keys loads it (unsigned E0509, another key
  // E0510, changed after signing E0511), and policy sources, which are
  // never signed, are refused (E0509, an input failure). Empty: no check.
  std::vector<table::VerifyKey> verify_keys = {};
};

enum class InputKind : std::uint8_t {
  Sources,   // `*.warden` text, compiled
  Artifact,  // a `.wdn` file, read and verified
};

enum class Failure : std::uint8_t {
  None,
  // The input could not be used: a path that does not exist or cannot be
  // read (E0001, E0506), that holds several policies (E0003), or policy
  // sources where only a signed artifact is accepted (E0509).
  Input,
  // The policy is wrong: errors in its sources (warnings too, with
  // warnings_as_errors), no sources at all (E0002), or an artifact refused
  // as damaged or foreign (E0501–E0505) or not signed by a verify key
  // (E0509–E0511).
  Policy,
  // The compiler lowered a table that fails validation (E0508): a bug.
  Internal,
};

// Wall-clock time of each phase (zero for phases that did not run).
struct PhaseTimes {
  std::chrono::nanoseconds read{}, parse{}, check{}, lower{}, validate{}, serialize{};
};

struct Compilation {
  InputKind kind = InputKind::Sources;
  std::string path;            // as given (compile(): the policy directory; "" for in-memory sources)
  std::string name;            // the policy's name (its `policy` declaration, else the directory or file stem)
  std::filesystem::path root;  // the policy directory; the artifact file's directory
  // The directory the table's source paths are relative to, as shown to
  // people ("" for an artifact, in-memory sources or the current directory).
  std::string location;
  SourceSet sources;                    // what was read (empty for an artifact)
  std::vector<Diagnostic> diagnostics;  // sorted by position, de-duplicated, capped
  Failure failure = Failure::None;

  // Set when ok() (and not check_only): the validated table, the `.wdn`
  // bytes (exactly what `warden compile` writes, or the file that was read)
  // and the source fingerprint they record, which every Decision made with
  // them reports (Decision::policy_fingerprint).
  std::shared_ptr<const table::Program> program;
  std::string artifact;
  std::uint64_t fingerprint = 0;

  std::shared_ptr<const CheckedPolicy> model;  // with Options::keep_model, when the checks passed
  PhaseTimes times;

  bool ok() const { return failure == Failure::None; }
  std::size_t error_count() const;
  std::size_t warning_count() const;
  // Every diagnostic (or only the errors), rendered as `warden check` prints
  // it: `file:line:col: error[E0204]: …` with the source line and caret.
  std::vector<std::string> rendered(bool errors_only = false) const;
  // What a front end shows when the compilation failed: every error as
  // `warden check` prints it (a diagnostic about the sources followed by a
  // blank line, one about the path on one line), then, for errors in the
  // policy's sources, a count: "2 errors in the policy `policies/x`".
  std::string error_report() const;
};

// One discovered policy, compiled from its files on disk.
Compilation compile(const PolicyFiles& policy, const Options& options = {});

// A policy path: an artifact file, a one-file policy or a directory holding
// exactly one policy (see above).
Compilation compile_path(const std::filesystem::path& path, const Options& options = {});

// Policy text held in memory: each file's path (relative; what diagnostics
// and the table show) and text. `name` names the policy when the sources
// have no `policy` declaration.
struct SourceText {
  std::string path;
  std::string text;
};
Compilation compile_sources(std::string name, std::vector<SourceText> files, const Options& options = {});

}  // namespace warden::compiler
