// What one decision keeps about the HTTP side of its request: the normalized
// path, the client address, the values its endpoint bound, and a monitored
// endpoint deny waiting for the outcome.
//
// Internal to runtime/: a member of Evaluation (evaluation.hpp), filled by
// http_endpoint.cpp and read by the condition code. Fixed-size storage that
// is never initialized as a whole, so a decision that is not an HTTP
// request pays nothing for it; every field is written before it is read.
#pragma once

#include <cstddef>
#include <cstring>
#include <new>
#include <type_traits>
#include <string_view>

#include "runtime/client_address.hpp"
#include "runtime/path_normalize.hpp"
#include "table/program.hpp"
#include "warden/request.hpp"

namespace warden::runtime {

static_assert(std::is_trivially_copyable_v<NamedValue>);

struct HttpState {
  static constexpr std::size_t kMaxBindings = 32;
  static constexpr std::size_t kMaxText = 2048;

  NormalizedPath path;

  // The client address, resolved on first use (client_address()).
  ClientAddress client;
  bool client_resolved = false;

  // The resource attributes the endpoint bound (what `request.resource.…`
  // reads first), and the text of values joined from several parts.
  std::size_t bound_count = 0;
  std::size_t text_used = 0;
  const NamedValue& bound(std::size_t i) const { return *std::launder(reinterpret_cast<const NamedValue*>(bound_storage + i * sizeof(NamedValue))); }
  void add_bound(NamedValue v) {
    std::memcpy(bound_storage + bound_count * sizeof(NamedValue), static_cast<const void*>(&v), sizeof(NamedValue));
    ++bound_count;
  }
  alignas(NamedValue) unsigned char bound_storage[kMaxBindings * sizeof(NamedValue)];
  char text[kMaxText];

  // The first monitored endpoint deny that matched (or failed): the
  // decision reports it as "would deny" if everything else allows.
  const table::RuleRow* monitor_deny = nullptr;
  bool monitor_deny_error = false;
};

}  // namespace warden::runtime
