#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Boot Debian's kernel in QEMU (TCG) with a throw-away initramfs and run one
# guest script.  Reusable by any guest test; interface in docs/guest.md.
#
#   run-guest.sh --script FILE [--modules "m1 m2 ..."] [--bin FILE]...
#                [--file HOST:GUEST]... [--timeout S] [--log FILE]
#                [--check CMD] [--work DIR] [--mem MB]
#                [--hostfwd HOSTPORT:GUESTPORT]... [--share DIR] [--during CMD]
#                [--kv KV | --kernel DIR] [--smp N]
#
# The kernel: --kv KV boots Debian's /boot/vmlinuz-KV with /lib/modules/KV;
# --kernel DIR boots DIR/bzImage with the modules under DIR/lib/modules/KV
# (scripts/debug-kernel.sh prints such a DIR).  Without either,
# $SALUA_GUEST_KERNEL or $SALUA_GUEST_KV (set per test by CMake's
# salua_guest_test(), cmake/SaluaGuest.cmake), else the newest Debian 12
# kernel (6.1.0-N-amd64): never "the newest installed", which would be
# backports' 6.12.  --smp N (default $SALUA_GUEST_SMP, else 1) gives the
# guest N CPUs (multi-threaded TCG).  $SALUA_GUEST_TIMEOUT_SCALE multiplies
# --timeout (slow debug kernels).  $SALUA_GUEST_APPEND is added to the
# kernel command line (e.g. loglevel=7 to see the boot on the console).
#
# The guest gets busybox (static), the modules named (and their
# dependencies, loadable with `modprobe NAME` in the guest), each --bin with
# its shared-library closure (in /usr/bin or at its own path), each --file,
# and FILE as /guest.sh.  /init runs `sh /guest.sh`, then prints
# "SALUA-GUEST: rc=N", on a kernel with kmemleak (the debug kernel) one
# leak scan between "SALUA-KMEMLEAK-BEGIN/END", the kernel log between
# "SALUA-DMESG-BEGIN/END", and powers off.  Exit 0 only when the guest
# script exited 0, the marker was seen before the timeout, the console log
# holds no kernel report (tests/guest/kernel-reports.sh: WARNING/BUG/Oops,
# lockdep, KASAN, KFENCE, sleeping in atomic context, ODEBUG, list
# corruption, hung tasks, kmemleak leaks attributed to our modules), and
# the optional --check CMD (run on the host as `CMD LOGFILE`) exits 0.
# Memory: --mem MB, default 512 (1024 on a KASAN kernel).
# Exit 77 (CTest "skipped") when QEMU, the kernel or busybox is missing.
#
# Networking and host-side steps while the guest runs (docs/guest.md):
# --hostfwd gives the guest QEMU user networking (eth0 10.0.2.15/24) with
# 127.0.0.1:HOSTPORT forwarded to the guest's GUESTPORT; --share mounts a
# host directory at /host (9p); --during CMD runs `CMD LOGFILE SHAREDIR` on
# the host once the guest has run `salua-ready`, then creates
# SHAREDIR/host-done (containing CMD's exit status).  Guest helpers:
# `salua-ready`, `salua-wait SECS NAME...` (until /host/NAME exists),
# `salua-signal NAME` (creates /host/NAME).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

script= modules= timeout=90 log= check= work= mem= share= during=
kv= kdir= smp=${SALUA_GUEST_SMP:-1}
bins=() files=() fwds=()
while [ $# -gt 0 ]; do
	case $1 in
	--script) script=$2; shift 2 ;;
	--modules) modules="$modules $2"; shift 2 ;;
	--bin) bins+=("$2"); shift 2 ;;
	--file) files+=("$2"); shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--log) log=$2; shift 2 ;;
	--check) check=$2; shift 2 ;;
	--work) work=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--hostfwd) fwds+=("$2"); shift 2 ;;
	--share) share=$2; shift 2 ;;
	--during) during=$2; shift 2 ;;
	--kv) kv=$2; shift 2 ;;
	--kernel) kdir=$2; shift 2 ;;
	--smp) smp=$2; shift 2 ;;
	*) echo "run-guest.sh: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
[ -n "$script" ] || { echo "run-guest.sh: --script FILE is required" >&2; exit 2; }
# An explicit --kv or --kernel wins over the environment's choice.
[ -n "$kv" ] || [ -n "$kdir" ] || kdir=${SALUA_GUEST_KERNEL:-}
case ${SALUA_GUEST_TIMEOUT_SCALE:-1} in
''|*[!0-9]*|0) echo "run-guest.sh: SALUA_GUEST_TIMEOUT_SCALE must be a positive integer" >&2; exit 2 ;;
*) timeout=$((timeout * ${SALUA_GUEST_TIMEOUT_SCALE:-1})) ;;
esac

