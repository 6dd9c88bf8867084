#!/usr/bin/env bash
# Fails when a tracked C++ file differs from the project's .clang-format (Debian's clang-format,
# version 14 on bookworm). Prints the files and the one command that fixes them.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
format="${CLANG_FORMAT:-clang-format}"
if ! command -v "$format" >/dev/null; then
    echo "check-format: $format not found (scripts/install-deps.sh installs it)" >&2
    exit 1
fi
mapfile -t files < <(git ls-files '*.h' '*.cpp' 2>/dev/null || find . -name '*.h' -o -name '*.cpp')
bad=()
for f in "${files[@]}"; do
    [ -f "$f" ] || continue
    "$format" --dry-run -Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
if [ ${#bad[@]} -gt 0 ]; then
    echo "check-format: ${#bad[@]} file(s) differ from .clang-format:" >&2
    printf '  %s\n' "${bad[@]}" >&2
    echo "fix with: git ls-files '*.h' '*.cpp' | xargs $format -i" >&2
    exit 1
fi
