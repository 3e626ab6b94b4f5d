# SPDX-License-Identifier: GPL-2.0-only
# Guest script (busybox sh): Debian's multipathd with systemd-udevd over
# LIO, set up as an administrator does it with the packaged files
# (shims/linux/dist): kmod's depmod/modprobe, salua_dh.ko in updates/,
# 40-salua.rules (salua attaches on device add, before multipathd builds
# the maps), the multipath.conf device section (hardware_handler
# "1 salua", group_by_prio, failback immediate), the modprobe.d file
# (checked: scsi_dh_alua refuses to load while it is there).
#
# Four LUs, each with groups gp_a (AO) / gp_b (standby), one path each:
#   SALUA-ALUA   salua, prio alua      SALUA-SYSFS  salua, prio sysfs
#   KALUA-ALUA   alua,  prio alua      KALUA-SYSFS  alua,  prio sysfs
# (scsi_dh_alua loads after the salua LUs are attached and attaches itself
# to the KALUA LUs at scan time, as on a system that uses it.)
# Verified I/O on all four maps while the array fails over and back
# ($ROUNDS rounds, all LUs at once, 1 s transitions).  After each half
# round: LIO's group states, the STPGs the host sent, the dm paths.  A half
# round is clean when LIO ends exactly as the array set it (the host did
# not undo the array's failover) and the host sent no STPG.
. /dm_lib.sh
[ ! -f /mpathd.env ] || . /mpathd.env	# ad hoc runs: ROUNDS, SETTLE, ...
ROUNDS=${ROUNDS:-4}
SETTLE=${SETTLE:-10}

# ---- the system: kmod, udevd, multipath-tools -------------------------
mkdir -p /sbin /lib/systemd /lib/udev /etc/multipath/conf.d /run/udev/data /etc/modprobe.d
ln -sf /usr/bin/kmod /sbin/modprobe
ln -sf /usr/bin/kmod /sbin/depmod
ln -sf /usr/bin/udevadm /lib/systemd/systemd-udevd
ln -sf /usr/bin/scsi_id /lib/udev/scsi_id
for b in multipath multipathd dmsetup; do ln -sf /usr/bin/$b /sbin/$b; done
echo "root:x:0:0:root:/:/bin/sh" > /etc/passwd
echo "root:x:0:" > /etc/group
KV=$(uname -r)
mkdir -p /lib/modules/$KV/updates
cp /salua_dh.ko /lib/modules/$KV/updates/salua_dh.ko
/sbin/depmod -a || die "depmod"
echo /sbin/modprobe > /proc/sys/kernel/modprobe

# The modprobe.d file keeps scsi_dh_alua out.
cp /dist/salua.conf /etc/modprobe.d/salua.conf
/sbin/modprobe scsi_dh_alua
grep -q '^scsi_dh_alua ' /proc/modules && die "scsi_dh_alua loaded despite salua.conf" ||
	say "modprobe.d: scsi_dh_alua not loaded while salua.conf is installed"
rm /etc/modprobe.d/salua.conf
[ -z "${SALUA_OPTS:-}" ] || echo "options salua_dh $SALUA_OPTS" > /etc/modprobe.d/salua-test.conf

cp /dist/40-salua.rules /lib/udev/rules.d/40-salua.rules
for m in sd_mod dm-mod dm-multipath dm-round-robin dm-service-time; do
	modprobe $m || die "modprobe $m"
done
lio_modules
trace_setup
/lib/systemd/systemd-udevd --daemon || die "systemd-udevd"

# multipath.conf: defaults, then the packaged device section per LU type.
cat > /etc/multipath.conf <<'CONF'
defaults {
	polling_interval 1
	max_polling_interval 4
	user_friendly_names no
	find_multipaths no
}
CONF
dev_conf() {	# PRODUCT HANDLER PRIO
	sed -e "s/@VENDOR@/LIO-ORG/" -e "s/@PRODUCT@/$1/" \
	    -e "s/\"1 salua\"/\"1 $2\"/" -e "s/prio sysfs/prio $3/" \
	    /dist/multipath-salua.conf > /etc/multipath/conf.d/$1.conf
}
dev_conf SALUA-ALUA salua alua
dev_conf SALUA-SYSFS salua sysfs
dev_conf KALUA-ALUA alua alua
dev_conf KALUA-SYSFS alua sysfs

# ---- LIO: the salua LUs first, scsi_dh_alua, then the others ----------
LUS="sa ss ka ks"
for lu in $LUS; do
	case $lu in
	sa) p=SALUA-ALUA ;; ss) p=SALUA-SYSFS ;; ka) p=KALUA-ALUA ;; ks) p=KALUA-SYSFS ;;
	esac
	lio_lu $lu $p
done
lio_targets
lio_add_lun 0 sa
lio_add_lun 1 ss
udevadm settle -t 30
for l in 0 1; do
	for g in a b; do
		d=$(lio_dev $l $g)
		st=$(cat /sys/block/$d/device/dh_state)
		say "udev rule: LUN $l $g $d dh_state $st access $(access_of $d)"
		[ "$st" = salua ] || die "40-salua.rules did not attach salua to $d ($st)"
	done
done
grep -q '^salua_dh ' /proc/modules && say "udev rule: salua_dh loaded on demand" ||
	die "salua_dh not loaded"
/sbin/modprobe scsi_dh_alua || die "modprobe scsi_dh_alua"
lio_add_lun 2 ka
lio_add_lun 3 ks
udevadm settle -t 30
for l in 2 3; do
	for g in a b; do
		d=$(lio_dev $l $g)
		say "LUN $l $g $d dh_state $(cat /sys/block/$d/device/dh_state)"
	done
