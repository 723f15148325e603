#!/usr/bin/env bash
# Configure and build one Linux 6.1 kernel out of tree (O=OBJDIR).
#
# usage: build-kernel.sh NAME SRCDIR OBJDIR FRAGMENT [CC]
#
#   NAME      label for progress lines (plain, afterburned, ...)
#   SRCDIR    unpacked kernel source (never written to)
#   OBJDIR    output directory: vmlinux, arch/x86/boot/bzImage, build.log,
#             build-time (wall seconds of the kbuild run), build-info
#   FRAGMENT  Kconfig fragment merged over tinyconfig
#   CC        optional CC for kbuild, e.g. "gcc -B/path/to/afterburn/"
#
# The configuration is regenerated when the fragment, the CC or this script
# change.  When CC names an assembler directory with -B, the objects are
# thrown away (make clean) whenever that `as` binary changes: kbuild does not
# know that the assembler is part of the compiler.
#
# Environment: JOBS (default: nproc), LINUX_PROGRESS_SECS (default 20).
set -euo pipefail

die() { echo "linux: $*" >&2; exit 1; }

[ $# -ge 4 ] && [ $# -le 5 ] || die "usage: build-kernel.sh NAME SRCDIR OBJDIR FRAGMENT [CC]"
name=$1 src=$2 obj=$3 fragment=$4 cc=${5:-}
jobs=${JOBS:-$(nproc)}
tick=${LINUX_PROGRESS_SECS:-20}

[ -f "$src/Makefile" ] || die "$name: no kernel source in $src (run make linux)"
[ -f "$fragment" ] || die "$name: missing config fragment $fragment"
src=$(cd "$src" && pwd)
fragment=$(cd "$(dirname "$fragment")" && pwd)/$(basename "$fragment")
mkdir -p "$obj"
obj=$(cd "$obj" && pwd)
log=$obj/build.log

# Our make's flags (jobserver, command-line variables such as BUILD=) must
# not leak into kbuild.
unset MAKEFLAGS MFLAGS MAKEOVERRIDES MAKELEVEL GNUMAKEFLAGS V

# The same banner in every build of the same source, so that plain and
# afterburned differ only by what the rewriter did (init/version.o).
KBUILD_BUILD_TIMESTAMP=$(date -u -d "@$(stat -c %Y "$src/Makefile")" "+%a %b %e %H:%M:%S UTC %Y")
export KBUILD_BUILD_TIMESTAMP
export KBUILD_BUILD_USER=afterburn KBUILD_BUILD_HOST=afterburn KBUILD_BUILD_VERSION=1

kmake=(make -C "$src" O="$obj" ARCH=x86_64)
[ -n "$cc" ] && kmake+=(CC="$cc")

fail() {
	echo "linux: $name: $1 failed; log: $2" >&2
	echo "---- $2 (errors) ----" >&2
	grep -n -E '[Ee]rror:|\*\*\*' "$2" | head -n 40 >&2 || true
	echo "---- $2 (last 80 lines) ----" >&2
	tail -n 80 "$2" >&2
	exit 1
}

hash_of() { sha256sum | cut -c1-16; }

# --- configuration ----------------------------------------------------------
# Bump config_version when the way the configuration is made changes.
config_version=1
config_key=$( { cat "$fragment"; echo "CC=$cc version=$config_version"; } | hash_of)
if [ ! -f "$obj/.config" ] || [ "$(cat "$obj/.afterburn-config-key" 2>/dev/null)" != "$config_key" ]; then
	# kbuild never deletes the objects of options that were turned off; a
	# tree that two configurations built in cannot be compared object by
	# object with another, so start over.
	if [ -n "$(find "$obj" -path "$obj/scripts" -prune -o -name "*.o" -print -quit 2>/dev/null)" ]; then
		printf '  %-8s %s\n' LINUX "$name: configuration changed, make clean"
		"${kmake[@]}" clean >"$obj/clean.log" 2>&1 || fail "make clean" "$obj/clean.log"
	fi
	printf '  %-8s %s\n' LINUX "$name: configure (tinyconfig + $(basename "$fragment"))"
	clog=$obj/config.log
	{
		"${kmake[@]}" tinyconfig &&
		"$src/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" "$fragment" &&
		"${kmake[@]}" olddefconfig
	} >"$clog" 2>&1 || fail "configuration" "$clog"
	# Every option of the fragment must have survived olddefconfig.
	missing=0
	while IFS= read -r line; do
		case $line in
		CONFIG_*=*) opt=${line%%=*} want=$line ;;
		"# CONFIG_"*" is not set") opt=${line#\# }; opt=${opt%% *}; want=$line ;;
		*) continue ;;
		esac
		got=$(grep -E "^(# )?${opt}[= ]" "$obj/.config" || true)
		if [ "$got" != "$want" ]; then
			# An unset option may also be absent (its dependencies are off).
			if [[ $want == "# "* ]] && [ -z "$got" ]; then continue; fi
			echo "linux: $name: fragment wants '$want', .config has '${got:-nothing}'" >&2
			missing=1
		fi
	done <"$fragment"
	[ $missing -eq 0 ] || die "$name: configuration does not match $fragment (log: $clog)"
	echo "$config_key" >"$obj/.afterburn-config-key"
