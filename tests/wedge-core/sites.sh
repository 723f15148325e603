#!/usr/bin/env bash
# The wedge's record path over real rewritten objects, linked like a guest:
# every record is read and checked, the native patch keeps every
# instruction, and crafted bad records are refused naming address, kind
# and length.
set -euo pipefail
: "${BUILD:?BUILD must be set}" "${AFTERBURN:?}" "${TEST_BIN:?}"
SRC=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$SRC/../.." && pwd)
T=$BUILD/tests/wedge-core/sites
rm -rf "$T" && mkdir -p "$T"
fail() { echo "FAIL: $*" >&2; exit 1; }
tool=$TEST_BIN/wedge-site-tool

link() { ld -T "$SRC/flat.lds" -o "$2" "$1" 2>"$T/ld.err" || { cat "$T/ld.err"; fail "ld $1"; }; }

n=0
for case in "$ROOT"/tests/rewriter/cases/kind-*.s "$ROOT"/tests/rewriter/cases/syntax-altinstr.s; do
	name=$(basename "$case" .s)
	"$AFTERBURN" rewrite "$case" -o "$T/$name.s"
	as --64 -o "$T/$name.o" "$T/$name.s" || fail "$name: as"
	link "$T/$name.o" "$T/$name.elf"
	want=$("$AFTERBURN" sites "$T/$name.elf" | tail -n +2 | wc -l)
	out=$("$tool" "$T/$name.elf" native) || { echo "$out"; fail "$name: the wedge refused a good image"; }
	[ "$(echo "$out" | sed -n 's/^sites //p')" = "$want" ] || { echo "$out"; fail "$name: expected $want sites"; }
	[ "$(echo "$out" | sed -n 's/^patched //p')" = "$want" ] || { echo "$out"; fail "$name: not all patched"; }
	echo "ok $name: $want sites read, checked, patched natively"
	n=$((n + 1))
done

# Crafted bad records (the audit's cases): the wedge stops on each, with
# the site's address, kind and length in the message.
declare -A why=(
	[1]="bytes do not decode to the recorded kind"
	[3]="(padding is not NOPs|overlaps another site)"
	[4]="overlaps another site"
	[5]="padding is not NOPs"
	[6]="unknown flag bits"
	[7]="site is not inside executable text"
	[8]="kind is not defined by this ABI"
	[9]="length is shorter than the instruction"
	[14]="malformed site note"
	[16]="site is not inside executable text"
)
for c in "${!why[@]}"; do
	as --64 -I "$ROOT/tests/audit" -I "$T" --defsym CASE="$c" -o "$T/bad$c.o" "$ROOT/tests/audit/bad-records.s" 2>/dev/null ||
		{ sed -n 's/^[[:space:]]*X([A-Z_0-9]*,[[:space:]]*"\([^"]*\)".*/\1/p' "$ROOT/include/afterburn/abi.h" |
			awk '{ n = $1; gsub("-", "_", n); printf ".equ K_%s, %d\n", n, NR }' >"$T/kinds.inc"
		  as --64 -I "$ROOT/tests/audit" -I "$T" --defsym CASE="$c" -o "$T/bad$c.o" "$ROOT/tests/audit/bad-records.s" ||
			fail "case $c does not assemble"; }
	link "$T/bad$c.o" "$T/bad$c.elf"
	rc=0
	out=$("$tool" "$T/bad$c.elf" native) || rc=$?
	[ "$rc" = 1 ] || { echo "$out"; fail "bad record case $c: exit $rc, expected 1"; }
	echo "$out" | grep -Eq "^wedge: bad site at 0x[0-9a-f]+ kind [a-z?-]+ len [0-9]+: ${why[$c]}\$" ||
		{ echo "$out"; fail "bad record case $c: expected '${why[$c]}'"; }
	echo "ok bad record case $c: ${why[$c]}"
done
[ "$n" -ge 10 ] || fail "only $n images"

# The real guest: every record of the afterburned Linux passes the wedge's
# checks and survives the native patch.
make -C "$ROOT" --no-print-directory -s linux-afterburned >/dev/null || fail "make linux-afterburned"
vmlinux=$BUILD/linux-6.1/afterburned/vmlinux
want=$("$AFTERBURN" sites "$vmlinux" --stats | sed -n 's/^total: \([0-9]*\) sites.*/\1/p')
out=$("$tool" "$vmlinux" native) || { echo "$out" | head; fail "the wedge refused Linux's records"; }
[ "$(echo "$out" | sed -n 's/^sites //p')" = "$want" ] && [ "$(echo "$out" | sed -n 's/^patched //p')" = "$want" ] ||
	{ echo "$out"; fail "Linux: expected $want sites read and patched"; }
echo "ok Linux 6.1 vmlinux: $want sites read, checked, patched natively"

# Calls placed next to each instruction (core/place.c, what trace and
# native-call do), on every site of Linux and of the test guest: there is
# always room, and the instruction keeps its kind, length and operands.
for img in "$vmlinux" "$BUILD/guest/guest.elf"; do
	[ -f "$img" ] || make -C "$ROOT" --no-print-directory -s test-guest >/dev/null || fail "make test-guest"
	want=$("$AFTERBURN" sites "$img" | tail -n +2 | wc -l)
	out=$("$tool" "$img" --place) || { echo "$out" | head; fail "$img: placing calls failed"; }
	[ "$(echo "$out" | sed -n 's/^placed //p')" = "$want" ] || { echo "$out"; fail "$img: expected $want placed"; }
	echo "ok $(basename "$img"): a call placed before and after each of $want instructions ($(echo "$out" | sed -n 's/^riprel //p') %rip-relative operands kept aimed)"
done
