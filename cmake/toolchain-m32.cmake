# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# 32-bit x86 build on an x86_64 host (Debian: gcc-12-multilib
# g++-12-multilib; plain gcc-multilib conflicts with the s390x cross gcc):
#   cmake -S . -B build-m32 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-m32.cmake
# The binaries run natively.  64-bit-only libraries (libsgutils2) are not
# searched, so the differential tests are left out.
#
# gcc-12-multilib has no /usr/include/asm; OS headers such as <errno.h> then
# need an -isystem directory whose asm/ links to the x86_64 asm headers
# (they serve both word sizes).  One is made in the build tree.
set(CMAKE_C_FLAGS_INIT "-m32")
set(CMAKE_CXX_FLAGS_INIT "-m32")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-m32")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-m32")
set(CMAKE_MODULE_LINKER_FLAGS_INIT "-m32")
set(CMAKE_LIBRARY_ARCHITECTURE i386-linux-gnu)
set(CMAKE_IGNORE_PATH /usr/lib/x86_64-linux-gnu /lib/x86_64-linux-gnu
    /usr/lib64 /lib64)

if(NOT EXISTS /usr/include/asm AND EXISTS /usr/include/x86_64-linux-gnu/asm)
  set(_salua_m32_inc "${CMAKE_BINARY_DIR}/salua-m32-include")
  if(NOT EXISTS "${_salua_m32_inc}/asm")
    file(MAKE_DIRECTORY "${_salua_m32_inc}")
    file(CREATE_LINK /usr/include/x86_64-linux-gnu/asm "${_salua_m32_inc}/asm"
         SYMBOLIC)
  endif()
  string(APPEND CMAKE_C_FLAGS_INIT " -isystem ${_salua_m32_inc}")
  string(APPEND CMAKE_CXX_FLAGS_INIT " -isystem ${_salua_m32_inc}")
endif()
