#!/usr/bin/env bash
# guest-bare, guest-entry64*: boot the test guest on the bare platform
# (QEMU TCG, PVH entry) and check its verdict: QEMU's exit status 1 (the
# guest wrote 0 to isa-debug-exit), the summary as the last line with 0
# failed and at least GUEST_MIN_PASS passed, no FAIL line, and the COUNT
# table (every kind of abi.h once, in order, then COUNT-END).
#
# usage: tests/guest/bare.sh NAME [CMDLINE...]
#   "loader64" / "loader64=high" on the command line: the guest loads itself
#   again through guest_entry64 at its physical / virtual address (the
#   64-bit boot protocol); the second run must say so and must have
#   received the rest of the command line through boot_params.
#   "skip=a,b": those checks must be reported as skipped.
# shellcheck source=tests/guest/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -ge 1 ] || die "usage: bare.sh NAME [CMDLINE...]"
name=$1
shift
append="$*"
work_dir "$name"
mk test-guest
log=$T/serial.log
echo "guest: booting $GUEST_ELF (cmdline \"$append\", serial log: $log)"
boot_guest "$log" "$append"

show_tail() { echo "---- last serial lines ----" >&2; tail -n 25 "$log" >&2; }
if [ "$qemu_rc" -eq 124 ] || [ "$qemu_rc" -eq 137 ]; then
	show_tail
	die "timeout: the guest did not exit"
fi
if grep -a -q '^FAIL' "$log"; then
	grep -a '^FAIL\|^UNEXPECTED' "$log" >&2
	die "the guest reported failures (QEMU exit status $qemu_rc)"
fi
summary=$(grep -a . "$log" | tail -n 1)
[[ $summary =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed(,\ ([0-9]+)\ skipped)?$ ]] ||
	{ show_tail; die "the last line is not the summary: '$summary' (QEMU exit status $qemu_rc)"; }
passed=${BASH_REMATCH[1]} failed=${BASH_REMATCH[2]}
[ "$failed" -eq 0 ] || die "summary: $summary"
[ "$qemu_rc" -eq 1 ] || die "QEMU exit status $qemu_rc, want 1 (isa-debug-exit with 0)"
[ "$passed" -ge "$GUEST_MIN_PASS" ] || die "only $passed checks passed, want at least $GUEST_MIN_PASS"
echo "guest: $summary; QEMU exit status 1"
grep -a '^SKIP' "$log" | sed 's/^/    /'

# The COUNT table: every kind, in the order of abi.h, a number each.
diff -u --label abi.h --label 'COUNT lines' <(kind_names) \
	<(sed -n 's/^COUNT: \([a-z0-9-]*\) [0-9][0-9]*$/\1/p' "$log") ||
	die "the COUNT table does not list every kind of abi.h once, in order"
grep -a -q '^COUNT-END$' "$log" || die "no COUNT-END"
! grep -a -q '^COUNT-INEXACT' "$log" || die "$(grep -a '^COUNT-INEXACT' "$log")"
[ "$(grep -a -c '^CHECK-COUNT: ' "$log")" -ge 20 ] || die "CHECK-COUNT lines missing"
echo "guest: COUNT table complete ($(grep -a -c '^COUNT: ' "$log") kinds)"

if [[ " $append " =~ \ loader64(=high)?\  ]]; then
	high=${BASH_REMATCH[1]}
	rest=$(echo " $append " | sed 's/ loader64\(=high\)\{0,1\} / /; s/^ *//; s/ *$//')
	grep -a -q '^loader64: entering guest_entry64 ' "$log" || die "the guest did not act as loader64"
	want="entered via guest_entry64 (64-bit boot protocol)${high:+ at its virtual address}, boot_params at "
	grep -a -q "^afterburn test guest: $want" "$log" ||
		die "the second run did not say '$want'"
	[ "$(grep -a '^cmdline: ' "$log" | tail -n 1)" = "cmdline: \"$rest\"" ] ||
		die "the command line did not reach the guest through boot_params ('$rest')"
	echo "guest: entered through guest_entry64 with boot_params, cmdline \"$rest\""
fi

# skip=a,b on the command line: those checks are skipped, by name.
for w in $append; do
	[[ $w == skip=* ]] || continue
	IFS=, read -r -a names <<<"${w#skip=}"
	for c in "${names[@]}"; do
		grep -a -q "^SKIP: $c: skipped on the command line$" "$log" || die "check '$c' was not skipped"
	done
	echo "guest: skipped on the command line: ${w#skip=}"
done
