#!/usr/bin/env bash
# wedge-bad-records, wedge-bad-input: the wedge refuses what it cannot
# trust, before the guest runs a single instruction: each crafted bad
# record is reported with the site's address, kind and length and the
# reason; a missing guest, a module that is not an ELF file, an unknown
# backend or option, a bad option value and a malformed packed image each
# get one clear message.  Every case must end with
# "wedge: PANIC", QEMU exit status 5 (the wedge's panic code) and no line
# from the guest.
#
# usage: tests/wedge/bad.sh records|input
# shellcheck source=tests/wedge/lib.sh
. "$(dirname "$0")/lib.sh"

what=${1:?usage: bad.sh records|input}
work_dir "wedge-bad-$what"
mk test-guest wedge

# expect_panic NAME GUEST APPEND PATTERN...: boot, then check each pattern.
expect_panic() {
	local name=$1 guest=$2 append=$3
	shift 3
	local log=$T/$name.log
	boot_wedge "$log" "$guest" "$append"
	grep -a -q '^wedge: PANIC: ' "$log" || { show_tail "$log"; die "$name: no wedge panic"; }
	[ "$qemu_rc" -eq 5 ] || { show_tail "$log"; die "$name: QEMU exit status $qemu_rc, want 5"; }
	! grep -a -q '^afterburn test guest' "$log" || die "$name: the guest ran"
	for pat in "$@"; do
		grep -a -q -E -- "$pat" "$log" || { show_tail "$log"; die "$name: no line matching '$pat'"; }
	done
	echo "ok $name: $(grep -a -m1 '^wedge: bad site\|^wedge: PANIC' "$log")"
}

kind_name() { kind_names | sed -n "${1}p"; }

case $what in
records)
	for c in kind wrong past outside overlap; do
		read -r addr kind < <(python3 tests/wedge/corrupt.py "$GUEST_ELF" "$T/$c.elf" "$c")
		k=$(kind_name "$kind")
		case $c in
		kind) why='kind is not defined by this ABI'; k='\?' ;;
		wrong) why='bytes do not decode to the recorded kind' ;;
		past) why='site runs past the end of its text' ;;
		outside) why='site is not inside executable text' ;;
		overlap) why='overlaps another site' ;;
		esac
		expect_panic "$c" "$T/$c.elf" "wedge.backend=native" \
			"^wedge: bad site at $addr kind $k len [0-9]+ \(record at 0x[0-9a-f]+\): $why" \
			'^wedge: PANIC: [0-9]+ bad site records of [0-9]+: the guest is not run'
	done
	;;
input)
	head -c 4096 /dev/urandom >"$T/random.bin"
	expect_panic not-elf "$T/random.bin" "" 'PANIC: guest: the module is not an ELF file'
	expect_panic unknown-backend "$GUEST_ELF" "wedge.backend=nosuch" \
		'wedge: backends:( [a-z-]+)* trace( [a-z-]+)*$' 'PANIC: no backend named "nosuch"'
	expect_panic unknown-option "$GUEST_ELF" "wedge.bakend=trace" 'PANIC: unknown option wedge.bakend=trace'
	objcopy -R .notes "$GUEST_ELF" "$T/no-notes.elf"
	expect_panic no-notes "$T/no-notes.elf" "" \
		'PANIC: guest: no PT_NOTE segment|PANIC: the guest has no site records'
	expect_panic bad-entry "$GUEST_ELF" "wedge.entry=sideways" \
		'PANIC: wedge.entry=sideways: want physical or virtual'
	expect_panic bad-low-alias "$GUEST_ELF" "wedge.low_alias=never" \
		'PANIC: wedge.low_alias=never: want auto or always'
	# Packed images (afterburn pack, abi.h struct ab_pack_header) made bad.
	"$AFTERBURN" pack --kernel "$GUEST_ELF" -o "$T/good.img"
	python3 -c 'import sys; d = bytearray(open(sys.argv[1], "rb").read()); d[8] = 2
open(sys.argv[2], "wb").write(d)' "$T/good.img" "$T/version.img"
	expect_panic pack-version "$T/version.img" "" \
		'PANIC: packed image: version 2, this wedge reads version 1'
	head -c 8192 "$T/good.img" >"$T/short.img"
	expect_panic pack-short "$T/short.img" "" \
		'PANIC: packed image: the kernel \(0x1000\+0x[0-9a-f]+\) lies outside the module \(0x2000 bytes\)'
	;;
*) die "usage: bad.sh records|input" ;;
esac
