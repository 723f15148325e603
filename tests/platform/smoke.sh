#!/usr/bin/env bash
# kvm-smoke inside the kvm-host machine: a guest of the real kvm_amd
# (nested SVM with NPT).  Besides kvm-smoke's own checks: every out and
# cpuid is an exit, the kvm_exit trace event's histogram (hist triggers,
# which the monitor uses for per-reason counts) counts exactly the guest's
# io and cpuid exits, and an exit costs far more than an instruction.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=test-lib.sh
. "$(dirname "$0")/test-lib.sh"

need_image
need_kvm_smoke
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

n=10000 loops=5000000
cat >"$tmp/smoke.sh" <<IN
hist=/sys/kernel/tracing/events/kvm/kvm_exit
echo 'hist:keys=exit_reason:vals=hitcount' >\$hist/trigger || exit 10
kvm-smoke -n $n -l $loops -t 60 || exit
sed -n 's/^{ exit_reason: *\([0-9]*\) } hitcount: *\([0-9]*\)\$/hist: reason=\1 count=\2/p' \$hist/hist
IN
rc=0
out=$(PLATFORM_TIMEOUT=90 PLATFORM_LOG=$tmp/console.log \
	"$RUN" --add "$KVM_SMOKE:bin/" --add "$tmp/smoke.sh" -- sh /opt/smoke.sh) || rc=$?
echo "$out"
[ $rc -eq 0 ] || fail "the command exited with status $rc"
check_smoke "$out" $n $loops

for op in out cpuid; do
	v=$(smoke_field $op exits <<<"$out")
	[ "$v" -ge $n ] || fail "$op: $v exits counted by KVM, fewer than $n"
done
# SVM exit codes: 0x7b IOIO, 0x72 CPUID.  The guest makes n+4 outs (the
# 4 markers) and n cpuids, and nothing else in it exits for these reasons.
hist() { sed -n "s/^hist: reason=$1 count=//p" <<<"$out"; }
[ "$(hist $((0x7b)))" = $((n + 4)) ] || fail "hist: $(hist $((0x7b))) io exits, not $((n + 4))"
[ "$(hist $((0x72)))" = $n ] || fail "hist: $(hist $((0x72))) cpuid exits, not $n"
awk -v i="$insn_ns" -v o="$out_ns" 'BEGIN { exit !(o > 100 * i) }' ||
	fail "an out exit ($out_ns ns) costs less than 100 plain instructions ($insn_ns ns)"

t_init=$(awk '/PLATFORM-INIT/ { print $1; exit }' "$tmp/console.log.times")
t_ready=$(awk '/PLATFORM-READY/ { print $1; exit }' "$tmp/console.log.times")
echo "kvm-host: plain instruction $insn_ns ns, out exit $out_ns ns, cpuid exit $cpuid_ns ns;" \
	"host time to /init ${t_init}s, to kvm ready ${t_ready}s"
