// Test helper: compile a policy directory to artifact bytes with the
// compiler driver and load it into an Engine, the way `warden compile` + a
// service would.
#pragma once

#include <stdexcept>
#include <string>

#include "compiler/driver.hpp"
#include "warden/engine.hpp"

namespace warden::test {

inline std::string compile_artifact(const std::string& dir) {
  const compiler::Compilation c = compiler::compile_path(dir);
  if (!c.ok()) {
    std::string text;
    for (const auto& d : c.rendered()) text += d;
    throw std::runtime_error("policy does not compile:\n" + text);
  }
  return c.artifact;
}

inline void load_policy(Engine& engine, const std::string& dir) {
  const std::string bytes = compile_artifact(dir);
  const Status s = engine.load_policy(bytes);
  if (!s.ok) throw std::runtime_error("load failed: " + s.code + " " + s.message);
}

}  // namespace warden::test
