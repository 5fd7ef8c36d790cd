# No source reaches around the include roots (cmake/include_roots.cmake) with
# a relative path: `#include "../grammar/ast.hpp"` from runtime/ would find
# the file next door whatever the target links. Run as
#   cmake -DROOT=<source dir> -P no_relative_includes.cmake
set(layers support table grammar compiler format runtime runtime_io watch views diff policy_test sources server cli bindings include
    bench tests examples fuzz)
set(offenders "")
foreach(layer ${layers})
  file(GLOB_RECURSE files ${ROOT}/${layer}/*.cpp ${ROOT}/${layer}/*.hpp)
  foreach(f ${files})
    file(STRINGS ${f} hits REGEX "^[ \t]*#[ \t]*include[ \t]*\"[^\"]*\\.\\./")
    if(hits)
      list(APPEND offenders "${f}: ${hits}")
    endif()
  endforeach()
endforeach()
if(offenders)
  string(REPLACE ";" "\n" offenders "${offenders}")
  message(FATAL_ERROR "relative includes that escape the include roots:\n${offenders}")
endif()
message(STATUS "no relative includes")
