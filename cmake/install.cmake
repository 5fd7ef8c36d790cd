# Installation: the embedding surface as a CMake package.
#
# `cmake --install BUILD --prefix P` installs the public headers
# (include/warden/*.hpp, one per concern: engine, decision, explanation,
# trace, status, facts, fact_schema, request, facts_json, facts_check, request_json, owned_request,
# input_error, explain, watcher, verify_key), the libraries behind them and
# what they link, and a package, so that a service can `find_package(warden)`
# and link
#   warden::runtime     the Engine
#   warden::runtime_io  facts, fact updates and requests from JSON, and
#                       decisions and traces rendered as text and JSON
#   warden::watch       hot reload of an artifact file and fact files
# The compiler is not part of the package: services load artifacts produced
# by `warden compile` (examples/consumer shows the whole surface in use).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set_target_properties(warden_runtime PROPERTIES EXPORT_NAME runtime)
set_target_properties(warden_runtime_io PROPERTIES EXPORT_NAME runtime_io)
set_target_properties(warden_watch PROPERTIES EXPORT_NAME watch)
set_target_properties(warden_table PROPERTIES EXPORT_NAME table)
set_target_properties(warden_support PROPERTIES EXPORT_NAME support)
set_target_properties(warden_warnings PROPERTIES EXPORT_NAME warnings)

install(TARGETS warden_runtime warden_runtime_io warden_watch warden_table warden_support warden_warnings
  EXPORT wardenTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/warden DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT wardenTargets NAMESPACE warden:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/warden)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/wardenConfig.cmake.in
  ${PROJECT_BINARY_DIR}/wardenConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/warden)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/wardenConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/wardenConfig.cmake ${PROJECT_BINARY_DIR}/wardenConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/warden)
