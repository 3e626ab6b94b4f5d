#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Install the Debian 12 packages that salua's build and tests need.
# Idempotent: when every package is already installed, apt is not touched.
# Must run as root (or through sudo) the first time; later runs only check.
set -euo pipefail

# Packages the current build and tests use.  Add one per line.
PKGS=(
	build-essential
	cmake
	pkg-config
	python3
	man-db                # probe.manpage lints alua_probe.8 with man --warnings
	clang                 # portability tests (second compiler)
	llvm                  # llvm-symbolizer for sanitizer reports
	libclang-rt-14-dev    # clang sanitizer + libFuzzer runtimes (only a Recommends)
	gcc-12-multilib       # -m32 tests; plain gcc-multilib conflicts with the s390x cross gcc
	g++-12-multilib
	gcc-s390x-linux-gnu   # big-endian tests
	g++-s390x-linux-gnu
	libc6-dev-s390x-cross # only a Recommends of gcc-s390x-linux-gnu
	qemu-user             # runs the s390x test binaries (qemu-s390x)
	libsgutils2-dev       # differential tests against sg3_utils' decoders
	sg3-utils
	qemu-system-x86       # guest tests: Debian's kernel under QEMU/TCG
	linux-image-amd64     # the guest kernel (and its scsi_debug, LIO, tcm_loop modules)
	linux-headers-amd64   # builds shims/linux against that kernel
	busybox-static        # the guest's userland
	cpio                  # initramfs
	kmod                  # modprobe --show-depends, depmod for the guest
	xz-utils              # unpacks vmlinuz into a faster-booting vmlinux
	libiscsi-dev          # shims/libiscsi, alua_probe iscsi:// devices
	libiscsi-bin          # iscsi-inq etc. (manual checks)
	tgt                   # iscsi tests: tgtd on loopback (no ALUA)
	istgt                 # iscsi tests: istgt on loopback (RTPG/STPG)
)

missing=()
for p in "${PKGS[@]}"; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
	echo "setup.sh: all ${#PKGS[@]} packages present"
	exit 0
fi

echo "setup.sh: installing: ${missing[*]}"
SUDO=
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || {
		echo "setup.sh: need root to install packages" >&2
		exit 1
	}
	SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
