#!/usr/bin/env bash
# The classifier over every kind: each form of kinds.txt, recorded with
# its expected kind, audits clean (the bytes decode to that kind), and
# the look-alikes of clean.txt give no finding at all.
. "$(dirname "$0")/lib.sh"

# Every kind of the ABI table has at least one form in kinds.txt.
missing=$(comm -23 <(kind_table | sort -u) \
	<(grep -v '^#' "$SRC/kinds.txt" | awk 'NF { print $1 }' | sort -u))
[ -z "$missing" ] || fail "kinds.txt lacks: $missing"

{
	echo '	.include "site.inc"'
	echo '	.include "kinds.inc"'
	echo '	.text'
	echo 'forms:'
	grep -v '^#' "$SRC/kinds.txt" | while read -r kind insn; do
		[ -n "$kind" ] || continue
		k=K_${kind//-/_}
		flags=0
		case $insn in .byte*) flags=F_BYTES ;; esac
		printf '1:\t%s\n2:\t.nops 3\n3:\tab_record %s, %s\n' "$insn" "$k" "$flags"
	done
	echo '	ret'
	echo '	ab_sites_note'
	echo '	ab_note'
} >"$T/kinds.s"
asm "$T/kinds.s" "$T/kinds.o"
n=$(grep -vc '^#' "$SRC/kinds.txt")
run 0 "$AFTERBURN" audit "$T/kinds.o"
has "sensitive found +$n\$"
has "covered +$n\$"
has 'invalid records +0$'
# Capstone 4.0.2 does not know monitorx/mwaitx: the only disagreements
# allowed are instructions it cannot decode, never two different lengths.
run 0 "$AFTERBURN" audit -v "$T/kinds.o"
lacks '^disagree .* capstone [1-9]'
# The wedge's decoder (common/ab_decode.c) reads every form the same way.
has 'decoders disagreements +0$'

# Each record also passes the wedge's decoder (validation checks it).
has 'invalid records +0$'

# sites names each record with the kind the list expects, in order.
run 0 "$AFTERBURN" sites "$T/kinds.o"
diff <(grep -v '^#' "$SRC/kinds.txt" | awk 'NF { print $1 }') \
	<(awk 'NR > 1 { print $3 }' "$T/out") || fail "sites kinds differ from kinds.txt"

{
	echo '	.text'
	echo 'clean:'
	grep -v '^#' "$SRC/clean.txt" | sed 's/^/\t/'
} >"$T/clean.s"
asm "$T/clean.s" "$T/clean.o"
run 0 "$AFTERBURN" audit -v "$T/clean.o"
has 'sensitive found +0$'
# One fewer than the lines: libopcodes reads fwait + fninit as one finit.
has "instructions decoded +$(( $(grep -vc '^#' "$SRC/clean.txt") - 1 ))\$"
