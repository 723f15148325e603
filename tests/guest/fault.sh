#!/usr/bin/env bash
# guest-fault: an unexpected exception is reported and ends the run with a
# failure, it never hangs.  The guest injects one on request (cmdline
# fault=ud|pf|df, boot.c): each boot must print "UNEXPECTED TRAP" with the
# vector (and cr2 for #PF), a FAIL line, the summary with 1 failed as the
# last line, and exit through isa-debug-exit with 1 (QEMU status 3).
# shellcheck source=tests/guest/lib.sh
. "$(dirname "$0")/lib.sh"
work_dir fault
mk test-guest

for f in ud:6:#UD pf:14:#PF df:8:#DF; do
	IFS=: read -r name vec mnem <<<"$f"
	log=$T/$name.log
	GUEST_TIMEOUT=30 boot_guest "$log" "fault=$name"
	[ "$qemu_rc" -eq 3 ] || { tail -n 20 "$log" >&2; die "fault=$name: QEMU exit status $qemu_rc, want 3"; }
	trap_line=$(grep -a '^UNEXPECTED TRAP: ' "$log" | head -n 1)
	[[ $trap_line == "UNEXPECTED TRAP: vector $vec ($mnem) error "*" rip "*" cr2 "* ]] ||
		die "fault=$name: trap line '$trap_line'"
	if [ "$name" = pf ]; then
		[[ $trap_line == *"cr2 0xffffc00000001000" ]] || die "fault=pf: cr2 not shown: $trap_line"
	fi
	grep -a -q "^FAIL: boot: no unexpected trap (vector $vec " "$log" || die "fault=$name: no FAIL line"
	[ "$(grep -a . "$log" | tail -n 1)" = "0 passed, 1 failed" ] ||
		die "fault=$name: last line '$(grep -a . "$log" | tail -n 1)'"
	echo "guest: fault=$name: $trap_line"
done
