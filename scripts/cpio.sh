# shellcheck shell=bash
# A newc cpio writer (sourced, not run), for the test initramfs
# (tests/initramfs/mkinitramfs.sh) and the kvm-host image
# (tests/platform/lib.sh).
#
#   cpio_begin OUT [FIRST_INO]   start OUT (truncated); inodes from FIRST_INO+1
#   cpio_dir NAME [MODE]         cpio_node NAME MODE MAJ MIN
#   cpio_file NAME SRC MODE      cpio_symlink NAME TARGET
#   cpio_end                     the trailer, padded to 512 bytes
#
# Written directly (no staging directory, no mknod): needs no root and is
# reproducible (inode numbers from a counter, mtime 0, owner root).  The
# kernel unpacks several archives one after the other, so a run appends its
# own archive to the cached base; the inode counter of each archive starts
# elsewhere so that no two members share an inode (a shared one would be
# taken for a hard link).
cpio_out='' cpio_ino=0

cpio_begin() { cpio_out=$1; : >"$cpio_out"; cpio_ino=${2:-1000}; }

cpio_pad4() { # $1: bytes written so far in this member
	local n=$(( (4 - $1 % 4) % 4 ))
	[ $n -eq 0 ] || head -c "$n" /dev/zero >>"$cpio_out"
}

# cpio_entry NAME MODE SIZE RDEVMAJ RDEVMIN: the header and the name.
cpio_entry() {
	local name=$1 mode=$2 size=$3 maj=$4 min=$5 nlink=1
	(( (mode & 0170000) == 0040000 )) && nlink=2
	cpio_ino=$((cpio_ino + 1))
	printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
		"$cpio_ino" "$mode" 0 0 "$nlink" 0 "$size" 0 0 "$maj" "$min" \
		$(( ${#name} + 1 )) 0 >>"$cpio_out"
	printf '%s\0' "$name" >>"$cpio_out"
	cpio_pad4 $(( 110 + ${#name} + 1 ))
}

cpio_dir() { cpio_entry "$1" $((0040000 | ${2:-0755})) 0 0 0; }
cpio_node() { cpio_entry "$1" $((0020000 | $2)) 0 "$3" "$4"; } # NAME MODE MAJ MIN
cpio_file() { # NAME SRC MODE
	local size
	size=$(stat -L -c %s "$2")
	cpio_entry "$1" $((0100000 | $3)) "$size" 0 0
	cat "$2" >>"$cpio_out"
	cpio_pad4 "$size"
}
cpio_symlink() { # NAME TARGET
	cpio_entry "$1" $((0120000 | 0777)) "${#2}" 0 0
	printf '%s' "$2" >>"$cpio_out"
	cpio_pad4 "${#2}"
}
# The trailer, then zeros to a 512-byte boundary: the kernel skips zeros
# between archives but wants each archive to start 4-byte aligned.
cpio_end() {
	local size
	cpio_entry TRAILER!!! 0 0 0 0
	size=$(stat -c %s "$cpio_out")
	[ $((size % 512)) -eq 0 ] || head -c $((512 - size % 512)) /dev/zero >>"$cpio_out"
}
