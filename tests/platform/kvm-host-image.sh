#!/usr/bin/env bash
# Build the kvm-host platform image (docs/platforms.md) into
# $BUILD/platform/kvm-host/:
#
#   kernel/kernel   Debian's kernel: the linux-image-*-amd64 package that
#                   linux-image-amd64 depends on, fetched with `apt-get
#                   download` and unpacked with `dpkg -x` (nothing is
#                   installed on this machine).  Booted as the ELF inside
#                   its bzImage, through its PVH entry: QEMU then loads it
#                   decompressed, which saves the 2 s the bzImage's own xz
#                   decompressor takes under TCG.  kernel/config is its
#                   .config, kernel/format says "pvh" or "bzimage"
#   base.cpio       the initramfs: busybox-static, /init
#                   (tests/platform/kvm-host-init) and the modules irqbypass
#                   kvm ccp kvm-amd with their dependencies, in load order.
#                   Uncompressed: the kernel would inflate it under TCG at
#                   every boot, and kvm-host-run.sh appends its own archive
#
# Both are kept and rebuilt only when their inputs change: the kernel when
# linux-image-amd64 points at a new version, the initramfs when the kernel,
# busybox, the init or these scripts change.  One build at a time (flock).
#
# usage: tests/platform/kvm-host-image.sh [--print]
#   --print   print the kernel and initramfs paths on stdout
#
# environment: BUILD (default ./build), PLATFORM_KERNEL_DEB (use this
# linux-image .deb instead of fetching one), BUSYBOX (default /bin/busybox).
# Exit 0: the image is there; 77: the kernel package cannot be fetched and
# none is cached; 125: any other error.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

# The modules to load, in this order (their dependencies are loaded before
# them), and their parameters.
modules=(irqbypass kvm ccp kvm-amd)
declare -A module_params=([kvm-amd]="nested=1 npt=1")

print=0
while [ $# -gt 0 ]; do
	case $1 in
	--print) print=1; shift ;;
	-h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown argument '$1' (--help)" ;;
	esac
done

busybox=${BUSYBOX:-/bin/busybox}
[ -x "$busybox" ] || die "missing $busybox (apt-get install busybox-static)"
if readelf -l "$busybox" 2>/dev/null | grep -q INTERP; then
	die "$busybox is dynamically linked (apt-get install busybox-static)"
fi
for tool in apt-get dpkg readelf objcopy xz; do
	command -v "$tool" >/dev/null || die "missing $tool (scripts/deps.sh installs it)"
done

mkdir -p "$KVM_HOST_DIR"
# kvm-host-run.sh holds the lock already while it calls us.
if [ -z "${PLATFORM_LOCK_HELD:-}" ]; then
	exec {lock_fd}>"$KVM_HOST_DIR/.lock"
	flock "$lock_fd"
fi

tmp=
cleanup() { if [ -n "$tmp" ]; then rm -rf "$tmp"; fi; }
trap cleanup EXIT
tmp=$(mktemp -d "$KVM_HOST_DIR/tmp.XXXXXX")

# ---- 1. the kernel package -------------------------------------------------
kdir=$KVM_HOST_DIR/kernel

# resolve_package: "PACKAGE=VERSION" of the kernel linux-image-amd64 depends
# on (empty if apt does not know linux-image-amd64).  apt-cache takes most
# of a second, so the answer is kept until apt's lists or sources change.
resolve_package() {
	local key want cache=$KVM_HOST_DIR/resolved
	key=$(find /var/lib/apt/lists /etc/apt -maxdepth 2 -type f -printf '%p %s %T@\n' 2>/dev/null |
		LC_ALL=C sort | sha256sum | cut -d' ' -f1)
	if [ -f "$cache" ] && [ "$(head -n 1 "$cache")" = "$key" ]; then
		sed -n 2p "$cache"
		return
	fi
	want=$(apt-cache show --no-all-versions linux-image-amd64 2>/dev/null |
		sed -n 's/^Depends: \(linux-image-[^ ,]*\) (= \([^)]*\)).*/\1=\2/p' | head -n 1)
	if [ -n "$want" ]; then printf '%s\n%s\n' "$key" "$want" >"$cache"; fi
	echo "$want"
}

# apt_update: refresh apt's lists (as root only; a fresh machine may have
# none, an old one may point at a version the archive no longer has).
apt_update() {
	[ "$(id -u)" -eq 0 ] || return 1
	note "apt-get update"
	rm -f "$KVM_HOST_DIR/resolved"
	apt-get update -qq >"$tmp/update.log" 2>&1 || {
		note "apt-get update failed: $(tail -n 1 "$tmp/update.log")"
		return 1
	}
}

