# SPDX-License-Identifier: GPL-2.0-only
#
# Packaging (shims/linux/dist, docs/kernel-module.md "Packaging"), label pkg:
#   pkg.dkms@K   dkms add/build/install/status/uninstall/remove of the DKMS
#                source tree (dist/mkdkms.sh) for each guest kernel that is
#                a Debian kernel with headers, in private trees (the host's
#                /lib/modules and /var/lib/dkms stay untouched).
# The udev rule, modprobe.d file and multipath.conf section are exercised
# by guest.mpathd (tests/dm.cmake).  Skipped (77) without dkms.

if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
  get_property(_tags GLOBAL PROPERTY SALUA_GUEST_KERNELS)
  foreach(tag ${_tags})
    get_property(kv GLOBAL PROPERTY SALUA_GUEST_${tag}_KV)
    if(NOT kv OR NOT EXISTS /lib/modules/${kv}/build/Makefile)
      continue()
    endif()
    add_test(NAME pkg.dkms@${tag}
      COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/pkg/dkms.sh ${kv}
              ${CMAKE_CURRENT_BINARY_DIR}/pkg-work/dkms@${tag})
    set_tests_properties(pkg.dkms@${tag} PROPERTIES
        LABELS "pkg;kernel-${tag}" TIMEOUT 300 SKIP_RETURN_CODE 77)
  endforeach()
endif()
