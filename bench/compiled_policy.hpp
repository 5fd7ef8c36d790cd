// Benchmark helper: policies compiled by the compiler driver, exactly as
// `warden compile` compiles them. A policy that does not compile ends the
// run (with its diagnostics), since every figure after it would be
// meaningless.
#pragma once

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "compiler/driver.hpp"
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

inline void load_policy(Engine& engine, const std::string& path) {
  if (!engine.load_policy(artifact_of(path)).ok) std::abort();
}

}  // namespace warden::bench
