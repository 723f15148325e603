# shellcheck shell=bash disable=SC2034
# Shared by the kvm-host platform scripts (sourced, not run): exit statuses,
# messages, the image paths, the cpio writer (scripts/cpio.sh), --add parsing and the
# hardware-KVM check.  See docs/platforms.md.

# Exit statuses of the platform scripts besides the command's own status.
PLATFORM_E_UNAVAILABLE=77 # the kernel package cannot be fetched (a test skips)
PLATFORM_E_KVM=123        # the kvm modules did not load, or no /dev/kvm inside
PLATFORM_E_TIMEOUT=124    # $PLATFORM_TIMEOUT expired
PLATFORM_E_PLATFORM=125   # usage, image or QEMU error, no /init, machine stopped early

PLATFORM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$PLATFORM_DIR/../.." && pwd)
BUILD=$(realpath -m "${BUILD:-$REPO_DIR/build}")
KVM_HOST_DIR=$BUILD/platform/kvm-host
KVM_HOST_KERNEL=$KVM_HOST_DIR/kernel/kernel
KVM_HOST_INITRD=$KVM_HOST_DIR/base.cpio

# Progress is "kvm-host: ...", a failure of the platform "kvm-host: error: ...":
# a test tells the two apart by the prefix (the command's own status may be
# any number).
note() { echo "kvm-host: $*" >&2; }
error() { echo "kvm-host: error: $*" >&2; }
die() { error "$*"; exit "$PLATFORM_E_PLATFORM"; }
unavailable() { note "unavailable: $*"; exit "$PLATFORM_E_UNAVAILABLE"; }

# add_spec SPEC: split SRC[:DEST] into $add_src and $add_dest, DEST relative
# to /opt (a leading /opt/ is dropped; empty or ending in / takes SRC's name).
add_spec() {
	local spec=$1
	if [[ $spec == *:* ]]; then
		add_src=${spec%:*} add_dest=${spec##*:}
	else
		add_src=$spec add_dest=
	fi
	[ -n "$add_src" ] || die "--add '$spec': no source"
	[ -e "$add_src" ] || die "--add '$spec': no such file $add_src"
	add_dest=${add_dest#/opt/}
	[[ $add_dest != /* ]] || die "--add '$spec': DEST must be under /opt"
	if [ -z "$add_dest" ] || [[ $add_dest == */ ]]; then
		add_dest=$add_dest$(basename "$(realpath "$add_src")")
	fi
	add_dest=${add_dest%/}
	while [[ $add_dest == ./* ]]; do add_dest=${add_dest#./}; done
	case /$add_dest/ in
	*/../*|*/./*|*//*) die "--add '$spec': bad DEST '$add_dest'" ;;
	esac
}

# ---- newc cpio writer: scripts/cpio.sh -----------------------------------
# shellcheck source=scripts/cpio.sh
. "$REPO_DIR/scripts/cpio.sh"

file_mode() { if [ -x "$1" ]; then echo $((0755)); else echo $((0644)); fi; }

# cpio_tree NAME SRC: SRC (a file, or a directory recursively; symlinks
# followed) as NAME, executable bits kept.
cpio_tree() {
	local name=$1 src=$2 f rel
	if [ -d "$src" ]; then
		cpio_dir "$name"
		while IFS= read -r -d '' f; do
			rel=${f#"$src"/}
			if [ -d "$f" ]; then
				cpio_dir "$name/$rel"
			else
				cpio_file "$name/$rel" "$f" "$(file_mode "$f")"
			fi
		done < <(find -L "$src" -mindepth 1 -print0 | LC_ALL=C sort -z)
	else
		cpio_file "$name" "$src" "$(file_mode "$src")"
	fi
}

# ---- the machine ---------------------------------------------------------
# real_kvm: this machine has a hardware-assisted KVM (/dev/kvm and VT-x or
# SVM in the CPU flags).  The software KVM of the development machines
# (kvm_pvm, no vmx/svm) does not count.
real_kvm() {
	[ -c /dev/kvm ] && grep -qw -E 'vmx|svm' /proc/cpuinfo
}
