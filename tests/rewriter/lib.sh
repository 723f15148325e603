# Helpers of the rewriter tests (sourced).  Each test works in its own
# directory under $BUILD/tests/rewriter.
set -euo pipefail
: "${BUILD:?BUILD must be set (run through make check or tests/run)}"
: "${AFTERBURN:?AFTERBURN must be set}"
: "${AFTERBURN_SAN:?AFTERBURN_SAN must be set}"

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
T=$BUILD/tests/rewriter/$(basename "$0" .sh)
rm -rf "$T"
mkdir -p "$T"

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# The kinds a case declares on its "# expect:" line.
expected_kinds() {
	sed -n 's/^# expect:[[:space:]]*//p' "$1"
}

# The kinds of an object's records, in order, one line.
recorded_kinds() {
	"$AFTERBURN" sites "$1" | awk 'NR > 1 { printf "%s%s", sep, $3; sep = " " } END { print "" }'
}
