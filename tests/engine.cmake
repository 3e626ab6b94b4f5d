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
