# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# The debug kernel (cmake/SaluaGuest.cmake, tag "debug"; docs/debug-kernel.md).
# Other guest tests run there when marked DEBUG (or all: -DSALUA_DEBUG_ALL=ON);
# these name it in KERNELS and run only there.  SERIAL: a 2-CPU TCG guest
# fills both cores, and the detectors (hung task 60 s, RCU stalls) and
# faults_sd's timed fault windows want the CPU time they are given.
#   unit.kernel_reports       the harness's report classifier on synthetic
#                             logs (label unit, no guest);
#   debugkernel.build         fixture salua_debug_kernel: builds the kernel
#                             or finds it in the cache, builds our module and
#                             the test-only tests/guest/kfaults against it;
#                             every guest.*@debug test requires it;
#   guest.debug_detectors@debug  a deliberately broken test module commits
#                             each bug once; the harness must report each
#                             class (lockdep, atomic-sleep, odebug, list,
#                             hung-task, kmemleak, kfence, kasan);
#   guest.stress_dm@debug     (label stress) NLU LIO LUs x 2 paths under
#                             dm-multipath with verified I/O while group
#                             flips, path delete/re-add, activate and rescan
#                             loop (90 s, each step at least once); zero I/O
#                             errors, zero reports, rmmod;
#   guest.faults_sd@debug     (label stress) scsi_debug's fault knobs (timeouts,
#                             transport errors, host busy, 3 s delays) hit the
#                             handler's RTPGs under dm-multipath I/O; it
#                             retries on siblings and recovers, no I/O error.
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
    COMMAND bash ${_g}/debug_detectors_test.sh @WORK@ ${_kf})

  find_program(SALUA_DMSETUP dmsetup PATHS /usr/sbin /sbin)
  # salua_vio comes from tests/vio.cmake (included after this file).
  if(NOT SALUA_SANITIZE AND SALUA_DMSETUP)
    set(_lio "scsi_mod sd_mod dm_mod dm_multipath dm_round_robin configfs target_core_mod target_core_file tcm_loop")
    salua_guest_test(NAME stress_dm KERNELS debug KMOD SERIAL LABELS stress TIMEOUT 300
      COMMAND ${_g}/run-guest.sh --script ${_g}/stress_dm.sh --modules "${_lio}"
              --bin $<TARGET_FILE:salua_vio> --bin ${SALUA_DMSETUP}
              --file @KO@:/salua_dh.ko --timeout 240 --work @WORK@)
    salua_guest_test(NAME faults_sd KERNELS debug KMOD SERIAL LABELS stress TIMEOUT 200
      COMMAND ${_g}/run-guest.sh --script ${_g}/faults_sd.sh
              --modules "scsi_mod sd_mod scsi_debug dm_mod dm_multipath dm_round_robin"
              --bin $<TARGET_FILE:salua_vio> --bin ${SALUA_DMSETUP}
              --file @KO@:/salua_dh.ko --timeout 150 --work @WORK@)
  endif()
endif()
