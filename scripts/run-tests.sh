#!/usr/bin/env bash
# Run test binaries (kselftest TAP each), print their output and one summary line.
# Exit 0 only if every test passed or skipped (exit code 4).  A test that runs longer than
# TEST_TIMEOUT seconds (default 300; the slowest takes about 20 under the sanitizers) is
# killed and counted as failed, so a hang cannot stall make check.
set -u
limit=${TEST_TIMEOUT:-300}
build=$1; shift
# A sanitized build's leak check skips a leak inside Unicorn itself (scripts/lsan.supp).
export LSAN_OPTIONS=${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$(cd "$(dirname "$0")" && pwd)/lsan.supp:print_suppressions=0
fail=0; pass=0; skip=0; failed=()
for t in "$@"; do
	timeout --kill-after=10 "$limit" $t
	rc=$?
	case $rc in
	0) pass=$((pass + 1)) ;;
	4) skip=$((skip + 1)) ;;
	124|137) fail=$((fail + 1)); failed+=("$(basename "${t%% *}") (timed out after ${limit}s)") ;;
	*) fail=$((fail + 1)); failed+=("$(basename "${t%% *}") (exit $rc)") ;;
	esac
done
echo "# $build: $pass passed, $skip skipped, $fail failed${failed:+: ${failed[*]}}"
[ $fail -eq 0 ]
