# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# salua-target guest tests (shims/target/tcmu, docs/target.md), label guest
# and tcmu, each once per guest kernel (cmake/SaluaGuest.cmake):
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

salua_guest_test(NAME tcmu_identity SERIAL TIMEOUT 480 LABELS tcmu
  COMMAND ${_g}/run-guest.sh --script ${_g}/tcmu_identity.sh
          --modules "configfs target_core_mod target_core_user uio tcm_loop sg scsi_dh_alua"
          --bin $<TARGET_FILE:salua-target> --bin $<TARGET_FILE:tcmu_oracle>
          ${_vec} --timeout 400 --work @WORK@
          --check "${Python3_EXECUTABLE} ${_g}/check_tcmu_identity.py ${_g}/tcmu_identity.known")
