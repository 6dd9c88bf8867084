#!/usr/bin/env bash
# `znssim lspci`: --dump prints the config space as `lspci -xxxx` does (header line, 256 lines of
# 16 bytes, the configured IDs); the default decodes it with the system's lspci (pciutils) as a
# real device; --slot is validated; a missing lspci is one clear error naming pciutils.
# Env: ZNSSIM_BIN (the znssim binary), ZNSSIM_SRC (repository root).
set -uo pipefail
bin="$(realpath "${ZNSSIM_BIN:?set ZNSSIM_BIN}")"
src="${ZNSSIM_SRC:?set ZNSSIM_SRC}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
expect_in() { # text pattern description
    grep -qE -- "$2" <<<"$1" || fail "$3: expected /$2/ in:"$'\n'"$1"
}
# One line "znssim: error: <pattern>" on stderr, nothing on stdout, status 2.
expect_usage_error() { # pattern description command...
    local pattern="$1" what="$2"
    shift 2
    "$@" >"$work/out" 2>"$work/err"
    local rc=$?
    [ $rc -eq 2 ] || fail "$what exited $rc (want 2)"
    [ "$(wc -l <"$work/err")" -eq 1 ] || fail "$what: want one stderr line, got: $(cat "$work/err")"
    grep -qE -- "^znssim: error: $pattern" "$work/err" ||
        fail "$what: want /znssim: error: $pattern/, got: $(cat "$work/err")"
    [ ! -s "$work/out" ] || fail "$what printed to stdout: $(cat "$work/out")"
}

# 1. --dump: the lspci -xxxx layout with the configured vendor/device/class bytes.
cat >"$work/ids.yaml" <<'YAML'
controller: {vendor_id: 0x144d, device_id: 0xa80a, subsystem_vendor_id: 0x144d,
             subsystem_id: 0xa801, revision: 0x02}
namespaces:
  - {nsid: 1, image: ids.img, capacity: 1 MiB}
YAML
"$bin" lspci --config "$work/ids.yaml" --dump --slot 0000:3a:00.0 >"$work/dump" 2>&1 ||
    fail "lspci --dump failed: $(cat "$work/dump")"
dump="$(cat "$work/dump")"
head -n1 <<<"$dump" | grep -qE '^3a:00\.0 Non-Volatile memory controller: ' ||
    fail "dump header: $(head -n1 <<<"$dump")"
rows="$(sed -n '2,$p' <<<"$dump" | grep -cE '^[0-9a-f]{2,3}: ([0-9a-f]{2} ){15}[0-9a-f]{2}$')"
[ "$rows" -eq 256 ] || fail "dump has $rows rows of 16 bytes (want 256)"
[ "$(sed -n 2p <<<"$dump")" = "00: 4d 14 0a a8 00 00 10 00 02 02 08 01 00 00 00 00" ] ||
    fail "dump row 00 (vendor 144d, device a80a, rev 02, class 010802): $(sed -n 2p <<<"$dump")"
expect_in "$(sed -n 4p <<<"$dump")" "^20: .* 4d 14 01 a8$" "dump subsystem IDs at 2c"
[ "$(sed -n 257p "$work/dump")" = "ff0: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00" ] ||
    fail "dump ends at ff0: $(sed -n 257p "$work/dump")"
# Like lspci -x, an empty line ends the device.
[ "$(wc -l <"$work/dump")" -eq 258 ] && [ -z "$(sed -n 258p "$work/dump")" ] ||
    fail "dump is not header + 256 rows + an empty line"
# pciutils reads it back (lspci -F) as the same function at the same slot.
if command -v lspci >/dev/null; then
    expect_in "$(lspci -F "$work/dump" -n 2>&1)" "^3a:00\.0 0108: 144d:a80a \(rev 02\)$" \
        "lspci -F of the dump"
    # The header line is the one lspci -x prints for that config space.
    [ "$(lspci -F "$work/dump" 2>/dev/null)" = "$(head -n1 "$work/dump")" ] ||
        fail "dump header '$(head -n1 "$work/dump")' is not lspci's '$(lspci -F "$work/dump")'"
fi

