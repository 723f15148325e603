#!/usr/bin/env bash
# Every error case: exit 1, the exact "afterburn: file:line: ..." message,
# and the output file is not created.
source "$(dirname "$0")/lib.sh"

n=0
for case in "$SRC"/errors/*.s; do
	name=$(basename "$case" .s)
	# shellcheck disable=SC2059
	want=$(printf "$(cat "$SRC/errors/$name.err")" "$case")
	rc=0
	got=$("$AFTERBURN_SAN" rewrite "$case" -o "$T/$name.s" 2>&1) || rc=$?
	[ "$rc" = 1 ] || fail "$name: exit $rc, expected 1 ($got)"
	[ "$got" = "$want" ] || fail "$name: message '$got', expected '$want'"
	[ ! -e "$T/$name.s" ] || fail "$name: output written despite the error"
	echo "ok $name"
	n=$((n + 1))
done
rc=0
got=$("$AFTERBURN_SAN" rewrite "$T/missing.s" 2>&1) || rc=$?
[ "$rc" = 1 ] && [[ $got == "afterburn: $T/missing.s: cannot read: No such file or directory" ]] ||
	fail "missing input: exit $rc, '$got'"
rc=0
"$AFTERBURN_SAN" rewrite --bogus >/dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "unknown option: exit $rc, expected 2"
echo "ok missing input, unknown option"
[ "$n" -ge 10 ] || fail "only $n error cases found"
