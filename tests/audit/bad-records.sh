#!/usr/bin/env bash
# Corrupt records: each is reported with a clear message, exit 1, while
# the valid record in the same object still counts as covered.
. "$(dirname "$0")/lib.sh"

check() { # CASE REGEX [linked]
	local n=$1 re=$2 f=$T/case$1.o
	asm "$SRC/bad-records.s" "$f" --defsym CASE="$n"
	if [ "${3:-}" = linked ]; then
		ld -o "$T/case$n.elf" -e f "$f" || fail ld
		f=$T/case$n.elf
	fi
	run 1 "$AFTERBURN" audit "$f"
	has "$re"
	has '^result: FAIL'
	case $n in
	15) has 'note +ABI 2, toolchain 0\.1\.0 \(INVALID\)' ;;
	19) has 'note +INVALID' ;;
	*) has 'invalid records +[1-9]' ;;
	esac
	lacks 'cli .*\(record #0 is invalid\)'
}

check 1 "^invalid +record #1 .*recorded as cli but the instruction is 'sti' \(fb\), kind sti"
check 2 '^invalid +record #1 .*len 8 runs past the end of section \.text'
check 3 '^invalid +record #2 .*site overlaps the site of record #1'
check 4 '^invalid +record #2 .*duplicate: record #1 has the same site \.text\+0x'
check 5 '^invalid +record #1 .*padding after the instruction is not NOPs: ff c0 '
check 6 '^invalid +record #1 .*unknown flag bits 0x100'
check 7 '^invalid +record #1 .*site is in section \.data, which is not executable'
check 8 '^invalid +record #1 .*undefined kind 200'
check 9 '^invalid +record #1 .*len 1 is shorter than the instruction \(3 bytes\)'
check 10 '^invalid +record #1 .*no relocation for its rel field'
check 11 '^invalid +record #1 .*relocation of type 10 against \.text, not R_X86_64_PC32'
check 12 '^invalid +record #1 .*site in \.altinstr_replacement lacks flag altrepl'
check 13 '^invalid +record #1 .*flag altrepl on a site in \.text'
check 14 '^invalid +\.note\.afterburn\.sites: sites note at offset 0x0: descriptor of 12 bytes is not a multiple of 8'
check 15 '^invalid +version note: site record ABI version 2, this tool reads version 1'
check 16 '^invalid +record #1 .*site offset 0x10000[0-9a-f]+ is past the end of section \.text'
check 16 '^invalid +record #1 .*site 0x[0-9a-f]+ is outside every section' linked
check 17 '^invalid +record #1 .*relocation against elsewhere, which is in no section'
check 18 '^invalid +\.note\.afterburn\.sites: note runs past the end of its section at offset 0x20'
check 19 '^invalid +version note: site records without a version note'
check 20 '^invalid +\.note\.afterburn: Afterburn note of unknown type 7 at offset 0x0'
# Linked, the duplicate and the bad padding are still seen.
check 4 '^invalid +record #2 .*duplicate' linked
check 5 '^invalid +record #1 .*padding after the instruction is not NOPs' linked
