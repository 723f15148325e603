#!/usr/bin/env bash
# compare: equal objects pass; a changed instruction, bad padding, an
# extra instruction or section are reported; --dirs over two trees.
. "$(dirname "$0")/lib.sh"
asm "$SRC/compare.s" "$T/plain.o"
asm "$SRC/compare.s" "$T/ab.o" --defsym AB=1
for v in CHANGE BADPAD EXTRA EXTRASEC CALLX DATAREF INT3; do
	asm "$SRC/compare.s" "$T/$v.o" --defsym AB=1 --defsym $v=1
done
# The padding really moved things: the loop's jnz is short in one only.
objdump -d "$T/plain.o" | grep -qE '75 [0-9a-f]{2}[[:space:]]+jne' || fail "plain jnz not short"
objdump -d "$T/ab.o" | grep -qE '0f 85 .*[[:space:]]jne' || fail "afterburned jnz not near"
run 0 "$AFTERBURN" audit "$T/ab.o"

run 0 "$AFTERBURN" compare "$T/plain.o" "$T/ab.o"
has '^equal: 3 sections, [0-9]+ instructions, 23 sites$'
run 0 "$AFTERBURN" compare "$T/plain.o" "$T/plain.o"
has '^equal: 3 sections, [0-9]+ instructions, 0 sites$'
if [ -x "${AFTERBURN_SAN:-}" ]; then
	run 0 "$AFTERBURN_SAN" compare "$T/plain.o" "$T/ab.o"
	clean_san
	run 1 "$AFTERBURN_SAN" compare "$T/plain.o" "$T/BADPAD.o"
	clean_san
fi

run 1 "$AFTERBURN" compare "$T/plain.o" "$T/CHANGE.o"
has "^MISMATCH .*plain \.text\+0xe \(loop\+0xe\) 'movl \\\$1, %eax' != afterburned \.text\+0x15 \(loop\+0x15\) 'movl \\\$2, %eax'"
run 1 "$AFTERBURN" compare "$T/plain.o" "$T/BADPAD.o"
has '^MISMATCH .*afterburned: site \.text\+0x[0-9a-f]+ \(loop\+0x[0-9a-f]+\) \(record #20\): padding is not NOPs: ff c0'
run 1 "$AFTERBURN" compare "$T/plain.o" "$T/EXTRA.o"
has "^MISMATCH .*plain \.text\+0x[0-9a-f]+ \(loop\+0x[0-9a-f]+\) 'callq? .*' != afterburned .*'xorl %edx, %edx'"
run 1 "$AFTERBURN" compare "$T/plain.o" "$T/CALLX.o"
has "^MISMATCH .*plain \.text\+0x[0-9a-f]+ \(helper\+0x9\) 'callq? .*' != afterburned .*'callq? .*': relocation type 4 against ext_a - 0x4 at \+1 != type 4 against ext_b - 0x4 at \+1"
run 1 "$AFTERBURN" compare "$T/plain.o" "$T/DATAREF.o"
has "^MISMATCH .*plain \.text\+0x[0-9a-f]+ \(helper\+0x2\) 'movq [^']*%rip[^']*' != afterburned .*: relocation type 2 against \.data \+ 0x4 at \+3 != type 2 against \.data \+ 0xc at \+3"
run 1 "$AFTERBURN" compare "$T/plain.o" "$T/INT3.o"
has "^MISMATCH .*plain \.text\+0x[0-9a-f]+ \(loop\+0x[0-9a-f]+\) 'jne .*' != afterburned .* 'int3'"
# The int3 fill really differs in length between the two.
[ "$(objdump -d "$T/plain.o" | grep -c 'int3')" != "$(objdump -d "$T/ab.o" | grep -c 'int3')" ] ||
	fail "int3 fill is the same length in both objects"
run 1 "$AFTERBURN" compare "$T/plain.o" "$T/EXTRASEC.o"
has '^MISMATCH .*section \.text\.extra is only in the afterburned object'
run 1 "$AFTERBURN" compare "$T/EXTRASEC.o" "$T/plain.o"
has '^MISMATCH .*section \.text\.extra is only in the plain object'

# --dirs: pairs by relative path; skips what is not an ELF relocatable.
mkdir -p "$T/p/sub" "$T/a/sub"
cp "$T/plain.o" "$T/p/one.o"; cp "$T/ab.o" "$T/a/one.o"
cp "$T/plain.o" "$T/p/sub/two.o"; cp "$T/CHANGE.o" "$T/a/sub/two.o"
cp "$T/plain.o" "$T/p/sub/three.o"; cp "$T/ab.o" "$T/a/sub/three.o"
cp "$T/plain.o" "$T/p/gone.o"; cp "$T/ab.o" "$T/a/new.o"
printf '!<thin>\n' >"$T/p/sub/built-in.o"; printf '!<thin>\n' >"$T/a/sub/built-in.o"
: >"$T/p/empty.o"; : >"$T/a/empty.o"
run 1 "$AFTERBURN" compare --dirs "$T/p" "$T/a" --jobs 2
has '^MISMATCH sub/two\.o: plain \.text\+0xe .*movl \$1, %eax.* != afterburned .*movl \$2, %eax'
has '^ONLY-PLAIN gone\.o$'
has '^ONLY-AB new\.o$'
has '^compare: 3 objects compared, [0-9]+ sections, [0-9]+ instructions, [0-9]+ sites, 1 mismatches, 0 errors, 2 missing \(1 only in plain, 1 only in afterburned\), 2 skipped'
lacks ' (one|sub/three|sub/built-in|empty)\.o'
if [ -x "${AFTERBURN_SAN:-}" ]; then
	run 1 "$AFTERBURN_SAN" compare --dirs "$T/p" "$T/a"
	has '^compare: 3 objects compared, .* 1 mismatches'
	clean_san
fi

rm "$T/a/sub/two.o" "$T/p/gone.o" "$T/a/new.o"
run 0 "$AFTERBURN" compare --dirs "$T/p" "$T/a"
has '^ONLY-PLAIN sub/two\.o$'
has '^compare: 2 objects compared, 6 sections, 80 instructions, 46 sites, 0 mismatches, 0 errors, 1 missing'
