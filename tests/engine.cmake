# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# Engine tests that drive the simulated array (shims/target/sim): link salua_sim
# and enable the sim half of tests/lib/engine_harness.h.
foreach(t test_engine_sim test_engine_prop)
  if(TARGET ${t} AND TARGET salua_sim)
    target_link_libraries(${t} PRIVATE salua_sim)
  endif()
endforeach()
if(TARGET test_engine_prop)
  set_tests_properties(unit.engine_prop PROPERTIES TIMEOUT 120)
  # Under qemu-s390x or the sanitizers a sequence costs 10-100 times more:
  # 5 % of the sequences (t_scaled) keeps the test inside its timeout there.
  if(SALUA_NESTED_BUILD AND (CMAKE_CROSSCOMPILING OR SALUA_SANITIZE))
    set_tests_properties(unit.engine_prop PROPERTIES
                         ENVIRONMENT SALUA_TEST_SCALE=5)
  endif()
endif()

# unit.engine_fsm: docs/engine.md's transition table against the transitions
# the engine tests drive (tests/fsm/engine_fsm.py).  In the main build only:
# the sanitizer and emulated builds run fewer property sequences.
find_package(Python3 COMPONENTS Interpreter)
if(NOT SALUA_NESTED_BUILD AND Python3_Interpreter_FOUND)
  set(_fsm_args)
  foreach(n engine engine_activate engine_edges engine_sim engine_prop
            identity selector_engine)
    if(TARGET test_${n})
      list(APPEND _fsm_args --test unit.${n}=$<TARGET_FILE:test_${n}>)
    endif()
  endforeach()
  add_test(NAME unit.engine_fsm
           COMMAND ${Python3_EXECUTABLE}
                   ${PROJECT_SOURCE_DIR}/tests/fsm/engine_fsm.py
                   --doc ${PROJECT_SOURCE_DIR}/docs/engine.md ${_fsm_args})
  set_tests_properties(unit.engine_fsm PROPERTIES LABELS unit TIMEOUT 300)
endif()
