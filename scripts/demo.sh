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
PSQL=(psql -X -v ON_ERROR_STOP=1 -q -U postgres)
"${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" 2>/dev/null
"${PSQL[@]}" -d "$DB" -c "CREATE EXTENSION kennisbouwstenen"
echo "Demodata laden (demo/generate.sql) ..."
start=$(date +%s)
"${PSQL[@]}" -d "$DB" -v scale=demo -f demo/generate.sql
echo "geladen in $(( $(date +%s) - start )) s"

echo
echo "Het karrenwiel van de Kennisbouwstenen (kbs.wheel):"
"${PSQL[@]}" -d "$DB" -t -A -F '' <<'SQL'
SELECT CASE WHEN lag(ring) OVER w IS DISTINCT FROM ring
            THEN E'\n' || ring_position || '. ' || upper(ring_name) || E'\n' ELSE '' END
       -- An aspect (a local refinement) is named by itself, under the block it refines.
       || CASE WHEN depth > 0 THEN format('%s   - aspect: %s', repeat('   ', depth), block_name)
               WHEN ring IN ('general', 'specific') THEN format('   %s %s', domain_position, domain_name)
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
echo
echo "Samenvatting per gemeente op de laatste peildatum:"
"${PSQL[@]}" -d "$DB" -t -A -F '' <<'SQL'
WITH last AS (SELECT municipality, max(peildatum) AS peildatum FROM kbs.assessment_round GROUP BY municipality),
dom AS (
    SELECT d.municipality_code, d.domain_position,
           format('   %-26s %s', d.domain_name || ':',
                  CASE WHEN d.fulfilment IS NULL THEN 'onderdrukt'
                       ELSE to_char(100 * d.fulfilment, 'FM990') || '% vervuld'
                            || format(' (%s van %s teams)', d.teams_included, d.teams) END) AS line
      FROM kbs.v_municipality_domain_trend d JOIN last l ON l.municipality = d.municipality_code AND l.peildatum = d.peildatum
     WHERE d.ring_code = 'specific'
), gap AS (
    -- Largest first, as the heading says: by shortfall (places), then importance.
    SELECT b.municipality_code, row_number() OVER (PARTITION BY b.municipality_code
                                                   ORDER BY b.shortfall DESC, b.importance DESC, b.team_name,
                                                            b.wheel_order) AS n,
           format('   %s. %s — %s: %s nodig op niveau %s, %s aanwezig (tekort %s)', 0, b.team_name, b.block_name,
                  b.required, b.min_level, b.present, b.shortfall) AS line
      FROM kbs.v_team_block_status b JOIN last l ON l.municipality = b.municipality_code AND l.peildatum = b.peildatum
     WHERE b.status_code = 'gap'
)
SELECT format(E'\n%s %s (peildatum %s)\n  Vervulling specifieke kennis per leefgebied:\n%s\n  Vijf grootste tekorten (meeste ontbrekende plaatsen eerst; status tekort, niet nog te beoordelen):\n%s',
              m.code, m.name, to_char(l.peildatum, 'DD-MM-YYYY'),
              (SELECT string_agg(line, E'\n' ORDER BY domain_position) FROM dom WHERE dom.municipality_code = m.code),
              coalesce((SELECT string_agg(regexp_replace(line, '^   0\.', '   ' || n || '.'), E'\n' ORDER BY n)
                          FROM gap WHERE gap.municipality_code = m.code AND n <= 5), '   geen tekorten'))
  FROM kbs.municipality m JOIN last l ON l.municipality = m.code
 ORDER BY m.code;
SQL

echo
echo "Dashboards maken (build/kbs-dashboard) ..."
make --no-print-directory dashboard >/dev/null
OUT=$(pwd)/dashboards/out
rm -rf "$OUT"
for code in $("${PSQL[@]}" -d "$DB" -t -A -c "SELECT code FROM kbs.municipality ORDER BY code"); do
    build/kbs-dashboard --dsn "dbname=$DB" --municipality "$code" --out "$OUT" --quiet
done
echo "Geschreven: $(find "$OUT" -name '*.html' | wc -l) pagina's in $OUT"
echo "Open in een browser (werkt zonder netwerk):"
for f in "$OUT"/gemeente-*.html; do echo "  file://$f"; done
echo "  en per team file://$OUT/team-<nummer>.html (gekoppeld vanuit het gemeenteoverzicht)"

# One team's assessment form, on the last round's peildatum.
peil=$("${PSQL[@]}" -d "$DB" -t -A -c "SELECT max(peildatum) FROM kbs.assessment_round WHERE municipality = 'GM0307'")
build/kbs form --dsn "dbname=$DB" --team 1 --date "$peil" --out "$OUT/formulieren" --quiet
echo "Beoordelingsformulier van team 1 (peildatum $peil): $OUT/formulieren/formulier-team-1.xlsx"

cat <<MSG

Demo-cluster draait (stoppen: make demo-stop). Verbinden:
  psql -h $PGHOST -p $PGPORT -U postgres $DB
Dashboard van één team opnieuw maken, bijvoorbeeld op een eerdere peildatum:
  build/kbs-dashboard --dsn "host=$PGHOST port=$PGPORT user=postgres dbname=$DB" --team 1 --date 2025-06-30 --out dashboards/out
Beoordelingsformulieren van alle teams van een gemeente:
  build/kbs form --dsn "host=$PGHOST port=$PGPORT user=postgres dbname=$DB" --municipality GM0392 --out dashboards/out/formulieren
MSG
