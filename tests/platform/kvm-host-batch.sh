#!/usr/bin/env bash
# Run several commands in one boot of the kvm-host platform, so that runs
# meant to be compared side by side share one machine, one boot and one
# minute of the host (docs/platforms.md).  Each command's stdout, stderr
# and exit status, and whatever it writes into $OUT, come back into a
# directory on this machine.
#
# usage: tests/platform/kvm-host-batch.sh [--add SRC[:DEST]]... BATCH OUTDIR
#
#   BATCH    a file of lines "NAME COMMAND...": NAME ([A-Za-z0-9_.-]+) names
#            the results, COMMAND is run by sh in the machine, in order,
#            with /opt/bin on the PATH, the added files under /opt, and
#            OUT=/tmp/results/NAME.files (a directory it may write into);
#            empty lines and lines starting with # are skipped
#   OUTDIR   receives NAME.out, NAME.err, NAME.rc and NAME.files/ per line
#
# Exit status: 0 when the machine ran every line (whatever their own
# statuses, which are in NAME.rc), else kvm-host-run.sh's (77: the image
# cannot be built; 123-125: the platform failed; 124: timeout).  Set
# PLATFORM_TIMEOUT for long batches (default here 600 s).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

adds=()
while [ $# -gt 0 ]; do
	case $1 in
	--add)   [ $# -ge 2 ] || die "--add needs SRC[:DEST]"; adds+=(--add "$2"); shift 2 ;;
	--add=*) adds+=(--add "${1#--add=}"); shift ;;
	-h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	--) shift; break ;;
	-*) die "unknown option $1 (--help)" ;;
	*) break ;;
	esac
done
[ $# -eq 2 ] || die "usage: kvm-host-batch.sh [--add SRC[:DEST]]... BATCH OUTDIR (--help)"
batch=$1 outdir=$2
[ -f "$batch" ] || die "no batch file $batch"

# The script the machine runs: each line's command, then its results as a
# tar archive on stdout (the platform copies it byte for byte), one archive
# per line, so that what finished before a timeout still comes back.
script=$(mktemp "${TMPDIR:-/tmp}/kvm-host-batch.XXXXXX")
trap 'rm -f "$script"' EXIT
{
	echo 'R=/tmp/results; mkdir -p $R'
	while IFS= read -r line || [ -n "$line" ]; do
		case $line in ''|'#'*) continue ;; esac
		name=${line%%[[:space:]]*} cmd=${line#"$name"}
		[[ $name =~ ^[A-Za-z0-9_.-]+$ ]] || die "$batch: bad name '$name'"
		[ -n "${cmd// }" ] || die "$batch: '$name' has no command"
		printf 'mkdir -p $R/%s.files\n' "$name"
		printf '(export OUT=$R/%s.files; %s) </dev/null >$R/%s.out 2>$R/%s.err; echo $? >$R/%s.rc\n' \
			"$name" "$cmd" "$name" "$name" "$name"
		printf 'echo "kvm-host-batch: %s done, status $(cat $R/%s.rc)" >&2\n' "$name" "$name"
		printf 'tar cf - -C $R %s.out %s.err %s.rc %s.files\n' "$name" "$name" "$name" "$name"
	done <"$batch"
} >"$script"

mkdir -p "$outdir"
set +e
PLATFORM_TIMEOUT=${PLATFORM_TIMEOUT:-600} "$PLATFORM_DIR/kvm-host-run.sh" "${adds[@]}" \
	--add "$script:bin/kvm-host-batch-script" -- sh /opt/bin/kvm-host-batch-script |
	tar -x -i -f - -C "$outdir"
rcs=("${PIPESTATUS[@]}")
set -e
[ "${rcs[0]}" -eq 0 ] || exit "${rcs[0]}"
[ "${rcs[1]}" -eq 0 ] || die "the results did not come back as a tar stream"
