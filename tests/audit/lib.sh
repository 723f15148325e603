# Helpers of the audit tests (sourced).  Each test works in its own
# directory under $BUILD/tests/audit and assembles its inputs there.
set -euo pipefail
: "${BUILD:?BUILD must be set (run through make check or tests/run)}"
: "${AFTERBURN:?AFTERBURN must be set}"

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$SRC/../.." && pwd)
T=$BUILD/tests/audit/$(basename "$0" .sh)
rm -rf "$T"
mkdir -p "$T"

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

skip() {
	echo "$*"
	exit 77
}

# kinds.inc: `.equ K_name, number` for every kind of abi.h, names with
# '-' spelled '_' (K_cli, K_mov_to_cr, K_lfs_lgs_lss), in table order.
kind_table() {
	sed -n 's/^[[:space:]]*X([A-Z_0-9]*,[[:space:]]*"\([^"]*\)".*/\1/p' \
		"$ROOT/include/afterburn/abi.h"
}
kind_table | awk '{ n = $1; gsub("-", "_", n); printf ".equ K_%s, %d\n", n, NR }' >"$T/kinds.inc"
[ -s "$T/kinds.inc" ] || fail "cannot read the kind table of abi.h"

# asm SRC OUT [as options...]: assemble with site.inc and kinds.inc at hand.
asm() {
	local src=$1 out=$2
	shift 2
	as --64 -I "$SRC" -I "$T" "$@" -o "$out" "$src" || fail "as $src"
}

# run WANT_RC CMD...: run, keep stdout+stderr in $T/out, show it, check rc.
run() {
	local want=$1 rc
	shift
	echo "\$ $*"
	set +e
	"$@" >"$T/out" 2>&1
	rc=$?
	set -e
	sed 's/^/  | /' "$T/out"
	[ "$rc" -eq "$want" ] || fail "exit $rc, expected $want: $*"
}

# has REGEX / lacks REGEX: about the last run's output.
has() {
	grep -qE -- "$1" "$T/out" || fail "output lacks /$1/"
}
lacks() {
	! grep -qE -- "$1" "$T/out" || fail "output has /$1/"
}

# No sanitizer report in the last run's output.
clean_san() {
	lacks 'AddressSanitizer|LeakSanitizer|runtime error|UndefinedBehaviorSanitizer'
}
