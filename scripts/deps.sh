#!/usr/bin/env bash
# Install the Debian packages the project needs.  As root: installs what is
# missing.  Otherwise: prints the exact apt-get line and fails.
set -euo pipefail

packages=(
	gcc libc6-dev make binutils binutils-dev libcapstone-dev # host tools
	clang-14 libclang-rt-14-dev                      # fuzz targets (libFuzzer)
	python3                                          # test helpers (ELF patching, JSON checks)
	flex bison bc cpio xz-utils patch libelf-dev libssl-dev # Linux build
	linux-source-6.1                                 # the guest of record
	busybox-static                                   # initramfs
	qemu-system-x86                                  # bare platform
	# kvm-host platform (tests/platform/): qemu-system-x86, busybox-static,
	# xz-utils, binutils above; apt-get and dpkg fetch and unpack the kernel
)

missing=()
for p in "${packages[@]}"; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[[ $status == "install ok installed" ]] || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi

line="apt-get install -y ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing Debian packages; as root run:" >&2
	echo "  $line" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
