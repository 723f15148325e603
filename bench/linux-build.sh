#!/usr/bin/env bash
# linux-build: the cost of the afterburner at build time and in the binary.
#
# In one run, builds Linux 6.1 (tinyconfig + guest-patches/linux-6.1
# fragment) from a clean output directory twice, plain then afterburned,
# with the same script as `make linux` but in build/bench/linux-build/
# (the kernels of `make linux` are left alone).  Reports:
#   - wall time of each kbuild run and the ratio afterburned/plain;
#   - `size` of both vmlinux (text, data, bss) and the growth of text;
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

declare -A secs text data bss
for v in plain afterburned; do
	rm -rf "${work:?}/$v"
	cc=
	[ $v = afterburned ] && cc="gcc -B$AFTERBURN_ASDIR/"
	guest-patches/linux-6.1/build-kernel.sh "$v" "$src" "$work/$v" "$fragment" ${cc:+"$cc"}
	secs[$v]=$(cat "$work/$v/build-time")
	read -r text[$v] data[$v] bss[$v] _ < <(size "$work/$v/vmlinux" | awk 'NR == 2')
done

ratio=$(awk -v a="${secs[afterburned]}" -v p="${secs[plain]}" 'BEGIN { printf "%.3f", a / p }')
growth=$(awk -v a="${text[afterburned]}" -v p="${text[plain]}" 'BEGIN { printf "%.2f", (a - p) * 100 / p }')

# Site records: the bytes of the .afterburn section (empty when absent).
vml=$work/afterburned/vmlinux
objcopy -O binary --only-section=.afterburn "$vml" "$work/afterburn.bin"
sec_size=$(stat -c %s "$work/afterburn.bin")
nsites=$((sec_size / 8))
sites_json=null
sites_table=
if [ -x "$AFTERBURN" ] && stats=$("$AFTERBURN" sites --stats --json "$vml" 2>/dev/null) && [ -n "$stats" ]; then
	sites_json=$stats
	sites_table="(per kind: afterburn sites --stats --json, in the JSON)"
elif [ "$nsites" -gt 0 ]; then
	# Byte 5 of each 8-byte record is the kind (include/afterburn/abi.h).
	per_kind=$(od -An -v -tu1 -w8 "$work/afterburn.bin" | awk '{ n[$6]++ } END { for (k in n) print k, n[k] }' | sort -n)
	sites_json="{\"source\": \"section\", \"by_kind_number\": {$(awk '{ printf "%s\"%s\": %s", (NR > 1 ? ", " : ""), $1, $2 }' <<<"$per_kind")}}"
	sites_table=$(awk '{ printf "kind %s: %s  ", $1, $2 }' <<<"$per_kind")
	echo "linux-build: afterburn sites --stats --json unavailable; kinds read from the .afterburn section" >&2
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
  "afterburn_section_bytes": $sec_size,
  "sites": $nsites,
  "sites_stats": $sites_json
}
EOF
mv "$results.tmp" "$results"

printf '\n%-28s %14s %14s %10s\n' "" plain afterburned ratio
printf '%-28s %14s %14s %10s\n' "build time (s, clean, -j${JOBS:-$(nproc)})" "${secs[plain]}" "${secs[afterburned]}" "$ratio"
printf '%-28s %14s %14s %9s%%\n' "vmlinux text (bytes)" "${text[plain]}" "${text[afterburned]}" "+$growth"
printf '%-28s %14s %14s\n' "vmlinux data (bytes)" "${data[plain]}" "${data[afterburned]}"
printf '%-28s %14s %14s\n' "site records" 0 "$nsites"
[ -z "$sites_table" ] || echo "sites: $sites_table"
echo "results: $results"
