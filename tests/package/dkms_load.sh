#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# Guest script of guest.pkg_dkms_load@K: the module DKMS built from the
# salua-dkms package (package.dkms) loads in its kernel, says the version
# VERSION says, and attaches to scsi_debug's ALUA paths.
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }
modprobe scsi_mod 2>/dev/null	# built in or a module, by kernel
insmod /salua_dh.ko || { echo "FAIL insmod"; exit 1; }
check "version $(cat /sys/module/salua_dh/version) = VERSION $(cat /VERSION)" \
	'[ "$(cat /sys/module/salua_dh/version)" = "$(cat /VERSION)" ]'
modprobe scsi_debug vpd_use_hostno=0 add_host=2 || { echo "FAIL scsi_debug"; exit 1; }
sleep 1
for h in 0 1; do
	d=/sys/class/scsi_device/$h:0:0:0/device
	echo salua > $d/dh_state
	check "$h:0:0:0 dh_state salua" '[ "$(cat $d/dh_state)" = salua ]'
done
check "host0 active/optimized" '[ "$(cat /sys/class/scsi_device/0:0:0:0/device/access_state)" = active/optimized ]'
check "host1 active/non-optimized" '[ "$(cat /sys/class/scsi_device/1:0:0:0/device/access_state)" = active/non-optimized ]'
for h in 0 1; do echo 1 > /sys/class/scsi_device/$h:0:0:0/device/delete; done
rmmod salua_dh && echo "ok   rmmod" || { echo "FAIL rmmod"; fail=1; }
exit $fail
