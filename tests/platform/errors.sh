#!/usr/bin/env bash
# kvm-host-run.sh's own failures have their documented exit statuses and a
# "kvm-host: error: ..." message: bad usage (125, no machine started), a timeout
# (124), kvm_amd not loading on a CPU without SVM (123), a kernel panic
# while the command runs (125).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=test-lib.sh
. "$(dirname "$0")/test-lib.sh"

need_image
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# expect STATUS MESSAGE-REGEX [VAR=VALUE]... -- ARGS...: kvm-host-run.sh
# ARGS exits with STATUS and prints a "kvm-host: error: " line matching the regex.
expect() {
	local want=$1 re=$2 rc=0 envs=()
	shift 2
	while [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	env PLATFORM_LOG="$tmp/console.log" "${envs[@]}" "$RUN" "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
	sed 's/^/  | /' "$tmp/out" "$tmp/err"
	[ $rc -eq "$want" ] || fail "kvm-host-run.sh $*: exit status $rc, not $want"
	grep -qE "^kvm-host: error: $re" "$tmp/err" || fail "kvm-host-run.sh $*: no 'kvm-host: error: $re' line"
	echo "ok: status $rc for: ${envs[*]} $*"
}

expect 125 'usage:' --
expect 125 "--add '/nonexistent': no such file" -- --add /nonexistent true
expect 125 'bad PLATFORM_TIMEOUT' PLATFORM_TIMEOUT=soon -- true
expect 124 'timeout after 8s' PLATFORM_TIMEOUT=8 -- sh -c 'echo started; sleep 600'
grep -qx started "$tmp/out" || fail "the timed-out command's output is lost"
expect 123 'kvm did not load: insmod kvm-amd' PLATFORM_CPU=EPYC,-svm -- true
expect 125 'kernel panic after /init: sysrq triggered crash' -- sh -c 'echo c >/proc/sysrq-trigger'
