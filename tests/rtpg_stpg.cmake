# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Differential test of the RTPG/STPG codecs against sg3_utils' sg_rtpg and
# sg_stpg, which have no --inhex: sgio_preload.so answers their SG_IO on a
# regular file (see tests/diff/sgio_preload.c).  Included by
# tests/CMakeLists.txt; needs the sg3-utils package, not libsgutils2.

find_program(SALUA_SG_RTPG sg_rtpg)
find_program(SALUA_SG_STPG sg_stpg)

if(SALUA_SG_RTPG AND SALUA_SG_STPG AND CMAKE_SYSTEM_NAME STREQUAL "Linux"
   AND NOT CMAKE_CROSSCOMPILING)
  add_library(salua_sgio_preload MODULE ${CMAKE_CURRENT_LIST_DIR}/diff/sgio_preload.c)
  set_target_properties(salua_sgio_preload PROPERTIES PREFIX "" OUTPUT_NAME sgio_preload
                        C_STANDARD 99 C_EXTENSIONS OFF)
  target_compile_options(salua_sgio_preload PRIVATE ${SALUA_C_WARNINGS})
  target_link_libraries(salua_sgio_preload PRIVATE ${CMAKE_DL_LIBS})
  # a sanitizer runtime cannot be preloaded into an uninstrumented tool
  salua_test_target(rtpg_stpg_diff ${CMAKE_CURRENT_LIST_DIR}/diff/rtpg_stpg_diff.c)
  target_compile_definitions(rtpg_stpg_diff PRIVATE _DEFAULT_SOURCE)
  add_dependencies(rtpg_stpg_diff salua_sgio_preload)
  add_test(NAME diff.rtpg_stpg
           COMMAND rtpg_stpg_diff $<TARGET_FILE:salua_sgio_preload>
                   ${SALUA_SG_RTPG} ${SALUA_SG_STPG} 1000)
  set_tests_properties(diff.rtpg_stpg PROPERTIES LABELS differential
                       SKIP_RETURN_CODE 77 TIMEOUT 120)
else()
  message(STATUS "sg_rtpg/sg_stpg not found: diff.rtpg_stpg not built "
                 "(apt-get install sg3-utils)")
endif()

# REPORT REFERRALS against sg_referrals (no --inhex either), through the
# same shim.
find_program(SALUA_SG_REFERRALS sg_referrals)
if(SALUA_SG_REFERRALS AND TARGET salua_sgio_preload)
  salua_test_target(referrals_diff ${CMAKE_CURRENT_LIST_DIR}/diff/referrals_diff.c)
  target_compile_definitions(referrals_diff PRIVATE _DEFAULT_SOURCE)
  add_dependencies(referrals_diff salua_sgio_preload)
  add_test(NAME diff.referrals
           COMMAND referrals_diff $<TARGET_FILE:salua_sgio_preload>
                   ${SALUA_SG_REFERRALS} 600)
  set_tests_properties(diff.referrals PROPERTIES LABELS differential
                       SKIP_RETURN_CODE 77 TIMEOUT 120)
else()
  message(STATUS "sg_referrals not found: diff.referrals not built "
                 "(apt-get install sg3-utils)")
endif()
