# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Guest kernels and guest tests.  Every guest test runs on every kernel we
# support, each kernel picked by version (docs/guest.md):
#
#   salua_guest_kernel(TAG tag (KV version | KERNEL dir) [KDIR dir] [SMP n]
#                      [KO path] [KMOD_TARGET target] [FIXTURE name]
#                      [TIMEOUT_SCALE n] [OPT_IN])
#       registers a kernel: a Debian kernel by its version (/boot/vmlinuz-KV,
#       /lib/modules/KV) or a kernel directory (DIR/bzImage, DIR/lib/modules,
#       see scripts/debug-kernel.sh); KDIR is its build tree for out-of-tree
#       modules; KO is our module built for it (by KMOD_TARGET at build time,
#       or by the FIXTURE test at test time);
#       TIMEOUT_SCALE multiplies the tests' timeouts (slow debug kernels);
#       OPT_IN: only tests marked DEBUG run on it (see salua_guest_test).
#
#   The Debian kernels are registered here, when this file is included:
#   -DSALUA_KERNELS="KV;..." (default: the newest installed 6.1.0-N-amd64,
#   Debian 12's kernel, and the newest 6.12.*-amd64, bookworm-backports';
#   each only with its image and modules installed), tags 6.1 and 6.12.
#   shims/linux then builds the module for each and sets its KO with
#   salua_guest_kernel_set(tag KO path).
#
#   salua_guest_test(NAME name COMMAND cmd... [KMOD] [KERNELS tag...]
#                    [PREFIX p] [LABELS label...] [TIMEOUT s] [SERIAL] [DEBUG])
#       adds "<p>.<name>@<tag>" (p: guest) for each registered kernel (or each of
#       KERNELS), labelled guest, kernel-<tag> and LABELS.  An OPT_IN kernel
#       (the debug kernel) gets the test only when it says DEBUG, names the
#       kernel in KERNELS, or -DSALUA_DEBUG_ALL=ON: the README command runs
#       the subset that exercises the handler's locking at @debug (each
#       debug run costs 3-10x a Debian one), SALUA_DEBUG_ALL every test.
#       The kernel reaches tests/guest/run-guest.sh through SALUA_GUEST_KV or
#       SALUA_GUEST_KERNEL (+ SALUA_GUEST_SMP) in the environment, also when
#       the command is a script that calls run-guest.sh itself.  In COMMAND,
#       @TAG@ is the kernel tag, @KV@ its version (Debian kernels), @WORK@ a
#       per-test work directory, @KDIR@ the kernel's build tree and @KO@ our
#       module for that kernel (KMOD:
#       the test needs it; not added where the kernel has none).
#       SKIP_RETURN_CODE is 77.
include_guard(GLOBAL)

function(salua_guest_kernel)
  cmake_parse_arguments(K "OPT_IN" "TAG;KV;KERNEL;KDIR;SMP;KO;KMOD_TARGET;FIXTURE;TIMEOUT_SCALE" "" ${ARGN})
  if(NOT K_TAG OR (NOT K_KV AND NOT K_KERNEL))
    message(FATAL_ERROR "salua_guest_kernel: TAG and KV or KERNEL are required")
  endif()
  set_property(GLOBAL APPEND PROPERTY SALUA_GUEST_KERNELS ${K_TAG})
  foreach(k KV KERNEL KDIR SMP KO KMOD_TARGET FIXTURE TIMEOUT_SCALE OPT_IN)
    set_property(GLOBAL PROPERTY SALUA_GUEST_${K_TAG}_${k} "${K_${k}}")
  endforeach()
endfunction()

function(salua_guest_kernel_set tag key value)
  set_property(GLOBAL PROPERTY SALUA_GUEST_${tag}_${key} "${value}")
endfunction()

# The newest installed version matching a /lib/modules glob.
function(salua_newest_kernel out pattern)
  file(GLOB _dirs LIST_DIRECTORIES true /lib/modules/${pattern})
  set(_best)
  foreach(d ${_dirs})
    get_filename_component(v ${d} NAME)
    if(EXISTS ${d}/modules.dep AND EXISTS /boot/vmlinuz-${v})
      if(NOT _best OR v VERSION_GREATER _best)
        set(_best ${v})
      endif()
    endif()
  endforeach()
  set(${out} "${_best}" PARENT_SCOPE)
endfunction()

