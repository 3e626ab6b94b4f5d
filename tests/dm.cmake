# SPDX-License-Identifier: GPL-2.0-only
#
# The salua handler under dm-multipath (docs/kernel-module.md), label guest
# and dm, each test once per guest kernel (cmake/SaluaGuest.cmake), salua
# and the kernel's scsi_dh_alua in the same boot, verified I/O
# (tests/vio/salua_vio.c) through every scenario:
#   guest.dm_lio@K    dmsetup maps over LIO (explicit+implicit): switch_group
#                     (STPG), array failover 1 s, failback after reinstate,
#                     5 s transition, active path deleted and re-added;
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
  endif()
endif()
