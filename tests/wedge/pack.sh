#!/usr/bin/env bash
# wedge-pack: `afterburn pack` and the wedge's reading of a packed image.
#   - the tool: --help; each usage error and bad input named, exit 2 / 1,
#     and no output file left behind; the image's header and layout
#     (include/afterburn/abi.h, struct ab_pack_header) hold the inputs
#     byte for byte, every part 4 KiB-aligned, the command line NUL-ended;
#   - the wedge: the test guest boots from a packed image with an initrd
#     and a command line; the wedge reports the initrd (its size) and
#     takes wedge.* options from both command lines; the guest
#     passes and sees the packed words first, then the loader's.
# (Malformed packed images: tests/wedge/bad.sh input.)
# shellcheck source=tests/wedge/lib.sh
. "$(dirname "$0")/lib.sh"

work_dir wedge-pack
mk tools test-guest wedge

# expect_error RC PATTERN ARGS...: afterburn pack fails with RC and says PATTERN.
expect_error() {
	local rc=$1 pat=$2 got=0
	shift 2
	"$AFTERBURN" pack "$@" >"$T/out.txt" 2>"$T/err.txt" || got=$?
	[ "$got" -eq "$rc" ] || { cat "$T/err.txt" >&2; die "pack $*: exit $got, want $rc"; }
	grep -q -E -- "$pat" "$T/err.txt" || { cat "$T/err.txt" >&2; die "pack $*: no '$pat'"; }
	[ ! -e "$T/bad.img" ] && [ ! -e "$T/bad.img.tmp" ] || die "pack $*: left an image behind"
	local args="$*"
	echo "ok pack ${args:0:100}: $(head -n 1 "$T/err.txt")"
}

"$AFTERBURN" pack --help | grep -q '^usage: afterburn pack --kernel ELF' || die "no --help"
head -c 5000 /dev/urandom >"$T/initrd.bin"
long=$(head -c 2048 /dev/zero | tr '\0' x)
expect_error 2 '^afterburn: pack: --kernel is required$' -o "$T/bad.img"
expect_error 2 '^afterburn: pack: -o is required$' --kernel "$GUEST_ELF"
expect_error 2 "^afterburn: pack: bad option '--kernal'" --kernal "$GUEST_ELF" -o "$T/bad.img"
expect_error 1 "^afterburn: $T/initrd.bin: not an ELF file$" --kernel "$T/initrd.bin" -o "$T/bad.img"
expect_error 1 "^afterburn: $T/none: cannot open: " --kernel "$T/none" -o "$T/bad.img"
expect_error 1 '^afterburn: pack: the command line is 2048 bytes, the limit is 2047$' \
	--kernel "$GUEST_ELF" --cmdline "$long" -o "$T/bad.img"

img=$T/guest.img
"$AFTERBURN" pack --kernel "$GUEST_ELF" --initrd "$T/initrd.bin" \
	--cmdline "wedge.backend=trace packedword" -o "$img"
python3 - "$img" "$GUEST_ELF" "$T/initrd.bin" "wedge.backend=trace packedword" <<'EOF' ||
import struct, sys
img, kernel, initrd, cmdline = sys.argv[1], open(sys.argv[2], "rb").read(), \
    open(sys.argv[3], "rb").read(), sys.argv[4].encode()
data = open(img, "rb").read()
magic, version, hsize, ko, ks, io, isz, co, cs = struct.unpack_from("<8sIIQQQQQQ", data)
def need(cond, what):
    if not cond:
        sys.exit("pack layout: " + what)
need(magic == b"AFTRPACK" and version == 1 and hsize == 64, "header %r %d %d" % (magic, version, hsize))
need(ko % 4096 == 0 and io % 4096 == 0 and co % 4096 == 0, "unaligned parts")
need(ko >= 64 and io >= ko + ks and co >= io + isz, "parts out of order")
need(data[ko:ko + ks] == kernel, "the kernel differs")
need(data[io:io + isz] == initrd, "the initrd differs")
need(data[co:co + cs] == cmdline and data[co + cs] == 0, "the command line differs")
need(len(data) == co + cs + 1, "trailing bytes")
EOF
	die "the packed image's layout is wrong"
echo "ok pack: header and layout hold the kernel, initrd and command line"

log=$T/serial.log
# wedge.* words from both command lines (the guest's far checks need the low alias).
boot_wedge "$log" "$img" "wedge.low_alias=always skip=timer"
if grep -a -q 'wedge: PANIC' "$log"; then show_tail "$log"; die "the wedge panicked"; fi
want=$("$AFTERBURN" sites "$GUEST_ELF" | awk 'NR > 1' | wc -l)
grep -a -q "^wedge: backend trace: $want sites patched" "$log" ||
	{ show_tail "$log"; die "wedge.backend=trace from the packed command line was not taken"; }
grep -a -q "^wedge: initrd at 0x[0-9a-f]*000, 5000 bytes$" "$log" ||
	{ show_tail "$log"; die "the wedge did not hand on the 5000-byte initrd, page-aligned"; }
grep -a -q '^cmdline: "packedword skip=timer"$' "$log" ||
	{ show_tail "$log"; die "the guest's command line is not the packed words, then the loader's"; }
summary=$(grep -a -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
[[ $summary =~ ^[0-9]+\ passed,\ 0\ failed ]] && [ "$qemu_rc" -eq 1 ] ||
	{ show_tail "$log"; die "the guest did not pass: '$summary', QEMU exit status $qemu_rc"; }
echo "ok wedge: the test guest from a packed image: $summary; initrd and command line handed on"
