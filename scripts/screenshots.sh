#!/usr/bin/env bash
# Renews docs/img/gemeente.png and docs/img/teamrapport.png (the README's screenshots) from the demo:
# run `make demo` first (it leaves the demo cluster running), then bash scripts/screenshots.sh.
# Haarlem's overview and the report of its team 12, on the latest peildatum, as an administrator.
set -euo pipefail
cd "$(dirname "$0")/.."
DEMO=.cluster/demo
[ -f "$DEMO/env" ] || { echo "screenshots: no demo cluster; run make demo first" >&2; exit 1; }
# shellcheck disable=SC1091
. "$DEMO/env"
make --no-print-directory dashboard >/dev/null
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
build/kbs-dashboard --dsn "dbname=kennisbouwstenen" --municipality GM0392 --team 12 --out "$OUT" --quiet
node scripts/screenshots.mjs "$OUT/gemeente-GM0392.html" "$OUT/team-12.html" docs/img
