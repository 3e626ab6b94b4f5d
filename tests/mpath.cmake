# SPDX-License-Identifier: GPL-2.0-only
#
# Native multipath (the salua module with multipath=on; docs/native-multipath.md),
# label mpath, once per guest kernel (cmake/SaluaGuest.cmake).  Every
# scenario runs under the verified-I/O load (salua_vio) on the head device
# and is judged in the guest (tests/guest/mpath_lib.sh: zero errors and
# mismatches where a path could serve; errors only after the no-path
# timeout where none could); check_mpath.py makes sure each one ran and
# writes the scenario table to the work directory (scenarios.md).
#   guest.mpath_lio2@K     LIO, 2 paths, implicit+explicit: interface,
#                          policies, configfs failover/failback with and
#                          without a 1 s transition, STPG from alua_probe,
#                          path deleted and re-added, groups unavailable,
#                          all paths gone shorter / longer than the timeout
#   guest.mpath_lio4_sd@K  LIO, 4 paths, implicit only (the same, without
#                          STPG; round-robin over both AO paths), then
#                          scsi_debug (AO/ANO/standby): spread over AO only,
#                          the AO paths lost under load; the module
#                          unloaded while the heads wait for their paths;
#                          multipath=always: heads for a scsi_debug LU
#                          without ALUA and for a one-path LIO LU
# About 75 s each under TCG.  Skipped (77) without QEMU.
if(TARGET salua_kmod AND TARGET alua_probe_static AND NOT SALUA_SANITIZE
   AND CMAKE_SYSTEM_NAME STREQUAL "Linux")
  # salua_vio comes from tests/vio.cmake (same conditions, later in the glob).
  add_executable(mpath_ctl ${CMAKE_CURRENT_SOURCE_DIR}/guest/mpath_ctl.c)
  target_compile_options(mpath_ctl PRIVATE ${SALUA_C_WARNINGS})
  target_link_options(mpath_ctl PRIVATE -static)
  set_target_properties(mpath_ctl PROPERTIES C_STANDARD 11 C_EXTENSIONS ON
      RUNTIME_OUTPUT_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/guest-bin)
  find_package(Python3 COMPONENTS Interpreter)
  set(_g ${CMAKE_CURRENT_SOURCE_DIR}/guest)
  set(_mp_lio2_conf "NP=2\nLIO_TYPE=3\n")
  set(_mp_lio2_expect
      policies,failover,failover_back,failover_1000ms,failover_1000ms_back,stpg,stpg_back,readd,unavail,gone_short,gone_long,after)
  set(_mp_lio4_sd_conf "NP=4\nLIO_TYPE=1\nSCSI_DEBUG=1\nUNLOAD_WAITING=1\nALWAYS=1\n")
  set(_mp_lio4_sd_expect
      policies,failover,failover_back,failover_1000ms,failover_1000ms_back,readd,unavail,gone_short,gone_long,after,sd_spread,sd_lose_ao,always_plain,always_alua1)
  if(Python3_Interpreter_FOUND)
    foreach(t lio2 lio4_sd)
      file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/mpath-${t}.conf "${_mp_${t}_conf}")
      salua_guest_test(NAME mpath_${t} KMOD TIMEOUT 600 LABELS mpath
        COMMAND ${_g}/run-guest.sh --script ${_g}/mpath_lio.sh
                --modules "scsi_mod sd_mod sg tcm_loop target_core_file target_core_mod configfs scsi_debug"
                --file @KO@:/salua_dh.ko
                --file ${_g}/mpath_lib.sh:/mpath_lib.sh
                --file ${_g}/mpath_sd.sh:/mpath_sd.sh
                --file ${_g}/mpath_always.sh:/mpath_always.sh
                --file ${CMAKE_CURRENT_BINARY_DIR}/mpath-${t}.conf:/etc/mpath.conf
                --bin $<TARGET_FILE:salua_vio> --bin $<TARGET_FILE:mpath_ctl>
                --bin $<TARGET_FILE:alua_probe_static>
                --timeout 240 --work @WORK@
                --check "${Python3_EXECUTABLE} ${_g}/check_mpath.py --expect ${_mp_${t}_expect} --table @WORK@/scenarios.md")
    endforeach()
  endif()
endif()
