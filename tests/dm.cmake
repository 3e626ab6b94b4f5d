# SPDX-License-Identifier: GPL-2.0-only
#
# The salua handler under dm-multipath (docs/kernel-module.md), label guest
# and dm, each test once per guest kernel (cmake/SaluaGuest.cmake), salua
# and the kernel's scsi_dh_alua in the same boot, verified I/O
# (tests/vio/salua_vio.c) through every scenario:
#   guest.dm_lio@K    dmsetup maps over LIO (explicit+implicit): switch_group
#                     (STPG), array failover 1 s, failback after reinstate,
#                     5 s transition, active path deleted and re-added;
#   guest.dm_sd@K     dmsetup maps over scsi_debug (implicit only), handlers
#                     loaded only by the tables ("1 salua" / "1 alua":
#                     request_module with kmod and depmod in the guest): the
#                     ANO-only PG takes over, switch_group to standby falls
#                     back, return, "2 salua 1" (set_params);
# Skipped (77) without QEMU.

include(${CMAKE_CURRENT_LIST_DIR}/vio.cmake)  # salua_vio first (files are included in name order)
if(TARGET salua_kmod AND TARGET salua_vio)
  find_package(Python3 COMPONENTS Interpreter)
  find_program(SALUA_DMSETUP dmsetup PATHS /usr/sbin /sbin)
  if(Python3_Interpreter_FOUND AND SALUA_DMSETUP)
    set(_g ${CMAKE_CURRENT_SOURCE_DIR}/guest)
    set(_dm_common
        --file ${_g}/dm_lib.sh:/dm_lib.sh --file @KO@:/salua_dh.ko
        --bin $<TARGET_FILE:salua_vio> --bin ${SALUA_DMSETUP})
    salua_guest_test(NAME dm_lio KMOD SERIAL TIMEOUT 400 LABELS dm
      COMMAND ${_g}/run-guest.sh --script ${_g}/dm_lio.sh ${_dm_common}
              --modules "tcm_loop target_core_file target_core_mod configfs sd_mod dm-multipath dm-round-robin scsi_dh_alua"
              --timeout 300 --work @WORK@
              --check "${Python3_EXECUTABLE} ${_g}/check_dm.py dm_lio")
    find_program(SALUA_KMOD_BIN kmod PATHS /bin /usr/bin)
    if(SALUA_KMOD_BIN)
      salua_guest_test(NAME dm_sd KMOD SERIAL TIMEOUT 300 LABELS dm
        COMMAND ${_g}/run-guest.sh --script ${_g}/dm_sd.sh ${_dm_common}
                --bin ${SALUA_KMOD_BIN}
                --modules "scsi_debug sd_mod dm-multipath dm-round-robin scsi_dh_alua"
                --timeout 200 --work @WORK@
                --check "${Python3_EXECUTABLE} ${_g}/check_dm.py dm_sd")
    endif()
  endif()
endif()
