#!/usr/bin/env bash
# An uncovered cli: exit 1, the report names symbol+offset and kind.
. "$(dirname "$0")/lib.sh"
asm "$SRC/uncovered.s" "$T/u.o"
run 1 "$AFTERBURN" audit "$T/u.o"
has '^uncovered +\.text +0x0*4 +irq_off\+0x4 +cli +fa'
has 'uncovered +1$'
has 'sensitive found +1$'
has '^result: FAIL'

# The same through a link: addresses are final, the symbol is the same.
ld -o "$T/u.elf" -e irq_off "$T/u.o" || fail ld
run 1 "$AFTERBURN" audit "$T/u.elf"
addr=$(nm "$T/u.elf" | sed -n 's/^0*\([0-9a-f]*\) T irq_off$/\1/p')
[ -n "$addr" ] || fail "no irq_off in the linked file"
has "^uncovered +\.text +0x$(printf '%x' $((0x$addr + 4))) +irq_off\+0x4 +cli"
has 'linked x86-64 image'
