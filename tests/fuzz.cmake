# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Fuzz targets (fuzz/fuzz_<t>.c), included by tests/CMakeLists.txt.
#
#   unit.fuzz_replay.<t>  label unit: every file of fuzz/corpus/<t> (seeds,
#                         minimized finds, regression_*) fed to the target
#                         by fuzz/replay.c, built with this project's
#                         compiler, each input before a guard page (also
#                         in the -m32, s390x and sanitizer nested builds).
#   fuzz.smoke.<t>        label fuzz: the libFuzzer build (clang,
#                         -fsanitize=fuzzer,address,undefined) run for
#                         SALUA_FUZZ_SMOKE_SECONDS through fuzz/run.sh;
#                         new inputs go to <build>/fuzz-work, not the tree.
#                         Meant for `ctest -L fuzz -j2`: two at a time.
#
# The libFuzzer binaries are an external project (fuzz/CMakeLists.txt
# configured with clang) built with the rest of the tree.

set(SALUA_FUZZ_DIR ${PROJECT_SOURCE_DIR}/fuzz)
file(GLOB SALUA_FUZZ_SRCS CONFIGURE_DEPENDS ${SALUA_FUZZ_DIR}/fuzz_*.c)

foreach(src ${SALUA_FUZZ_SRCS})
  get_filename_component(name ${src} NAME_WE)
  string(REGEX REPLACE "^fuzz_" "" name ${name})
  # fuzz_lu drives the user-space host layer (C11, shims/host): only where
  # that is built.
  if(name STREQUAL "lu" AND NOT (TARGET salua_host AND TARGET salua_simx))
    continue()
  endif()
  salua_test_target(fuzz_replay_${name} ${src})
  target_sources(fuzz_replay_${name} PRIVATE ${SALUA_FUZZ_DIR}/replay.c)
  if(name STREQUAL "lu")
    target_link_libraries(fuzz_replay_lu PRIVATE salua_host salua_simx)
    set_target_properties(fuzz_replay_lu PROPERTIES C_STANDARD 11)
  endif()
  target_compile_definitions(fuzz_replay_${name} PRIVATE _DEFAULT_SOURCE
      FUZZ_TARGET_NAME="${name}")
  add_test(NAME unit.fuzz_replay.${name}
           COMMAND fuzz_replay_${name} ${SALUA_FUZZ_DIR}/corpus/${name})
  set_tests_properties(unit.fuzz_replay.${name} PROPERTIES LABELS unit
                       TIMEOUT 60)
  # Under qemu-user the lu replay alone is ~11 s of CPU (61 s at load 10).
  if(CMAKE_CROSSCOMPILING)
    set_tests_properties(unit.fuzz_replay.${name} PROPERTIES TIMEOUT 300)
  endif()
endforeach()

# The replay also runs in the portability nested builds (-m32, s390x with
# UBSan, ASan+UBSan): they run label unit.  The libFuzzer part does not.
if(SALUA_NESTED_BUILD)
  return()
endif()

option(SALUA_FUZZ "Build the libFuzzer targets (clang) and the fuzz smoke tests" ON)
set(SALUA_FUZZ_SMOKE_SECONDS 40 CACHE STRING
    "Seconds each fuzz.smoke.<target> test fuzzes")
find_program(SALUA_FUZZ_CLANG NAMES clang-14 clang)

if(SALUA_FUZZ AND SALUA_FUZZ_CLANG AND NOT SALUA_SANITIZE)
  # libFuzzer's runtime is a separate package on Debian (libclang-rt-14-dev).
  set(probe_dir ${CMAKE_CURRENT_BINARY_DIR}/fuzz-probe)
  file(MAKE_DIRECTORY ${probe_dir})
  file(WRITE ${probe_dir}/probe.c
       "#include <stddef.h>\n#include <stdint.h>\n"
       "int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);\n"
       "int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)"
       " { (void)d; (void)n; return 0; }\n")
  execute_process(
      COMMAND ${SALUA_FUZZ_CLANG} -fsanitize=fuzzer,address,undefined
              ${probe_dir}/probe.c -o ${probe_dir}/probe
      RESULT_VARIABLE probe_rc OUTPUT_QUIET ERROR_QUIET)
  if(probe_rc EQUAL 0)
    include(ExternalProject)
    set(SALUA_FUZZ_BIN ${CMAKE_BINARY_DIR}/fuzz-clang)
    ExternalProject_Add(salua_fuzzers
        SOURCE_DIR ${SALUA_FUZZ_DIR}
        BINARY_DIR ${SALUA_FUZZ_BIN}
        CMAKE_ARGS -DCMAKE_C_COMPILER=${SALUA_FUZZ_CLANG}
                   -DSALUA_FUZZ_MODE=libfuzzer
        BUILD_ALWAYS 1
        INSTALL_COMMAND "")
    find_program(SALUA_BASH bash REQUIRED)
    foreach(src ${SALUA_FUZZ_SRCS})
      get_filename_component(name ${src} NAME_WE)
      string(REGEX REPLACE "^fuzz_" "" name ${name})
      add_test(NAME fuzz.smoke.${name}
               COMMAND ${SALUA_BASH} ${SALUA_FUZZ_DIR}/run.sh --no-build
                       --build ${SALUA_FUZZ_BIN}
                       --work ${CMAKE_BINARY_DIR}/fuzz-work
                       ${name} ${SALUA_FUZZ_SMOKE_SECONDS})
      set_tests_properties(fuzz.smoke.${name} PROPERTIES LABELS fuzz
          TIMEOUT 180 SKIP_RETURN_CODE 77)
    endforeach()
  else()
    message(STATUS "fuzz smoke tests not registered: ${SALUA_FUZZ_CLANG} "
                   "cannot link -fsanitize=fuzzer (apt-get install libclang-rt-14-dev)")
  endif()
else()
  message(STATUS "fuzz smoke tests not registered (SALUA_FUZZ=OFF, no clang, "
                 "or SALUA_SANITIZE=ON)")
endif()
