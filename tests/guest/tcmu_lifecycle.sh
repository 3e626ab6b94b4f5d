# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# Guest script (busybox sh): salua-target's interface and lifecycle
# (docs/target.md), checked by tests/guest/check_tcmu_lifecycle.py:
#   1. "ready" then one H:C:T:L LUN PORT TPG line per path; alua_probe
#      (over SG_IO) sees one LU per sim LU with a path per port, relative
#      port and TPG as printed; the kernel's wwid is the same on every path;
#   2. the LU's data is shared by its paths (written on one, read on the
#      other), verified I/O on each path;
#   3. scenario=FILE runs on wall-clock time; inquiry=FILE is served as is;
#   4. --cleanup leaves a live instance alone; SIGTERM removes everything;
#   5. kill -9 with I/O in flight: the kernel fails the I/O after TCMU's
#      cmd_time_out, nothing hangs, --cleanup removes what was left, and a
#      new instance works.
C=/sys/kernel/config/target
fails=0
bad() { echo "LCTEST FAIL $*"; fails=$((fails + 1)); }
ok() { echo "LCTEST ok   $*"; }
ms() { read up idle < /proc/uptime; up=${up%.*}${up#*.}; echo ${up}0; }
sec() { n=$1; shift; echo "=== BEGIN $n"; "$@" 2>&1; echo "=== END $n rc=$?"; }

echo /bin/false > /proc/sys/kernel/modprobe
for m in configfs target_core_mod target_core_user uio tcm_loop sg sd_mod; do
	modprobe $m || { bad "modprobe $m"; exit 1; }
done
grep -q " /sys/kernel/config " /proc/mounts || mount -t configfs configfs /sys/kernel/config
find $C | sort > /tmp/cfg.before

start() {	# OUT ARGS...
	out=$1; shift
	salua-target "$@" > $out 2>&1 &
	pid=$!
	i=0
	while ! grep -q '^ready' $out && kill -0 $pid 2>/dev/null && [ $i -lt 600 ]; do
		sleep 0.1; i=$((i + 1))
	done
	grep -q '^ready' $out || { cat $out; bad "salua-target $* not ready"; return 1; }
}
stop() {	# OUT
	kill -TERM $pid
	wait $pid
	rc=$?
	[ $rc = 0 ] && grep -q '^stopped$' $1 && ok "SIGTERM: exit 0, 'stopped'" || { cat $1; bad "stop rc=$rc"; }
	clean "after SIGTERM"
}
clean() {
	find $C | sort > /tmp/cfg.after
	diff /tmp/cfg.before /tmp/cfg.after > /tmp/cfg.diff && ok "configfs as before ($1)" ||
		{ cat /tmp/cfg.diff; bad "configfs objects left ($1)"; }
	[ -z "$(ls /sys/class/scsi_device)" ] && ok "no SCSI device left ($1)" ||
		bad "devices left ($1): $(ls /sys/class/scsi_device)"
	[ -z "$(ls /dev/uio* 2>/dev/null)" ] && ok "no uio device left ($1)" || bad "uio left ($1)"
}
blk() { for b in /sys/class/scsi_device/$1/device/block/*; do echo ${b##*/}; done; }

# 1. Identity: three LUs, three ports, two groups.
cat > /tmp/scen <<'EOS'
# failover of LU 1 a second after ready, 1 s in transitioning
at 1s lun 1 group 0 state s transition 1s
at 1s lun 1 group 1 state ao transition 1s
EOS
start /tmp/a.out luns=3,ports=3,groups=2,scenario=/tmp/scen,log=/tmp/a.log || exit 1
t_ready=$(ms)
sec ready cat /tmp/a.out
sec wwids sh -c 'for d in /sys/class/scsi_device/*; do echo "${d##*/} $(cat $d/device/wwid)"; done'
sec probe alua_probe --json

# 2. Shared data: group 0 has ports 0 and 1 (both active/optimized for LU 0).
set -- $(awk 'NF == 4 && $2 == 0 && $3 == 0 { print $1 }' /tmp/a.out) $(awk 'NF == 4 && $2 == 0 && $3 == 1 { print $1 }' /tmp/a.out)
b0=$(blk $1) b1=$(blk $2)
dd if=/dev/urandom of=/tmp/pat bs=4096 count=64 2>/dev/null
dd if=/tmp/pat of=/dev/$b0 bs=4096 oflag=direct 2>/dev/null && dd if=/dev/$b1 of=/tmp/back bs=4096 count=64 iflag=direct 2>/dev/null
cmp /tmp/pat /tmp/back && ok "written on port 0 ($b0), read back on port 1 ($b1)" || bad "LU 0 data differ between ports"
for b in $b0 $b1; do
	salua_vio -b 4096 -s 1048576 -n 2 /dev/$b > /tmp/vio.$b 2>&1 && ok "verified I/O on $b: $(grep '^VIO ' /tmp/vio.$b)" ||
		{ cat /tmp/vio.$b; bad "salua_vio on $b"; }
done

# 3. The scenario ran on wall-clock time: LU 1 ends standby on port 0.
while [ $(( $(ms) - t_ready )) -lt 3500 ]; do sleep 0.2; done
sec after_scenario alua_probe --json
sec log_scenario grep 'scenario\|ready' /tmp/a.log

# 4. --cleanup spares a live instance, then SIGTERM removes everything.
sec cleanup_live salua-target --cleanup
n=$(ls /sys/class/scsi_device | wc -l)
[ $n = 9 ] && ok "--cleanup left the live instance's 9 paths" || bad "--cleanup touched a live instance ($n paths)"
stop /tmp/a.out

# 3b. inquiry=FILE: the kernel sees the captured standard INQUIRY (36
# bytes: disk, SPC-5, TPGS 0, "SALUAVRB" "VERBATIM INQUIRY" "1.00").
cat > /tmp/inq.hex <<'EOH'
00 00 07 02 1f 00 00 02  53 41 4c 55 41 56 52 42
56 45 52 42 41 54 49 4d  20 49 4e 51 55 49 52 59
31 2e 30 30
EOH
start /tmp/b.out luns=1,ports=1,inquiry=/tmp/inq.hex || exit 1
h=$(sed -n 2p /tmp/b.out | cut -d' ' -f1)
v=$(echo $(cat /sys/class/scsi_device/$h/device/vendor))
m=$(cat /sys/class/scsi_device/$h/device/model)
[ "$v" = SALUAVRB ] && [ "$m" = "VERBATIM INQUIRY" ] && ok "inquiry=FILE: the kernel sees '$v' '$m'" ||
	bad "inquiry=FILE: vendor '$v' model '$m'"
stop /tmp/b.out

# 5. kill -9 with I/O in flight.
start /tmp/c.out luns=2,ports=2,groups=1,cmd-timeout=5 || exit 1
h=$(sed -n 2p /tmp/c.out | cut -d' ' -f1)
b=$(blk $h)
echo 10 > /sys/class/scsi_device/$h/device/timeout
salua_vio -b 4096 -s 1048576 -d 20 -t /tmp/vio.tl /dev/$b > /tmp/vio.crash 2>&1 &
vpid=$!
sleep 2
salua_vio mark kill > /tmp/kill.mark
kill -9 $pid
wait $vpid
# first failed I/O on the same clock as the kill (CLOCK_MONOTONIC us)
k=$(awk '$1 == "MARK" { print $2 }' /tmp/kill.mark)
f=$(awk '$1 !~ /^#/ && $5 != "ok" { print $1; exit }' /tmp/vio.tl)
grep -q 'errors=[1-9]' /tmp/vio.crash && [ -n "$f" ] &&
	ok "I/O failed $(( (f - k) / 1000 )) ms after kill -9 (cmd_time_out 5 s): $(grep '^VIO ' /tmp/vio.crash)" ||
	{ cat /tmp/vio.crash; head -3 /tmp/vio.tl; bad "I/O after kill -9"; }
[ -n "$f" ] && [ -n "$k" ] && [ $(( (f - k) / 1000 )) -lt 30000 ] && ok "nothing hung" ||
	{ cat /tmp/kill.mark; bad "I/O did not fail in 30 s"; }
ls /sys/class/scsi_device | wc -l | grep -qx 4 && ok "the killed instance's 4 paths are still there" ||
	bad "paths after kill -9: $(ls /sys/class/scsi_device)"
sec cleanup_dead salua-target --cleanup
clean "after kill -9 and --cleanup"
start /tmp/d.out luns=2,ports=2 || exit 1
h=$(sed -n 2p /tmp/d.out | cut -d' ' -f1)
b=$(blk $h)
salua_vio -b 4096 -s 1048576 -n 2 /dev/$b > /tmp/vio.after 2>&1 && ok "a new instance serves I/O: $(grep '^VIO ' /tmp/vio.after)" ||
	{ cat /tmp/vio.after; bad "I/O on the new instance"; }
stop /tmp/d.out
echo "LCTEST done fails=$fails"
[ $fails = 0 ]
