#!/usr/bin/env bash
# Run test binaries (kselftest TAP each), print their output and one summary line.
# Exit 0 only if every test passed or skipped (exit code 4).
set -u
build=$1; shift
# A sanitized build's leak check skips a leak inside Unicorn itself (scripts/lsan.supp).
export LSAN_OPTIONS=${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$(cd "$(dirname "$0")" && pwd)/lsan.supp:print_suppressions=0
fail=0; pass=0; skip=0; failed=()
for t in "$@"; do
	$t
	rc=$?
	case $rc in
	0) pass=$((pass + 1)) ;;
	4) skip=$((skip + 1)) ;;
	*) fail=$((fail + 1)); failed+=("$(basename "${t%% *}") (exit $rc)") ;;
	esac
done
echo "# $build: $pass passed, $skip skipped, $fail failed${failed:+: ${failed[*]}}"
[ $fail -eq 0 ]
