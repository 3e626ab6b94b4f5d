# shellcheck shell=bash disable=SC2034
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# Shared by the portability drivers (sourced, not run).

# STYLE.md's warning list.  C++ drops the two C-only warnings.
SALUA_CXXWARN=(-Wall -Wextra -Wconversion -Wshadow -Wcast-qual -Wcast-align
	-Wundef -Wvla -Wswitch-enum -Wimplicit-fallthrough -Werror)
SALUA_CWARN=("${SALUA_CXXWARN[@]}" -Wstrict-prototypes -Wmissing-prototypes)

# ctest reports exit status 77 as "skipped" (SKIP_RETURN_CODE).
need() {
	local t
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 || {
			echo "SKIP: $t not found (run scripts/setup.sh)"
			exit 77
		}
	done
}

run() {
	echo "+ $*"
	"$@"
}

# cxx_of gcc -> g++, clang -> clang++
cxx_of() {
	case "$1" in
	gcc) echo g++ ;;
	clang) echo clang++ ;;
	*) echo "$1" | sed 's/gcc$/g++/; s/clang$/clang++/' ;;
	esac
}

# Which larger API functions are implemented so far: prints -D flags for the
# checks in modes/modes_checks.h, from the defined symbols of an object or
# archive that was built in implementation mode.
have_flags() {
	local syms
	syms=$(nm --defined-only "$1" 2>/dev/null | awk '{print $NF}')
	if grep -qx salua_sense_normalize <<<"$syms"; then
		echo -n " -DMODES_HAVE_SENSE"
	fi
	if grep -qx salua_rtpg_parse <<<"$syms" &&
	   grep -qx salua_rtpg_next <<<"$syms"; then
		echo -n " -DMODES_HAVE_RTPG"
	fi
	echo
}
