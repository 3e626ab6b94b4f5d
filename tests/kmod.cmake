# SPDX-License-Identifier: GPL-2.0-only
#
# The Linux kernel module shim (shims/linux, docs/kernel-module.md), label
# guest, each test once per guest kernel (cmake/SaluaGuest.cmake):
#   guest.module_build@K     the Kbuild build with W=1 has no warning;
#   guest.module_scsi_debug@K selftest=1, attach, access_state per host_no
#                            mod 3, O_DIRECT I/O per path;
#   guest.module_lio@K       LIO tcm_loop: activate/STPG, configfs failover
#                            via UNIT ATTENTION, transition, teardown;
#   guest.module_cycles@K    20 x (8 at @debug) insmod/attach/I/O/detach/rmmod.
# The module is built against each kernel's headers (shims/linux).
# All four run on the debug kernel too (DEBUG, docs/debug-kernel.md): load,
# selftest, attach/detach, activate/STPG and unload under lockdep and KASAN.
# Skipped (77) without QEMU.

if(TARGET salua_kmod)
  set(_g ${CMAKE_CURRENT_SOURCE_DIR}/guest)
  salua_guest_test(NAME module_build KMOD DEBUG TIMEOUT 150
    COMMAND sh ${_g}/module_build.sh @WORK@ ${CMAKE_SOURCE_DIR}/shims/linux
            @KDIR@ ${CMAKE_SOURCE_DIR}/include)
  set(_mods_sd "scsi_mod scsi_debug sd_mod")
  set(_mods_lio "scsi_mod sd_mod tcm_loop target_core_file target_core_mod configfs")
  foreach(t scsi_debug lio cycles)
    if(t STREQUAL "lio")
      set(_m ${_mods_lio})
    else()
      set(_m ${_mods_sd})
    endif()
    salua_guest_test(NAME module_${t} KMOD SERIAL DEBUG TIMEOUT 150
      COMMAND ${_g}/run-guest.sh --script ${_g}/module_${t}.sh
              --modules "${_m}" --file @KO@:/salua_dh.ko
              --timeout 90 --work @WORK@)
  endforeach()
endif()
