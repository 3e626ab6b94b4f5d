# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# The user-space host layer (shims/host) on the simulated array with a
# fake clock (label "host"): tests/host/test_host_<name>.c -> host.<name>.
# C11 (the host layer uses atomics); linked with the host, the sim
# transport, the null transport and the sim.
if(NOT TARGET salua_host OR NOT TARGET salua_simx)
  return()
endif()
file(GLOB SALUA_HOST_TESTS CONFIGURE_DEPENDS
     ${CMAKE_CURRENT_SOURCE_DIR}/host/test_host_*.c)
foreach(src ${SALUA_HOST_TESTS})
  get_filename_component(name ${src} NAME_WE)
  string(REGEX REPLACE "^test_host_" "" name ${name})
  add_executable(test_host_${name} ${src})
  target_link_libraries(test_host_${name} PRIVATE salua_host salua_simx
                        salua_null)
  target_include_directories(test_host_${name} PRIVATE
      ${CMAKE_CURRENT_SOURCE_DIR}/lib ${CMAKE_CURRENT_SOURCE_DIR}/host)
  target_compile_options(test_host_${name} PRIVATE ${SALUA_C_WARNINGS})
  target_compile_definitions(test_host_${name} PRIVATE SALUA_DEBUG
      _DEFAULT_SOURCE)
  set_target_properties(test_host_${name} PROPERTIES C_STANDARD 11
                        C_EXTENSIONS OFF)
  if(SALUA_SANITIZE)
    target_compile_options(test_host_${name} PRIVATE ${SALUA_SAN_FLAGS})
    target_link_options(test_host_${name} PRIVATE ${SALUA_SAN_FLAGS})
  endif()
  add_test(NAME host.${name} COMMAND test_host_${name})
  set_tests_properties(host.${name} PROPERTIES LABELS host TIMEOUT 300)
endforeach()
