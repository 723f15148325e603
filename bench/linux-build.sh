#!/usr/bin/env bash
# linux-build: the cost of the afterburner at build time and in the binary.
#
# In one run, builds Linux 6.1 (tinyconfig + guest-patches/linux-6.1
# fragment) from a clean output directory twice, plain then afterburned,
# with the same script as `make linux` but in build/bench/linux-build/
# (the kernels of `make linux` are left alone).  Reports:
#   - wall time of each kbuild run and the ratio afterburned/plain;
#   - `size` of both vmlinux (text, data, bss) and the growth of text
#     (`size` counts the site-record notes as text), and of the code alone
#     (sum of the sizes of the FUNC symbols: the NOP padding);
#   - the site records of the afterburned vmlinux: how many (the .afterburn
#     section's size / 8), and per kind from `afterburn sites --stats --json`
#     when that exists, else per numeric kind read from the section.
# Writes bench/results/linux-build.json and prints a table.
#
# Environment: BUILD, AFTERBURN, AFTERBURN_ASDIR (from make bench),
# JOBS (default nproc).
set -euo pipefail
. tests/linux/lib.sh

AFTERBURN_ASDIR=${AFTERBURN_ASDIR:-$BUILD/libexec/afterburn}
[ -x "$AFTERBURN_ASDIR/as" ] || die "$AFTERBURN_ASDIR/as missing (make tools)"
mk linux-src

src=$LINUX_DIR/src
fragment=guest-patches/linux-6.1/afterburn.config
work=$BUILD/bench/linux-build
results=bench/results/linux-build.json
mkdir -p bench/results

declare -A secs text data bss dottext
for v in plain afterburned; do
	rm -rf "${work:?}/$v"
	cc=
	[ $v = afterburned ] && cc="gcc -B$AFTERBURN_ASDIR/"
	guest-patches/linux-6.1/build-kernel.sh "$v" "$src" "$work/$v" "$fragment" ${cc:+"$cc"}
	secs[$v]=$(cat "$work/$v/build-time")
	read -r text[$v] data[$v] bss[$v] _ < <(size "$work/$v/vmlinux" | awk 'NR == 2')
	# Code bytes: the sizes of all functions.  The .text section's own size
	# says little: the SRSO/ITS thunks are placed at fixed alignments, and
	# the padding before them absorbs any growth of the code.
	dottext[$v]=$(readelf -s -W "$work/$v/vmlinux" | awk '$4 == "FUNC" { n += $3 } END { print n + 0 }')
done

ratio=$(awk -v a="${secs[afterburned]}" -v p="${secs[plain]}" 'BEGIN { printf "%.3f", a / p }')
pct() { awk -v a="$2" -v p="$1" 'BEGIN { printf "%.2f", (a - p) * 100 / p }'; }
growth=$(pct "${text[plain]}" "${text[afterburned]}")
dgrowth=$(pct "${dottext[plain]}" "${dottext[afterburned]}")

# Site records: the "Afterburn" SITES notes (include/afterburn/abi.h).
# Total from readelf (descriptor bytes / 8, the version note excluded); per
# kind from `afterburn sites --stats --json` when it is there.
vml=$work/afterburned/vmlinux
bytes=0
for h in $(readelf -n -W "$vml" | awk '$1 == "Afterburn" && !/NT_VERSION/ { print $2 }'); do
	bytes=$((bytes + h))
done
nsites=$((bytes / 8))
sites_json=null
if [ -x "$AFTERBURN" ] && "$AFTERBURN" sites --stats --json "$vml" >"$work/sites.json" 2>"$work/sites.err"; then
	if command -v jq >/dev/null; then
		sites_json=$(jq -c .stats "$work/sites.json")
	else
		sites_json=$(sed -n 's/^"stats": \(.*\)$/\1/p' "$work/sites.json")
	fi
	[ -n "$sites_json" ] || sites_json=null
else
	echo "linux-build: '$AFTERBURN sites --stats --json' failed; per-kind counts left out" >&2
	cat "$work/sites.err" >&2 || true
fi

cat >"$results.tmp" <<EOF
{
  "bench": "linux-build",
  "kernel": "linux-6.1 tinyconfig + guest-patches/linux-6.1/afterburn.config",
  "date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "jobs": ${JOBS:-$(nproc)},
  "build_seconds": { "plain": ${secs[plain]}, "afterburned": ${secs[afterburned]} },
  "build_ratio": $ratio,
  "vmlinux_size": {
    "plain": { "text": ${text[plain]}, "data": ${data[plain]}, "bss": ${bss[plain]} },
    "afterburned": { "text": ${text[afterburned]}, "data": ${data[afterburned]}, "bss": ${bss[afterburned]} }
  },
  "text_growth_percent": $growth,
  "function_bytes": { "plain": ${dottext[plain]}, "afterburned": ${dottext[afterburned]} },
  "function_bytes_growth_percent": $dgrowth,
  "sites": $nsites,
  "sites_stats": $sites_json
}
EOF
mv "$results.tmp" "$results"

printf '\n%-28s %14s %14s %10s\n' "" plain afterburned ratio
printf '%-28s %14s %14s %10s\n' "build time (s, clean, -j${JOBS:-$(nproc)})" "${secs[plain]}" "${secs[afterburned]}" "$ratio"
printf '%-28s %14s %14s %9s%%\n' "vmlinux text (size)" "${text[plain]}" "${text[afterburned]}" "+$growth"
printf '%-28s %14s %14s %9s%%\n' "code (sum of FUNC sizes)" "${dottext[plain]}" "${dottext[afterburned]}" "+$dgrowth"
printf '%-28s %14s %14s\n' "vmlinux data (bytes)" "${data[plain]}" "${data[afterburned]}"
printf '%-28s %14s %14s\n' "site records" 0 "$nsites"
if [ -x "$AFTERBURN" ] && [ "$sites_json" != null ]; then
	echo
	"$AFTERBURN" sites --stats "$vml" | awk '/^CLASS/ { p = 1 } p'
fi
echo "results: $results"
