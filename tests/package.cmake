# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Debian packages (label package; README "Install from packages"):
#   package.build    scripts/package.sh builds every .deb into
#                    <build>/packages (fixture for the others);
#   package.lintian  lintian on every .deb: no error, and every warning is
#                    one listed with its reason in debian/lintian-expected;
#   package.install  the packages unpacked into a fresh root: every file
#                    `dpkg -L` names is there, and a consumer project builds
#                    and runs against that root only (find_package(salua
#                    COMPONENTS ...), pkg-config).
find_program(SALUA_DPKG_BUILDPACKAGE dpkg-buildpackage)
find_program(SALUA_LINTIAN lintian)
if(NOT SALUA_DPKG_BUILDPACKAGE OR NOT SALUA_LINTIAN)
  message(STATUS "salua: dpkg-buildpackage or lintian missing: package tests not added")
  return()
endif()
set(_p ${CMAKE_CURRENT_SOURCE_DIR}/package)
set(_out ${CMAKE_BINARY_DIR}/packages)
add_test(NAME package.build
         COMMAND bash ${_p}/build.sh ${CMAKE_SOURCE_DIR} ${_out})
add_test(NAME package.lintian
         COMMAND bash ${_p}/lintian.sh ${CMAKE_SOURCE_DIR}/debian/lintian-expected ${_out})
add_test(NAME package.install
         COMMAND bash ${_p}/install.sh ${CMAKE_SOURCE_DIR} ${_out}
                 ${CMAKE_BINARY_DIR}/package-root)
set_tests_properties(package.build PROPERTIES FIXTURES_SETUP salua_debs)
set_tests_properties(package.lintian package.install PROPERTIES
                     FIXTURES_REQUIRED salua_debs)
set_tests_properties(package.build package.lintian package.install PROPERTIES
                     LABELS package TIMEOUT 600)
