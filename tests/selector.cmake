# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Selector publisher under ThreadSanitizer (tests/tsan/tsan_selector.c):
# C11 atomics from shims/host, so it is built as its own C11 executable
# with -fsanitize=thread, outside the C99 unit-test conventions.  Runs ~3 s.

include(CheckCSourceCompiles)
set(CMAKE_REQUIRED_FLAGS "-fsanitize=thread")
set(CMAKE_REQUIRED_LINK_OPTIONS "-fsanitize=thread")
check_c_source_compiles("int main(void) { return 0; }" SALUA_HAVE_TSAN)
unset(CMAKE_REQUIRED_FLAGS)
unset(CMAKE_REQUIRED_LINK_OPTIONS)

find_package(Threads)
if(SALUA_HAVE_TSAN AND Threads_FOUND AND NOT SALUA_SANITIZE)
  add_executable(tsan_selector ${CMAKE_CURRENT_SOURCE_DIR}/tsan/tsan_selector.c)
  target_include_directories(tsan_selector PRIVATE
      ${CMAKE_SOURCE_DIR}/include
      ${CMAKE_SOURCE_DIR}/shims/host
      ${CMAKE_CURRENT_SOURCE_DIR}/lib)
  target_compile_options(tsan_selector PRIVATE ${SALUA_C_WARNINGS}
      -fsanitize=thread -g -O1)
  target_compile_definitions(tsan_selector PRIVATE SALUA_DEBUG _DEFAULT_SOURCE)
  target_link_options(tsan_selector PRIVATE -fsanitize=thread)
  target_link_libraries(tsan_selector PRIVATE Threads::Threads)
  set_target_properties(tsan_selector PROPERTIES C_STANDARD 11 C_EXTENSIONS OFF)
  add_test(NAME tsan.selector COMMAND tsan_selector 3)
  set_tests_properties(tsan.selector PROPERTIES LABELS "unit;tsan" TIMEOUT 60
      ENVIRONMENT "TSAN_OPTIONS=halt_on_error=1:exitcode=66")
else()
  message(STATUS "tsan.selector not built (no -fsanitize=thread, no threads, "
                 "or SALUA_SANITIZE=ON)")
endif()
