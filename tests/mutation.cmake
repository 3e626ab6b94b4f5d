# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# mutation.engine (label mutation): tests/mutation/mutate.py on a fixed
# sample of 160 mutants of include/salua/engine.h's implementation (seed
# 18), two at a time; fails when fewer than 98 % of the non-equivalent
# ones are killed, or when an entry of tests/mutation/equivalent-engine.txt
# is stale.  Skip it while working: ctest -LE mutation, or configure with
# -DSALUA_MUTATION=OFF.  See tests/mutation/README.md.
if(SALUA_NESTED_BUILD OR SALUA_SANITIZE)
  return()
endif()
option(SALUA_MUTATION "Register the mutation test (label mutation)" ON)
if(NOT SALUA_MUTATION)
  return()
endif()
find_package(Python3 COMPONENTS Interpreter)
if(NOT Python3_Interpreter_FOUND)
  message(STATUS "mutation test not registered: no python3")
  return()
endif()
add_test(NAME mutation.engine
         COMMAND ${Python3_EXECUTABLE}
                 ${PROJECT_SOURCE_DIR}/tests/mutation/mutate.py
                 --sample 160 --seed 18 --min-score 98 --jobs 2
                 --cc ${CMAKE_C_COMPILER}
                 --vectors-dir ${SALUA_VECTORS_DIR})
set_tests_properties(mutation.engine PROPERTIES LABELS mutation
                     PROCESSORS 2 TIMEOUT 1200)
