# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# alua_probe: CLI tests (label unit) and the cross-check against Debian's
# sg3_utils tools (label differential).  Both drivers are Python 3.

if(TARGET alua_probe)
  find_package(Python3 COMPONENTS Interpreter)
  if(NOT Python3_Interpreter_FOUND)
    message(WARNING "python3 not found: alua_probe tests are not run")
  else()
    add_test(NAME probe.cli
             COMMAND ${Python3_EXECUTABLE}
                     ${CMAKE_CURRENT_SOURCE_DIR}/probe/cli_test.py
                     $<TARGET_FILE:alua_probe> ${SALUA_VECTORS_DIR}
                     ${SALUA_TEST_DATA_DIR}/probe)
    set_tests_properties(probe.cli PROPERTIES LABELS unit TIMEOUT 120)
    # ~1000 alua_probe runs: under ASan each start maps its shadow memory
    # (120 s were not enough at load 11 on 2 cores).
    if(SALUA_SANITIZE)
      set_tests_properties(probe.cli PROPERTIES TIMEOUT 600)
    endif()

    # --io on the simulated array: the host layer end to end (label host).
    add_test(NAME probe.io
             COMMAND ${Python3_EXECUTABLE}
                     ${CMAKE_CURRENT_SOURCE_DIR}/probe/io_test.py
                     $<TARGET_FILE:alua_probe>
                     ${CMAKE_SOURCE_DIR}/examples/alua_probe/alua_probe.schema.json
                     ${CMAKE_CURRENT_SOURCE_DIR}/probe)
    set_tests_properties(probe.io PROPERTIES LABELS host TIMEOUT 300)

    # The man page must render without groff/man warnings.
    find_program(SALUA_MAN man)
    if(SALUA_MAN)
      add_test(NAME probe.manpage
               COMMAND sh -c "LC_ALL=C.UTF-8 MANWIDTH=80 '${SALUA_MAN}' --warnings -l '${CMAKE_SOURCE_DIR}/examples/alua_probe/alua_probe.8' 2>&1 >/dev/null | (! grep .)")
      set_tests_properties(probe.manpage PROPERTIES LABELS unit)
    endif()
    # The page's synopsis, options, devices, environment, exit statuses
    # and version are those of the option table (cli_table.c).
    add_test(NAME probe.manpage_sync
             COMMAND alua_probe_mangen --check
                     ${CMAKE_SOURCE_DIR}/examples/alua_probe/alua_probe.8)
    set_tests_properties(probe.manpage_sync PROPERTIES LABELS unit)

    find_program(SG_VPD sg_vpd)
    find_program(SG_INQ sg_inq)
    find_program(SG_DECODE_SENSE sg_decode_sense)
    if(SG_VPD AND SG_INQ AND SG_DECODE_SENSE)
      add_test(NAME probe.sg3
               COMMAND ${Python3_EXECUTABLE}
                       ${CMAKE_CURRENT_SOURCE_DIR}/probe/sg3_diff.py
                       $<TARGET_FILE:alua_probe> ${SALUA_VECTORS_DIR}
                       ${SALUA_TEST_DATA_DIR}/probe)
      set_tests_properties(probe.sg3 PROPERTIES LABELS differential
                           TIMEOUT 120)
    else()
      message(WARNING "sg_vpd/sg_inq/sg_decode_sense not found "
                      "(apt-get install sg3-utils): probe.sg3 is not run")
    endif()
  endif()
endif()
