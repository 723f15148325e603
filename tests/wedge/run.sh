#!/usr/bin/env bash
# wedge-native*, wedge-native-call, wedge-trace*: the test guest through
# the wedge on the bare platform, with a backend.  The wedge must read and
# patch every site of the guest (as many as `afterburn sites` lists), enter
# it through guest_entry64 at its physical address (the ELF entry, Linux's
# 64-bit boot protocol) or, with wedge.entry=virtual, at its virtual
# address, and the guest must pass exactly as without the wedge.  With
# trace, the wedge's dump at the exit must list every kind and equal the
# guest's own COUNT table, per kind, and its per-site lines must name only
# recorded sites.
#
# usage: tests/wedge/run.sh NAME BACKEND [CMDLINE...]   (wedge.* words and the guest's)
# shellcheck source=tests/wedge/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -ge 2 ] || die "usage: run.sh NAME BACKEND [CMDLINE...]"
name=$1 backend=$2
shift 2
work_dir "wedge-$name"
mk test-guest wedge
log=$T/serial.log
echo "wedge: booting $GUEST_ELF through $WEDGE_ELF, backend $backend, guest cmdline \"$*\""
boot_wedge "$log" "$GUEST_ELF" "wedge.backend=$backend $*"

[ "$qemu_rc" -ne 124 ] && [ "$qemu_rc" -ne 137 ] || { show_tail "$log"; die "timeout"; }
if grep -a -q 'wedge: PANIC' "$log"; then show_tail "$log"; die "the wedge panicked"; fi
"$AFTERBURN" sites "$GUEST_ELF" | awk 'NR > 1 { print $1, $3 }' >"$T/sites.txt"
want=$(wc -l <"$T/sites.txt")
grep -a -q "^wedge: backend $backend: $want sites patched" "$log" ||
	{ show_tail "$log"; die "the wedge did not say it patched all $want sites with $backend"; }
# The wedge's entry is the first one the guest reports (loader64 adds its own).
entered=$(grep -a -m1 '^afterburn test guest: entered via' "$log" || true)
case " $* " in
*" wedge.entry=virtual "*) where='at its virtual address' ;;
*) where='at its physical address' ;;
esac
case $entered in
*"via guest_entry64"*"at its virtual address"*) got='at its virtual address' ;;
*"via guest_entry64"*) got='at its physical address' ;;
*) got='not through guest_entry64' ;;
esac
[ "$got" = "$where" ] ||
	{ show_tail "$log"; die "the guest was entered $got, want through guest_entry64 $where"; }
if grep -a -q '^FAIL' "$log"; then
	grep -a '^FAIL\|^UNEXPECTED' "$log" >&2
	die "the guest reported failures (QEMU exit status $qemu_rc)"
fi
summary=$(grep -a -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
[[ $summary =~ ^([0-9]+)\ passed,\ 0\ failed ]] || { show_tail "$log"; die "no passing summary: '$summary'"; }
passed=${BASH_REMATCH[1]}
[ "$qemu_rc" -eq 1 ] || die "QEMU exit status $qemu_rc, want 1 (the guest's pass)"
# WEDGE_MIN_PASS: fewer when the line skips checks that pass on qemu64.
min_pass=${WEDGE_MIN_PASS:-$GUEST_MIN_PASS}
case " $* " in *" bench"*) ;; *)
	[ "$passed" -ge "$min_pass" ] || die "only $passed checks passed, want at least $min_pass";;
esac
echo "wedge: $want sites patched by $backend; guest: $summary; QEMU exit status 1"

[ "$backend" = trace ] || exit 0

# The dump complete (lib.sh), and equal to the guest's COUNT table per kind.
check_trace_dump "$log" "$T/sites.txt"
kind_names | while read -r k; do
	g=$(awk -v k="$k" '$1 == "COUNT:" && $2 == k { print $3 }' "$log")
	t=$(awk -v k="$k" '$1 == k { print $2 }' "$T/trace-kinds.txt")
	echo "$k ${g:-missing} ${t:-missing}"
done >"$T/compare.txt"
# With loader64 the guest zeroes its table when it re-enters itself; the
# trace keeps counting the first run too, so it may only be larger.
cmp='$2 != $3'
case " $* " in *" loader64"*) cmp='$3 < $2' ;; esac
if awk "$cmp"' { bad = 1; print "  " $1 ": guest " $2 ", trace " $3 } END { exit !bad }' \
	"$T/compare.txt" >&2; then
	die "the trace backend's counts differ from the guest's COUNT table"
fi
total=$(awk '{ s += $3 } END { print s }' "$T/compare.txt")
echo "wedge: trace counts agree with the guest's COUNT table, per kind ($total executions at $(wc -l <"$T/trace-sites.txt") sites):"
awk '$3 != 0 { printf "    %-14s %s\n", $1, $3 }' "$T/compare.txt"
