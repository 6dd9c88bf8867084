#!/usr/bin/env bash
# CTest e2e/test_guest_reference: the guest checks against QEMU's own emulated ZNS device.
# This validates the harness (initramfs, guest checks, result parsing) independently of the
# model; the only expected failure is `nvme zns changed-zone-list` (QEMU 7.2 lacks log BFh) and
# the persistence checks run as an in-boot self-test. See docs/qemu.md "End-to-end test".
set -euo pipefail
exec bash "$(dirname "$0")/run_guest.sh" --mode reference "$@"
