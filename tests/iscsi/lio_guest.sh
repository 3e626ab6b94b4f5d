# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# Guest script (busybox sh) for iscsi.lio: LIO with one fileio LU exported
# by one iSCSI target with two TPGTs, one portal each (10.0.2.15:3260 and
# :3261, forwarded from the host's 127.0.0.1:P1/P2), each LUN in its own
# ALUA group: gp_a (id 16, active/optimized, PREF) behind tpgt_1, gp_b
# (id 32, standby) behind tpgt_2; implicit+explicit ALUA.  Then it obeys
# the host (files in /host, see run-guest.sh --during):
#   failover  -> trans_delay_msecs 2500, gp_a -> standby through configfs
#   failback  -> gp_a -> active/optimized, then gp_b -> standby (2500 ms
#                transitions each)
#   poweroff  -> exit at once (init powers the guest off)
#   host-done -> print the final configfs states and exit
set -u
C=/sys/kernel/config/target
B=$C/core/fileio_0/lu0
IQN=iqn.2026-11.org.salua.lio:disk1

modprobe target_core_mod && modprobe target_core_file &&
	modprobe crc32c_generic && modprobe iscsi_target_mod || exit 1
grep -q " /sys/kernel/config " /proc/mounts ||
	mount -t configfs configfs /sys/kernel/config || exit 1
[ -d $C/iscsi ] || mkdir $C/iscsi || exit 1
mkdir -p $B || exit 1
echo "fd_dev_name=/tmp/lu0.img,fd_dev_size=16777216" > $B/control || exit 1
echo 1 > $B/enable || exit 1
echo 5a1ua0000000002 > $B/wwn/vpd_unit_serial || exit 1
for g in a:16:0:1 b:32:2:0; do
	n=${g%%:*}; r=${g#*:}; id=${r%%:*}; r=${r#*:}; st=${r%%:*}; pref=${r#*:}
	mkdir $B/alua/gp_$n || exit 1
	echo $id > $B/alua/gp_$n/tg_pt_gp_id
	echo 3 > $B/alua/gp_$n/alua_access_type
	echo $st > $B/alua/gp_$n/alua_access_state
	echo $pref > $B/alua/gp_$n/preferred
done
for t in 1:a:3260 2:b:3261; do
	n=${t%%:*}; r=${t#*:}; gp=${r%%:*}; port=${r#*:}
	T=$C/iscsi/$IQN/tpgt_$n
	mkdir -p $T/lun/lun_0 || exit 1
	ln -s $B $T/lun/lun_0/lu0 || exit 1
	echo gp_$gp > $T/lun/lun_0/alua_tg_pt_gp || exit 1
	mkdir $T/np/10.0.2.15:$port || exit 1
	echo 0 > $T/attrib/authentication
	echo 1 > $T/attrib/generate_node_acls
	echo 0 > $T/attrib/demo_mode_write_protect
	echo 1 > $T/enable || exit 1
done
salua-ready
while :; do
	w=$(salua-wait 85 failover failback poweroff host-done) || exit 1
	case $w in
	failover)
		rm -f /host/failover
		echo 2500 > $B/alua/gp_a/trans_delay_msecs
		echo 2500 > $B/alua/gp_b/trans_delay_msecs
		echo 2 > $B/alua/gp_a/alua_access_state
		echo "failover: configfs write returned rc=$?"
		salua-signal failover-done
		;;
	failback)
		rm -f /host/failback
		echo 2500 > $B/alua/gp_a/trans_delay_msecs
		echo 2500 > $B/alua/gp_b/trans_delay_msecs
		echo 0 > $B/alua/gp_a/alua_access_state
		echo 2 > $B/alua/gp_b/alua_access_state
		echo "failback: configfs writes returned rc=$?"
		for n in a b; do echo "gp_$n state $(cat $B/alua/gp_$n/alua_access_state)"; done
		salua-signal failback-done
		;;
	poweroff)
		echo "poweroff requested by the host"
		exit 0
		;;
	host-done)
		for n in a b; do echo "gp_$n state $(cat $B/alua/gp_$n/alua_access_state)"; done
		exit 0
		;;
	esac
done