skip() { echo "run-guest.sh: SKIP: $*" >&2; exit 77; }
command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 not installed (apt-get install qemu-system-x86)"
[ -x /bin/busybox ] && file -L /bin/busybox 2>/dev/null | grep -q 'statically linked' ||
	ldd /bin/busybox 2>&1 | grep -q 'not a dynamic' || skip "static busybox not installed (busybox-static)"
command -v cpio >/dev/null || skip "cpio not installed"

# The kernel image, its version, the root its /lib/modules hangs off and
# its config.
mroot= kconfig=
if [ -n "$kdir" ]; then
	[ -z "$kv" ] || { echo "run-guest.sh: --kv and --kernel exclude each other" >&2; exit 2; }
	KV=$(ls "$kdir/lib/modules" 2>/dev/null | head -1)
	kernel=$kdir/bzImage
	[ -n "$KV" ] && [ -f "$kernel" ] ||
		{ echo "run-guest.sh: --kernel $kdir: no bzImage or lib/modules/KV" >&2; exit 1; }
	mroot=$kdir
	for c in "$kdir/config" "$kdir/build/.config"; do
		[ -f "$c" ] && { kconfig=$c; break; }
	done
else
	KV=${kv:-${SALUA_GUEST_KV:-}}
	if [ -z "$KV" ]; then
		KV=$(ls /lib/modules 2>/dev/null | grep -E '^6\.1\.0-[0-9]+-amd64$' | sort -V | tail -1 || true)
	fi
	[ -n "$KV" ] && [ -f "/boot/vmlinuz-$KV" ] && [ -f "/lib/modules/$KV/modules.dep" ] ||
		skip "no /boot/vmlinuz-${KV:-*} with modules (apt-get install linux-image-amd64)"
	kernel=/boot/vmlinuz-$KV
	kconfig=/boot/config-$KV
fi
kopt() { [ -f "$kconfig" ] && grep -qx "CONFIG_$1=y" "$kconfig"; }
if [ -z "$mem" ]; then
	mem=512
	! kopt KASAN || mem=1024	# shadow memory, quarantine, debug objects
fi
case $smp in ''|*[!0-9]*|0) echo "run-guest.sh: --smp $smp: not a CPU count" >&2; exit 2 ;; esac

# SALUA_GUEST_SLOTS=N: wait for one of N machine-wide slots before booting,
# so agents sharing a small machine do not run more guests than it has CPUs.
slot_t0=$(date +%s)
if [ -n "${SALUA_GUEST_SLOTS:-}" ] && command -v flock >/dev/null; then
	mkdir -p /tmp/salua-guest-slots
	got=
	while [ -z "$got" ]; do
		for i in $(seq 0 $((SALUA_GUEST_SLOTS - 1))); do
			exec {slotfd}>"/tmp/salua-guest-slots/slot$i"
			if flock -n "$slotfd"; then got=$i; break; fi
			exec {slotfd}>&-
		done
		[ -n "$got" ] || sleep 1
	done
fi
slot_wait=$(( $(date +%s) - slot_t0 ))
[ "$slot_wait" -gt 0 ] || slot_wait=

work=${work:-$(mktemp -d /tmp/salua-guest.XXXXXX)}
mkdir -p "$work"
root=$work/root
rm -rf "$root"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,lib,lib64,proc,sys,dev,tmp,etc,mnt,run}
log=${log:-$work/console.log}
if [ -n "$during" ] && [ -z "$share" ]; then
	share=$work/share
fi
if [ -n "$share" ]; then
	mkdir -p "$share"
	rm -f "$share/ready" "$share/host-done"
	modules="$modules virtio_pci 9pnet_virtio 9p"
