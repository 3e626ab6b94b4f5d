#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# The debug kernel for the guest tests: Debian's linux-source-6.1 built with
# lockdep, KASAN, KFENCE, kmemleak, DEBUG_OBJECTS, DEBUG_LIST, atomic-sleep
# and hung-task checks (scripts/debug-kernel.config), cached outside the
# build tree.
#
#   bash scripts/debug-kernel.sh [-j N]   build it, or find it in the cache
#   bash scripts/debug-kernel.sh --print-dir   the directory, never building
#
# The last line printed is a directory DIR with
#   DIR/bzImage                  the bootable image (boot it, not a vmlinux:
#                                the PVH entry faults under KASAN)
#   DIR/lib/modules/KV/          its modules (KV = 6.1.N-salua-debug)
#   DIR/build/                   a build tree for out-of-tree modules:
#                                make -C DIR/build M=... modules
#   DIR/config, DIR/BUILD-INFO   the final .config; key, timings, sizes
# Boot it with tests/guest/run-guest.sh --kernel DIR --smp 2.
#
# DIR = ${SALUA_CACHE:-/var/cache/salua}/debug-kernel/KEY, where KEY is the
# source package's version, a hash of the config fragment, the compiler's
# version and this script's recipe revision: any change rebuilds, a rerun
# finds it in seconds.  Concurrent callers wait on a lock.  The kernel is
# configured with the kernel's own tooling: `make allnoconfig`, the
# fragment merged with scripts/kconfig/merge_config.sh, `make
# olddefconfig`; then every line of the fragment is checked against the
# final .config and the build stops if one did not stick.
# Environment: SALUA_CACHE, SALUA_KERNEL_SOURCE (default
# /usr/src/linux-source-6.1.tar.xz), SALUA_JOBS (default 2).
set -euo pipefail

# Bump when the build or the layout of DIR changes (not the config: the
# fragment's hash is in the key already).
RECIPE=1

here=$(cd "$(dirname "$0")" && pwd)
frag=$here/debug-kernel.config
src_tar=${SALUA_KERNEL_SOURCE:-/usr/src/linux-source-6.1.tar.xz}
jobs=${SALUA_JOBS:-2}
print_only=
while [ $# -gt 0 ]; do
	case $1 in
	--print-dir) print_only=1; shift ;;
	-j) jobs=$2; shift 2 ;;
	-j*) jobs=${1#-j}; shift ;;
	-h|--help) sed -n '3,31p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "debug-kernel.sh: unknown argument '$1'" >&2; exit 2 ;;
	esac
done

say() { echo "debug-kernel.sh: $*" >&2; }
die() { say "$*"; exit 1; }

[ -f "$frag" ] || die "config fragment $frag missing"
[ -f "$src_tar" ] || die "no kernel source $src_tar (apt-get install linux-source-6.1)"

# --- the cache key ----------------------------------------------------------
src_ver=
if command -v dpkg >/dev/null && pkg=$(dpkg -S "$src_tar" 2>/dev/null | cut -d: -f1); then
	src_ver=$pkg-$(dpkg-query -W -f='${Version}' "$pkg")
fi
[ -n "$src_ver" ] || src_ver=$(basename "$src_tar" .tar.xz)-$(sha256sum "$src_tar" | cut -c1-12)
frag_hash=$(sha256sum "$frag" | cut -c1-12)
cc_ver=$(gcc --version | head -1)
key=$(printf '%s_cfg-%s_%s_r%s' "$src_ver" "$frag_hash" \
	"$(printf '%s' "$cc_ver" | sed 's/[^A-Za-z0-9.+-]\{1,\}/-/g; s/^-//; s/-$//')" "$RECIPE")
base=${SALUA_CACHE:-/var/cache/salua}/debug-kernel
dir=$base/$key

if [ -n "$print_only" ]; then
	echo "$dir"
	exit 0
fi
if [ -f "$dir/.complete" ]; then
	say "cached: $(cat "$dir/KV" 2>/dev/null)"
	echo "$dir"
	exit 0
fi

mkdir -p "$base" 2>/dev/null && [ -w "$base" ] ||
	die "cannot write $base (set SALUA_CACHE to a writable directory)"
for t in make gcc flex bison bc perl xz tar; do
	command -v "$t" >/dev/null || die "$t not installed (bash scripts/setup.sh)"
done
[ -f /usr/include/libelf.h ] || die "libelf-dev not installed (bash scripts/setup.sh)"

# One builder at a time; the others wait and then find it in the cache.
exec {lockfd}>"$base/.lock"
if ! flock -n "$lockfd"; then
	say "another build holds $base/.lock; waiting"
	flock "$lockfd"
fi
if [ -f "$dir/.complete" ]; then
	echo "$dir"
	exit 0
fi

