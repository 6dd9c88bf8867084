"""znssim plot: PNG images from the files `znssim run --out DIR` wrote.

  latency-cdf.png   latency distribution of each I/O command kind (log-scale CDF); reads
                    that overlapped a zone reset or finish are shown on their own
  throughput.png    read and write throughput over simulated time, zone resets/finishes shaded
  zone-limits.png   open and active zones over time against the namespace's limits
  zone-heatmap.png  zones by time, coloured by zone state (zones that changed, per namespace)

Reads commands.csv, zones.csv and limits.csv; needs python3 with matplotlib and numpy.
"""
import argparse
import csv
import os
import sys

try:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.colors import BoundaryNorm, ListedColormap
    from matplotlib.patches import Patch
except ImportError as missing:
    sys.stderr.write("znssim plot: error: %s (Debian: apt-get install python3-matplotlib)\n" %
                     missing)
    sys.exit(3)

STATES = ["empty", "implicitly-open", "explicitly-open", "closed", "full", "read-only",
          "offline"]
COLOURS = ["#f0f0f0", "#f4a259", "#d1495b", "#5b8ec9", "#61a65a", "#9b6fb5", "#303030"]
WIDTH, HEIGHT, DPI = 12.0, 6.0, 100  # 1200 x 600 pixels


def fail(message):
    sys.stderr.write("znssim plot: error: %s\n" % message)
    sys.exit(1)


def read_csv(path, required):
    if not os.path.exists(path):
        if required:
            fail("%s is missing (written by `znssim run --out DIR`)" % path)
        return None
    with open(path, newline="") as f:
        rows = csv.DictReader(f)
        data = {name: [] for name in rows.fieldnames or []}
        for row in rows:
            for k, v in row.items():
                data[k].append(v)
    return data


def floats(values):
    return np.array([float(v) if v != "" else np.nan for v in values], dtype=float)


def figure(title):
    fig, ax = plt.subplots(figsize=(WIDTH, HEIGHT), dpi=DPI)
    ax.set_title(title)
    return fig, ax


def save(fig, path):
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    print("znssim plot: wrote %s" % path)


def zone_action_intervals(cmd):
    """[start, end) of every zone reset and finish command, merged."""
    ops = cmd["op"]
    keep = [i for i, o in enumerate(ops) if o.startswith("zone reset") or
            o.startswith("zone finish")]
    if not keep:
        return np.zeros((0, 2))
    start = floats(cmd["fetched_s"])[keep]
    end = floats(cmd["completed_s"])[keep]
    order = np.argsort(start)
    merged = []
    for s, e in zip(start[order], end[order]):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return np.array(merged)


def overlaps(start, end, intervals):
    """For each [start, end): does it overlap one of the (sorted, disjoint) intervals?"""
    if len(intervals) == 0:
        return np.zeros(len(start), dtype=bool)
    # the last interval starting before 'end' must end after 'start'
    k = np.searchsorted(intervals[:, 0], end, side="left") - 1
    ok = k >= 0
    result = np.zeros(len(start), dtype=bool)
    result[ok] = intervals[k[ok], 1] > start[ok]
    return result


def plot_latency(cmd, out):
    fig, ax = figure("Command latency (submission to completion)")
    sqid = np.array([int(v) for v in cmd["sqid"]])
    status = np.array(cmd["status"])
    ops = np.array(cmd["op"])
    latency = floats(cmd["latency_us"])
    io = (sqid != 0) & (status == "0x0")
    actions = zone_action_intervals(cmd)
    during = overlaps(floats(cmd["submitted_s"]), floats(cmd["completed_s"]), actions)
    groups, left_out = [], []
    for op in sorted(set(ops[io])):
        sel = io & (ops == op)
        if sel.sum() < 2:  # a single command is not a distribution
            left_out.append(op)
        elif op == "read" and during[sel].any():
            groups.append(("read", sel & ~during))
            groups.append(("read during a zone reset/finish", sel & during))
        else:
            groups.append((op, sel))
    if left_out:
        ax.set_title("Command latency (submission to completion); one command only, not shown: " +
                     ", ".join(left_out), fontsize="medium")
    for name, sel in groups:
        values = np.sort(latency[sel])
        if len(values) == 0:
            continue
        y = np.arange(1, len(values) + 1) / len(values)
        ax.step(values, y, where="post",
                label="%s (%d, p50 %.1f us, p99 %.1f us)" %
                (name, len(values), np.percentile(values, 50), np.percentile(values, 99)))
    ax.set_xscale("log")
    ax.set_xlabel("latency (us, log scale)")
    ax.set_ylabel("fraction of commands completed within")
    ax.set_ylim(0, 1.02)
    ax.grid(True, which="both", alpha=0.3)
    if groups:
        ax.legend(loc="lower right", fontsize="small")
    save(fig, os.path.join(out, "latency-cdf.png"))


def plot_throughput(cmd, out, bins):
    fig, ax = figure("Throughput over simulated time")
    done = floats(cmd["completed_s"])
    nbytes = floats(cmd["bytes"])
    ops = np.array(cmd["op"])
    end = np.nanmax(done) if len(done) else 1.0
    edges = np.linspace(0.0, end if end > 0 else 1.0, bins + 1)
    width = edges[1] - edges[0]
    for name, sel in (("read", ops == "read"),
                      ("write", (ops == "write") | (ops == "append"))):
        if not sel.any():
            continue
        total, _ = np.histogram(done[sel], bins=edges, weights=nbytes[sel])
        ax.plot(edges[:-1] + width / 2, total / width / 1e6, label=name + " (MB/s)")
    for s, e in zone_action_intervals(cmd):
        ax.axvspan(s, e, color="#d1495b", alpha=0.15, lw=0)
    ax.plot([], [], color="#d1495b", alpha=0.3, lw=8, label="zone reset / finish in progress")
    ax.set_xlabel("simulated time (s)")
    ax.set_ylabel("MB/s")
    ax.set_xlim(0, edges[-1])
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper right", fontsize="small")
    save(fig, os.path.join(out, "throughput.png"))


