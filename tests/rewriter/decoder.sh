#!/usr/bin/env bash
# The shared decoder (common/ab_decode.c, used by the wedge) against gas:
# every instruction of every kind case, assembled by gas, decodes to the
# kinds the case expects, with the length gas gave it; nothing else does.
source "$(dirname "$0")/lib.sh"

for case in "$SRC"/cases/kind-*.s; do
	name=$(basename "$case" .s)
	as --64 -o "$T/$name.o" "$case" || fail "$name: does not assemble"
	objdump -d -j .text --no-addresses "$T/$name.o" |
		awk -F'\t' 'NF >= 3 && $2 ~ /^([0-9a-f][0-9a-f] )+/ { print $2 }' >"$T/$name.hex"
	"$TEST_BIN/decode-tool" <"$T/$name.hex" >"$T/$name.kinds"
	paste -d'|' "$T/$name.hex" "$T/$name.kinds" | while IFS='|' read -r hex res; do
		len=$(echo "$hex" | wc -w)
		[ "$res" = none ] || [ "${res##* }" = "$len" ] ||
			fail "$name: '$hex' decoded length ${res##* }, gas says $len"
	done
	got=$(awk '$1 != "none" { printf "%s%s", sep, $1; sep = " " } END { print "" }' "$T/$name.kinds")
	want=$(expected_kinds "$case")
	[ "$got" = "$want" ] || fail "$name: decoded '$got', expected '$want'"
	echo "ok $name"
done