fi
[ ${#fwds[@]} -eq 0 ] || modules="$modules virtio_pci virtio_net"

cp /bin/busybox "$root/bin/busybox"
for a in $(/bin/busybox --list); do
	[ -e "$root/bin/$a" ] || ln -s busybox "$root/bin/$a"
done

# Modules in dependency order, then depmod so `modprobe NAME` works.
# With --kernel the paths modprobe prints start with DIR: the guest's do not.
mp=(modprobe -S "$KV" --show-depends --ignore-install)
[ -z "$mroot" ] || mp+=(-d "$mroot")
for m in $modules; do
	"${mp[@]}" "$m" 2>/dev/null |
		awk '$1 == "insmod" { print $2 }' | while read -r ko; do
		g=${ko#"$mroot"}
		mkdir -p "$root$(dirname "$g")"
		cp -n "$ko" "$root$g" 2>/dev/null || true
	done
	"${mp[@]}" "$m" >/dev/null 2>&1 ||
		{ echo "run-guest.sh: module '$m' not found for $KV" >&2; exit 1; }
done
if [ -d "$root/lib/modules/$KV" ]; then
	cp "$mroot"/lib/modules/"$KV"/modules.{order,builtin,builtin.modinfo} "$root/lib/modules/$KV/" 2>/dev/null || true
	depmod -b "$root" "$KV"
fi

# Programs with their shared-library closure.
copy_lib() {
	local f=$1
	[ -e "$root$f" ] && return 0
	mkdir -p "$root$(dirname "$f")"
	cp -L "$f" "$root$f"
}
for b in "${bins[@]}"; do
	[ -x "$b" ] || { echo "run-guest.sh: --bin $b: not an executable" >&2; exit 1; }
	cp -L "$b" "$root/usr/bin/$(basename "$b")"
	{ ldd "$b" 2>/dev/null || true; } | { grep -o '/[^ ]*' || true; } | while read -r l; do copy_lib "$l"; done
done
for f in "${files[@]}"; do
	src=${f%%:*} dst=${f#*:}
	mkdir -p "$root$(dirname "$dst")"
	cp -L "$src" "$root$dst"
done
cp "$script" "$root/guest.sh"

# Guest-side helpers for --share / --during.
cat > "$root/bin/salua-ready" <<'EOS'
#!/bin/sh
echo "SALUA-GUEST-READY"
: > /host/ready
EOS
cat > "$root/bin/salua-signal" <<'EOS'
#!/bin/sh
: > "/host/$1"
EOS
cat > "$root/bin/salua-wait" <<'EOS'
#!/bin/sh
# salua-wait SECS NAME...: until one of /host/NAME exists; prints its name.
n=$(( $1 * 10 )); shift
while [ $n -gt 0 ]; do
	for f in "$@"; do
		[ -e "/host/$f" ] && { echo "$f"; exit 0; }
	done
	sleep 0.1
	n=$((n - 1))
done
echo "salua-wait: timed out waiting for $*" >&2
exit 1
EOS
chmod +x "$root/bin/salua-ready" "$root/bin/salua-signal" "$root/bin/salua-wait"

# On a kernel with kmemleak: record where each module sat before it is
# unloaded, so kernel-reports.sh can attribute a leak whose allocation
# frames point into a module that is gone (kallsyms no longer names them).
# Busybox sh runs its own rmmod/modprobe applets before any PATH lookup,
# so the guest script gets shell functions in front of them (a prologue
# to /guest.sh; they reach subshells, not a new `sh`).
if kopt DEBUG_KMEMLEAK; then
	: > "$root/etc/salua-kmemleak"
	cat > "$root/etc/salua-prologue.sh" <<'EOS'
# run-guest.sh (kmemleak): remember each module's /proc/modules line
# (name size refs users state base) before unloading it, and what insmod
# loaded.
salua_rec_unload() {
	for a in "$@"; do
		case $a in -*) continue ;; esac
		m=${a##*/}; m=${m%.ko}
		grep "^$(echo "$m" | tr - _) " /proc/modules >> /run/salua-unloaded
	done
	return 0
}
rmmod() { salua_rec_unload "$@"; busybox rmmod "$@"; }
insmod() { echo "${1##*/}" >> /run/salua-loaded; busybox insmod "$@"; }
modprobe() {
	case " $* " in *" -r "*|*" --remove "*) salua_rec_unload "$@" ;; esac
	busybox modprobe "$@"
}
EOS
fi

if [ -f "$root/etc/salua-prologue.sh" ]; then
	cat "$root/etc/salua-prologue.sh" "$script" > "$root/guest.sh"
fi

cat > "$root/init" <<'INIT'
#!/bin/sh
export PATH=/usr/bin:/usr/sbin:/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
mountpoint -q /sys/kernel/config 2>/dev/null || mount -t configfs configfs /sys/kernel/config 2>/dev/null
if [ -f /etc/salua-net ]; then
	modprobe virtio_pci; modprobe virtio_net
	ip link set lo up
	i=0
	while [ ! -e /sys/class/net/eth0 ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	ip addr add 10.0.2.15/24 dev eth0 && ip link set eth0 up && ip route add default via 10.0.2.2 ||
		echo "SALUA-GUEST: network setup failed"
fi
if [ -f /etc/salua-share ]; then
	modprobe virtio_pci; modprobe 9pnet_virtio; modprobe 9p
	mkdir -p /host
	mount -t 9p -o trans=virtio,version=9p2000.L,msize=65536 salua /host ||
		echo "SALUA-GUEST: 9p mount failed"
fi
echo "SALUA-GUEST-START $(uname -r)"
sh /guest.sh
rc=$?
echo "SALUA-GUEST: rc=$rc"
if [ -f /etc/salua-kmemleak ] && ! grep -q '^salua' /proc/modules /run/salua-loaded /run/salua-unloaded 2>/dev/null; then
	# No module of ours was ever loaded: no leak can be ours.  Skipped,
	# also so that the guest powers off when asked (iscsi.lio).
	echo "SALUA-KMEMLEAK: skipped, no salua* module was loaded"
elif [ -f /etc/salua-kmemleak ]; then
	# The leak scan at the end.  kmemleak reports an object only when it
	# is older than 5 s and its contents did not change since the previous
	# scan, so: scan, let 5 s pass since that scan began, scan again.
	grep -q " /sys/kernel/debug " /proc/mounts || mount -t debugfs debugfs /sys/kernel/debug
	echo "SALUA-KMEMLEAK-BEGIN"
	sed 's/^/SALUA-UNLOADED /' /run/salua-unloaded 2>/dev/null | sort -u
	t0=$(cut -d' ' -f1 /proc/uptime | tr -d .)
	if echo scan > /sys/kernel/debug/kmemleak 2>/dev/null; then
		t1=$(cut -d' ' -f1 /proc/uptime | tr -d .)
		[ $((t1 - t0)) -ge 510 ] || sleep $(( (510 - (t1 - t0)) / 100 + 1 ))
		echo scan > /sys/kernel/debug/kmemleak
		echo "SALUA-KMEMLEAK: scans took $(( ($(cut -d' ' -f1 /proc/uptime | tr -d .) - t0) * 10 )) ms"
		cat /sys/kernel/debug/kmemleak
	else
		echo "SALUA-KMEMLEAK: unavailable (cannot write /sys/kernel/debug/kmemleak)"
	fi
	echo "SALUA-KMEMLEAK-END"
fi
echo "SALUA-DMESG-BEGIN"
dmesg
echo "SALUA-DMESG-END"
sync
poweroff -f
INIT
chmod +x "$root/init"
[ ${#fwds[@]} -eq 0 ] || : > "$root/etc/salua-net"
[ -z "$share" ] || : > "$root/etc/salua-share"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$work/initrd.gz"

# An uncompressed vmlinux boots faster under TCG (PVH); extract it once
# from Debian's image (XZ for 6.1, zstd for 6.12).  Not for --kernel: the
# PVH entry triple-faults under KASAN (GUEST-NOTES.md), so a debug kernel
# boots its bzImage.
if [ -z "$kdir" ]; then
	vml=$work/../vmlinux-$KV
	if [ ! -s "$vml" ]; then
		for z in $'\xfd7zXZ':xzcat $'\x28\xb5\x2f\xfd':zstdcat; do
			magic=${z%%:*} cat=${z#*:}
			command -v "$cat" >/dev/null || continue
			off=$(LC_ALL=C grep -abo "$magic" "$kernel" 2>/dev/null | head -1 | cut -d: -f1 || true)
			[ -n "$off" ] || continue
			tail -c +$((off + 1)) "$kernel" | $cat 2>/dev/null > "$vml.tmp" || true
			if head -c 4 "$vml.tmp" | grep -q ELF; then mv "$vml.tmp" "$vml"; break; fi
			rm -f "$vml.tmp"
		done
	fi
	[ -s "$vml" ] && kernel=$vml
fi

accel=${SALUA_GUEST_ACCEL:-tcg}
cpu=max
[ "$accel" = kvm ] && cpu=host
aopt=$accel
[ "$accel" != tcg ] || [ "$smp" -eq 1 ] || aopt=tcg,thread=multi
extra=()
if [ ${#fwds[@]} -gt 0 ]; then
	nd=user,id=n0
	for f in "${fwds[@]}"; do
		nd="$nd,hostfwd=tcp:127.0.0.1:${f%%:*}-10.0.2.15:${f#*:}"
	done
	extra+=(-netdev "$nd" -device virtio-net-pci,netdev=n0,romfile=)
fi
[ -z "$share" ] || extra+=(-virtfs "local,path=$share,mount_tag=salua,security_model=none")
# A large log buffer: the dump at the end must still hold the first report.
append="console=ttyS0 panic=-1 loglevel=3 oops=panic log_buf_len=4M ${SALUA_GUEST_APPEND:-}"
start=$(date +%s)
# CPU seconds of the children so far (QEMU's are added once it is reaped):
# the figure that carries over to an idle machine.
# (`times` must run in this shell, not in a $(...) subshell.)
cpu_of() { sed -n '2s/m/ /g;2s/s//g;2p' "$1" | awk '{ printf "%d", $1 * 60 + $2 + $3 * 60 + $4 }'; }
times > "$work/times0"
set +e
if [ -z "$during" ]; then
	timeout --foreground -k 5 "$timeout" qemu-system-x86_64 -accel "$aopt" -cpu "$cpu" \
		-m "$mem" -smp "$smp" -nographic -no-reboot -nodefaults -serial stdio \
		-kernel "$kernel" -initrd "$work/initrd.gz" ${extra[@]+"${extra[@]}"} \
		-append "$append" </dev/null >"$log" 2>&1
	qrc=$?
else
	timeout -k 5 "$timeout" qemu-system-x86_64 -accel "$aopt" -cpu "$cpu" \
		-m "$mem" -smp "$smp" -nographic -no-reboot -nodefaults -serial stdio \
		-kernel "$kernel" -initrd "$work/initrd.gz" ${extra[@]+"${extra[@]}"} \
		-append "$append" </dev/null >"$log" 2>&1 &
	qpid=$! dpid=
	# Never leave QEMU or the host step behind, whatever ends this script:
	# each runs under its own `timeout`, which leads its process group.
	reap() {
		[ -z "$dpid" ] || kill -TERM -- "-$dpid" 2>/dev/null
		[ -z "$qpid" ] || kill -TERM -- "-$qpid" 2>/dev/null
		dpid= qpid=
	}
	trap reap EXIT
	trap 'reap; exit 130' INT TERM
	while [ ! -e "$share/ready" ] && kill -0 "$qpid" 2>/dev/null; do sleep 0.1; done
	drc=
	if [ -e "$share/ready" ]; then
		left=$(( timeout - ($(date +%s) - start) ))
		[ $left -gt 1 ] || left=1
		# In the background, so a signal to this script is handled at once.
		timeout -k 5 "$left" $during "$log" "$share" &
		dpid=$!
		wait "$dpid"
		drc=$?
		dpid=
		echo "$drc" > "$share/host-done"
	fi
	wait "$qpid"
	qrc=$?
	qpid=
	trap - EXIT INT TERM
fi
set -e
secs=$(( $(date +%s) - start ))
times > "$work/times1"
cpu=$(( $(cpu_of "$work/times1") - $(cpu_of "$work/times0") ))
tr -d '\r' < "$log" > "$log.tmp" && mv "$log.tmp" "$log"

fail=0
if [ $qrc -eq 124 ] || [ $qrc -eq 137 ]; then
	echo "run-guest.sh: FAIL: guest timed out after ${timeout}s" >&2
	fail=1
fi
grc=$(sed -n 's/^SALUA-GUEST: rc=\([0-9]*\).*/\1/p' "$log" | tail -1)
if [ -z "$grc" ]; then
	echo "run-guest.sh: FAIL: no result marker in the console log" >&2
	fail=1
elif [ "$grc" != 0 ]; then
	echo "run-guest.sh: FAIL: guest script exited $grc" >&2
	fail=1
fi
if ! reports=$(bash "$here/kernel-reports.sh" "$log"); then
	printf '%s\n' "$reports" | sed 's/^/run-guest.sh: FAIL: kernel report: /' >&2
	fail=1
fi
if [ -n "$during" ]; then
	if [ -z "$drc" ]; then
		echo "run-guest.sh: FAIL: the guest never ran salua-ready; --during not run" >&2
		fail=1
	elif [ "$drc" != 0 ]; then
		echo "run-guest.sh: FAIL: --during '$during' exited $drc" >&2
		fail=1
	fi
fi
if [ $fail -eq 0 ] && [ -n "$check" ]; then
	if ! $check "$log"; then
		echo "run-guest.sh: FAIL: check '$check' failed" >&2
		fail=1
	fi
fi
echo "run-guest.sh: kernel $KV, accel $aopt, smp $smp, ${secs}s (host CPU ${cpu}s${slot_wait:+, after ${slot_wait}s waiting for a guest slot}), log $log: $([ $fail -eq 0 ] && echo PASS || echo FAIL)"
if [ $fail -ne 0 ]; then
	echo "---- console log (last 150 lines) ----" >&2
	tail -150 "$log" >&2
fi
exit $fail
