#!/usr/bin/env bash
# Build the test initramfs: an uncompressed cpio ("newc") archive with
# busybox-static, /init and the static workload program.
#
# usage: mkinitramfs.sh OUT.cpio INIT WORKLOAD [BUSYBOX]
#
# The archive is written by scripts/cpio.sh (no staging directory, no
# mknod), so it needs no root and is byte-for-byte reproducible: fixed inode
# numbers, mtime 0, owner root.  /dev/console is in the archive because the kernel
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
# shellcheck source=scripts/cpio.sh
. "$(dirname "$0")/../../scripts/cpio.sh"
cpio_begin "$tmp" 300000
for d in bin dev proc sys tmp; do cpio_dir "$d"; done
cpio_node dev/console 0600 5 1
cpio_node dev/null 0666 1 3
cpio_file init "$init" 0755
cpio_file bin/busybox "$busybox" 0755
cpio_file bin/workload "$workload" 0755
for a in "${applets[@]}"; do cpio_symlink "bin/$a" busybox; done
cpio_end # padded to 512 bytes like cpio(1)
mv "$tmp" "$out"