def plot_limits(limits, out):
    fig, ax = figure("Open and active zones against the limits")
    nsids = sorted(set(limits["nsid"]), key=int)
    t = floats(limits["time_s"])
    for nsid in nsids:
        sel = np.array(limits["nsid"]) == nsid
        for key, style in (("open", "-"), ("active", "--")):
            ax.step(t[sel], floats(limits[key])[sel], where="post", ls=style,
                    label="ns %s %s zones" % (nsid, key))
        max_open = floats(limits["max_open"])[sel][0]
        max_active = floats(limits["max_active"])[sel][0]
        if max_open > 0 and max_open == max_active:
            ax.axhline(max_open, color="#d1495b", ls=":", lw=2,
                       label="ns %s max_open = max_active = %d" % (nsid, max_open))
        else:
            for name, limit, colour in (("max_open", max_open, "#d1495b"),
                                        ("max_active", max_active, "#5b8ec9")):
                if limit > 0:
                    ax.axhline(limit, color=colour, ls=":", lw=2,
                               label="ns %s %s = %d" % (nsid, name, limit))
    ax.set_xlabel("simulated time (s)")
    ax.set_ylabel("zones")
    ax.set_xlim(0, max(np.nanmax(t), 1e-9))
    ax.set_ylim(0, max(np.nanmax(floats(limits["max_open"])),
                       np.nanmax(floats(limits["active"]))) * 1.15 + 1)
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper right", fontsize="small")
    save(fig, os.path.join(out, "zone-limits.png"))


def plot_heatmap(zones, limits, out, bins):
    end = float(np.nanmax(floats(limits["time_s"])))
    end = end if end > 0 else 1.0
    index = {s: i for i, s in enumerate(STATES)}
    events = {}
    for i in range(len(zones["time_s"])):
        if zones["to"][i] not in index or zones["event"][i].endswith("recommended"):
            continue
        key = (int(zones["nsid"][i]), int(zones["zone"][i]))
        events.setdefault(key, []).append((float(zones["time_s"][i]), index[zones["to"][i]]))
    nsids = sorted(set(n for n, _ in events)) or [None]
    fig, axes = plt.subplots(len(nsids), 1, figsize=(WIDTH, HEIGHT), dpi=DPI, squeeze=False)
    cmap = ListedColormap(COLOURS)
    norm = BoundaryNorm(np.arange(len(STATES) + 1) - 0.5, len(STATES))
    centres = (np.arange(bins) + 0.5) * end / bins
    for ax, nsid in zip(axes[:, 0], nsids):
        ax.set_title("Zone states over time" + (" (ns %d)" % nsid if nsid else ""))
        touched = sorted(z for n, z in events if n == nsid)
        if not touched:
            ax.text(0.5, 0.5, "no zone changed state", ha="center", transform=ax.transAxes)
            continue
        # Every zone between the first and the last that changed, so gaps read as gaps.
        first, last = touched[0], touched[-1]
        grid = np.zeros((last - first + 1, bins))
        for z in range(first, last + 1):
            for when, state in sorted(events.get((nsid, z), [])):
                grid[z - first, centres >= when] = state
        ax.pcolormesh(np.linspace(0, end, bins + 1), np.arange(first, last + 2) - 0.5, grid,
                      cmap=cmap, norm=norm, shading="flat")
        ax.set_ylabel("zone")
        ax.set_ylim(last + 0.5, first - 0.5)
        if last - first < 40:
            ax.set_yticks(range(first, last + 1, 1 if last - first < 20 else 2))
    axes[-1, 0].set_xlabel("simulated time (s)")
    fig.legend(handles=[Patch(color=c, label=s) for s, c in zip(STATES, COLOURS)],
               loc="lower center", ncol=len(STATES), fontsize="small")
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    fig.savefig(os.path.join(out, "zone-heatmap.png"), dpi=DPI)
    plt.close(fig)
    print("znssim plot: wrote %s" % os.path.join(out, "zone-heatmap.png"))


def main(argv):
    parser = argparse.ArgumentParser(prog="znssim plot", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dir", help="a `znssim run --out` directory")
    parser.add_argument("--out", help="where the PNGs go (default: DIR)")
    parser.add_argument("--bins", type=int, default=600, help="time bins (default 600)")
    args = parser.parse_args(argv)
    if not os.path.isdir(args.dir):
        fail("%s is not a directory" % args.dir)
    out = args.out or args.dir
    os.makedirs(out, exist_ok=True)
    bins = max(10, min(args.bins, 10000))
    limits = read_csv(os.path.join(args.dir, "limits.csv"), True)
    zones = read_csv(os.path.join(args.dir, "zones.csv"), True)
    cmd = read_csv(os.path.join(args.dir, "commands.csv"), False)
    if cmd is not None and cmd.get("op"):
        plot_latency(cmd, out)
        plot_throughput(cmd, out, bins // 3)
    else:
        print("znssim plot: no commands.csv: latency and throughput plots skipped")
    plot_limits(limits, out)
    plot_heatmap(zones, limits, out, bins)


if __name__ == "__main__":
    main(sys.argv[1:])
