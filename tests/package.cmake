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
#                    COMPONENTS ...), pkg-config);
#   package.dkms     salua-dkms installed for real (dpkg -i, then dkms
#                    autoinstall per Debian kernel, then purge) in a private
#                    mount namespace over throw-away overlays;
#   guest.pkg_dkms_load@K  the module DKMS built boots in kernel K.
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

# Each Debian guest kernel (a version, not the debug kernel's tree).
set(_kvs)
get_property(_tags GLOBAL PROPERTY SALUA_GUEST_KERNELS)
foreach(tag ${_tags})
  get_property(kv GLOBAL PROPERTY SALUA_GUEST_${tag}_KV)
  if(kv AND EXISTS /lib/modules/${kv}/build/Makefile)
    list(APPEND _kvs ${kv})
    list(APPEND _dkms_tags ${tag})
  endif()
endforeach()
find_program(SALUA_DKMS dkms)
if(_kvs AND SALUA_DKMS)
  set(_dw ${CMAKE_BINARY_DIR}/package-dkms)
  add_test(NAME package.dkms
           COMMAND bash ${_p}/dkms_install.sh ${CMAKE_SOURCE_DIR} ${_out} ${_dw} ${_kvs})
  set_tests_properties(package.dkms PROPERTIES LABELS package TIMEOUT 900
      SKIP_RETURN_CODE 77 FIXTURES_REQUIRED salua_debs FIXTURES_SETUP salua_dkms_built)
  salua_guest_test(NAME pkg_dkms_load KERNELS ${_dkms_tags} LABELS package TIMEOUT 200
    COMMAND ${CMAKE_SOURCE_DIR}/tests/guest/run-guest.sh --script ${_p}/dkms_load.sh
            --modules "scsi_mod scsi_debug sd_mod" --file ${_dw}/@KV@/salua_dh.ko:/salua_dh.ko
            --file ${CMAKE_SOURCE_DIR}/VERSION:/VERSION --timeout 120 --work @WORK@)
  foreach(tag ${_dkms_tags})
    set_tests_properties(guest.pkg_dkms_load@${tag} PROPERTIES FIXTURES_REQUIRED salua_dkms_built)
  endforeach()
endif()
