#!/usr/bin/env bash
# The zone-timing outputs of `znssim run --out DIR`: the CSV files and trace.json are written,
# the four plots are real images (decoded by matplotlib: 1200x600 pixels, not blank), `znssim
# plot` redraws them from the files alone (into another directory too), --no-plots draws none,
# and a directory that is not a run's output is a clear error.
# Env: ZNSSIM_BIN (the znssim binary), ZNSSIM_SRC (repository root).
set -uo pipefail
bin="$(realpath "${ZNSSIM_BIN:?set ZNSSIM_BIN}")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
python="${ZNSSIM_PYTHON:-/usr/bin/python3}"
if ! "$python" -c 'import matplotlib' 2>/dev/null; then
    echo "FAIL: $python has no matplotlib (scripts/install-deps.sh installs python3-matplotlib)"
    exit 1
fi
plots="latency-cdf.png throughput.png zone-limits.png zone-heatmap.png"

cat >"$work/timed.yaml" <<'YAML'
namespaces:
  - nsid: 1
    image: images/zns.img
    type: zoned
    zoned: {zone_size: 4 MiB, zones: 16, max_open: 3, max_active: 4}
platform: {timing: timed}
logging: {level: warn}
workload: job.yaml
YAML
cat >"$work/job.yaml" <<'YAML'
name: plot
steps:
  - write:  {nsid: 1, zone: first_empty, zones: 4, block: 64 KiB, queue_depth: 4}
  - append: {nsid: 1, zone: first_empty, blocks: 16, block: 16 KiB}
  - close:  {nsid: 1, zone: first_open}
  - finish: {nsid: 1, zone: first_closed}
  - random: {nsid: 1, commands: 500, queue_depth: 8, read_percent: 100}
  - reset:  {nsid: 1, zone: first_full}
YAML

# 1. A run with --out writes the files and draws the plots.
out="$("$bin" run --config "$work/timed.yaml" --out "$work/out" 2>&1)"
rc=$?
[ $rc -eq 0 ] || fail "run --out exited $rc: $out"
for f in zones.csv commands.csv limits.csv zone-residency.csv trace.json $plots; do
    [ -s "$work/out/$f" ] || fail "run --out: $f missing or empty"
done
grep -q "zone activity, ns 1" <<<"$out" || fail "no zone activity in the summary: $out"

check_images() { # dir: each plot decodes to 1200x600 and is not one flat colour
    "$python" - "$1" $plots <<'PY' || fail "images in $1"
import sys
import matplotlib.image as mpimg
d = sys.argv[1]
bad = 0
for name in sys.argv[2:]:
    img = mpimg.imread(f"{d}/{name}")
    h, w = img.shape[:2]
    if (w, h) != (1200, 600):
        print(f"{name}: {w}x{h}, expected 1200x600"); bad += 1
    if img[..., :3].std() < 0.02:
        print(f"{name}: blank (pixel std {img[..., :3].std():.4f})"); bad += 1
    # Something besides the white background and the axes: at least 0.3% coloured pixels (lines are thin).
    rgb = img[..., :3]
    coloured = ((rgb.max(axis=2) - rgb.min(axis=2)) > 0.15).mean()
    if coloured < 0.003:
        print(f"{name}: only {coloured:.2%} coloured pixels"); bad += 1
sys.exit(1 if bad else 0)
PY
}
check_images "$work/out"

# 2. znssim plot redraws them from the files (into DIR, or into --out).
rm -f "$work"/out/*.png
out="$("$bin" plot "$work/out" 2>&1)" || fail "plot DIR failed: $out"
check_images "$work/out"
out="$("$bin" plot "$work/out" --out "$work/again" --bins 100 2>&1)" ||
    fail "plot --out failed: $out"
check_images "$work/again"

# 3. --no-plots: the files, no images.
out="$("$bin" run --config "$work/timed.yaml" --out "$work/quiet" --no-plots 2>&1)" ||
    fail "run --no-plots failed: $out"
[ -s "$work/quiet/zones.csv" ] || fail "--no-plots: zones.csv missing"
ls "$work/quiet"/*.png >/dev/null 2>&1 && fail "--no-plots drew images"

# 4. A directory that is not a run's output: an error naming what is missing, exit 1.
mkdir -p "$work/empty"
out="$("$bin" plot "$work/empty" 2>&1)"
rc=$?
[ $rc -ne 0 ] || fail "plot of an empty directory succeeded"
grep -qE "error: .*(limits|zones|commands).csv" <<<"$out" ||
    fail "plot of an empty directory: no error naming the missing file: $out"
out="$("$bin" plot "$work/nonexistent" 2>&1)"
[ $? -ne 0 ] || fail "plot of a missing directory succeeded"

if [ $failures -gt 0 ]; then
    echo "plot: $failures failure(s)"
    exit 1
fi
echo "plot: all checks passed"