# download PACKAGE=VERSION: the .deb into $tmp/deb/.
download() {
	local sandbox=()
	# As root apt drops to the _apt user, who cannot write into $tmp.
	[ "$(id -u)" -ne 0 ] || sandbox=(-o APT::Sandbox::User=root)
	rm -rf "$tmp/deb" && mkdir "$tmp/deb"
	(cd "$tmp/deb" && apt-get download -q "${sandbox[@]}" "$1") >"$tmp/download.log" 2>&1
}

# module_file DIR NAME: the module file of NAME (- and _ are the same).
module_file() {
	local alt=${2//-/_}
	find "$1" -type f \( -name "$2.ko" -o -name "$2.ko.xz" -o -name "$alt.ko" -o -name "$alt.ko.xz" \) |
		LC_ALL=C sort | head -n 1
}

# plain_module SRC OUT: SRC decompressed (busybox insmod takes plain .ko
# files; Debian's 6.1 modules are plain, later kernels' are .ko.xz).
plain_module() {
	case $1 in
	*.ko)    cp "$1" "$2" ;;
	*.ko.xz) xz -dc "$1" >"$2" ;;
	esac
}

# module_depends KO: the modules KO depends on (its .modinfo "depends=").
module_depends() {
	objcopy -O binary --only-section=.modinfo "$1" "$tmp/modinfo" ||
		die "cannot read .modinfo of $1"
	tr '\0' '\n' <"$tmp/modinfo" | sed -n 's/^depends=//p' | tr ',' ' '
}

# bzimage_elf BZIMAGE OUT: the kernel ELF inside BZIMAGE (its payload, see
# Linux's Documentation/x86/boot.rst) if it has a PVH entry note (Xen note
# 18, XEN_ELFNOTE_PHYS32_ENTRY), which QEMU's -kernel boots directly.
bzimage_elf() {
	local setup_sects off len
	[ "$(od -An -c -j $((0x202)) -N4 "$1" | tr -d ' ')" = HdrS ] || return 1
	setup_sects=$(od -An -tu1 -j $((0x1f1)) -N1 "$1")
	read -r off len < <(od -An -tu4 -j $((0x248)) -N8 "$1")
	[ "$setup_sects" -ne 0 ] || setup_sects=4
	# The payload is the compressed ELF followed by its 4-byte size:
	# --single-stream stops at the end of the xz data.
	dd if="$1" iflag=skip_bytes,count_bytes skip=$(( (setup_sects + 1) * 512 + off )) \
		count="$len" bs=1M status=none | xz -dc --single-stream >"$2" 2>/dev/null || return 1
	readelf -n "$2" 2>/dev/null | grep -q 'Unknown note type: (0x00000012)'
}

