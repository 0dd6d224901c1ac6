#!/bin/sh
# PID 1 of the kernel-module run (scripts/module-test.sh), inside a 6.12 kernel under
# QEMU/TCG: load kvm_coco.ko, trace its kvm_snp_rmp event through tracefs, run every
# selftest against /dev/kvm-coco, unload the module, and report what the trace caught and the
# kernel log's complaints.  Every line for the host starts with "=== ".
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tracefs nodev /sys/kernel/tracing
T=/sys/kernel/tracing
echo "=== kernel $(cat /proc/sys/kernel/osrelease)"
if insmod /lib/modules/kvm_coco.ko; then
	echo "=== insmod ok"
	echo 1 > $T/events/kvm_coco/kvm_snp_rmp/enable
	for t in /tests/*; do
		echo "=== run $(basename "$t")"
		"$t"
		echo "=== exit $(basename "$t") $?"
	done
	# Upstream's selftests, unmodified: the module's devices are /dev/kvm and /dev/sev, and
	# the module parameters they read answer as the preload shim's do (lib/preload.c).
	if [ -n "$(ls /upstream)" ]; then
		ln -s /dev/kvm-coco /dev/kvm
		ln -s /dev/kvm-coco-sev /dev/sev
		mount -t tmpfs none /sys/module
		mkdir -p /sys/module/kvm/parameters /sys/module/kvm_amd/parameters \
			/sys/module/kvm_intel/parameters
		for p in enable_pmu=N force_emulation_prefix=0 tdp_mmu=Y eager_page_split=Y; do
			echo "${p#*=}" > "/sys/module/kvm/parameters/${p%%=*}"
		done
		for p in npt=Y nested=0 sev=Y sev_es=Y sev_snp=Y; do
			echo "${p#*=}" > "/sys/module/kvm_amd/parameters/${p%%=*}"
		done
		for p in ept=Y unrestricted_guest=Y nested=N; do
			echo "${p#*=}" > "/sys/module/kvm_intel/parameters/${p%%=*}"
		done
		for t in /upstream/*; do
			echo "=== run upstream $(basename "$t")"
			"$t"
			echo "=== upstream exit $(basename "$t") $?"
		done
		umount /sys/module
	fi
	# make run's demo: an SNP launch and a TD build, each checked against measure.
	echo "=== run demo"
	kvm-coco demo >/tmp/demo.txt 2>&1
	echo "=== exit demo $?"
	cat /tmp/demo.txt
	echo "=== demo agrees $(grep -c 'predicted by measure: yes, identical' /tmp/demo.txt)"
	echo 0 > $T/events/kvm_coco/kvm_snp_rmp/enable
	echo "=== trace $(grep -c 'kvm_snp_rmp:' $T/trace) kvm_snp_rmp events"
	grep -m 2 'kvm_snp_rmp:' $T/trace | sed 's/^/=== trace: /'
	if rmmod kvm_coco; then
		echo "=== rmmod ok"
	else
		echo "=== rmmod failed"
	fi
else
	echo "=== insmod failed"
fi
# Anything the kernel complained about while the module was in.
dmesg | grep -E "WARNING|BUG|Oops|kvm.coco|leak|refcount|list_(add|del) corruption" |
	grep -v -E "loading out-of-tree module|module verification failed" | sed 's/^/=== dmesg /'
echo "=== done"
echo o > /proc/sysrq-trigger
sleep 30
