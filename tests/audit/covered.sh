#!/usr/bin/env bash
# A fully covered object (several kinds): audit passes; sites lists each
# record with its kind; --stats counts them; the same after linking.
. "$(dirname "$0")/lib.sh"
asm "$SRC/covered.s" "$T/c.o"
asm "$SRC/covered2.s" "$T/c2.o"

run 0 "$AFTERBURN" audit "$T/c.o"
has 'sensitive found +12$'
has 'covered +12$'
has 'uncovered +0$'
has 'invalid records +0$'
has 'note +ABI 1, toolchain 0\.1\.0'
has '^result: OK'
lacks '^(uncovered|invalid)'

run 0 "$AFTERBURN" sites "$T/c.o"
has '^\.text\+0x4 +covered\+0x4 +cli +8 +1 +-$'
has '^\.text\+0x11 +covered\+0x11 +out +5 +1 +-$'
has '^\.text\+0x[0-9a-f]+ +covered\+0x[0-9a-f]+ +outs +5 +2 +prefix$'
has '^\.text\+0x[0-9a-f]+ +covered\+0x[0-9a-f]+ +swapgs +5 +3 +bytes$'
has '^\.text\+0x[0-9a-f]+ +start\+0x5 +hlt +5 +1 +-$'
[ "$(grep -c '^\.text' "$T/out")" -eq 12 ] || fail "expected 12 records listed"

run 0 "$AFTERBURN" sites --stats "$T/c.o"
has '^cli +interrupt-flag +2 +14$'
has '^cpuid +msr-ident +1 +3$'
has '^interrupt-flag +5$'
has '^total: 12 sites, 46 padding bytes, 66 bytes at sites, 0 invalid$'

# Linked: site = record address + rel, across two merged tables.
ld -o "$T/c.elf" -e start "$T/c.o" "$T/c2.o" || fail ld
run 0 "$AFTERBURN" audit "$T/c.elf"
has 'linked x86-64 image'
has 'covered +14$'
has 'records +14$'
run 0 "$AFTERBURN" sites "$T/c.elf"
cov=$(nm "$T/c.elf" | sed -n 's/^0*\([0-9a-f]*\) T covered$/\1/p')
pin=$(nm "$T/c.elf" | sed -n 's/^0*\([0-9a-f]*\) T port_in$/\1/p')
has "^0x0*$(printf '%x' $((0x$cov + 4))) +covered\+0x4 +cli +8"
has "^0x0*$(printf '%x' $((0x$pin + 2))) +port_in\+0x2 +in +5"
has "port_in\+0x[0-9a-f]+ +int-n +5 +2"

# As in a Linux link: every note (version and sites of both objects) in one
# .notes output section, among others (a build-id note).
cat >"$T/notes.lds" <<'LDS'
SECTIONS {
	. = 0xffffffff81000000;
	.text : { *(.text) }
	.notes : { *(.note.*) }
	.data : { *(.data) }
}
LDS
ld -o "$T/c-notes.elf" -e start --build-id -T "$T/notes.lds" "$T/c.o" "$T/c2.o" || fail ld
readelf -n "$T/c-notes.elf" | grep -q 'GNU .*NT_GNU_BUILD_ID' || fail "no build-id note"
run 0 "$AFTERBURN" audit "$T/c-notes.elf"
has 'covered +14$'
has 'records +14$'
has 'note +ABI 1, toolchain 0\.1\.0'
run 0 "$AFTERBURN" sites "$T/c-notes.elf"
has '^0xffffffff81000004 +covered\+0x4 +cli +8'
