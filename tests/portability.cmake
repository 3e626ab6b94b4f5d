# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Portability tests (label "portability").  Each one compiles with the
# compilers directly at test time, so a failure is a failing test that says
# which header, compiler, standard or build mode broke.  Drivers live in
# tests/portability/; nested builds get their own directory under
# <build>/tests/portability/ so ctest -j cannot make them collide.
#
#   portability.header.<cc>.<std>.<header>  one header alone, 3 build modes
#   portability.modes.<cc>                  every build mode, several TUs, C and C++
#   portability.freestanding.<cc>[.m32]     nm: only mem{cpy,set,cmp}, no .data/.bss
#   portability.m32                         unit suite built with -m32, run
#   portability.s390x                       unit suite for big-endian s390x + UBSan, qemu-user
#   portability.sanitize                    unit + differential suites with ASan+UBSan
#   portability.release-{gcc,clang}         whole project as Release, -Werror (build only)
#   portability.install                     cmake --install, find_package and pkg-config consumers

# The nested builds configure the project again; they only need unit and
# differential tests, not another copy of these.
if(SALUA_NESTED_BUILD)
  return()
endif()

set(SALUA_PORT_DIR ${CMAKE_CURRENT_SOURCE_DIR}/portability)
set(SALUA_PORT_BIN ${CMAKE_CURRENT_BINARY_DIR}/portability)
find_program(SALUA_BASH bash REQUIRED)

function(salua_port_test name)
  add_test(NAME portability.${name} COMMAND ${SALUA_BASH} ${ARGN})
  set_tests_properties(portability.${name} PROPERTIES
      LABELS portability SKIP_RETURN_CODE 77 TIMEOUT 300)
endfunction()

# Every public header that exists when the build runs.
file(GLOB SALUA_PUBLIC_HEADERS CONFIGURE_DEPENDS
     ${PROJECT_SOURCE_DIR}/include/salua/*.h)
list(SORT SALUA_PUBLIC_HEADERS)

foreach(cc gcc clang)
  foreach(std c99 gnu11 cxx11)
    foreach(h ${SALUA_PUBLIC_HEADERS})
      get_filename_component(hn ${h} NAME_WE)
      salua_port_test(header.${cc}.${std}.${hn}
          ${SALUA_PORT_DIR}/header.sh ${cc} ${std} ${h}
          ${PROJECT_SOURCE_DIR}/include
          ${SALUA_PORT_BIN}/header/${cc}.${std}.${hn})
    endforeach()
  endforeach()
  salua_port_test(modes.${cc} ${SALUA_PORT_DIR}/modes.sh ${cc}
      ${PROJECT_SOURCE_DIR}/include ${SALUA_PORT_BIN}/modes.${cc})
  salua_port_test(freestanding.${cc} ${SALUA_PORT_DIR}/freestanding.sh ${cc}
      ${PROJECT_SOURCE_DIR} ${SALUA_PORT_BIN}/freestanding.${cc})
  # i386 also catches 64-bit division helpers (__udivdi3 and friends).
  salua_port_test(freestanding.${cc}.m32 ${SALUA_PORT_DIR}/freestanding.sh
      ${cc} ${PROJECT_SOURCE_DIR} ${SALUA_PORT_BIN}/freestanding.${cc}.m32 -m32)
endforeach()

foreach(kind m32 s390x sanitize release-gcc release-clang)
  salua_port_test(${kind} ${SALUA_PORT_DIR}/nested.sh ${kind}
      ${CMAKE_COMMAND} ${CMAKE_GENERATOR} ${PROJECT_SOURCE_DIR}
      ${SALUA_PORT_BIN}/nested.${kind} ${SALUA_VECTORS_DIR})
  set_tests_properties(portability.${kind} PROPERTIES TIMEOUT 600)
endforeach()

salua_port_test(install ${SALUA_PORT_DIR}/install.sh ${CMAKE_COMMAND}
    ${CMAKE_GENERATOR} ${PROJECT_SOURCE_DIR} ${SALUA_PORT_BIN}/install)
set_tests_properties(portability.install PROPERTIES TIMEOUT 600)
