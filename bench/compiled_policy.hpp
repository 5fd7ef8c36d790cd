// Benchmark helper: policies compiled by the compiler driver, exactly as
// `warden compile` compiles them. A policy that does not compile ends the
// run (with its diagnostics), since every figure after it would be
// meaningless.
#pragma once

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "compiler/discover.hpp"
#include "compiler/driver.hpp"
#include "support/file_io.hpp"
#include "warden/engine.hpp"

namespace warden::bench {

inline compiler::Compilation compiled_or_abort(compiler::Compilation c) {
  if (c.ok()) return c;
  std::cerr << "benchmark policy does not compile:\n";
  for (const auto& d : c.rendered()) std::cerr << d << "\n";
  std::abort();
}

// The artifact bytes of the policy at `path` (a directory, file or .wdn).
inline std::string artifact_of(const std::string& path) { return compiled_or_abort(compiler::compile_path(path)).artifact; }

// The artifact bytes of in-memory sources.
inline std::string artifact_of_sources(const std::string& name, std::vector<compiler::SourceText> files) {
  return compiled_or_abort(compiler::compile_sources(name, std::move(files))).artifact;
}

// The policy in the directory `dir` plus one more source file, `extra`:
// the same rules under another source fingerprint (or more rules).
inline std::string variant_artifact(const std::string& dir, const std::string& extra) {
  const compiler::Discovery found = compiler::discover_policies({dir});
  if (found.policies.size() != 1) std::abort();
  std::vector<compiler::SourceText> files;
  for (const auto& f : found.policies[0].files) files.push_back({f.filename().string(), read_file(f).bytes});
  files.push_back({"zz_variant.warden", extra});
  return artifact_of_sources(found.policies[0].name, std::move(files));
}

inline void load_policy(Engine& engine, const std::string& path) {
  if (!engine.load_policy(artifact_of(path)).ok) std::abort();
}

}  // namespace warden::bench