function(salua_guest_test)
  cmake_parse_arguments(T "KMOD;SERIAL;DEBUG" "NAME;PREFIX;TIMEOUT" "COMMAND;KERNELS;LABELS" ${ARGN})
  if(NOT T_NAME OR NOT T_COMMAND)
    message(FATAL_ERROR "salua_guest_test: NAME and COMMAND are required")
  endif()
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 200)
  endif()
  set(kernels ${T_KERNELS})
  if(NOT kernels)
    get_property(kernels GLOBAL PROPERTY SALUA_GUEST_KERNELS)
  endif()
  foreach(tag ${kernels})
    foreach(k KV KERNEL KDIR SMP KO KMOD_TARGET FIXTURE TIMEOUT_SCALE OPT_IN)
      get_property(${k} GLOBAL PROPERTY SALUA_GUEST_${tag}_${k})
    endforeach()
    if(T_KMOD AND NOT KO)
      continue()
    endif()
    if(OPT_IN AND NOT T_DEBUG AND NOT T_KERNELS AND NOT SALUA_DEBUG_ALL)
      continue()
    endif()
    if(NOT T_PREFIX)
      set(T_PREFIX guest)
    endif()
    set(name ${T_PREFIX}.${T_NAME}@${tag})
    set(work ${CMAKE_BINARY_DIR}/tests/guest-work/${T_NAME}@${tag})
    set(cmd)
    foreach(a ${T_COMMAND})
      string(REPLACE "@TAG@" "${tag}" a "${a}")
      string(REPLACE "@WORK@" "${work}" a "${a}")
      string(REPLACE "@KO@" "${KO}" a "${a}")
      string(REPLACE "@KDIR@" "${KDIR}" a "${a}")
      string(REPLACE "@KV@" "${KV}" a "${a}")
      list(APPEND cmd "${a}")
    endforeach()
    add_test(NAME ${name} COMMAND ${cmd})
    if(KERNEL)
      set(env SALUA_GUEST_KERNEL=${KERNEL})
    else()
      set(env SALUA_GUEST_KV=${KV})
    endif()
    if(SMP)
      list(APPEND env SALUA_GUEST_SMP=${SMP})
    endif()
    if(TIMEOUT_SCALE)
      list(APPEND env SALUA_GUEST_TIMEOUT_SCALE=${TIMEOUT_SCALE})
    endif()
    if(T_KMOD)
      list(APPEND env SALUA_KMOD_KO=${KO})
    endif()
    set(timeout ${T_TIMEOUT})
    if(TIMEOUT_SCALE)
      math(EXPR timeout "${T_TIMEOUT} * ${TIMEOUT_SCALE}")
    endif()
    set_tests_properties(${name} PROPERTIES
        LABELS "guest;kernel-${tag};${T_LABELS}"
        ENVIRONMENT "${env}" TIMEOUT ${timeout} SKIP_RETURN_CODE 77)
    if(T_SERIAL)
      set_tests_properties(${name} PROPERTIES RUN_SERIAL TRUE)
    endif()
    if(FIXTURE)
      set_tests_properties(${name} PROPERTIES FIXTURES_REQUIRED ${FIXTURE})
    endif()
  endforeach()
endfunction()

if(NOT DEFINED SALUA_KERNELS)
  set(_ks)
  foreach(p "6.1.0-*-amd64" "6.12.*-amd64")
    salua_newest_kernel(_v "${p}")
    if(_v)
      list(APPEND _ks ${_v})
    endif()
  endforeach()
  set(SALUA_KERNELS "${_ks}" CACHE STRING
      "Debian kernels to build the module for and to boot in the guest tests")
endif()
foreach(kv ${SALUA_KERNELS})
  # 6.1.0-57-amd64 -> 6.1; 6.12.95+deb12-amd64 -> 6.12
  string(REGEX MATCH "^[0-9]+\\.[0-9]+" _tag "${kv}")
  salua_guest_kernel(TAG ${_tag} KV ${kv} KDIR /lib/modules/${kv}/build)
endforeach()

# The debug kernel (scripts/debug-kernel.sh, docs/debug-kernel.md): Debian's
# linux-source-6.1 with lockdep, KASAN, KFENCE, kmemleak, DEBUG_OBJECTS,
# booted with 2 CPUs, tag "debug".  Only its directory is known here
# (--print-dir never builds); the kernel is built, or found in the cache,
# by the fixture test debugkernel.build (tests/debugkernel.cmake), which
# also builds our module against it: a test-time step, so a build or
# `ctest -L unit` never pays for it.
# Which tests: the ones marked DEBUG (a subset chosen to go through every
# locking path of the handler in ~15 min: docs/debug-kernel.md), or every
# guest test with -DSALUA_DEBUG_ALL=ON.
option(SALUA_DEBUG_KERNEL
       "Run guest tests on the debug kernel too (built at test time, cached)" ON)
option(SALUA_DEBUG_ALL
       "Run every guest test on the debug kernel, not only those marked DEBUG" OFF)
set(SALUA_KERNEL_SOURCE /usr/src/linux-source-6.1.tar.xz CACHE FILEPATH
    "Kernel source tarball for the debug kernel (Debian's linux-source-6.1)")
if(SALUA_DEBUG_KERNEL AND EXISTS "${SALUA_KERNEL_SOURCE}"
   AND CMAKE_SYSTEM_NAME STREQUAL "Linux")
  set(_dks ${CMAKE_CURRENT_LIST_DIR}/../scripts/debug-kernel.sh)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
               ${_dks} ${CMAKE_CURRENT_LIST_DIR}/../scripts/debug-kernel.config)
  execute_process(
    COMMAND ${CMAKE_COMMAND} -E env SALUA_KERNEL_SOURCE=${SALUA_KERNEL_SOURCE}
            bash ${_dks} --print-dir
    OUTPUT_VARIABLE _dkdir RESULT_VARIABLE _dkrc
    OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(_dkrc EQUAL 0 AND _dkdir)
    salua_guest_kernel(TAG debug KERNEL ${_dkdir} KDIR ${_dkdir}/build SMP 2
      KO ${CMAKE_BINARY_DIR}/shims/linux/kbuild-debug/salua_dh.ko
      FIXTURE salua_debug_kernel TIMEOUT_SCALE 3 OPT_IN)
  else()
    message(STATUS "salua: debug kernel unavailable: guest tests run without it")
  endif()
endif()
