# Common part of the refresh race tests (tests/integration/refresh_*.sh).
# Sourced after setting DB (the database each run gets afresh); builds the
# template "${DB}_tpl" from lib/race_data.sql (two teams, snapshots for
# January to June 2025, a committed change per team not refreshed yet).
# shellcheck source=tests/integration/lib/common.sh
. tests/integration/lib/common.sh
# shellcheck source=tests/integration/lib/sessions.sh
. tests/integration/lib/sessions.sh

TPL=${DB}_tpl
WORK=$(mktemp -d)
REFRESH="SELECT kbs.refresh_snapshots('2025-01-01', '2025-06-30');"

race_cleanup() {
    session_kill_all
    "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" \
        -c "DROP DATABASE IF EXISTS $TPL WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap race_cleanup EXIT

has_error() { grep -q 'ERROR' <<<"$1"; }
# session_run or session_recv, then FAIL "$label: WHAT: <output>" when the output has an
# error ($label is the caller's); the output stays in SESSION_OUTPUT.
run_ok() { # name sql what
    session_run "$1" "$2"
    if has_error "$SESSION_OUTPUT"; then bad "$label: $3: $SESSION_OUTPUT"; fi
}
recv_ok() { # name what
    session_recv "$1"
    if has_error "$SESSION_OUTPUT"; then bad "$label: $2: $SESSION_OUTPUT"; fi
}

"${PSQL[@]}" -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $TPL WITH (FORCE)" \
    -c "CREATE DATABASE $TPL"
"${PSQL[@]}" -d "$TPL" -f tests/integration/lib/race_data.sql >/dev/null

fresh_db() {
    "${PSQL[@]}" -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" \
        -c "CREATE DATABASE $DB TEMPLATE $TPL"
}

# A session's state in words.
describe() {
    case "$1" in
        blocked\ advisory*) echo "waited for ${1#blocked advisory } (advisory lock)" ;;
        blocked*) echo "waited for ${1#blocked } (lock)" ;;
        done) echo "did not wait" ;;
        *) echo "$1" ;;
    esac
}

# After a race: one last refresh; every snapshot equal to its recomputation,
# none missing, and CHECK (SQL, true when the change shows as worked out by hand).
verify() { # label check what
    local res n mm miss first holds
    res=$("${PSQL[@]}" -d "$DB" -F '|' <<SQL 2>&1
SELECT kbs.refresh_snapshots('2025-01-01', '2025-06-30') AS last_refresh \gset
SELECT v.snapshots, v.mismatches, v.missing, coalesce(v.first_mismatches, '-'), coalesce(($2)::text, 'null')
  FROM race.verify('2025-01-01', '2025-06-30') v;
SQL
    ) || { bad "$1: verification failed: $res"; return 0; }
    IFS='|' read -r n mm miss first holds <<<"$res"
    if [ "$n" -eq 12 ] && [ "$mm" -eq 0 ] && [ "$miss" -eq 0 ] && [ "$holds" = true ]; then
        ok "$1: all $n snapshots equal their recomputation; $3"
    else
        [ "$n" -eq 12 ] && [ "$mm" -eq 0 ] && [ "$miss" -eq 0 ] ||
            bad "$1: after a last refresh $mm of $n snapshots differ from their recomputation ($first), $miss missing"
        [ "$holds" = true ] || bad "$1: the change is lost: expected $3, but that is $holds"
    fi
}

race_summary() { # title
    echo "$1: $pass passed, $fail failed"
    [ "$fail" -eq 0 ]
}