fi

# --- the assembler behind CC -B ----------------------------------------------
as_key=none
if [[ $cc =~ -B[[:space:]]*([^[:space:]]+) ]]; then
	asdir=${BASH_REMATCH[1]}
	[ -x "${asdir%/}/as" ] || die "$name: CC uses -B$asdir but ${asdir%/}/as does not exist (make tools)"
	as_key=$(hash_of <"${asdir%/}/as")
fi
# The key names the assembler of the objects in $obj, recorded before the
# build starts: a failed build leaves objects of that assembler too.
if [ "$(cat "$obj/.afterburn-as-key" 2>/dev/null)" != "$as_key" ] &&
   [ -n "$(find "$obj" -path "$obj/scripts" -prune -o -name "*.o" -print -quit)" ]; then
	printf '  %-8s %s\n' LINUX "$name: assembler changed, make clean"
	"${kmake[@]}" clean >"$obj/clean.log" 2>&1 || fail "make clean" "$obj/clean.log"
fi
echo "$as_key" >"$obj/.afterburn-as-key"

# --- build -----------------------------------------------------------------
printf '  %-8s %s\n' LINUX "$name: build -j$jobs (log: $log)"
t0=$EPOCHREALTIME
"${kmake[@]}" -j"$jobs" vmlinux bzImage >"$log" 2>&1 &
pid=$!
# Progress: how many objects so far, every $tick seconds.
while kill -0 "$pid" 2>/dev/null; do
	for _ in $(seq "$tick"); do
		sleep 1
		kill -0 "$pid" 2>/dev/null || break 2
	done
	n=$(grep -c -E '^  (CC|AS)  ' "$log" || true)
	printf '  %-8s %s\n' LINUX "$name: $(( ${EPOCHREALTIME%.*} - ${t0%.*} ))s, $n objects compiled"
done
rc=0
wait "$pid" || rc=$?
t1=$EPOCHREALTIME
[ $rc -eq 0 ] || fail "build" "$log"
for f in vmlinux arch/x86/boot/bzImage; do
	[ -f "$obj/$f" ] || die "$name: build succeeded but $obj/$f is missing"
done

secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
echo "$secs" >"$obj/build-time"
objects=$(grep -c -E '^  (CC|AS)  ' "$log" || true)
warnings=$(grep -c -i 'warning:' "$log" || true)
cat >"$obj/build-info" <<EOF
name=$name
seconds=$secs
jobs=$jobs
objects_built=$objects
warnings=$warnings
cc=${cc:-default}
date=$(date -u +%Y-%m-%dT%H:%M:%SZ)
EOF
printf '  %-8s %s\n' LINUX "$name: done in ${secs}s ($objects objects, $warnings warnings)"
if [ "$warnings" -gt 0 ]; then
	grep -i 'warning:' "$log" | sort | uniq -c | sort -rn | head -n 10 | sed 's/^/           /'
fi
