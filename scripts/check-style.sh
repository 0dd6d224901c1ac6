#!/usr/bin/env bash
# Project rules a compiler does not check: core code (virt/, arch/) includes no libc or
# system header (DESIGN.md rule 1), no RMPUPDATE bypasses the checked helpers, and lines stay
# within 100 columns.
set -u
rc=0
bad=$(grep -rlnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*<(std[a-z]*|string|unistd|pthread|errno|fcntl|sys/[a-z_]+|openssl/[a-z_]+)\.h>' virt arch 2>/dev/null)
if [ -n "$bad" ]; then
	echo "style: core files include libc/system headers: $bad"; rc=1
fi
# Every host RMP transition goes through the checked, traced helpers (arch/x86/virt/svm/
# rmp_update.c): rmpupdate() itself is called only inside the platform model and its tests.
raw=$(grep -rlnE '\brmpupdate\(' virt arch drivers host 2>/dev/null | grep -v -e '^arch/x86/virt/svm/' -e '^arch/x86/include/asm/sev.h')
if [ -n "$raw" ]; then
	echo "style: rmpupdate() outside the checked helpers: $raw"; rc=1
fi
long=$(find virt arch host lib include tools -name '*.[ch]' 2>/dev/null | xargs awk '{ gsub(/\t/, "        "); if (length($0) > 100) print FILENAME ":" FNR }' | head)
if [ -n "$long" ]; then
	echo "style: lines over 100 columns:"; echo "$long"; rc=1
fi
[ $rc -eq 0 ] && echo "# style: ok"
exit $rc