work=$dir.work
stage=$dir.stage
rm -rf "$work" "$stage" "$dir"
mkdir -p "$work" "$stage"
blog=$work/build.log
t0=$(date +%s)
load0=$(cut -d' ' -f1-3 /proc/loadavg)
say "building $key with -j$jobs (load average $load0); log $blog"
fail() {
	say "FAILED: $*"
	tail -40 "$blog" >&2 2>/dev/null || true
	exit 1
}

tar -xf "$src_tar" -C "$work"
ksrc=$(find "$work" -mindepth 1 -maxdepth 1 -type d | head -1)
[ -f "$ksrc/Makefile" ] || fail "no kernel tree in $src_tar"
mk() { make -C "$ksrc" -s "$@" >>"$blog" 2>&1; }

# --- configure with the kernel's own tooling, then check every line -------
mk allnoconfig || fail "make allnoconfig"
(cd "$ksrc" && scripts/kconfig/merge_config.sh -m .config "$frag") >>"$blog" 2>&1 ||
	fail "merge_config.sh"
mk olddefconfig || fail "make olddefconfig"
bad=0
while IFS= read -r line; do
	case $line in
	CONFIG_*=*)
		grep -qxF -- "$line" "$ksrc/.config" ||
			{ say "option did not stick: $line (have: $(grep -E "^(# )?${line%%=*}[= ]" "$ksrc/.config" || echo unset))"; bad=1; } ;;
	"# CONFIG_"*" is not set")
		sym=${line#\# }; sym=${sym%% *}
		! grep -q "^$sym=" "$ksrc/.config" ||
			{ say "option did not stick: $line (have: $(grep "^$sym=" "$ksrc/.config"))"; bad=1; } ;;
	esac
done < "$frag"
[ $bad -eq 0 ] || fail "config fragment not satisfied after olddefconfig"
t_cfg=$(date +%s)

# --- build ------------------------------------------------------------------
mk -j"$jobs" bzImage modules || fail "make bzImage modules"
t_build=$(date +%s)
KV=$(make -C "$ksrc" -s kernelrelease)

# --- install: image, modules, a build tree for out-of-tree modules ---------
cp "$ksrc/arch/x86/boot/bzImage" "$stage/bzImage"
mk modules_install INSTALL_MOD_PATH="$stage" INSTALL_MOD_STRIP=1 ||
	fail "make modules_install"
rm -f "$stage/lib/modules/$KV/build" "$stage/lib/modules/$KV/source"
cp "$ksrc/.config" "$stage/config"
echo "$KV" > "$stage/KV"
# What `make M=DIR modules` reads: the top and arch Makefiles, the Kbuild
# scripts and their host tools, all headers (generated ones included),
# the config, Module.symvers and objtool.
(
	cd "$ksrc"
	{
		ls -d Makefile .config Module.symvers System.map tools/objtool/objtool
		find arch/x86 -maxdepth 1 -type f -name 'Makefile*'
		find include scripts arch/x86/include \( -type f -o -type l \) \
			! -name '*.o' ! -name '.*.cmd' ! -name '*.d'
	} | tar -cf - --no-recursion -T - | { mkdir -p "$stage/build"; tar -xf - -C "$stage/build"; }
) 2>>"$blog" || fail "copying the build tree"

# The build tree must build a module: check with a trivial one.
probe=$work/probe
mkdir -p "$probe"
cat > "$probe/probe.c" <<'EOF'
#include <linux/module.h>
static int __init probe_init(void) { return 0; }
module_init(probe_init);
MODULE_LICENSE("GPL");
EOF
echo 'obj-m += probe.o' > "$probe/Kbuild"
make -C "$stage/build" M="$probe" -s modules >>"$blog" 2>&1 && [ -f "$probe/probe.ko" ] ||
	fail "the cached build tree cannot build an out-of-tree module"
t_end=$(date +%s)

{
	echo "key $key"
	echo "kernel $KV"
	echo "source $src_tar ($src_ver)"
	echo "compiler $cc_ver"
	echo "jobs $jobs"
	echo "load_average_at_start $load0"
	echo "load_average_at_end $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "seconds_extract_config $((t_cfg - t0))"
	echo "seconds_build $((t_build - t_cfg))"
	echo "seconds_total $((t_end - t0))"
	echo "modules $(find "$stage/lib/modules" -name '*.ko' | wc -l)"
	echo "size_kib $(du -sk "$stage" | cut -f1)"
	echo "size_kib_build_tree $(du -sk "$stage/build" | cut -f1)"
} > "$stage/BUILD-INFO"
: > "$stage/.complete"
mv "$stage" "$dir"
rm -rf "$work"
say "built $KV in $((t_end - t0)) s ($(grep size_kib "$dir/BUILD-INFO" | head -1))"
echo "$dir"
