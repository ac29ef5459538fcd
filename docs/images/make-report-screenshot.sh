#!/usr/bin/env bash
# Remake docs/images/report.png: the HTML report of the examples' sample
# journal, as someone who keeps up with their reminders would see it on
# Wednesday 25 November 2026. Needs coachflow installed and Debian's chromium.
set -euo pipefail
cd "$(dirname "$0")/../.."

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export COACHFLOW_NOW=2026-11-25T17:30
journal="$work/journal.sqlite3"

coachflow import examples/journal/events.jsonl --run --journal "$journal" >/dev/null
# Reminders and tasks due before this week were dealt with at the time.
ids=$(coachflow due --format json --journal "$journal" | python3 -c '
import json, sys
print(" ".join(str(a["id"]) for a in json.load(sys.stdin) if a["due"] < "2026-11-23"))')
if [ -n "$ids" ]; then
    # shellcheck disable=SC2086
    coachflow done $ids --journal "$journal" >/dev/null
fi
coachflow report --journal "$journal" -o "$work/report.html" >/dev/null

chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/profile" --hide-scrollbars --force-device-scale-factor=1 \
    --window-size="${WIDTH:-1000},${HEIGHT:-1430}" \
    --screenshot="$PWD/docs/images/report.png" "file://$work/report.html" 2>/dev/null
echo "Wrote docs/images/report.png"
