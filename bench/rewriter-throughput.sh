#!/usr/bin/env bash
# Rewriter throughput, MB/s of assembler source: gcc's output for a fixed
# set of Linux 6.1 files (the guest's own code, configured as `make linux`
# does), concatenated into one corpus and rewritten 7 times; the median run
# counts.  Target: at least 100 MB/s.
set -euo pipefail
: "${BUILD:?BUILD must be set (run through make bench)}"
: "${AFTERBURN:?AFTERBURN must be set}"
root=$(cd "$(dirname "$0")/.." && pwd)
src=$BUILD/linux-6.1/src
tree=$BUILD/linux-6.1/plain
out=$BUILD/bench/rewriter-throughput
mkdir -p "$out" "$root/bench/results"

if [ ! -f "$tree/.config" ]; then
	echo "bench: configuring Linux first (make linux)"
	make -C "$root" --no-print-directory linux >/dev/null
fi

files=(kernel/sched/core mm/memory mm/page_alloc fs/namei kernel/fork kernel/signal
       arch/x86/kernel/traps arch/x86/mm/fault fs/exec kernel/printk/printk
       lib/vsprintf kernel/time/timer mm/slab_common fs/dcache mm/mmap fs/read_write)
: >"$out/corpus.s"
for f in "${files[@]}"; do
	make -C "$src" O="$tree" ARCH=x86_64 -s "$f.s" >/dev/null 2>&1 || { echo "bench: cannot make $f.s" >&2; exit 1; }
	cat "$tree/$f.s" >>"$out/corpus.s"
done
bytes=$(stat -c %s "$out/corpus.s")
lines=$(wc -l <"$out/corpus.s")

runs=()
for i in 1 2 3 4 5 6 7; do
	t0=$(date +%s%N)
	"$AFTERBURN" rewrite "$out/corpus.s" -o /dev/null
	t1=$(date +%s%N)
	runs+=($(( (t1 - t0) / 1000 )))
done
median_us=$(printf '%s\n' "${runs[@]}" | sort -n | sed -n 4p)
mbps=$(awk -v b="$bytes" -v us="$median_us" 'BEGIN { printf "%.1f", b / us }')
sites=$("$AFTERBURN" rewrite "$out/corpus.s" --stats -o /dev/null 2>&1 | awk '$1 == "total" { print $2 }')

printf '%-28s %s\n' "corpus" "${#files[@]} Linux files, gcc -S output"
printf '%-28s %d bytes, %d lines\n' "size" "$bytes" "$lines"
printf '%-28s %s us (median of 7: %s)\n' "rewrite time" "$median_us" "${runs[*]}"
printf '%-28s %s MB/s (target >= 100)\n' "throughput" "$mbps"
printf '%-28s %s\n' "sites recorded" "$sites"
cat >"$root/bench/results/rewriter-throughput.json" <<JSON
{
  "bench": "rewriter-throughput",
  "corpus_files": ${#files[@]},
  "corpus_bytes": $bytes,
  "corpus_lines": $lines,
  "runs_us": [$(IFS=,; echo "${runs[*]}")],
  "median_us": $median_us,
  "mb_per_s": $mbps,
  "target_mb_per_s": 100,
  "sites": ${sites:-0}
}
JSON
