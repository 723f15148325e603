#!/usr/bin/env bash
# Every case: the rewrite equals its golden output (UPDATE=1 rewrites the
# goldens), assembles, records exactly the kinds the case expects, audits
# clean, and its code equals the plain object's once padding is removed.
source "$(dirname "$0")/lib.sh"

n=0
for case in "$SRC"/cases/*.s; do
	name=$(basename "$case" .s)
	golden=$SRC/cases/$name.out
	"$AFTERBURN_SAN" rewrite "$case" -o "$T/$name.s" || fail "$name: rewrite failed"
	if [ "${UPDATE:-0}" = 1 ]; then
		cp "$T/$name.s" "$golden"
	else
		diff -u "$golden" "$T/$name.s" || fail "$name: output differs from $golden"
	fi
	as --64 -o "$T/$name.ab.o" "$T/$name.s" || fail "$name: rewritten output does not assemble"
	as --64 -o "$T/$name.plain.o" "$case" || fail "$name: the case itself does not assemble"
	want=$(expected_kinds "$case")
	got=$(recorded_kinds "$T/$name.ab.o")
	[ "$got" = "$want" ] || fail "$name: recorded kinds '$got', expected '$want'"
	# A case may declare uncovered code the audit must find (.code32).
	unc=$(sed -n 's/^# audit-uncovered: \([0-9]*\).*/\1/p' "$case")
	rc=0
	"$AFTERBURN" audit "$T/$name.ab.o" >"$T/$name.audit" || rc=$?
	if [ -z "$unc" ]; then
		[ "$rc" = 0 ] || { cat "$T/$name.audit"; fail "$name: audit of the rewritten object failed"; }
	else
		[ "$rc" = 1 ] && grep -Eq "^  uncovered +$unc\$" "$T/$name.audit" ||
			{ cat "$T/$name.audit"; fail "$name: audit should find exactly $unc uncovered"; }
	fi
	"$AFTERBURN" compare "$T/$name.plain.o" "$T/$name.ab.o" >"$T/$name.compare" ||
		{ cat "$T/$name.compare"; fail "$name: code differs from the plain object"; }
	# "# adjacent: HEX" lines: byte sequences the rewritten code must keep.
	objcopy -O binary -j .text "$T/$name.ab.o" "$T/$name.text"
	hex=$(od -An -v -tx1 "$T/$name.text" | tr -s ' \n' ' ')
	while read -r seq; do
		[[ " $hex " == *" $seq "* ]] || fail "$name: bytes '$seq' are not adjacent in the rewritten code"
	done < <(sed -n 's/^# adjacent:[[:space:]]*//p' "$case")
	echo "ok $name: $want"
	n=$((n + 1))
done
[ "$n" -gt 20 ] || fail "only $n cases found"
