# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# salua-target guest tests (shims/target/tcmu, docs/target.md), label guest
# and tcmu, each once per guest kernel (cmake/SaluaGuest.cmake):
#   guest.tcmu_iscsi@K     the iSCSI portals from the host (libiscsi).
#   guest.tcmu_lifecycle@K ready lines vs VPD 0x83 and the kernel's wwid,
#                          shared LU data across ports, scenario=FILE,
#                          inquiry=FILE, --cleanup, SIGTERM, kill -9 recovery.
#   guest.tcmu_identity@K  the kernel as an oracle for LU identity (wwid vs
#                          salua_vpd83_lu_name on ~950 VPD 0x83 pages) and
#                          access state (scsi_dh_alua vs our RTPG decode on
#                          ~100 pages); known differences in
#                          tests/guest/tcmu_identity.known.
if(NOT TARGET salua-target OR SALUA_SANITIZE OR NOT CMAKE_SYSTEM_NAME STREQUAL "Linux")
  return()
endif()
find_package(Python3 COMPONENTS Interpreter)
if(NOT Python3_Interpreter_FOUND)
  return()
endif()
set(_g ${CMAKE_CURRENT_SOURCE_DIR}/guest)

add_executable(tcmu_oracle ${_g}/tcmu_oracle.c)
target_link_libraries(tcmu_oracle PRIVATE salua_headers)
target_compile_definitions(tcmu_oracle PRIVATE _GNU_SOURCE)
target_compile_options(tcmu_oracle PRIVATE ${SALUA_C_WARNINGS})
target_link_options(tcmu_oracle PRIVATE -static)
set_target_properties(tcmu_oracle PROPERTIES C_STANDARD 99 C_EXTENSIONS OFF
                      RUNTIME_OUTPUT_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/guest-bin)

# The public vectors, when present, go in as /vectors/{vpd83,rtpg}/*.hex.
set(_vec)
foreach(kind vpd83 rtpg)
  file(GLOB _f ${SALUA_VECTORS_DIR}/${kind}/*.hex)
  foreach(f ${_f})
    get_filename_component(n ${f} NAME)
    list(APPEND _vec --file ${f}:/vectors/${kind}/${n})
  endforeach()
endforeach()

if(TARGET alua_probe)
  salua_guest_test(NAME tcmu_lifecycle SERIAL TIMEOUT 400 LABELS tcmu
    COMMAND ${_g}/run-guest.sh --script ${_g}/tcmu_lifecycle.sh
            --modules "configfs target_core_mod target_core_user uio tcm_loop sg sd_mod"
            --bin $<TARGET_FILE:salua-target> --bin $<TARGET_FILE:salua_vio>
            --bin $<TARGET_FILE:alua_probe_static>
            ${_vec} --timeout 300 --work @WORK@
            --check "${Python3_EXECUTABLE} ${_g}/check_tcmu_lifecycle.py")
endif()

salua_guest_test(NAME tcmu_identity SERIAL TIMEOUT 480 LABELS tcmu
  COMMAND ${_g}/run-guest.sh --script ${_g}/tcmu_identity.sh
          --modules "configfs target_core_mod target_core_user uio tcm_loop sg scsi_dh_alua"
          --bin $<TARGET_FILE:salua-target> --bin $<TARGET_FILE:tcmu_oracle>
          ${_vec} --timeout 400 --work @WORK@
          --check "${Python3_EXECUTABLE} ${_g}/check_tcmu_identity.py ${_g}/tcmu_identity.known")

# guest.tcmu_engine@K  engine scenarios through the real kernel: our
#                      handler, scsi_dh_alua and alua_probe --watch side by
#                      side on the same arrays (failover, failback, long
#                      transition, transition timeout, BUSY, TASK SET FULL,
#                      no answer, UA storm, explicit/implicit activation,
#                      RTPG quirks); verified I/O through dm-multipath.
# salua_vio (tests/vio.cmake) and alua_probe_static (tests/guest.cmake) are
# built under the same conditions as this file; vio.cmake is read later.
if(TARGET alua_probe)
  salua_guest_test(NAME tcmu_engine KMOD SERIAL TIMEOUT 600 LABELS tcmu
    COMMAND ${_g}/run-guest.sh --script ${_g}/tcmu_engine.sh
            --modules "configfs target_core_mod target_core_user uio tcm_loop sg sd_mod scsi_dh_alua dm-mod dm-multipath dm-round-robin"
            --bin $<TARGET_FILE:salua-target> --bin $<TARGET_FILE:tcmu_oracle>
            --bin $<TARGET_FILE:salua_vio> --bin $<TARGET_FILE:alua_probe_static>
            --bin /usr/sbin/dmsetup
            --file @KO@:/salua_dh.ko --mem 1024 --timeout 480 --work @WORK@
            --check "${Python3_EXECUTABLE} ${_g}/check_tcmu_engine.py")
endif()

# guest.tcmu_scale@K   256 LUs x 4 paths (1024 TCMU devices, 2 GiB guest):
#                      a UA storm on every I_T nexus, delivered by one TUR
#                      per path at once; RTPGs per LU and CPU time with our
#                      handler (A) and, after the ports are relinked, with
#                      scsi_dh_alua (B).
salua_guest_test(NAME tcmu_scale KMOD SERIAL TIMEOUT 1200 LABELS tcmu
  COMMAND ${_g}/run-guest.sh --script ${_g}/tcmu_scale.sh
          --modules "configfs target_core_mod target_core_user uio tcm_loop sg scsi_dh_alua"
          --bin $<TARGET_FILE:salua-target> --bin $<TARGET_FILE:tcmu_oracle>
          --file @KO@:/salua_dh.ko --mem 2048 --timeout 900 --work @WORK@
          --check "${Python3_EXECUTABLE} ${_g}/check_tcmu_scale.py")

# guest.tcmu_iscsi@K   salua-target's iSCSI portals (loop=0, iscsi=) reached
#                      from the host by alua_probe over libiscsi: identity,
#                      states, a failover; configfs clean after SIGTERM.
if(TARGET salua_iscsi AND TARGET alua_probe)
  salua_guest_test(NAME tcmu_iscsi SERIAL TIMEOUT 240 LABELS tcmu iscsi
    COMMAND bash ${_g}/tcmu_iscsi.sh $<TARGET_FILE:alua_probe>
            $<TARGET_FILE:salua-target> @WORK@)
endif()
