// List filtering by index: the resources of a type a principal may act on,
// a page at a time (see list_filter.cpp).
//
// Internal to runtime/; Engine::authorized_resources() is its public face.
#pragma once

#include <cstddef>
#include <string_view>

#include "runtime/evaluation.hpp"
#include "warden/engine.hpp"

namespace warden::runtime {

// `limit` 0: every id. `cursor`: the previous page's next_cursor ("" for the first page).
ResourcePage list_resources(const Snapshot& snap, const Request& request, std::string_view action,
                            std::string_view type_name, std::size_t limit, std::string_view cursor);

}  // namespace warden::runtime
