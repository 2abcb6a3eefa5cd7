#!/usr/bin/env bash
# make demo: build and install the extension, bring up the demo cluster
# (.cluster/demo, stays up until `make demo-stop`) and show the catalogue.
set -euo pipefail
cd "$(dirname "$0")/.."
DEMO=.cluster/demo
DB=kennisbouwstenen

make --no-print-directory all >/dev/null
make --no-print-directory install >/dev/null
bash scripts/cluster.sh start "$DEMO"
# shellcheck disable=SC1091
. "$DEMO/env"
PSQL=(psql -X -v ON_ERROR_STOP=1 -q)
"${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" 2>/dev/null
"${PSQL[@]}" -d "$DB" -c "CREATE EXTENSION kennisbouwstenen"

echo
echo "Het karrenwiel van de Kennisbouwstenen (kbs.wheel):"
"${PSQL[@]}" -d "$DB" -t -A -F '' <<'SQL'
SELECT CASE WHEN lag(ring) OVER w IS DISTINCT FROM ring
            THEN E'\n' || ring_position || '. ' || upper(ring_name) || E'\n' ELSE '' END
       || CASE WHEN ring IN ('general', 'specific') THEN format('   %s %s', domain_position, domain_name)
               ELSE format('   - %s', block_name) END
       || format('  [%s, id %s]', block_code, block_id)
  FROM kbs.wheel
 WHERE NOT retired
WINDOW w AS (ORDER BY wheel_order)
 ORDER BY wheel_order;
SQL
echo
echo "De beoordelingsschaal (kbs.scale_labels):"
"${PSQL[@]}" -d "$DB" -c "SELECT code, label, anchor FROM kbs.scale_labels ORDER BY position"
cat <<MSG

Demo-cluster draait (stoppen: make demo-stop). Verbinden:
  psql -h $PGHOST -p $PGPORT -U postgres $DB
MSG
