#!/usr/bin/env bash
# kvm-guest-fault: the test guest's unexpected exceptions under --mode full
# on this machine's /dev/kvm (fault=ud|pf|df, tests/guest/fault.sh does the
# same on the bare platform): each is reported, the run ends with the
# guest's failure status 3, never a hang and never a monitor error.
# shellcheck source=tests/kvm/lib.sh
. "$(dirname "$0")/lib.sh"
work_dir fault
need_kvm
mk previrt-san test-guest

for f in ud:6:#UD pf:14:#PF df:8:#DF; do
	IFS=: read -r name vec mnem <<<"$f"
	log=$T/$name.log
	KVM_TIMEOUT=60 run_previrt "$log" "$T/$name.err" run --kernel "$GUEST_ELF" --append "fault=$name"
	[ "$rc" -eq 3 ] || { tail -n 20 "$log" "$T/$name.err" >&2; die "fault=$name: exit $rc, want 3"; }
	trap_line=$(grep -a '^UNEXPECTED TRAP: ' "$log" | head -n 1)
	[[ $trap_line == "UNEXPECTED TRAP: vector $vec ($mnem) error "*" rip "*" cr2 "* ]] ||
		die "fault=$name: trap line '$trap_line'"
	grep -a -q "^FAIL: boot: no unexpected trap (vector $vec " "$log" || die "fault=$name: no FAIL line"
	[ "$(grep -a . "$log" | tail -n 1)" = "0 passed, 1 failed" ] ||
		die "fault=$name: last line '$(grep -a . "$log" | tail -n 1)'"
	echo "kvm: fault=$name: $trap_line; exit status 3"
done
