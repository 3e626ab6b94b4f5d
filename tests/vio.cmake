# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# salua_vio: the verified-I/O load generator (tests/vio/salua_vio.c) that
# the guest failover tests and benchmarks run on a block device.  Built
# static, into tests/guest-bin/ beside the guest's alua_probe, so a guest
# takes it with `run-guest.sh --bin $<TARGET_FILE:salua_vio>` (it lands in
# /usr/bin).  unit.salua_vio checks the tool itself on a file.

include_guard(GLOBAL)
if(CMAKE_SYSTEM_NAME STREQUAL "Linux" AND NOT SALUA_SANITIZE)
  find_package(Threads)
  if(Threads_FOUND)
    add_executable(salua_vio ${CMAKE_CURRENT_SOURCE_DIR}/vio/salua_vio.c)
    target_compile_options(salua_vio PRIVATE ${SALUA_C_WARNINGS})
    target_link_libraries(salua_vio PRIVATE Threads::Threads)
    target_link_options(salua_vio PRIVATE -static)
    set_target_properties(salua_vio PROPERTIES C_STANDARD 11 C_EXTENSIONS ON
        RUNTIME_OUTPUT_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/guest-bin)
    # A tool for the x86-64 guests: not a portability subject, so its test
    # is not registered in cross builds (portability.s390x).
    if(NOT CMAKE_CROSSCOMPILING)
    add_test(NAME unit.salua_vio
      COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/vio/test_vio.sh
              $<TARGET_FILE:salua_vio> ${CMAKE_CURRENT_BINARY_DIR}/vio-work)
    set_tests_properties(unit.salua_vio PROPERTIES LABELS unit TIMEOUT 60)
    endif()
  endif()
endif()
