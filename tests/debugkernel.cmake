# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# The debug kernel (cmake/SaluaGuest.cmake, tag "debug"; docs/guest.md):
#   unit.kernel_reports       the harness's report classifier on synthetic
#                             logs (label unit, no guest);
#   debugkernel.build         fixture salua_debug_kernel: builds the kernel
#                             or finds it in the cache, builds our module and
#                             the test-only tests/guest/kfaults against it;
#                             every guest.*@debug test requires it;
#   guest.debug_detectors@debug  a deliberately broken test module commits
#                             each bug once; the harness must report each
#                             class (lockdep, atomic-sleep, odebug, list,
#                             hung-task, kmemleak, kfence, kasan).
set(_g ${CMAKE_CURRENT_SOURCE_DIR}/guest)
add_test(NAME unit.kernel_reports COMMAND bash ${_g}/kernel_reports_test.sh)
set_tests_properties(unit.kernel_reports PROPERTIES LABELS unit)

get_property(_dkdir GLOBAL PROPERTY SALUA_GUEST_debug_KERNEL)
if(_dkdir)
  set(_kf ${CMAKE_BINARY_DIR}/tests/kfaults-debug)
  add_test(NAME debugkernel.build
    COMMAND bash ${_g}/debug_kernel_fixture.sh ${_dkdir} ${CMAKE_SOURCE_DIR}
            ${CMAKE_BINARY_DIR}/shims/linux/kbuild-debug ${_kf})
  # A cold kernel build: ~7 min on 2 idle cores, much more on a busy machine.
  set_tests_properties(debugkernel.build PROPERTIES
    FIXTURES_SETUP salua_debug_kernel LABELS "guest;kernel-debug"
    TIMEOUT 5400 ENVIRONMENT "SALUA_KERNEL_SOURCE=${SALUA_KERNEL_SOURCE}")

  salua_guest_test(NAME debug_detectors KERNELS debug SERIAL TIMEOUT 200
    COMMAND bash ${_g}/debug_detectors_test.sh @WORK@ ${_kf}/salua_kfaults.ko)
endif()
