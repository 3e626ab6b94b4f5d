# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# iSCSI integration tests (label "iscsi"): shims/transport/iscsi and alua_probe's
# iscsi:// devices against istgt and tgtd started on loopback ports by the
# scripts themselves (tests/iscsi/*.sh), and LIO in a QEMU guest reached
# through hostfwd (tests/guest/run-guest.sh).  Skipped (exit 77) when a
# target, QEMU or the guest kernel is missing.
if(NOT TARGET salua_iscsi OR NOT TARGET alua_probe)
  return()
endif()

add_executable(iscsi_drive ${CMAKE_CURRENT_SOURCE_DIR}/iscsi/iscsi_drive.c)
target_link_libraries(iscsi_drive PRIVATE salua salua_iscsi salua_host)
target_compile_options(iscsi_drive PRIVATE ${SALUA_C_WARNINGS})
target_compile_definitions(iscsi_drive PRIVATE _POSIX_C_SOURCE=200809L)
set_target_properties(iscsi_drive PROPERTIES C_STANDARD 11 C_EXTENSIONS OFF)
if(SALUA_SANITIZE)
  target_compile_options(iscsi_drive PRIVATE ${SALUA_SAN_FLAGS})
  target_link_options(iscsi_drive PRIVATE ${SALUA_SAN_FLAGS})
endif()

# The fault test always runs a driver built with ASan/LeakSanitizer (the
# shim compiled in), whatever SALUA_SANITIZE says.
add_executable(iscsi_drive_asan ${CMAKE_CURRENT_SOURCE_DIR}/iscsi/iscsi_drive.c
               ${CMAKE_SOURCE_DIR}/shims/transport/iscsi/salua_iscsi.c
               ${CMAKE_SOURCE_DIR}/shims/transport/salua_transport.c
               ${CMAKE_SOURCE_DIR}/shims/host/salua_loop.c
               ${CMAKE_SOURCE_DIR}/shims/host/salua_lu.c)
target_include_directories(iscsi_drive_asan PRIVATE ${CMAKE_SOURCE_DIR}/shims/transport/iscsi
                           ${CMAKE_SOURCE_DIR}/shims/transport
                           ${CMAKE_SOURCE_DIR}/shims/host)
target_link_libraries(iscsi_drive_asan PRIVATE salua_headers iscsi)
target_compile_definitions(iscsi_drive_asan PRIVATE _POSIX_C_SOURCE=200809L SALUA_STATIC)
target_compile_options(iscsi_drive_asan PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer)
target_link_options(iscsi_drive_asan PRIVATE -fsanitize=address,undefined)
set_target_properties(iscsi_drive_asan PROPERTIES C_STANDARD 11 C_EXTENSIONS OFF)

foreach(t istgt tgtd fault)
  set(drv iscsi_drive)
  if(t STREQUAL "fault")
    set(drv iscsi_drive_asan)
  endif()
  add_test(NAME iscsi.${t}
           COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/iscsi/test_${t}.sh
                   $<TARGET_FILE:alua_probe> $<TARGET_FILE:${drv}>
                   $<TARGET_FILE:iscsi_drive_asan>)
  set_tests_properties(iscsi.${t} PROPERTIES LABELS iscsi TIMEOUT 120
                       SKIP_RETURN_CODE 77)
endforeach()
# LIO in the guest, once per guest kernel (iscsi.lio@6.1, iscsi.lio@6.12):
# serial, so the two runs do not race for the forwarded ports.
salua_guest_test(NAME lio PREFIX iscsi LABELS iscsi SERIAL TIMEOUT 240
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/iscsi/test_lio.sh
          $<TARGET_FILE:alua_probe> $<TARGET_FILE:iscsi_drive>
          $<TARGET_FILE:iscsi_drive_asan>)
