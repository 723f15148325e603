#!/usr/bin/env bash
# --json: the output parses and carries the same counts as the table.
. "$(dirname "$0")/lib.sh"
asm "$SRC/covered.s" "$T/c.o"
asm "$SRC/bad-records.s" "$T/bad.o" --defsym CASE=1
asm "$SRC/exceptions.s" "$T/x.o"
printf 'early_boot cli reset state\nnowhere hlt stale one\n' >"$T/x.exc"

json() { # OUT RC ARGS...: run with --json, check it parses
	local out=$1 want=$2 rc
	shift 2
	set +e
	"$AFTERBURN" "$@" >"$T/$out.json" 2>"$T/$out.err"
	rc=$?
	set -e
	cat "$T/$out.json" "$T/$out.err"
	[ "$rc" -eq "$want" ] || fail "exit $rc, expected $want: $*"
	python3 -m json.tool "$T/$out.json" >/dev/null || fail "$out.json does not parse"
}

json ok 0 audit --json "$T/c.o"
json bad 1 audit --json "$T/bad.o"
json exc 1 audit --json --exceptions "$T/x.exc" "$T/x.o"
json sites 0 sites --json --stats "$T/c.o"

python3 - "$T" <<'PY' || fail "JSON contents"
import json, sys
t = sys.argv[1]
ld = lambda n: json.load(open(f"{t}/{n}.json"))

ok = ld("ok")
s = ok["summary"]
assert ok["ok"] is True and ok["type"] == "relocatable", ok
assert (s["sensitive"], s["covered"], s["uncovered"], s["invalid_records"]) == (12, 12, 0, 0), s
assert ok["per_kind"]["cli"] == {"found": 2, "covered": 2, "uncovered": 0, "excepted": 0}
assert ok["note"]["abi_version"] == 1 and ok["note"]["toolchain"] == "0.1.0"
assert ok["uncovered"] == [] and ok["invalid_records"] == []

bad = ld("bad")
assert bad["ok"] is False
assert bad["summary"]["invalid_records"] == 1 and bad["summary"]["uncovered"] == 1
r = bad["invalid_records"][0]
assert r["record"] == 1 and r["symbol"] == "f+0x9" and "recorded as cli" in r["message"], r
u = bad["uncovered"][0]
assert (u["kind"], u["bytes"], u["record"]) == ("sti", "fb", 1), u

exc = ld("exc")
s = exc["summary"]
assert (s["sensitive"], s["excepted"], s["uncovered"], s["stale_exceptions"]) == (4, 1, 3, 1), s
assert exc["excepted"][0]["reason"] == "reset state"
assert exc["stale_exceptions"][0]["line"] == 2
assert {u["symbol"] for u in exc["uncovered"]} == {"early_boot+0x5", "halt_loop+0x0", ".text.unnamed+0x1"}

st = ld("sites")
assert len(st["sites"]) == 12
assert st["sites"][6]["kind"] == "outs" and st["sites"][6]["flags"] == ["prefix"], st["sites"][6]
assert st["stats"]["sites"] == 12 and st["stats"]["padding_bytes"] == 46
assert st["stats"]["per_kind"]["cli"] == {"sites": 2, "padding": 14}
assert st["stats"]["per_class"]["interrupt-flag"] == 5
print("json contents ok")
PY
