// The slow oracle's reading of the HTTP rules: path normalization and the
// client address, written again from docs/language.md ("Path
// normalization") and docs/decisions.md ("The client address") with
// std::string and plain loops, sharing nothing with runtime/.
//
// Pipeline position: tests only (reference_evaluator.cpp, the hostile-path
// table and its property test). Takes the policy's `http` block as parsed
// (ast::HttpDecl, nullptr for the defaults).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "grammar/ast.hpp"
#include "warden/request.hpp"

namespace warden::test {

struct RefPath {
  bool ok = false;
  std::string error;                  // what is wrong, when not ok
  std::vector<std::string> segments;  // what routing matches (strict trailing slash: a last "")
  std::vector<std::string> values;    // each segment fully decoded
  std::string text;                   // "/a/b", "/" for the root
};

RefPath reference_normalize(const std::string& raw, const ast::HttpDecl* http);

struct RefAddress {
  std::array<std::uint8_t, 16> address{};
  std::string text;
};

// The client address of a request, or nothing (`context.client_ip` missing).
std::optional<RefAddress> reference_client_address(const Request& request, const ast::HttpDecl* http);

// IPv4 (mapped) or IPv6 text to bytes, via the C library.
std::optional<std::array<std::uint8_t, 16>> reference_address(const std::string& text);

}  // namespace warden::test
