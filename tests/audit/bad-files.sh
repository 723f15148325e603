#!/usr/bin/env bash
# Unreadable inputs under the sanitized binary: truncated ELF, not ELF,
# missing file, directory, empty file, corrupt section table.  Each gives
# one clear "afterburn: FILE: ..." error and exit 1, never a crash or a
# sanitizer report; every command behaves the same.
. "$(dirname "$0")/lib.sh"
: "${AFTERBURN_SAN:?AFTERBURN_SAN must be set (make tools-san)}"
[ -x "$AFTERBURN_SAN" ] || fail "$AFTERBURN_SAN is not built (make tools-san)"
export ASAN_OPTIONS=abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1

asm "$SRC/covered.s" "$T/good.o"
size=$(stat -c %s "$T/good.o")
head -c $((size / 2)) "$T/good.o" >"$T/half.o"
head -c 100 "$T/good.o" >"$T/head.o"
echo 'this is not an object file' >"$T/text.o"
: >"$T/empty.o"
# Section header table offset (e_shoff, bytes 40..47) far past the end.
cp "$T/good.o" "$T/shoff.o"
printf '\xff\xff\xff\x7f' | dd of="$T/shoff.o" bs=1 seek=40 conv=notrunc status=none
# The size field of .text made huge: section header fields lie.
# patch_shdr FILE SECTION FIELD_OFFSET STRUCT_FORMAT VALUE: rewrite one
# field of one section header (section header fields that lie).
patch_shdr() {
	python3 - "$@" <<'PY'
import struct, sys
p, sec, field, fmt, value = sys.argv[1], sys.argv[2].encode(), int(sys.argv[3]), sys.argv[4], int(sys.argv[5], 0)
b = bytearray(open(p, 'rb').read())
shoff, = struct.unpack_from('<Q', b, 40)
shentsize, shnum, shstrndx = struct.unpack_from('<HHH', b, 58)
stroff, = struct.unpack_from('<Q', b, shoff + shstrndx * shentsize + 24)
for i in range(shnum):
    h = shoff + i * shentsize
    name, = struct.unpack_from('<I', b, h)
    if b[stroff + name:].split(b'\0')[0] == sec:
        struct.pack_into('<' + fmt, b, h + field, value)
open(p, 'wb').write(b)
PY
}

cp "$T/good.o" "$T/bigsec.o"
patch_shdr "$T/bigsec.o" .text 32 Q 0x7fffffff0   # sh_size

# The symbol string table's type made PROGBITS: libbfd complains about
# every symbol name; the file must not pass for sound.
cp "$T/good.o" "$T/strtab.o"
patch_shdr "$T/strtab.o" .strtab 4 I 1   # sh_type = SHT_PROGBITS

expect_error() { # FILE REGEX
	for cmd in audit sites; do
		run 1 "$AFTERBURN_SAN" $cmd "$1"
		has "^afterburn: $2"
		clean_san
	done
	run 1 "$AFTERBURN_SAN" compare "$1" "$T/good.o"
	has "^afterburn: $2"
	clean_san
}

expect_error "$T/half.o" "$T/half\.o: truncated or corrupt ELF file"
expect_error "$T/head.o" "$T/head\.o: truncated or corrupt ELF file"
expect_error "$T/text.o" "$T/text\.o: not an ELF object or image \(file format not recognized\)"
expect_error "$T/empty.o" "$T/empty\.o: not an ELF object or image"
expect_error "$T/missing.o" "$T/missing\.o: No such file or directory"
expect_error "$T" "$T: not a regular file"
expect_error "$T/shoff.o" "$T/shoff\.o: truncated or corrupt ELF file"
expect_error "$T/strtab.o" "$T/strtab\.o: corrupt ELF file: libbfd complained [0-9]+ times"
expect_error "$T/bigsec.o" "$T/bigsec\.o: section \.text: size 0x7fffffff0 past the end of the file"

# Usage errors exit 2.
run 2 "$AFTERBURN_SAN" audit
run 2 "$AFTERBURN_SAN" audit --bogus "$T/good.o"
has "bad option '--bogus'"
run 2 "$AFTERBURN_SAN" sites a b
run 2 "$AFTERBURN_SAN" compare "$T/good.o"
run 0 "$AFTERBURN_SAN" audit --help
has '^usage: afterburn audit FILE'
run 0 "$AFTERBURN_SAN" sites --help
run 0 "$AFTERBURN_SAN" compare --help
has '^usage: afterburn compare PLAIN AFTERBURNED'
