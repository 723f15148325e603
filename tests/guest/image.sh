#!/usr/bin/env bash
# guest-image: the layout the loaders rely on (docs/test-guest.md): linked
# at 0xffffffff81000000 for physical 0x1000000; the ELF entry point is
# guest_entry64's physical address; the Xen PHYS32_ENTRY note holds
# pvh_start32's physical address (8 bytes, as QEMU reads it from ELF64);
# the notes are in a PT_NOTE segment aligned to 4 (QEMU pads note names to
# p_align); the site records and the version note are there.
# shellcheck source=tests/guest/lib.sh
. "$(dirname "$0")/lib.sh"
work_dir image
mk test-guest

sym() { nm "$GUEST_ELF" | awk -v s="$1" '$3 == s { print $1 }'; }
pa() { printf '0x%x' $((0x$1 - KERNEL_VIRT_BASE)); }

readelf -hlW "$GUEST_ELF" >"$T/headers.txt"
entry=$(awk '/Entry point address:/ { print $4 }' "$T/headers.txt")
[ "$entry" = "$(pa "$(sym guest_entry64)")" ] ||
	die "ELF entry $entry is not guest_entry64's physical address $(pa "$(sym guest_entry64)")"
echo "guest: ELF entry point $entry = physical guest_entry64"

[ "$(sym _text)" = ffffffff81000000 ] || die "_text at $(sym _text), want ffffffff81000000"
first_load=$(awk '$1 == "LOAD" { print $3, $4; exit }' "$T/headers.txt")
[ "$first_load" = "0xffffffff81000000 0x0000000001000000" ] || die "first PT_LOAD: $first_load"
awk '$1 == "LOAD" && $7 ~ /W/ && $7 ~ /E/ { exit 1 }' "$T/headers.txt" || die "a writable and executable PT_LOAD"
echo "guest: image at 0xffffffff81000000, physical 0x1000000"

note=$(awk '$1 == "NOTE"' "$T/headers.txt")
[ -n "$note" ] || die "no PT_NOTE segment"
[ "$(echo "$note" | awk '{ print $NF }')" = 0x4 ] || die "PT_NOTE alignment: $note"
readelf -nW "$GUEST_ELF" >"$T/notes.txt"
xen=$(awk '$1 == "Xen" && /0x00000012/' "$T/notes.txt")
[ "$(echo "$xen" | grep -c .)" -eq 1 ] || die "want one Xen PHYS32_ENTRY note: $xen"
want=$(printf '%016x' $(($(pa "$(sym pvh_start32)"))) | sed 's/../& /g' |
	awk '{ for (i = NF; i >= 1; i--) printf "%s%s", $i, (i > 1 ? " " : "") }')
[[ $xen == *"description data: $want "* ]] || die "PHYS32_ENTRY note '$xen', want '$want'"
echo "guest: PVH note -> $(pa "$(sym pvh_start32)") (pvh_start32), PT_NOTE aligned to 4"

[ "$(awk '$1 == "Afterburn" && /NT_VERSION/' "$T/notes.txt" | grep -c .)" -eq 1 ] ||
	die "want exactly one Afterburn version note"
sites=$(awk '$1 == "Afterburn" && /NT_ARCH/' "$T/notes.txt" | grep -c .)
[ "$sites" -ge 5 ] || die "only $sites Afterburn SITES notes"
echo "guest: one Afterburn version note, $sites SITES notes"
