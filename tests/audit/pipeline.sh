#!/usr/bin/env bash
# End to end with the real afterburner: a C file with inline assembly
# compiled plain and through build/libexec/afterburn/as.  The afterburned
# object audits clean, every site is listed, and compare proves it equal
# to the plain one; the plain object fails the audit.
. "$(dirname "$0")/lib.sh"
[ -x "${AFTERBURN_AS:-}" ] || skip "AFTERBURN_AS not built (make tools)"
asdir=$(dirname "$AFTERBURN_AS")

for o in -O2 -Os; do
	n=${o#-}
	gcc $o -c "$SRC/pipeline.c" -o "$T/plain$n.o" || fail "gcc $o"
	gcc $o -B "$asdir/" -c "$SRC/pipeline.c" -o "$T/ab$n.o" || fail "gcc $o through the afterburner"
	run 0 "$AFTERBURN" audit "$T/ab$n.o"
	has 'uncovered +0$'
	has 'covered +[1-9]'
	has 'note +ABI 1, toolchain'
	run 0 "$AFTERBURN" sites "$T/ab$n.o"
	has ' cli +8 +1 +inline-asm$'
	has ' rdmsr +7 +2 +inline-asm$'
	run 0 "$AFTERBURN" compare "$T/plain$n.o" "$T/ab$n.o"
	has '^equal: 1 sections, [0-9]+ instructions, [1-9][0-9]* sites$'
	run 1 "$AFTERBURN" audit "$T/plain$n.o"
	has '^uncovered .* work\+0x[0-9a-f]+ +cli '
done
