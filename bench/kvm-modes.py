#!/usr/bin/env python3
"""The report of bench/kvm-modes.sh: reads what kvm-host-batch.sh brought
back (one directory per run: NAME.out, NAME.err, NAME.rc, NAME.files/),
prints the tables and writes the JSON.

usage: kvm-modes.py OUTDIR ROUNDS "MODES" HAVE_DISK RESULTS.json
"""
import json
import os
import re
import statistics
import sys
import time

# The ports of the disk and console paths: under full virtualization the
# devices themselves; under previrt the hypercalls that carry their work.
DISK_PORTS = set(range(0x1f0, 0x1f8)) | {0x3f6}
CONSOLE_PORTS = set(range(0x3f8, 0x400))
HC_BASE = 0x500
HC_CONSOLE, HC_DISK = HC_BASE + 1, HC_BASE + 4


def read(path, default=""):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except FileNotFoundError:
        return default


def stats_of(run_dir):
    text = read(os.path.join(run_dir + ".files", "stats.json"))
    return json.loads(text) if text else None


def printk_time(console, text):
    m = re.search(r"^\[\s*([0-9.]+)\] " + re.escape(text), console, re.M)
    return float(m.group(1)) if m else None


def host_time(times, text):
    """Seconds since the run started (the monitor's clock: its set-up, the
    wedge's and the kernel's boot all included) when a line with text came."""
    for line in times.splitlines():
        t, _, rest = line.partition(" ")
        if text in rest:
            return float(t)
    return None


def kv_line(console, prefix):
    m = re.search("^" + re.escape(prefix) + r"(.*)$", console, re.M)
    if not m:
        return {}
    return {k: float(v) for k, v in re.findall(r"(\w+)=([0-9.]+)", m.group(1))}


def path_exits(st):
    """VM exits the disk and the console cost at the monitor, by path."""
    disk = console = 0
    for p in st.get("pio", []):
        port = p["port"]
        if port in DISK_PORTS or port == HC_DISK:
            disk += p["count"]
        elif port in CONSOLE_PORTS or port == HC_CONSOLE:
            console += p["count"]
    return disk, console


def linux_run(base):
    console = read(base + ".out")
    st = stats_of(base)
    rc = read(base + ".rc").strip()
    run = {"status": int(rc) if rc else None, "done": "AFTERBURN-DONE" in console,
           "disk_ok": "AFTERBURN-DISK-OK" in console,
           "init_s": printk_time(console, "Run /init as init process"),
           "end_s": printk_time(console, "reboot: Restarting system")}
    times = read(base + ".files/times")
    run["host_init_s"] = host_time(times, "AFTERBURN-INIT: reached /init")
    run["host_done_s"] = host_time(times, "AFTERBURN-DONE")
    run.update({"workload_" + k: v for k, v in kv_line(console, "AFTERBURN-WORKLOAD: ").items()})
    run.update({"disk_" + k: v for k, v in kv_line(console, "AFTERBURN-DISK: ").items()})
    if "disk_mib" not in run:
        run["disk_mib"] = None
    check = read(base + ".files/diskcheck").strip().splitlines()
    run["disk_file_ok"] = bool(check) and check[-1] == "0"
    if st:
        run["wall_s"] = st["wall_s"]
        run["exits"] = st["kvm_vcpu"]["stats"]["exits"]
        er = st["exit_reasons"]
        run["exit_reasons"] = ({r["name"]: r["count"] for r in er["reasons"]}
                               if er.get("available") else None)
        run["monitor_exits"] = sum(st["monitor_exits"].values())
        run["injected"] = st.get("injected")
        run["hypercalls"] = st.get("hypercalls")
        run["disk_path_exits"], run["console_path_exits"] = path_exits(st)
        run["splitcore"] = st.get("splitcore")
    return run


def guest_run(base):
    console = read(base + ".out")
    bench = {}
    for cls, name, mn, med in re.findall(
            r"^BENCH: (\S+) (\S+) min (-?[0-9.]+) median (-?[0-9.]+)$", console, re.M):
        bench[name] = {"class": cls, "min": float(mn), "median": float(med)}
    rc = read(base + ".rc").strip()
    return {"status": int(rc) if rc else None, "bench": bench}


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def summarize(runs, keys):
    return {k: med([r.get(k) for r in runs]) for k in keys}


def ratio(a, b):
    return round(a / b, 4) if a is not None and b else None


def fmt(v, width=12):
    if v is None:
        return "-".rjust(width)
    if isinstance(v, float) and v < 100:
        return ("%.3g" % v).rjust(width)
    return ("%d" % round(v)).rjust(width)


