#!/usr/bin/env bash
# guest-trace-tcg: the guest's COUNT table is exact.  QEMU counts the
# executions of every site itself (host/tcg-trace.c, a TCG plugin: what the
# trace backend will do, from outside the guest); per kind, its totals
# must equal the guest's table, in/out of the table's own printing and the
# exit included.  Skipped when this QEMU cannot load the plugin.
# shellcheck source=tests/guest/lib.sh
. "$(dirname "$0")/lib.sh"
work_dir trace-tcg
mk test-guest
plugin=$BUILD/guest/tcg-trace.so

"$AFTERBURN" sites "$GUEST_ELF" | awk 'NR > 1 { print $1, $3 }' >"$T/sites.txt"
[ -s "$T/sites.txt" ] || die "no sites in $GUEST_ELF"
log=$T/serial.log
set +e
timeout -k 5 "${GUEST_TIMEOUT:-60}" qemu-system-x86_64 -accel tcg -kernel "$GUEST_ELF" \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 -nographic -serial stdio -monitor none \
	-no-reboot -m 128M \
	-plugin "$plugin,sites=$T/sites.txt,out=$T/trace.txt,alias=$KERNEL_VIRT_BASE" \
	</dev/null 2>"$T/qemu.stderr" | tr -d '\r' >"$log"
rc=${PIPESTATUS[0]}
set -e
if grep -q -i 'plugin' "$T/qemu.stderr"; then
	cat "$T/qemu.stderr"
	skip "this QEMU does not load the TCG plugin (API version 1, QEMU 7.2): $(head -n 1 "$T/qemu.stderr")"
fi
[ "$rc" -eq 1 ] || { tail -n 20 "$log" >&2; die "QEMU exit status $rc, want 1"; }
[ -s "$T/trace.txt" ] || die "the plugin wrote no trace"

# kind -> count, every kind of abi.h (a kind without sites is 0 in the trace).
kind_names | while read -r k; do
	g=$(awk -v k="$k" '$1 == "COUNT:" && $2 == k { print $3 }' "$log")
	t=$(awk -v k="$k" '$1 == "TRACE:" && $2 == k { print $3 }' "$T/trace.txt")
	echo "$k ${g:-missing} ${t:-0}"
done >"$T/compare.txt"
if awk '$2 != $3 { bad = 1; print "  " $1 ": guest " $2 ", QEMU " $3 } END { exit !bad }' "$T/compare.txt" >&2; then
	die "the guest's COUNT table differs from QEMU's count of executed sites"
fi
total=$(awk '{ s += $3 } END { print s }' "$T/compare.txt")
echo "guest: COUNT table equals QEMU's count of executed sites, per kind ($total executions):"
awk '$3 != 0 { printf "    %-14s %s\n", $1, $3 }' "$T/compare.txt"