# 2. The default: the system's lspci decodes the dump (skipped without pciutils, which
# scripts/install-deps.sh installs).
if command -v lspci >/dev/null || [ -x /usr/sbin/lspci ] || [ -x /sbin/lspci ]; then
    out="$("$bin" lspci --config "$src/configs/default.yaml" 2>"$work/err")"
    [ $? -eq 0 ] || fail "lspci failed: $out $(cat "$work/err")"
    expect_in "$out" "^00:00\.0 Non-Volatile memory controller: .*\(prog-if 02 \[NVM Express\]\)" \
        "lspci header"
    expect_in "$out" $'^\tCapabilities: \\[40\\] Power Management version 3' "lspci PM"
    expect_in "$out" $'^\tCapabilities: \\[50\\] MSI-X: Enable- Count=65 Masked-' "lspci MSI-X"
    expect_in "$out" $'^\t\tVector table: BAR=0 offset=00002000' "lspci MSI-X table"
    expect_in "$out" $'^\tCapabilities: \\[60\\] Express \\(v2\\) Endpoint, MSI 00' "lspci Express"
    expect_in "$out" $'^\t\tLnkCap:\tPort #0, Speed 8GT/s, Width x4' "lspci LnkCap"
    out="$("$bin" lspci --config "$work/ids.yaml" --slot 01:00.0 -n 2>/dev/null)"
    expect_in "$out" "^01:00\.0 Non-Volatile memory controller \[0108\]: .*\[144d:a80a\] \(rev 02\)" \
        "lspci -nn header"
    out="$("$bin" lspci --config "$src/configs/qemu.yaml" 2>/dev/null)"
    expect_in "$out" "Non-Volatile memory controller" "qemu.yaml lspci"
    grep -q "MSI-X" <<<"$out" && fail "qemu.yaml must not advertise MSI-X"
else
    echo "SKIP: no lspci (pciutils) on this machine; only --dump tested"
fi

# 2b. identity_from_host copies a host device's IDs into the dump (when the host shows any).
host="$(ls /sys/bus/pci/devices 2>/dev/null | sort | head -n1)"
if [ -n "$host" ]; then
    printf 'controller: {identity_from_host: "%s"}\nnamespaces:\n  - {nsid: 1, image: h.img, capacity: 1 MiB}\n' \
        "$host" >"$work/host.yaml"
    ven="$(cat "/sys/bus/pci/devices/$host/vendor")" dev="$(cat "/sys/bus/pci/devices/$host/device")"
    want="00: ${ven:4:2} ${ven:2:2} ${dev:4:2} ${dev:2:2} "
    out="$("$bin" lspci --config "$work/host.yaml" --dump 2>&1)"
    [ $? -eq 0 ] || fail "identity_from_host $host: $out"
    [ "$(sed -n 2p <<<"$out" | cut -c1-16)" = "$want" ] ||
        fail "identity_from_host $host ($ven:$dev): $(sed -n 2p <<<"$out")"
else
    echo "SKIP: no host PCI devices visible; identity_from_host not tested"
fi

# 3. Without pciutils: one line naming the package, status 2 (--dump still works).
expect_usage_error "lspci not found: install the Debian package pciutils" "lspci without pciutils" \
    env PATH="$work/empty" "$bin" lspci --config "$src/configs/default.yaml"
env PATH="$work/empty" "$bin" lspci --config "$src/configs/default.yaml" --dump >/dev/null ||
    fail "lspci --dump needs no pciutils"
expect_usage_error "ZNSSIM_LSPCI='$work/none' is not an executable lspci" "bad ZNSSIM_LSPCI" \
    env ZNSSIM_LSPCI="$work/none" "$bin" lspci --config "$src/configs/default.yaml"

# 4. --slot accepts [DDDD:]BB:DD.F in hex and nothing else.
for good in 00:00.0 3a:1f.7 3A:1F.7 0001:ff:00.0; do
    "$bin" lspci --config "$src/configs/default.yaml" --dump --slot "$good" >/dev/null 2>&1 ||
        fail "--slot $good refused"
done
for bad in garbage "" 00:20.0 00:1f.8 100:00.0 0:00.0 00:00 00-00.0 00:00.0x 00000:00:00.0 \
    "00:00.0 "; do
    expect_usage_error "--slot: '$bad' is not a PCI address" "--slot '$bad'" \
        "$bin" lspci --config "$src/configs/default.yaml" --dump --slot "$bad"
done
# The slot is checked before the config is read.
expect_usage_error "--slot: 'zz' is not a PCI address" "--slot before --config" \
    "$bin" lspci --config "$work/missing.yaml" --slot zz

if [ $failures -ne 0 ]; then
    echo "$failures failure(s)"
    exit 1
fi
echo "lspci tests passed"