def main():
    outdir, rounds, modes, have_disk, results = sys.argv[1:6]
    rounds, modes, have_disk = int(rounds), modes.split(), have_disk == "1"
    info = read(os.path.join(outdir, "info.out"))
    run_of = lambda kind, m, r: linux_run(os.path.join(outdir, "%s-%s-%d" % (kind, m, r)))
    linux = {m: [run_of("boot", m, r) for r in range(1, rounds + 1)] for m in modes}
    disk = {m: [run_of("disk", m, r) for r in range(1, rounds + 1)] if have_disk else []
            for m in modes}
    have_guest = os.path.exists(os.path.join(outdir, "guest-%s-1.rc" % modes[0]))
    guest = {m: [guest_run(os.path.join(outdir, "guest-%s-%d" % (m, r)))
                 for r in range(1, rounds + 1)] if have_guest else [] for m in modes}
    failures = []
    for m in modes:
        for i, r in enumerate(linux[m], 1):
            if not r["done"] or r["status"] != 0:
                failures.append("boot %s round %d: status %s, AFTERBURN-DONE %s"
                                % (m, i, r["status"], r["done"]))
        for i, r in enumerate(disk[m], 1):
            if not (r["done"] and r["disk_ok"] and r["disk_file_ok"]) or r["status"] != 0:
                failures.append("disk %s round %d: status %s, the disk test %s, the file %s"
                                % (m, i, r["status"], r["disk_ok"], r["disk_file_ok"]))
        for i, g in enumerate(guest[m], 1):
            if g["status"] != 1 or not g["bench"]:
                failures.append("guest %s round %d: status %s" % (m, i, g["status"]))

    keys = ["host_init_s", "host_done_s", "init_s", "end_s", "wall_s", "exits", "monitor_exits", "injected",
            "workload_syscall_ns", "workload_forkexec_us", "workload_write_ns"]
    dkeys = ["exits", "disk_path_exits", "console_path_exits", "disk_write_mbs", "disk_read_mbs",
             "disk_mib"]
    lsum = {m: summarize(linux[m], keys) for m in modes}
    for m in modes:
        d = summarize(disk[m], dkeys)
        lsum[m].update({("disk_run_exits" if k == "exits" else k): v for k, v in d.items()})
    reasons = {}
    for m in modes:
        names = set()
        for r in linux[m]:
            names |= set((r.get("exit_reasons") or {}).keys())
        reasons[m] = {n: med([(r.get("exit_reasons") or {}).get(n, 0) for r in linux[m]])
                      for n in sorted(names)}
    names = list(guest[modes[0]][0]["bench"]) if have_guest else []
    gsum = {m: {n: med([g["bench"].get(n, {}).get("median") for g in guest[m]]) for n in names}
            for m in modes}

    print("\nLinux 6.1 (afterburned vmlinux, test initramfs), median of %d rounds" % rounds)
    labels = [("host_init_s", "boot to /init (s, from run start)"),
              ("host_done_s", "to AFTERBURN-DONE (s, same)"),
              ("init_s", "kernel to /init (s, guest clock)"), ("end_s", "to the reset (s, guest)"),
              ("wall_s", "run (s, host)"), ("exits", "VM exits, all reasons"),
              ("monitor_exits", "exits reaching the monitor"), ("injected", "interrupts injected"),
              ("workload_syscall_ns", "getppid (ns)"), ("workload_forkexec_us", "fork+exec (us)"),
              ("workload_write_ns", "console write, 1 byte (ns)")]
    if have_disk:
        labels += [("disk_mib", "disk test: MiB written, read"),
                   ("disk_write_mbs", "disk write (MB/s)"), ("disk_read_mbs", "disk read (MB/s)"),
                   ("disk_run_exits", "VM exits, boot + disk test"),
                   ("disk_path_exits", "exits on the disk path"),
                   ("console_path_exits", "exits on the console path")]
    print("%-32s" % "" + "".join(m.rjust(12) for m in modes))
    for k, label in labels:
        print("%-32s" % label + "".join(fmt(lsum[m][k]) for m in modes))
    print("\nVM exits by reason (tracefs), median")
    allr = sorted({n for m in modes for n in reasons[m]},
                  key=lambda n: -max(reasons[m].get(n, 0) for m in modes))
    for n in allr[:12]:
        print("%-32s" % n + "".join(fmt(reasons[m].get(n)) for m in modes))
    if have_guest:
        print("\nTest guest, cycles per operation (median of each round's median)")
        print("%-32s" % "" + "".join(m.rjust(12) for m in modes) +
              "".join(("full/" + m).rjust(14) for m in modes if m != "full"))
    for n in names:
        row = "%-32s" % n + "".join(fmt(gsum[m][n]) for m in modes)
        if "full" in modes:
            row += "".join(("%13.1fx" % (gsum["full"][n] / gsum[m][n])) if gsum[m][n] and gsum["full"][n]
                           and gsum[m][n] > 0 else "-".rjust(14) for m in modes if m != "full")
        print(row)

    targets = {}
    if "full" in modes and "previrt" in modes:
        f, p = lsum["full"], lsum["previrt"]
        targets["previrt_exit_share"] = {"value": ratio(p["exits"], f["exits"]), "max": 0.05}
        targets["previrt_boot_time_ratio"] = {
            "value": ratio(p["host_init_s"], f["host_init_s"]), "max": 0.5,
            "note": "time from `previrt run` to the /init marker: monitor, wedge and kernel"}
        targets["previrt_run_time_ratio"] = {"value": ratio(p["host_done_s"], f["host_done_s"])}
        for n in ("cpuid-0", "uart-lsr") if have_guest else ():
            targets["previrt_" + n + "_speedup"] = {
                "value": ratio(gsum["full"].get(n), gsum["previrt"].get(n)), "min": 100}
        user_cpuid = reasons["previrt"].get("cpuid", 0)
        if p["exits"] and f["exits"]:
            targets["previrt_exit_share_without_cpuid"] = {
                "value": ratio(p["exits"] - user_cpuid, f["exits"] - reasons["full"].get("cpuid", 0)),
                "note": "cpuid exits of the guest's user programs (glibc at every exec) are "
                        "the same in both modes: SVM intercepts cpuid, the wedge sees only "
                        "the kernel's"}
    exit_ns = re.search(r"op=out \S+ ns_per_op=([0-9.]+)", read(os.path.join(outdir, "exit.out")))
    ring_ns = re.search(r"ring round trip: \d+ ticks, (\d+) ns", read(os.path.join(outdir, "ring.out")))
    if exit_ns and ring_ns:
        e, r = float(exit_ns.group(1)), float(ring_ns.group(1))
        print("\nring round trip %.0f ns, an exit (out to the monitor and back) %.0f ns" % (r, e))
        targets["splitcore_round_trip_vs_exit"] = {"value": ratio(e, r), "min": 100,
                                                   "ring_ns": r, "exit_ns": e}
    if "full" in modes and "splitcore" in modes and have_disk:
        f, s = lsum["full"], lsum["splitcore"]
        targets["splitcore_disk_path_exits"] = {"value": s["disk_path_exits"], "max": 0}
        targets["splitcore_console_path_exits"] = {"value": s["console_path_exits"], "max": 0}
        targets["splitcore_disk_write_speedup"] = {
            "value": ratio(s["disk_write_mbs"], f["disk_write_mbs"]), "min": 10}
        targets["splitcore_disk_read_speedup"] = {
            "value": ratio(s["disk_read_mbs"], f["disk_read_mbs"]), "min": 10}
    for t in targets.values():
        v = t["value"]
        t["met"] = None if v is None else (("max" not in t or v <= t["max"]) and
                                           ("min" not in t or v >= t["min"]))
    print("\nTargets")
    for k, t in targets.items():
        bound = ("<= %s" % t["max"]) if "max" in t else (">= %s" % t["min"]) if "min" in t else ""
        met = {True: "met", False: "NOT met", None: "-"}[t["met"]] if bound else ""
        print("%-40s %10s  %-8s %s" % (k, t["value"], bound, met))

    for m in modes:
        for r in linux[m] + disk[m]:
            r.pop("exit_reasons_raw", None)
    doc = {"bench": "kvm-modes", "platform": "kvm-host (kvm_amd, nested=1 npt=1, inside "
           "qemu-system-x86_64 -accel tcg,thread=multi -smp 2 -cpu EPYC,+svm)",
           "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "rounds": rounds,
           "modes": modes, "previrt_info": info.strip().splitlines(),
           "linux": {m: {"median": lsum[m], "exit_reasons_median": reasons[m],
                         "boot_runs": linux[m], "disk_runs": disk[m]} for m in modes},
           "guest_bench_cycles_median": gsum, "targets": targets, "failures": failures}
    with open(results + ".tmp", "w") as f:
        json.dump(doc, f, indent=1)
    os.replace(results + ".tmp", results)
    print("\nresults: %s" % results)
    if failures:
        print("kvm-modes: failures:\n  " + "\n  ".join(failures), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
