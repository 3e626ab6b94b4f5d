# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Install a user-space library of salua as a component of the CMake package
# (find_package(salua COMPONENTS NAME) -> target salua::NAME) with its own
# pkg-config file (salua-NAME.pc):
#
#   salua_install_component(NAME name TARGET target HEADERS h...
#       [DEPENDS component...] [PC_REQUIRES_PRIVATE mod...]
#       [CMAKE_DEPS code] [DESCRIPTION text])
#
# Headers go to <includedir>/salua/<name>/ (consumers add that directory:
# the target and the .pc file do it for them).  CMAKE_DEPS is CMake code the
# package config runs before loading the component's targets (to recreate
# imported targets the library links, e.g. libiscsi's).  DEPENDS names other
# components this one links and whose headers its own include (e.g. sgio ->
# transport): the package config loads them first and the .pc file requires
# salua-<component>.
include_guard(GLOBAL)
include(GNUInstallDirs)

function(salua_install_component)
  cmake_parse_arguments(C "" "NAME;TARGET;DESCRIPTION;CMAKE_DEPS" "HEADERS;PC_REQUIRES_PRIVATE;DEPENDS" ${ARGN})
  set(inc ${CMAKE_INSTALL_INCLUDEDIR}/salua/${C_NAME})
  target_include_directories(${C_TARGET} PUBLIC
      $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}>
      $<INSTALL_INTERFACE:${inc}>)
  set_target_properties(${C_TARGET} PROPERTIES EXPORT_NAME ${C_NAME})
  install(TARGETS ${C_TARGET} EXPORT salua-${C_NAME}Targets
          ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
  install(FILES ${C_HEADERS} DESTINATION ${inc})
  install(EXPORT salua-${C_NAME}Targets NAMESPACE salua::
          DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/salua)
  set(deps "")
  set(pcreq "")
  foreach(d ${C_DEPENDS})
    string(APPEND deps "if(NOT TARGET salua::${d})\n"
        "  include(\"\${CMAKE_CURRENT_LIST_DIR}/salua-${d}-deps.cmake\")\n"
        "  include(\"\${CMAKE_CURRENT_LIST_DIR}/salua-${d}Targets.cmake\")\n"
        "endif()\n")
    string(APPEND pcreq " salua-${d}")
  endforeach()
  file(WRITE ${CMAKE_BINARY_DIR}/salua-${C_NAME}-deps.cmake "${deps}${C_CMAKE_DEPS}\n")
  install(FILES ${CMAKE_BINARY_DIR}/salua-${C_NAME}-deps.cmake
          DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/salua)
  get_target_property(out ${C_TARGET} OUTPUT_NAME)
  if(NOT out)
    set(out ${C_TARGET})
  endif()
  set(SALUA_PC_NAME salua-${C_NAME})
  set(SALUA_PC_DESCRIPTION "${C_DESCRIPTION}")
  set(SALUA_PC_REQUIRES "${pcreq}")
  set(SALUA_PC_REQUIRES_PRIVATE "${C_PC_REQUIRES_PRIVATE}")
  string(REPLACE ";" " " SALUA_PC_REQUIRES_PRIVATE "${SALUA_PC_REQUIRES_PRIVATE}")
  set(SALUA_PC_LIB ${out})
  set(SALUA_PC_SUBDIR ${C_NAME})
  configure_file(${CMAKE_SOURCE_DIR}/cmake/salua-component.pc.in
                 ${CMAKE_BINARY_DIR}/salua-${C_NAME}.pc @ONLY)
  install(FILES ${CMAKE_BINARY_DIR}/salua-${C_NAME}.pc
          DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endfunction()
