# Include roots: a library's headers are reachable only by what links it.
#
# Sources include each other by layer (`#include "table/program.hpp"`), and
# the repository root is never an include path. Instead every layer's
# directory is exposed through an include root of its own, made in the build
# tree and holding just that directory (a symbolic link to it):
#
#   build/include-roots/table/table -> <source>/table
#
# and a target gets the root of its own layer and, through the usage
# requirements of what it links, the roots of those layers only. So
# `#include "grammar/ast.hpp"` resolves in a target that links
# warden_grammar, and is "No such file or directory" in warden_runtime: the
# boundary in docs/architecture.md is enforced by the compiler, and
# tests/boundary/ proves it on every test run.
function(warden_include_root target dir)
  set(root ${PROJECT_BINARY_DIR}/include-roots/${dir})
  if(NOT EXISTS ${root}/${dir})
    file(MAKE_DIRECTORY ${root})
    file(CREATE_LINK ${PROJECT_SOURCE_DIR}/${dir} ${root}/${dir} SYMBOLIC)
  endif()
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "EXECUTABLE")
    target_include_directories(${target} PRIVATE ${root})
  elseif(type STREQUAL "INTERFACE_LIBRARY")
    target_include_directories(${target} INTERFACE $<BUILD_INTERFACE:${root}>)
  else()
    target_include_directories(${target} PUBLIC $<BUILD_INTERFACE:${root}>)
  endif()
endfunction()
