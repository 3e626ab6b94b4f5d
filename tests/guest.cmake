# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Guest integration tests (label guest): each guest kernel (6.1, 6.12, see
# cmake/SaluaGuest.cmake) in QEMU/TCG with a small initramfs
# (tests/guest/run-guest.sh, docs/guest.md).  alua_probe is
# linked statically for the guest; sg3_utils go in with their libraries.
# A test is skipped (exit 77) when QEMU, the kernel image or busybox-static
# is not installed.

if(TARGET alua_probe AND NOT SALUA_SANITIZE AND CMAKE_SYSTEM_NAME STREQUAL "Linux")
  file(GLOB _probe_src ${CMAKE_SOURCE_DIR}/examples/alua_probe/*.c)
  add_executable(alua_probe_static ${_probe_src})
  target_link_libraries(alua_probe_static PRIVATE salua salua_host salua_simx
                        salua_sim salua_sgio)
  target_include_directories(alua_probe_static PRIVATE ${CMAKE_BINARY_DIR}/examples)
  target_compile_definitions(alua_probe_static PRIVATE _POSIX_C_SOURCE=200809L)
  target_link_options(alua_probe_static PRIVATE -static)
  set_target_properties(alua_probe_static PROPERTIES C_STANDARD 99
                        C_EXTENSIONS OFF OUTPUT_NAME alua_probe
                        RUNTIME_OUTPUT_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/guest-bin)

  find_package(Python3 COMPONENTS Interpreter)
  set(_g ${CMAKE_CURRENT_SOURCE_DIR}/guest)
  set(_sg3)
  foreach(t sg_inq sg_vpd sg_rtpg sg_stpg sg_turs)
    find_program(SALUA_${t} ${t})
    if(SALUA_${t})
      list(APPEND _sg3 --bin ${SALUA_${t}})
    endif()
  endforeach()
  find_program(SALUA_DMSETUP dmsetup PATHS /usr/sbin /sbin)
  set(_dmsetup)
  if(SALUA_DMSETUP)
    set(_dmsetup --bin ${SALUA_DMSETUP})
  endif()
  if(Python3_Interpreter_FOUND)
    salua_guest_test(NAME scsi_debug SERIAL TIMEOUT 200
      COMMAND ${_g}/run-guest.sh --script ${_g}/scsi_debug.sh
              --modules "scsi_debug sg sd_mod scsi_dh_alua dm_multipath dm_round_robin"
              --bin $<TARGET_FILE:alua_probe_static> ${_sg3} ${_dmsetup}
              --timeout 120 --work @WORK@
              --check "${Python3_EXECUTABLE} ${_g}/check_scsi_debug.py")
    salua_guest_test(NAME lio SERIAL TIMEOUT 260
      COMMAND ${_g}/run-guest.sh --script ${_g}/lio.sh
              --modules "tcm_loop target_core_file target_core_mod configfs sg sd_mod"
              --bin $<TARGET_FILE:alua_probe_static> ${_sg3}
              --timeout 210 --work @WORK@
              --check "${Python3_EXECUTABLE} ${_g}/check_lio.py")
  endif()
endif()