done
udevadm trigger --action=add --subsystem-match=block
udevadm settle -t 30

multipathd -d -s -v${MPD_VERBOSE:-2} > /tmp/multipathd.log 2>&1 &
mpd=$!
map_of() {	# LUN: the multipath map holding that LUN's path a
	d=$(lio_dev $1 a)
	for h in /sys/block/$d/holders/dm-*; do
		[ -e "$h" ] && cat $h/dm/name && return
	done
}
for l in 0 1 2 3; do
	wait_for 60 '[ -n "$(map_of $l)" ]' || {
		dmsetup ls; dmsetup table
		grep -v "tur state\|checker\|prio =\|target port group\|aas =" /tmp/multipathd.log | tail -80
		die "no map for LUN $l"
	}
done
udevadm settle -t 30
sleep 3
# Names fixed from here on (they cost process spawns in the loop).
for l in 0 1 2 3; do
	m=$(map_of $l) a=$(lio_dev $l a) b=$(lio_dev $l b)
	eval map_$l=$m dev_a_$l=$a dev_b_$l=$b mm_a_$l=$(majmin $a) mm_b_$l=$(majmin $b)
	say "LUN $l map $m a=$a b=$b table: $(dmsetup table $m | cut -d' ' -f4-12)"
done
multipath -ll 2>/dev/null | head -40

# ---- verified I/O on every map, one salua_vio run per half round -------
io_all_start() {
	rm -f /tmp/vio.stop
	for l in 0 1 2 3; do
		eval m=\$map_$l
		salua_vio -p 20000 -s 2M -S /tmp/vio.stop /dev/mapper/$m > /tmp/vio.$l 2>&1 &
		eval vio_$l=\$!
	done
}
io_all_stop() {
	: > /tmp/vio.stop
	for l in 0 1 2 3; do eval wait \$vio_$l; done
}
# "ios= errors= mismatches= hung= pause_us=" of LUN's last run.
vio_of() {
	awk '$1 == "VIO" { for (i = 2; i <= NF; i++) split($i, kv, "="), v[kv[1]] = kv[2] }
		END { printf "ios=%s errors=%s mismatches=%s hung=%s pause_us=%s", v["ios"], v["errors"], v["mismatches"], v["hung"], v["max_pause_us"] }' /tmp/vio.$1
}

# paths_of LUN: "a=DEV:DMSTATE:ACCESS,b=...": dm's and the handler's view.
paths_of() {
	eval m=\$map_$1 a=\$dev_a_$1 b=\$dev_b_$1 ma=\$mm_a_$1 mb=\$mm_b_$1
	dm_status $m | awk -v ma=$ma -v mb=$mb -v a=$a -v b=$b \
		-v aa=$(access_of $a | tr / _) -v ab=$(access_of $b | tr / _) '
		$3 == ma { sa = $4 } $3 == mb { sb = $4 }
		END { printf "a=%s:%s:%s,b=%s:%s:%s", a, sa, aa, b, sb, ab }'
}

# "rtpg= stpg= tur=" the host sent to LUN since the last trace_clear.
cmds() {	# LUN
	awk -v l=$1 '!/^#/ && index($0, " lun=" l " ") {
		if (index($0, "MAINTENANCE_IN")) r++; else if (index($0, "MAINTENANCE_OUT")) s++; else if (index($0, "TEST_UNIT_READY")) t++
	} END { printf "rtpg=%d stpg=%d tur=%d", r, s, t }' /tmp/trace.txt
}

half() {	# NAME A_STATE B_STATE
	io_all_start
	sleep 1
	trace_clear
	ev=$(now_us)
	for lu in $LUS; do lio_set $lu 1000 $2 $3 & done
	sleep $SETTLE
	say "$1: settled $(( ($(now_us) - ev) / 1000 )) ms after the event"
	# LIO's states first, then the commands: an STPG that changed them
	# is in the trace.
	for lu in $LUS; do
		eval st_$lu=$(lio_state $lu a),$(lio_state $lu b)
	done
	cat $T/trace > /tmp/trace.txt
	io_all_stop
	l=0
	for lu in $LUS; do
		case $lu in sa) h=salua_alua ;; ss) h=salua_sysfs ;; ka) h=alua_alua ;; ks) h=alua_sysfs ;; esac
		eval st=\$st_$lu
		la=${st%,*} lb=${st#*,}
		c=$(cmds $l)
		clean=0
		[ "$la" = $2 ] && [ "$lb" = $3 ] && case $c in *" stpg=0 "*) clean=1 ;; esac
		echo "DMT-RESULT test=mpathd scen=$1 handler=$h $(vio_of $l) event_us=$ev trans_ms=1000 settle_ms=$((SETTLE * 1000)) $c clean=$clean lio=a:$la,b:$lb paths=$(paths_of $l)"
		l=$((l + 1))
	done
	say "$1: reported $(( ($(now_us) - ev) / 1000 )) ms after the event"
}

r=1
while [ $r -le $ROUNDS ]; do
	half r${r}fo 2 0
	half r${r}fb 0 2
	r=$((r + 1))
done

kill $mpd 2>/dev/null
say "done"
if [ -n "${MPD_LOG:-}" ]; then
	grep -E "$MPD_LOG" /tmp/multipathd.log | grep -v "fast_io_fail\|marginal_path\|path_grouping_policy\|failback =" | tail -${MPD_LINES:-300}
fi
dmesg | grep -E "salua|alua:|device-mapper: multipath" | tail -400
exit 0
