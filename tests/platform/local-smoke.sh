#!/usr/bin/env bash
# kvm-smoke on this machine's own /dev/kvm.  On the development machines
# that is a software KVM (kvm_pvm, no vmx/svm): correct for this guest, but
# every guest instruction goes through KVM's emulator (docs/platforms.md).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=test-lib.sh
. "$(dirname "$0")/test-lib.sh"

need_kvm_smoke
[ -e /dev/kvm ] || { echo "no /dev/kvm on this machine"; exit 77; }
if grep -qw -E 'vmx|svm' /proc/cpuinfo; then kind=hardware; else kind="software (no vmx/svm)"; fi

n=10000 loops=500000
rc=0
out=$("$KVM_SMOKE" -n $n -l $loops -t 60) || rc=$?
echo "$out"
[ $rc -ne 77 ] || exit 77 # its last line says why
[ $rc -eq 0 ] || fail "kvm-smoke exited with status $rc"
check_smoke "$out" $n $loops
echo "local /dev/kvm, $kind: plain instruction ${insn_ns} ns, out exit ${out_ns} ns, cpuid ${cpuid_ns} ns"
