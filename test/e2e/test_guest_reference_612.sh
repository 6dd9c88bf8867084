#!/usr/bin/env bash
# CTest e2e/test_guest_reference_612: e2e/test_guest_reference with Debian trixie's Linux 6.12
# cloud kernel: validates the guest checks on 6.12 against QEMU's own ZNS device.
set -euo pipefail
exec bash "$(dirname "$0")/run_guest.sh" --mode reference --kernel trixie "$@"
