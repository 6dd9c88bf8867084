#!/usr/bin/env bash
# README.md's CLI reference cannot drift from the command: every option each subcommand's --help
# lists is named in that subcommand's README section, every option a section names exists, and
# every subcommand has a section.
# Env: ZNSSIM_BIN (the znssim binary), ZNSSIM_SRC (repository root).
set -uo pipefail
bin="$(realpath "${ZNSSIM_BIN:?set ZNSSIM_BIN}")"
readme="${ZNSSIM_SRC:?set ZNSSIM_SRC}/README.md"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# The subcommands, from `znssim --help` (lines "  name  description" under SUBCOMMANDS).
subs=$("$bin" --help | awk '/^Subcommands:|^SUBCOMMANDS:/ {on = 1; next} on && /^  [a-z]/ {print $1}')
[ -n "$subs" ] || fail "no subcommands in znssim --help"
for sub in $subs; do
    # The README section: from "### `znssim <sub>" to the next heading.
    text=$(awk -v h="### \`znssim $sub" 'index($0, h) == 1 {on = 1; print; next}
        on && /^#/ {exit} on {print}' "$readme")
    if [ -z "$text" ]; then
        fail "README.md has no section for znssim $sub"
        continue
    fi
    help=$("$bin" "$sub" --help)
    for opt in $(grep -oE -- '(^|[ ,])--[a-z][a-z0-9-]*' <<<"$help" | tr -d ' ,' | sort -u); do
        [ "$opt" = --help ] && continue
        grep -qE -- "$opt([^a-z0-9-]|$)" <<<"$text" || fail "znssim $sub $opt is not in README.md's section"
    done
    # Options in code spans of the command itself (`--out DIR`, `znssim run --fio F`), not of
    # other tools the text mentions (`fio --output-format=json`).
    for opt in $(grep -oE -- '`[^`]*`' <<<"$text" | grep -E -- '^`(-|znssim )' |
        grep -oE -- '(^|[^a-z-])--[a-z][a-z0-9-]*' |
        grep -oE -- '--[a-z][a-z0-9-]*' | sort -u); do
        [ "$opt" = --help ] && continue
        grep -qE -- "(^|[ ,])$opt([ ,=]|$)" <<<"$help" ||
            fail "README.md's znssim $sub section names $opt, which znssim $sub --help does not list"
    done
done

if [ $failures -gt 0 ]; then
    echo "readme_cli: $failures failure(s)"
    exit 1
fi
echo "readme_cli: every option documented ($(wc -w <<<"$subs") subcommands)"
