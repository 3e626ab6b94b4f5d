# SPDX-License-Identifier: GPL-2.0-only
#
# The Linux kernel module shim (shims/linux, docs/kernel-module.md), label
# guest:
#   guest.module_build       the Kbuild build with W=1 has no warning;
#   guest.module_scsi_debug  selftest=1, attach, access_state per host_no
#                            mod 3, O_DIRECT I/O per path;
#   guest.module_lio         LIO tcm_loop: activate/STPG, configfs failover
#                            via UNIT ATTENTION, transition, teardown;
#   guest.module_cycles      20 x insmod/attach/I/O/detach/rmmod.
# The guest runs Debian's kernel under QEMU (tests/guest/run-guest.sh); the
# module is built against the matching headers.  Skipped (77) without QEMU.

if(TARGET salua_kmod)
  set(_g ${CMAKE_CURRENT_SOURCE_DIR}/guest)
  set(_w ${CMAKE_CURRENT_BINARY_DIR}/guest-work)
  add_test(NAME guest.module_build
           COMMAND sh -c "d=$1/kmod-w1 && rm -rf $d && mkdir -p $d && cp $2/Kbuild $2/*.c $2/*.h $d/ && make -C $3 M=$d SALUA_INCLUDE=$4 W=1 modules >$d/build.log 2>&1; rc=$?; cat $d/build.log; [ $rc -eq 0 ] && ! grep -E 'warning:|error:' $d/build.log"
                   sh ${_w} ${CMAKE_SOURCE_DIR}/shims/linux ${SALUA_KMOD_KDIR}
                   ${CMAKE_SOURCE_DIR}/include)
  set(_mods_sd "scsi_mod scsi_debug sd_mod")
  set(_mods_lio "scsi_mod sd_mod tcm_loop target_core_file target_core_mod configfs")
  foreach(t scsi_debug lio cycles)
    if(t STREQUAL "lio")
      set(_m ${_mods_lio})
    else()
      set(_m ${_mods_sd})
    endif()
    add_test(NAME guest.module_${t}
             COMMAND ${_g}/run-guest.sh --script ${_g}/module_${t}.sh
                     --modules "${_m}"
                     --file ${SALUA_KMOD_KO}:/salua_dh.ko
                     --timeout 90
                     --work ${_w}/module_${t})
    set_tests_properties(guest.module_${t} PROPERTIES SKIP_RETURN_CODE 77
                         RUN_SERIAL TRUE)
  endforeach()
  set_tests_properties(guest.module_build guest.module_scsi_debug
                       guest.module_lio guest.module_cycles PROPERTIES
                       LABELS guest TIMEOUT 150)
endif()
