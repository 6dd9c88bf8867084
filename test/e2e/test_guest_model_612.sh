#!/usr/bin/env bash
# CTest e2e/test_guest_model_612: e2e/test_guest_model with Debian trixie's Linux 6.12 cloud
# kernel (zone write plugging, parallel namespace scanning) instead of bookworm's 6.1; same
# bookworm userland, same checks, two boots.
exec bash "$(dirname "$0")/test_guest_model.sh" --kernel trixie "$@"
