#!/bin/sh
# PID 1 of the kernel-module run (scripts/module-test.sh), inside a 6.12 kernel under
# QEMU/TCG: load kvm_coco.ko, run every selftest against /dev/kvm-coco, unload the module,
# and report the kernel log's complaints.  Every line for the host starts with "=== ".
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
echo "=== kernel $(cat /proc/sys/kernel/osrelease)"
if insmod /lib/modules/kvm_coco.ko; then
	echo "=== insmod ok"
	for t in /tests/*; do
		echo "=== run $(basename "$t")"
		"$t"
		echo "=== exit $(basename "$t") $?"
	done
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
