# SPDX-License-Identifier: GPL-2.0-only
#
# The salua handler under dm-multipath (docs/kernel-module.md), label guest
# and dm, each test once per guest kernel (cmake/SaluaGuest.cmake), salua
# and the kernel's scsi_dh_alua in the same boot, verified I/O
# (tests/vio/salua_vio.c) through every scenario:
#   guest.dm_lio@K    dmsetup maps over LIO (explicit+implicit): switch_group
#                     (STPG), array failover 1 s, failback after reinstate,
#                     5 s transition, active path deleted and re-added,
#                     20 checker TURs on the standby path send no RTPG;
#                     the two handlers' scenarios run side by side
#                     (guest time 67-84 s per kernel at load 8-16 on 2 cores);
#   guest.dm_sd@K     dmsetup maps over scsi_debug (implicit only), handlers
#                     loaded only by the tables ("1 salua" / "1 alua":
#                     request_module with kmod and depmod in the guest): the
#                     ANO-only PG takes over, switch_group to standby falls
#                     back, return, "2 salua 1" (set_params) (28-75 s);
#   guest.mpathd@K    Debian's multipathd + systemd-udevd with the packaged
#                     udev rule, modprobe.d file and multipath.conf section;
#                     4 LUs (salua/scsi_dh_alua x prio alua/sysfs), 4 array
#                     failover/failback rounds under verified I/O: salua's
#                     8 half rounds must all be clean (the host never undoes
#                     the array's failover), every pause shorter than
#                     the half round; scsi_dh_alua's are counted (guest
#                     time 136-190 s per kernel at load 8-16).
# Pass/fail tests (states, errors, counts), not timing: none is RUN_SERIAL.
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
    salua_guest_test(NAME dm_lio KMOD TIMEOUT 400 LABELS dm
      COMMAND ${_g}/run-guest.sh --script ${_g}/dm_lio.sh ${_dm_common}
              --modules "tcm_loop target_core_file target_core_mod configfs sd_mod dm-multipath dm-round-robin scsi_dh_alua"
              --timeout 300 --work @WORK@
              --check "${Python3_EXECUTABLE} ${_g}/check_dm.py dm_lio")
    # multipathd with systemd-udevd in the guest (GUEST-NOTES.md recipe):
    # the binaries with their libraries, the udev rules multipath-tools
    # needs, its dlopen()ed checker/prioritizer plugins, the packaged files.
    find_program(SALUA_KMOD_BIN kmod PATHS /bin /usr/bin)
    find_program(SALUA_MULTIPATHD multipathd PATHS /sbin /usr/sbin)
    find_program(SALUA_MULTIPATH multipath PATHS /sbin /usr/sbin)
    find_program(SALUA_UDEVADM udevadm PATHS /bin /usr/bin)
    find_file(SALUA_SCSI_ID scsi_id PATHS /lib/udev /usr/lib/udev NO_DEFAULT_PATH)
    find_file(SALUA_LIBGCC_S libgcc_s.so.1 PATHS /lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu NO_DEFAULT_PATH)
    file(GLOB _mp_plugins /lib/multipath/lib*.so)
    set(_mp_files)
    foreach(r 50-udev-default 55-dm 55-scsi-sg3_id 56-dm-mpath 58-scsi-sg3_symlink
              60-block 60-persistent-storage 60-persistent-storage-dm
              60-multipath 95-dm-notify)
      if(EXISTS /lib/udev/rules.d/${r}.rules)
        list(APPEND _mp_files --file /lib/udev/rules.d/${r}.rules:/lib/udev/rules.d/${r}.rules)
      endif()
    endforeach()
    foreach(p ${_mp_plugins})
      list(APPEND _mp_files --file ${p}:${p})
    endforeach()
    foreach(f salua.conf 40-salua.rules multipath-salua.conf)
      list(APPEND _mp_files --file ${CMAKE_SOURCE_DIR}/shims/linux/dist/${f}:/dist/${f})
    endforeach()
    if(SALUA_KMOD_BIN AND SALUA_MULTIPATHD AND SALUA_MULTIPATH AND SALUA_UDEVADM
       AND SALUA_SCSI_ID AND SALUA_LIBGCC_S AND _mp_plugins)
      salua_guest_test(NAME mpathd KMOD TIMEOUT 900 LABELS dm
        COMMAND ${_g}/run-guest.sh --script ${_g}/mpathd.sh ${_dm_common}
                --bin ${SALUA_KMOD_BIN} --bin ${SALUA_UDEVADM} --bin ${SALUA_SCSI_ID}
                --bin ${SALUA_MULTIPATH} --bin ${SALUA_MULTIPATHD}
                --file ${SALUA_LIBGCC_S}:${SALUA_LIBGCC_S} ${_mp_files}
                --modules "tcm_loop target_core_file target_core_mod configfs sd_mod dm-multipath dm-round-robin dm-service-time scsi_dh_alua"
                --mem 1024 --timeout 700 --work @WORK@
                --check "${Python3_EXECUTABLE} ${_g}/check_dm.py mpathd")
    endif()
    if(SALUA_KMOD_BIN)
      salua_guest_test(NAME dm_sd KMOD TIMEOUT 300 LABELS dm
        COMMAND ${_g}/run-guest.sh --script ${_g}/dm_sd.sh ${_dm_common}
                --bin ${SALUA_KMOD_BIN}
                --modules "scsi_debug sd_mod dm-multipath dm-round-robin scsi_dh_alua"
                --timeout 200 --work @WORK@
                --check "${Python3_EXECUTABLE} ${_g}/check_dm.py dm_sd")
    endif()
  endif()
endif()
