#!/usr/bin/env bash
# make module-check: the selftests against kvm_coco.ko in a real kernel.  Boots Debian's 6.12
# kernel -- the one the module is built against -- under QEMU with TCG (software emulation:
# this machine's /dev/kvm is never touched) from an initramfs holding busybox, the module and
# the selftests, statically linked over the system-call front door
# (tools/testing/kvm-coco/module/front_door_dev.c).  Inside, init.sh loads the module, enables
# its kvm_snp_rmp trace event in tracefs, runs every selftest, unloads it and reports what the
# trace caught and what the kernel log complained about.  Fails unless every selftest passes,
# the module loads and unloads, the trace saw RMP transitions, and the log is clean.
# The CLI's demo (make run) runs there too and must agree with measure on both launches.
# Upstream's own selftests named in UPSTREAM_TESTS (static binaries) run there too, unmodified,
# with the module's devices as /dev/kvm and /dev/sev; each must pass.
#   usage: [UPSTREAM_TESTS="BIN..."] scripts/module-test.sh KO CLI TEST...
set -uo pipefail
ko=$1
cli=$2
shift 2

die() { echo "module-check: $*" >&2; exit 1; }

kdir=$(scripts/kernel-headers.sh) || die "cannot fetch Debian's 6.12 kernel headers"
ver=$(basename "$kdir")
ver=${ver#linux-headers-}
cache=$(dirname "$(dirname "$(dirname "$(dirname "$kdir")")")")
vmlinuz=$cache/vmlinuz-$ver
if [ ! -f "$vmlinuz" ]; then
	# Only the kernel image itself: apt-get download, and pull boot/vmlinuz out of the package.
	tmp=$(mktemp -d)
	(cd "$tmp" && apt-get download "linux-image-$ver-unsigned" >/dev/null 2>&1) ||
		die "apt-get download linux-image-$ver-unsigned failed"
	dpkg-deb --fsys-tarfile "$tmp"/*.deb | tar -x -C "$tmp" "./boot/vmlinuz-$ver" ||
		die "no boot/vmlinuz-$ver in linux-image-$ver-unsigned"
	mv "$tmp/boot/vmlinuz-$ver" "$vmlinuz"
	rm -rf "$tmp"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ir=$work/initramfs
mkdir -p "$ir"/{bin,dev,proc,sys,tmp,lib/modules,tests,upstream}
cp /bin/busybox "$ir/bin/busybox"
for a in sh mount umount insmod rmmod dmesg grep sed cat basename echo sleep ln mkdir; do
	ln -s busybox "$ir/bin/$a"
done
strip --strip-debug -o "$ir/lib/modules/kvm_coco.ko" "$ko"
strip -o "$ir/bin/kvm-coco" "$cli"
for t in "$@"; do
	strip -o "$ir/tests/$(basename "$t")" "$t"
done
for t in ${UPSTREAM_TESTS:-}; do
	strip -o "$ir/upstream/$(basename "$t")" "$t"
done
cp tools/testing/kvm-coco/module/init.sh "$ir/init"
(cd "$ir" && find . -print0 | cpio --null -o -H newc --quiet | gzip -1) >"$work/initramfs.gz"

log=$work/console.log
timeout "${MODULE_CHECK_TIMEOUT:-600}" qemu-system-x86_64 -accel tcg -cpu max,la57=off \
	-m 2048 -smp 2 -nographic -no-reboot -monitor none -serial stdio -display none \
	-kernel "$vmlinuz" -initrd "$work/initramfs.gz" \
	-append "console=ttyS0 panic=-1 quiet loglevel=4" </dev/null 2>&1 | tr -d '\r' >"$log"

# The selftests' own TAP output, then the verdict.
sed -n '/^=== run /,/^=== done/p' "$log" | grep -v '^=== dmesg '
fail=0
grep -q '^=== trace [1-9][0-9]* kvm_snp_rmp events' "$log" ||
	{ echo "module-check: tracefs saw no kvm_snp_rmp event"; fail=1; }
grep -q '^=== insmod ok' "$log" || { echo "module-check: insmod failed"; fail=1; }
grep -q '^=== rmmod ok' "$log" || { echo "module-check: rmmod failed or never ran"; fail=1; }
for t in "$@"; do
	n=$(basename "$t")
	grep -q "^=== exit $n 0\$" "$log" || { echo "module-check: $n did not pass"; fail=1; }
done
if grep -q '^=== dmesg ' "$log"; then
	echo "module-check: the kernel log complained:"
	grep '^=== dmesg ' "$log"
	fail=1
fi
nu=0
for t in ${UPSTREAM_TESTS:-}; do
	n=$(basename "$t")
	nu=$((nu + 1))
	grep -q "^=== upstream exit $n 0\$" "$log" ||
		{ echo "module-check: upstream's $n did not pass"; fail=1; }
done
grep -q '^=== exit demo 0$' "$log" && grep -q '^=== demo agrees 2$' "$log" ||
	{ echo "module-check: the demo failed or disagreed with measure"; fail=1; }
grep -q '^=== done' "$log" || { echo "module-check: the guest never finished"; tail -30 "$log"; fail=1; }
[ $fail -eq 0 ] && echo "# module-check: $# selftests and $nu of upstream's passed against" \
	"kvm_coco.ko in Linux $ver"
exit $fail
