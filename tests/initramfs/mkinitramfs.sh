#!/usr/bin/env bash
# Build the test initramfs: an uncompressed cpio ("newc") archive with
# busybox-static, /init and the static workload program.
#
# usage: mkinitramfs.sh OUT.cpio INIT WORKLOAD [BUSYBOX]
#
# The archive is written directly (no staging directory, no mknod), so it
# needs no root and is byte-for-byte reproducible: fixed inode numbers,
# mtime 0, owner root.  /dev/console is in the archive because the kernel
# opens it for /init before anything mounts devtmpfs.
set -euo pipefail

die() { echo "initramfs: $*" >&2; exit 1; }

[ $# -ge 3 ] && [ $# -le 4 ] || die "usage: mkinitramfs.sh OUT.cpio INIT WORKLOAD [BUSYBOX]"
out=$1 init=$2 workload=$3 busybox=${4:-/bin/busybox}

[ -f "$init" ] || die "missing $init"
[ -x "$workload" ] || die "missing $workload"
[ -x "$busybox" ] || die "missing $busybox (apt-get install busybox-static)"
if readelf -l "$busybox" 2>/dev/null | grep -q 'INTERP'; then
	die "$busybox is dynamically linked; install busybox-static"
fi
if readelf -l "$workload" 2>/dev/null | grep -q 'INTERP'; then
	die "$workload is dynamically linked; build it with gcc -static"
fi

# Applets /init uses, as symlinks to busybox.
applets=(sh mount uname sleep reboot poweroff cat echo)
have=$("$busybox" --list)
for a in "${applets[@]}"; do
	grep -qx "$a" <<<"$have" || die "$busybox lacks the applet $a"
done

tmp=$out.tmp
: >"$tmp"
ino=300000

pad4() { # $1: bytes written so far in this member
	local n=$(( (4 - $1 % 4) % 4 ))
	[ $n -eq 0 ] || head -c "$n" /dev/zero >>"$tmp"
}

# entry NAME MODE SIZE RDEVMAJ RDEVMIN: writes the header and the name.
entry() {
	local name=$1 mode=$2 size=$3 maj=$4 min=$5 nlink=1
	(( (mode & 0170000) == 0040000 )) && nlink=2
	ino=$((ino + 1))
	printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
		"$ino" "$mode" 0 0 "$nlink" 0 "$size" 0 0 "$maj" "$min" \
		$(( ${#name} + 1 )) 0 >>"$tmp"
	printf '%s\0' "$name" >>"$tmp"
	pad4 $(( 110 + ${#name} + 1 ))
}

dir() { entry "$1" $((0040000 | 0755)) 0 0 0; }
node() { entry "$1" $((0020000 | $2)) 0 "$3" "$4"; }
file() { # NAME SRC MODE
	local size
	size=$(stat -c %s "$2")
	entry "$1" $((0100000 | $3)) "$size" 0 0
	cat "$2" >>"$tmp"
	pad4 "$size"
}
slink() { # NAME TARGET
	entry "$1" $((0120000 | 0777)) "${#2}" 0 0
	printf '%s' "$2" >>"$tmp"
	pad4 "${#2}"
}

for d in bin dev proc sys tmp; do dir "$d"; done
node dev/console 0600 5 1
node dev/null 0666 1 3
file init "$init" 0755
file bin/busybox "$busybox" 0755
file bin/workload "$workload" 0755
for a in "${applets[@]}"; do slink "bin/$a" busybox; done
entry TRAILER!!! 0 0 0 0
# The kernel reads the archive in 512-byte blocks happily; pad like cpio(1).
pad4 0
size=$(stat -c %s "$tmp")
[ $((size % 512)) -eq 0 ] || head -c $((512 - size % 512)) /dev/zero >>"$tmp"
mv "$tmp" "$out"
