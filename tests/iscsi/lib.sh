#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# Helpers for the iSCSI integration tests: start istgt / tgtd on loopback
# in a private directory, stop them on exit (trap), assertions.
set -u

WORK=$(mktemp -d "${TMPDIR:-/tmp}/salua-iscsi.XXXXXX")
PIDS=""
FAILS=0
CHECKS=0

cleanup() {
	# A second TERM (a process-group kill) must not cut the cleanup short.
	trap '' INT TERM
	for p in $PIDS; do
		kill -CONT "$p" 2>/dev/null
		kill "$p" 2>/dev/null
	done
	sleep 0.1
	for p in $PIDS; do
		kill -9 "$p" 2>/dev/null
	done
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

skip() { echo "SKIP: $*"; exit 77; }

ok() { CHECKS=$((CHECKS + 1)); echo "ok: $*"; }
bad() { CHECKS=$((CHECKS + 1)); FAILS=$((FAILS + 1)); echo "FAIL: $*"; }

# expect_line FILE EXACT-LINE
expect_line() {
	if grep -qxF -- "$2" "$1"; then ok "$2"; else bad "missing line: $2"; fi
}
# expect_re FILE REGEX DESCRIPTION
expect_re() {
	if grep -qE -- "$2" "$1"; then ok "$3"; else bad "$3 (no match for /$2/)"; fi
}
finish() {
	echo "$(basename "$0"): $((CHECKS - FAILS)) passed, $FAILS failed"
	[ "$FAILS" -eq 0 ]
	exit $?
}

# wait_port PORT: until something listens on 127.0.0.1:PORT (max ~5 s).
wait_port() {
	i=0
	while [ $i -lt 100 ]; do
		if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}

# start_istgt PORT1 PORT2 UCPORT: target iqn.2026-11.org.salua.istgt:disk1,
# LUN 0, one portal group per port.  Sets ISTGT_PID, ISTGT_IQN.
start_istgt() {
	command -v istgt >/dev/null 2>&1 || skip "istgt not installed"
	ISTGT_IQN=iqn.2026-11.org.salua.istgt:disk1
	: > "$WORK/auth.conf"
	cat > "$WORK/istgt.conf" <<CONF
[Global]
  NodeBase "iqn.2026-11.org.salua.istgt"
  PidFile $WORK/istgt.pid
  AuthFile $WORK/auth.conf
  MediaDirectory $WORK
  LogFacility "local7"
  Timeout 30
  NopInInterval 20
  DiscoveryAuthMethod None
  MaxSessions 16
  MaxConnections 4
[UnitControl]
  AuthMethod None
  Portal UC1 127.0.0.1:$3
  Netmask 127.0.0.1
[PortalGroup1]
  Portal DA1 127.0.0.1:$1
[PortalGroup2]
  Portal DA2 127.0.0.1:$2
[InitiatorGroup1]
  InitiatorName "ALL"
  Netmask 127.0.0.1/32
[LogicalUnit1]
  TargetName disk1
  Mapping PortalGroup1 InitiatorGroup1
  Mapping PortalGroup2 InitiatorGroup1
  AuthMethod None
  UseDigest Auto
  UnitType Disk
  LUN0 Storage $WORK/disk1.img 16MB
CONF
	istgt -c "$WORK/istgt.conf" -D -q > "$WORK/istgt.log" 2>&1 &
	ISTGT_PID=$!
	disown "$ISTGT_PID" 2>/dev/null
	PIDS="$PIDS $ISTGT_PID"
	wait_port "$1" && wait_port "$2" || { cat "$WORK/istgt.log"; bad "istgt did not start"; finish; }
	# The portals listen before the session layer is ready: settle.
	sleep 0.3
}

# start_tgtd PORT CONTROL: target iqn.2026-11.org.salua.tgt:disk1, LUN 1.
# Sets TGTD_PID, TGT_IQN.
start_tgtd() {
	command -v tgtd >/dev/null 2>&1 || skip "tgtd not installed"
	TGT_IQN=iqn.2026-11.org.salua.tgt:disk1
	dd if=/dev/zero of="$WORK/tgt.img" bs=1M count=8 2>/dev/null
	tgtd -f -C "$2" --iscsi "portal=127.0.0.1:$1" > "$WORK/tgtd.log" 2>&1 &
	TGTD_PID=$!
	disown "$TGTD_PID" 2>/dev/null
	PIDS="$PIDS $TGTD_PID"
	i=0
	until tgtadm -C "$2" --lld iscsi --op new --mode target --tid 1 -T "$TGT_IQN" 2>/dev/null; do
		i=$((i + 1)); [ $i -gt 100 ] && { cat "$WORK/tgtd.log"; bad "tgtd did not start"; finish; }
		sleep 0.05
	done
	tgtadm -C "$2" --lld iscsi --op new --mode logicalunit --tid 1 --lun 1 -b "$WORK/tgt.img" &&
	tgtadm -C "$2" --lld iscsi --op bind --mode target --tid 1 -I ALL &&
	wait_port "$1" || { bad "tgtd setup failed"; finish; }
}

# Verified I/O through the host layer (alua_probe --io), summed up per path.
io_check() { # JSON label path...
	python3 - "$@" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
lu = j["logical_units"][0]
io = lu.get("io") or {}
print("%s: io ios=%s errors=%s mismatches=%s max_pause_ms=%s kib_s=%s first_error=%s" % (
    sys.argv[2], io.get("ios"), io.get("errors"), io.get("mismatches"),
    io.get("max_pause_ms"), io.get("kib_s"), io.get("first_error")))
shares = dict((p["device"], p["ios"]) for p in io.get("paths", []))
print("%s: io ok=%d" % (sys.argv[2], int(j["error"] is None and io.get("ios", 0) > 0 and
      io.get("errors") == 0 and io.get("mismatches") == 0 and
      all(shares.get(u, 0) > 0 for u in sys.argv[3:]))))
PY
}