# unpack_kernel DEB ID: kernel, config and modules of DEB into $kdir.
unpack_kernel() {
	local deb=$1 id=$2 x=$tmp/x new=$tmp/kernel vmlinuz release moddir m
	note "unpacking $(basename "$deb") (dpkg -x)"
	dpkg -x "$deb" "$x" || die "dpkg -x $deb failed"
	vmlinuz=$(find "$x/boot" -maxdepth 1 -name 'vmlinuz-*' | head -n 1)
	[ -n "$vmlinuz" ] || die "$deb has no /boot/vmlinuz-*"
	release=${vmlinuz##*/vmlinuz-}
	moddir=$x/lib/modules/$release
	[ -d "$moddir" ] || die "$deb has no /lib/modules/$release"
	mkdir -p "$new/modules"
	if bzimage_elf "$vmlinuz" "$new/kernel"; then
		echo pvh >"$new/format"
	else
		note "$(basename "$vmlinuz"): no PVH entry found, booting the bzImage"
		cp "$vmlinuz" "$new/kernel"
		echo bzimage >"$new/format"
	fi
	cp "$x/boot/config-$release" "$new/config" 2>/dev/null || true
	echo "$release" >"$new/release"
	echo "$id" >"$new/id"

	# Dependencies first (depth first), each module once.
	local -A seen=()
	local order=()
	add_module() {
		local name=${1//_/-} file dep deps
		[ -z "${seen[$name]:-}" ] || return 0
		seen[$name]=1
		file=$(module_file "$moddir/kernel" "$name")
		[ -n "$file" ] || die "module $name not found in $deb"
		plain_module "$file" "$new/modules/$name.ko"
		deps=$(module_depends "$new/modules/$name.ko") || exit "$PLATFORM_E_PLATFORM"
		for dep in $deps; do
			add_module "$dep"
		done
		order+=("$name")
	}
	for m in "${modules[@]}"; do add_module "$m"; done
	printf '%s\n' "${order[@]}" >"$new/modules.order"
	rm -rf "$x" "$kdir"
	mv "$new" "$kdir"
	note "kernel $release, modules: ${order[*]}"
}

kernel_cached() { [ -f "$kdir/kernel" ] && [ -f "$kdir/format" ] && [ -f "$kdir/id" ]; }
cached_id() { cat "$kdir/id"; }

if [ -n "${PLATFORM_KERNEL_DEB:-}" ]; then
	[ -f "$PLATFORM_KERNEL_DEB" ] || die "PLATFORM_KERNEL_DEB: no file $PLATFORM_KERNEL_DEB"
	id="file=$(realpath "$PLATFORM_KERNEL_DEB") $(stat -c '%s %Y' "$PLATFORM_KERNEL_DEB")"
	if ! kernel_cached || [ "$(cached_id)" != "$id" ]; then
		unpack_kernel "$PLATFORM_KERNEL_DEB" "$id"
	fi
else
	want=$(resolve_package)
	if [ -z "$want" ] && ! kernel_cached && apt_update; then
		want=$(resolve_package)
	fi
	if [ -z "$want" ]; then
		kernel_cached || unavailable "apt knows no linux-image-amd64 (run apt-get update as root, or set PLATFORM_KERNEL_DEB)"
		note "apt knows no linux-image-amd64; using the cached $(cached_id)"
	elif ! kernel_cached || [ "$(cached_id)" != "$want" ]; then
		note "fetching $want (apt-get download)"
		if ! download "$want" && apt_update; then
			want=$(resolve_package)
			note "fetching $want (apt-get download)"
			download "$want" || true
		fi
		deb=$(find "$tmp/deb" -maxdepth 1 -name 'linux-image-*.deb' | head -n 1)
		if [ -n "$deb" ]; then
			unpack_kernel "$deb" "$want"
		elif kernel_cached; then
			note "apt-get download $want failed ($(tail -n 1 "$tmp/download.log")); using the cached $(cached_id)"
		else
			unavailable "apt-get download $want failed: $(tail -n 1 "$tmp/download.log")"
		fi
	fi
fi

# ---- 2. the initramfs ---------------------------------------------------------
init=$PLATFORM_DIR/kvm-host-init
base=$KVM_HOST_INITRD
base_key=$(
	{
		cat "$PLATFORM_DIR/kvm-host-image.sh" "$PLATFORM_DIR/lib.sh" "$REPO_DIR/scripts/cpio.sh" "$init" "$kdir/id" "$kdir/format"
		sha256sum "$busybox"
		for m in "${modules[@]}"; do echo "$m ${module_params[$m]:-}"; done
	} | sha256sum | cut -d' ' -f1
)
if [ ! -f "$base" ] || [ "$(cat "$base.key" 2>/dev/null)" != "$base_key" ]; then
	cpio_begin "$tmp/base.cpio" 1000
	for d in bin dev etc etc/kvm-host lib lib/modules lib/modules/kvm-host \
		opt opt/bin platform proc root sys; do
		cpio_dir "$d"
	done
	cpio_dir tmp 01777
	cpio_node dev/console 0600 5 1
	cpio_node dev/null 0666 1 3
	cpio_file init "$init" 0755
	cpio_file bin/busybox "$busybox" 0755
	while IFS= read -r applet; do
		case $applet in busybox|init|linuxrc) continue ;; esac
		cpio_symlink "bin/$applet" busybox
	done < <("$busybox" --list | LC_ALL=C sort)
	: >"$tmp/modules"
	while IFS= read -r m; do
		cpio_file "lib/modules/kvm-host/$m.ko" "$kdir/modules/$m.ko" 0644
		echo "$m ${module_params[$m]:-}" >>"$tmp/modules"
	done <"$kdir/modules.order"
	cpio_file etc/kvm-host/modules "$tmp/modules" 0644
	cpio_file etc/kvm-host/kernel "$kdir/id" 0644
	cpio_end
	mv "$tmp/base.cpio" "$base"
	echo "$base_key" >"$base.key"
	note "built $base ($(stat -c %s "$base") bytes)"
fi

if [ $print -eq 1 ]; then
	echo "$KVM_HOST_KERNEL"
	echo "$KVM_HOST_INITRD"
fi
