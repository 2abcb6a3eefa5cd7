#!/usr/bin/env bash
# Forms end to end, with a real spreadsheet program (LibreOffice, headless, a
# private profile): kbs form writes a team's workbook from the demo data (plus
# a retired local block the requirement still names, a member whose ref needs
# quoting and looks like a formula, a team without a requirement); LibreOffice
# converts the .xlsx to CSV and must give our CSV; the drop-downs, input
# messages and protection are in the XML, also after LibreOffice re-saved the
# workbook; a workbook LibreOffice wrote from a filled-in CSV reads back to
# exactly the filled-in values; the exit codes; the training demand sheet
# (from a stand-in view, and from kbs.v_training_demand); and the import into
# the database through kbs.import_assessments and kbs.import_requirement.
# The parts that need those SQL functions and the view FAIL while they are
# missing (after checking that the tool says so clearly).
set -uo pipefail
: "${PGHOST:?run from make check (needs the cluster env)}"
cd "$(dirname "$0")/../.."
# shellcheck source=tests/integration/lib/common.sh
. tests/integration/lib/common.sh
DB=kbs_forms_it
STANDIN=kbs_forms_standin
POLICY=kbs_it_forms_policy
COORD=kbs_it_forms_coord
OUT=$ROOT/tests/results/forms
DATE=2026-06-30
TEAM=1
WEIRD_REF='P, "zeven"; =1+1'

check() { # description, then a command that must succeed
    local what=$1
    shift
    if "$@" >"$OUT/check.out" 2>&1; then ok "$what"; else bad "$what: $(head -c 2000 "$OUT/check.out")"; fi
}
LO_PROFILE=$(mktemp -d /tmp/kbs-lo-profile.XXXXXX)
cleanup() {
    "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "DROP DATABASE IF EXISTS $STANDIN" \
        -c "DROP ROLE IF EXISTS $POLICY" -c "DROP ROLE IF EXISTS $COORD" >/dev/null 2>&1 || true
    rm -rf "$LO_PROFILE"
}
finish() {
    echo "forms: $pass passed, $fail failed"
    [ "$fail" -eq 0 ]
    exit $?
}
trap cleanup EXIT
cleanup
LO_PROFILE=$(mktemp -d /tmp/kbs-lo-profile.XXXXXX)
rm -rf "$OUT"
mkdir -p "$OUT"

# LibreOffice, headless, with a profile of its own (works as root too).
soffice_run() {
    soffice "-env:UserInstallation=file://$LO_PROFILE" --headless --norestore --nolockcheck "$@" \
        >>"$OUT/soffice.log" 2>&1
}
# CSV export of every sheet (name-Sheet.csv), UTF-8, comma, cells as shown.
LO_CSV='csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1'
# CSV import: comma, quote, UTF-8, from line 1; numbers are recognised as numbers.
LO_CSV_IN='CSV:44,34,76,1,,0,false,false,false'

if ! make --no-print-directory dashboard >"$OUT/build.log" 2>&1; then
    cat "$OUT/build.log"
    bad "kbs builds"
    finish
fi
ok "kbs builds"
KBS=$ROOT/build/kbs
command -v soffice >/dev/null && ok "LibreOffice is installed" || { bad "LibreOffice (soffice) is installed"; finish; }

if ! { "${PSQL[@]}" -d postgres -c "CREATE DATABASE $DB" &&
       "${PSQL[@]}" -d "$DB" -c "CREATE EXTENSION kennisbouwstenen" &&
       "${PSQL[@]}" -d "$DB" -v scale=demo -f demo/generate.sql >/dev/null; }; then
    bad "demo database loads"
    finish
fi
ok "demo database loads"
q() { "${PSQL[@]}" -d "$DB" -c "$1"; }

# Fixtures: team 1's requirement also names a local aspect that is then retired; a
# member of team 1 whose ref needs quoting; team 17 without a requirement.
if "${PSQL[@]}" -d "$DB" -v ref="$WEIRD_REF" -v team=$TEAM -v d=$DATE -v policy=$POLICY -v coord=$COORD \
    >"$OUT/fixtures.log" 2>&1 <<'SQL'
UPDATE kbs.team_requirement SET requirement = kbs.requirement_from_jsonb(kbs.requirement_jsonb(requirement)
       || '{"demo.parenting.divorce": {"level": 2, "members": 1, "importance": 3}}')
 WHERE team_id = :team AND during @> :'d'::date;
SELECT kbs.retire_block('demo.parenting.divorce', 'test: retired');
INSERT INTO kbs.professional (municipality, ref)
SELECT municipality, :'ref' FROM kbs.team WHERE id = :team;
INSERT INTO kbs.membership (professional_id, team_id, during)
SELECT p.id, :team, daterange(lower(t.active), NULL) FROM kbs.professional p, kbs.team t
 WHERE p.ref = :'ref' AND t.id = :team;
DELETE FROM kbs.team_requirement WHERE team_id = 17;
CREATE ROLE :"policy" LOGIN IN ROLE kbs_policy;
INSERT INTO kbs.grant (role, municipality) VALUES (:'policy', 'GM0307');
CREATE ROLE :"coord" LOGIN IN ROLE kbs_coordinator;
INSERT INTO kbs.grant (role, team_id) VALUES (:'coord', :team);
SQL
then ok "fixtures stored"; else bad "fixtures stored: $(cat "$OUT/fixtures.log")"; fi

DSN="host=$PGHOST port=$PGPORT user=postgres dbname=$DB"
run_kbs() { # expected-rc description args...
    local want=$1 what=$2
    shift 2
    "$KBS" "$@" >"$OUT/cli.out" 2>"$OUT/cli.err"
    local rc=$?
    if [ "$rc" -eq "$want" ]; then ok "$what (exit $rc)"; else bad "$what: exit $rc, expected $want: $(cat "$OUT/cli.err")"; fi
}

# ---- the form ----
FORM=$OUT/form
run_kbs 0 "form of team $TEAM" form --dsn "$DSN" --team $TEAM --date $DATE --source supervisor --out "$FORM"
X=$FORM/formulier-team-$TEAM.xlsx
A=$FORM/formulier-team-$TEAM.csv
R=$FORM/formulier-team-$TEAM-benodigd.csv
[ -s "$X" ] && [ -s "$A" ] && [ -s "$R" ] && ok "xlsx and both CSV files written" || bad "xlsx and both CSV files written"

# What the form must hold, from SQL.
q "SELECT block_code FROM kbs.v_wheel WHERE NOT retired ORDER BY wheel_order" >"$OUT/want-codes.txt"
q "SELECT block_name FROM kbs.v_wheel WHERE NOT retired ORDER BY wheel_order" >"$OUT/want-names.txt"
q "SELECT ring_name || '|' || coalesce(domain_name, '') FROM kbs.v_wheel WHERE NOT retired ORDER BY wheel_order" >"$OUT/want-rings.txt"
q "SELECT p.ref FROM kbs.member_profiles_at($TEAM, '$DATE') m JOIN kbs.professional p ON p.id = m.professional_id
    ORDER BY p.ref COLLATE \"C\"" >"$OUT/want-refs.txt"
q "SELECT b.code || '|' || e.min_level || '|' || CASE WHEN e.every_member THEN 'iedereen' ELSE e.min_members::text END
          || '|' || e.importance
     FROM kbs.entries(kbs.team_requirement_at($TEAM, '$DATE')) e JOIN kbs.block b ON b.id = e.block_id ORDER BY 1" \
    >"$OUT/want-req.txt"
q "SELECT b.code || '|' || e.min_level || '|' || CASE WHEN e.every_member THEN 'iedereen' ELSE e.min_members::text END
          || '|' || e.importance
     FROM kbs.requirement_template t, kbs.entries(t.requirement) e JOIN kbs.block b ON b.id = e.block_id
    WHERE t.code = 'basis' ORDER BY 1" >"$OUT/want-basis.txt"
q "SELECT t.name || '|' || m.name || ' (' || m.code || ')' FROM kbs.team t JOIN kbs.municipality m ON m.code = t.municipality
    WHERE t.id = $TEAM" >"$OUT/want-team.txt"
q "SELECT code || '|' || label || '|' || anchor FROM kbs.scale_labels ORDER BY position" >"$OUT/want-scale.txt"

check "the CSV form: info rows, header rows, the code row and one row per member, as SQL says" \
    python3 - "$A" "$OUT" "$DATE" <<'PY'
import csv, sys
path, out, date = sys.argv[1:4]
rows = list(csv.reader(open(path, encoding='utf-8', newline='')))
lines = lambda f: open(f'{out}/{f}', encoding='utf-8').read().split('\n')[:-1]
codes, names, rings, refs = lines('want-codes.txt'), lines('want-names.txt'), lines('want-rings.txt'), lines('want-refs.txt')
team, mun = lines('want-team.txt')[0].split('|')
width = len(codes) + 1
assert all(len(r) == width for r in rows), 'not a rectangle'
head = [i for i, r in enumerate(rows) if r[0] == 'ref']
assert len(head) == 1, head
h = head[0]
assert rows[h][1:] == codes, 'codes differ'
assert 'demo.parenting.divorce' not in rows[h], 'a retired block is on the form'
assert 'demo.generic.digital' in codes and 'demo.income.debt_counselling' in codes, 'local blocks and aspects missing'
assert rows[h - 1][0] == 'Bouwsteen' and rows[h - 1][1:] == names, 'block names differ'
assert [f'{a}|{b}' for a, b in zip(rows[h - 3][1:], rows[h - 2][1:])] == rings, 'ring/domain rows differ'
assert [r[0] for r in rows[h + 1:]] == refs, ('refs differ', [r[0] for r in rows[h + 1:]], refs)
assert '''P, "zeven"; =1+1''' in refs
assert all(v == '' for r in rows[h + 1:] for v in r[1:]), 'level cells are not empty'
info = {r[0]: r[1] for r in rows[:h] if r[0]}
assert info['Team'] == team and info['Gemeente'] == mun and info['Peildatum'] == date, info
assert info['Bron'] == 'leidinggevende (supervisor)', info
assert rows[0][0].startswith('Kennisbouwstenen'), rows[0]
PY

check "the CSV requirement sheet: every assessable block, pre-filled from the team's requirement, the retired block it names" \
    python3 - "$R" "$OUT" <<'PY'
import csv, sys
path, out = sys.argv[1:3]
rows = list(csv.reader(open(path, encoding='utf-8', newline='')))
lines = lambda f: open(f'{out}/{f}', encoding='utf-8').read().split('\n')[:-1]
codes, want = lines('want-codes.txt'), sorted(lines('want-req.txt'))
h = [i for i, r in enumerate(rows) if r[0] == 'block'][0]
assert rows[h][:4] == ['block', 'level', 'members', 'importance'], rows[h]
data = rows[h + 1:]
assert [r[0] for r in data][:len(codes)] == codes, 'block rows differ from the wheel'
extra = data[len(codes):]
assert [r[0] for r in extra] == ['demo.parenting.divorce'] and extra[0][4].endswith('(vervallen)'), extra
got = sorted('|'.join(r[:4]) for r in data if r[1] != '')
assert got == want, (got, want)
assert all(r[2] == '' and r[3] == '' for r in data if r[1] == ''), 'members/importance without a level'
PY

# The team's coordinator (row-level security) gets the same form; another team is unknown to them.
COORD_DSN="host=$PGHOST port=$PGPORT user=$COORD dbname=$DB"
run_kbs 0 "form of team $TEAM as its coordinator" form --dsn "$COORD_DSN" --team $TEAM --date $DATE --source supervisor \
    --out "$OUT/coord" -q
check "the coordinator's form is the administrator's" cmp "$OUT/coord/formulier-team-$TEAM.csv" "$A"
check "the coordinator's requirement sheet is the administrator's" cmp "$OUT/coord/formulier-team-$TEAM-benodigd.csv" "$R"
run_kbs 3 "a team the coordinator has no grant for is unknown to them" form --dsn "$COORD_DSN" --team 2 --date $DATE --out "$OUT/x"

# Team 17 has no requirement: empty, or the template when asked for.
run_kbs 0 "form of a team without a requirement" form --dsn "$DSN" --team 17 --date $DATE --out "$OUT/t17" -q
run_kbs 0 "form of a team without a requirement, from template basis" form --dsn "$DSN" --team 17 --date $DATE \
    --template basis --out "$OUT/t17b" -q
check "without a requirement the levels are empty; with --template basis they are the template's" \
    python3 - "$OUT" <<'PY'
import csv, sys
out = sys.argv[1]
def data(p):
    rows = list(csv.reader(open(p, encoding='utf-8', newline='')))
    h = [i for i, r in enumerate(rows) if r[0] == 'block'][0]
    return rows, rows[h + 1:]
rows, d = data(f'{out}/t17/formulier-team-17-benodigd.csv')
assert all(r[1] == '' for r in d), 'levels without a requirement'
assert any(r[0] == 'Uitgangspunt' and r[1].startswith('geen eis') for r in rows)
rows, d = data(f'{out}/t17b/formulier-team-17-benodigd.csv')
want = sorted(open(f'{out}/want-basis.txt', encoding='utf-8').read().split('\n')[:-1])
assert sorted('|'.join(r[:4]) for r in d if r[1]) == want
assert any(r[0] == 'Uitgangspunt' and r[1].startswith('sjabloon basis') for r in rows)
PY

# A whole municipality: a workbook and two CSV files per team with members.
run_kbs 0 "forms of every team of GM0392" form --dsn "$DSN" --municipality GM0392 --date $DATE --out "$OUT/gm0392" -q
nteams=$(q "SELECT count(*) FROM kbs.team t WHERE t.municipality = 'GM0392' AND t.active @> '$DATE'::date
             AND EXISTS (SELECT 1 FROM kbs.member_profiles_at(t.id, '$DATE'))")
nfiles=$(find "$OUT/gm0392" -name 'formulier-team-*.xlsx' | wc -l)
[ "$nfiles" -eq "$nteams" ] && [ "$nteams" -gt 0 ] && ok "one workbook per team with members ($nfiles)" ||
    bad "one workbook per team with members: $nfiles files, $nteams teams"

# ---- LibreOffice reads our workbook as our CSV says ----
soffice_run --convert-to "$LO_CSV" --outdir "$OUT/lo" "$X"
check "LibreOffice: sheet Beoordeling as CSV equals our CSV (same rows and codes)" \
    python3 -c 'import csv,sys; a=list(csv.reader(open(sys.argv[1],newline=""))); b=list(csv.reader(open(sys.argv[2],newline=""))); assert a==b and len(a)>12, [(x,y) for x,y in zip(a,b) if x!=y][:3]' \
    "$OUT/lo/formulier-team-$TEAM-Beoordeling.csv" "$A"
check "LibreOffice: sheet Benodigd as CSV equals our requirement CSV" \
    python3 -c 'import csv,sys; a=list(csv.reader(open(sys.argv[1],newline=""))); b=list(csv.reader(open(sys.argv[2],newline=""))); assert a==b and len(a)>30, [(x,y) for x,y in zip(a,b) if x!=y][:3]' \
    "$OUT/lo/formulier-team-$TEAM-Benodigd.csv" "$R"
check "LibreOffice: sheet Schaal lists kbs.scale_labels" \
    python3 - "$OUT/lo/formulier-team-$TEAM-Schaal.csv" "$OUT/want-scale.txt" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='')))
want = open(sys.argv[2], encoding='utf-8').read().split('\n')[:-1]
assert ['|'.join(r[1:4]) for r in rows[2:]] == want, rows
PY

# ---- drop-downs, input messages, protection: in our XML, and as LibreOffice keeps them ----
soffice_run --convert-to xlsx --outdir "$OUT/resaved" "$X"
validation_check() { # file, label
    python3 - "$1" "$A" "$OUT/want-scale.txt" <<'PY'
import csv, re, sys, zipfile, html
path, csvpath, scale = sys.argv[1:4]
z = zipfile.ZipFile(path)
def sheet_xml(name):
    wb = z.read('xl/workbook.xml').decode()
    rels = z.read('xl/_rels/workbook.xml.rels').decode()
    rid = re.search(r'<sheet [^>]*name="%s"[^>]*r:id="([^"]+)"' % name, wb) or re.search(r'<sheet [^>]*r:id="([^"]+)"[^>]*name="%s"' % name, wb)
    target = re.search(r'<Relationship [^>]*Id="%s"[^>]*Target="([^"]+)"' % rid.group(1), rels) or \
             re.search(r'<Relationship [^>]*Target="([^"]+)"[^>]*Id="%s"' % rid.group(1), rels)
    t = target.group(1)
    return z.read(t.lstrip('/') if t.startswith('/') else 'xl/' + t).decode()
def col(n):
    s = ''
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s
rows = list(csv.reader(open(csvpath, newline='')))
h = [i for i, r in enumerate(rows) if r[0] == 'ref'][0]
first, last = h + 2, len(rows)
sqref = f'B{first}:{col(len(rows[0]) - 1)}{last}'
s = sheet_xml('Beoordeling')
dvs = re.findall(r'<dataValidation\b([^>]*)>(.*?)</dataValidation>', s, re.S)
lvl = [(a, b) for a, b in dvs if f'sqref="{sqref}"' in a]
assert len(lvl) == 1, ('no level validation over', sqref, dvs)
attrs, body = lvl[0]
assert re.search(r'type="list"', attrs), attrs
f1 = html.unescape(re.search(r'<formula1>(.*?)</formula1>', body).group(1))
assert f1 == '"0,1,2,3,4,na"', f1
prompt = html.unescape(re.search(r'prompt="([^"]*)"', attrs).group(1))
for line in open(scale, encoding='utf-8').read().split('\n')[:5]:
    code, label, anchor = line.split('|')
    assert f'{code}: {anchor}' in prompt, (code, prompt)
assert re.search(r'showInputMessage="(1|true)"', attrs) and re.search(r'allowBlank="(1|true)"', attrs), attrs
assert re.search(r'<sheetProtection [^>]*sheet="(1|true)"', s), 'sheet not protected'
# the level cells are unlocked, the code row is locked
xfs = re.search(r'<cellXfs[^>]*>(.*?)</cellXfs>', z.read('xl/styles.xml').decode(), re.S).group(1)
xfs = re.findall(r'<xf\b[^>]*?(?:/>|>.*?</xf>)', xfs, re.S)
def locked(ref):
    m = re.search(r'<c r="%s"(?: [^>]*?)? s="(\d+)"' % ref, s) or re.search(r'<c s="(\d+)" r="%s"' % ref, s)
    xf = xfs[int(m.group(1))] if m else xfs[0]
    return not re.search(r'locked="(0|false)"', xf)
assert not locked(f'B{first}') and not locked(f'{col(len(rows[0]) - 1)}{last}'), 'level cells locked'
assert locked(f'A{h + 1}') and locked(f'B{h + 1}') and locked(f'A{first}'), 'header or ref cells unlocked'
s2 = sheet_xml('Benodigd')
f = [html.unescape(x) for x in re.findall(r'<formula1>(.*?)</formula1>', s2)]
assert '"1,2,3,4"' in f and '"1,2,3"' in f, f
assert any('iedereen' in x and 'ISNUMBER' in x for x in f), f
assert re.search(r'<sheetProtection [^>]*sheet="(1|true)"', s2), 'Benodigd not protected'
PY
}
check "our workbook: level drop-down (0-4, na) over exactly the level cells, anchors as input message, protection" \
    validation_check "$X"
check "LibreOffice keeps the drop-downs, input messages and protection when it saves the workbook" \
    validation_check "$OUT/resaved/formulier-team-$TEAM.xlsx"

# Our reader gives back our CSV from both workbooks, every sheet by name.
check "kbs read: our workbook, sheet Beoordeling, is our CSV byte for byte" \
    bash -c '"$0" read "$1" --sheet Beoordeling | cmp - "$2"' "$KBS" "$X" "$A"
check "kbs read: the workbook LibreOffice saved, sheet Benodigd, is our requirement CSV byte for byte" \
    bash -c '"$0" read "$1" --sheet Benodigd | cmp - "$2"' "$KBS" "$OUT/resaved/formulier-team-$TEAM.xlsx" "$R"
check "kbs read: the workbook LibreOffice saved, sheet Beoordeling, is our CSV byte for byte" \
    bash -c '"$0" read "$1" --sheet Beoordeling | cmp - "$2"' "$KBS" "$OUT/resaved/formulier-team-$TEAM.xlsx" "$A"

# ---- filled in, saved by LibreOffice, read back ----
mkdir -p "$OUT/filled"
check "fill in the form and the requirement (CSV)" python3 - "$A" "$R" "$OUT/filled" <<'PY'
import csv, sys
a, r, out = sys.argv[1:4]
rows = list(csv.reader(open(a, encoding='utf-8', newline='')))
h = [i for i, x in enumerate(rows) if x[0] == 'ref'][0]
levels = ['0', '1', '2', '3', '4', 'na', '', '']
n = 0
for i, row in enumerate(rows[h + 1:]):
    for j in range(1, len(row)):
        row[j] = levels[(i * 7 + j * 3 + (i * j) % 5) % len(levels)]
    row[1] = str(i % 5)          # everyone has at least one level
    n += sum(1 for v in row[1:] if v)
csv.writer(open(f'{out}/Beoordeling.csv', 'w', encoding='utf-8', newline=''), lineterminator='\n').writerows(rows)
req = list(csv.reader(open(r, encoding='utf-8', newline='')))
h = [i for i, x in enumerate(req) if x[0] == 'block'][0]
for i, row in enumerate(req[h + 1:]):
    if any(c.endswith('(vervallen)') for c in row):
        row[1:4] = ['', '', '']  # as the form asks: a retired block is not required any more
    elif i % 3 == 0:
        row[1:4] = [str(1 + i % 4), 'iedereen' if i % 2 else str(1 + i % 3), str(1 + i % 3)]
    elif i % 3 == 1:
        row[1:4] = ['', '', '']
csv.writer(open(f'{out}/Benodigd.csv', 'w', encoding='utf-8', newline=''), lineterminator='\n').writerows(req)
assert n > 100
PY
soffice_run --infilter="$LO_CSV_IN" --convert-to xlsx --outdir "$OUT/filled" "$OUT/filled/Beoordeling.csv" "$OUT/filled/Benodigd.csv"
[ -s "$OUT/filled/Beoordeling.xlsx" ] && [ -s "$OUT/filled/Benodigd.xlsx" ] && ok "LibreOffice wrote both filled-in workbooks" ||
    bad "LibreOffice wrote both filled-in workbooks: $(tail -n 5 "$OUT/soffice.log")"
check "LibreOffice stored typed levels as numbers, na and the texts as shared strings, the date as a date" \
    python3 - "$OUT/filled/Beoordeling.xlsx" <<'PY'
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
s = z.read('xl/worksheets/sheet1.xml').decode()
assert re.search(r'<c r="[B-Z]\d+" s="\d+" t="n"><v>3</v></c>', s), 'no numeric level'
assert 'xl/sharedStrings.xml' in z.namelist() and '>na<' in z.read('xl/sharedStrings.xml').decode()
assert re.search(r'<c r="B5" s="[1-9]\d*" t="n"><v>46203</v></c>', s), 'the peildatum is not a date serial'
PY
"$KBS" read "$OUT/filled/Beoordeling.xlsx" >"$OUT/filled/Beoordeling.back.csv" 2>"$OUT/cli.err"
check "kbs read: the filled-in form LibreOffice wrote gives exactly the filled-in values" \
    python3 -c 'import csv,sys; a=list(csv.reader(open(sys.argv[1],newline=""))); b=list(csv.reader(open(sys.argv[2],newline=""))); assert a==b, [(x,y) for x,y in zip(a,b) if x!=y][:3]' \
    "$OUT/filled/Beoordeling.back.csv" "$OUT/filled/Beoordeling.csv"
"$KBS" read "$OUT/filled/Benodigd.xlsx" --sheet Benodigd >"$OUT/filled/Benodigd.back.csv" 2>"$OUT/cli.err"
check "kbs read: the filled-in requirement LibreOffice wrote gives exactly the filled-in values" \
    python3 -c 'import csv,sys; a=list(csv.reader(open(sys.argv[1],newline=""))); b=list(csv.reader(open(sys.argv[2],newline=""))); assert a==b, [(x,y) for x,y in zip(a,b) if x!=y][:3]' \
    "$OUT/filled/Benodigd.back.csv" "$OUT/filled/Benodigd.csv"

# ---- exit codes ----
run_kbs 1 "form: no team or municipality" form --dsn "$DSN" --out "$OUT/x"
run_kbs 1 "form: no --out" form --dsn "$DSN" --team 1
run_kbs 1 "form: team number with a sign" form --dsn "$DSN" --team -1 --out "$OUT/x"
run_kbs 1 "form: impossible date" form --dsn "$DSN" --team 1 --date 2026-02-30 --out "$OUT/x"
run_kbs 1 "form: unknown source" form --dsn "$DSN" --team 1 --source boss --out "$OUT/x"
run_kbs 1 "form: an option of another command" form --dsn "$DSN" --team 1 --dry-run --out "$OUT/x"
run_kbs 2 "form: failed connection" form --dsn "host=$PGHOST port=$PGPORT user=postgres dbname=kbs_no_such_db" --team 1 --out "$OUT/x"
run_kbs 3 "form: unknown team" form --dsn "$DSN" --team 999999 --out "$OUT/x"
run_kbs 3 "form: unknown municipality" form --dsn "$DSN" --municipality GM9999 --out "$OUT/x"
run_kbs 3 "form: team outside the municipality" form --dsn "$DSN" --municipality GM0307 --team 16 --out "$OUT/x"
run_kbs 3 "form: unknown template" form --dsn "$DSN" --team 1 --template nope --out "$OUT/x"
run_kbs 4 "form: no members on that date" form --dsn "$DSN" --team 1 --date 2001-01-01 --out "$OUT/x"
: >"$OUT/not-a-dir"
run_kbs 6 "form: output path is a file" form --dsn "$DSN" --team 1 --out "$OUT/not-a-dir"
[ ! -e "$OUT/x" ] && ok "failed runs write nothing" || bad "failed runs write nothing"
cp "$A" "$OUT/text.xlsx"
run_kbs 6 "read: not an xlsx file" read "$OUT/text.xlsx"
grep -q 'geen xlsx-bestand (geen zip-archief)' "$OUT/cli.err" && ok "read: the message says it is no xlsx file" ||
    bad "read: the message says it is no xlsx file: $(cat "$OUT/cli.err")"
head -c 100 "$X" >"$OUT/cut.xlsx"
run_kbs 6 "read: a truncated workbook" read "$OUT/cut.xlsx"
run_kbs 6 "read: no such file" read "$OUT/none.xlsx"
run_kbs 6 "read: no such sheet" read "$X" --sheet Nope
grep -q 'de werkmap heeft: Beoordeling, Benodigd, Schaal' "$OUT/cli.err" && ok "the missing sheet's message lists the sheets" ||
    bad "the missing sheet's message lists the sheets: $(cat "$OUT/cli.err")"
run_kbs 1 "read: no file" read
run_kbs 1 "import: no --date" import "$X" --dsn "$DSN" --municipality GM0307
run_kbs 1 "import: unknown status" import "$X" --dsn "$DSN" --municipality GM0307 --date $DATE --status done
run_kbs 6 "import: a file that is not a form" import "$R" --dsn "$DSN" --municipality GM0307 --date $DATE
run_kbs 6 "import-requirement: a file without the requirement header" import-requirement "$A" --dsn "$DSN" --team 1 --valid-from $DATE
run_kbs 0 "build/kbs-dashboard is still the dashboard generator" --help
"$ROOT/build/kbs-dashboard" --help | grep -q '^kbs-dashboard writes the kennisbouwstenen dashboards' &&
    ok "build/kbs-dashboard --help is the dashboards' help" || bad "build/kbs-dashboard --help is the dashboards' help"

# ---- training demand: the sheet from a stand-in view (no extension) ----
if "${PSQL[@]}" -d postgres -c "CREATE DATABASE $STANDIN" >/dev/null && "${PSQL[@]}" -d "$STANDIN" >"$OUT/standin.log" 2>&1 <<'SQL'
CREATE SCHEMA kbs;
CREATE TABLE kbs.municipality (code text PRIMARY KEY, name text NOT NULL);
INSERT INTO kbs.municipality VALUES ('GM0307', 'Amersfoort'), ('GM0392', 'Haarlem');
CREATE VIEW kbs.v_training_demand AS
SELECT * FROM (VALUES
    ('GM0307', 2, 'specific.income', 'Specifieke kennis: Inkomen', 3, 'planned', '2026-Q3', 6, 2, DATE '2026-09-30', false),
    ('GM0307', 1, 'generic.signalling', 'Signaleren en agenderen', 1, 'proposed', '2026-Q4', NULL, NULL, NULL, true),
    ('GM0392', 1, 'x', 'Elders', 1, 'planned', '2026-Q4', 9, 9, DATE '2026-12-31', false)
) v (municipality_code, wheel_order, block_code, block_name, target_level, status, due_quarter, people, teams, first_due, suppressed);
COMMENT ON COLUMN kbs.v_training_demand.people IS 'Aantal personen met een open scholingsactie.';
COMMENT ON COLUMN kbs.v_training_demand.teams IS 'Betrokken teams: hoeveel teams deze vraag delen.';
COMMENT ON COLUMN kbs.v_training_demand.first_due IS 'Vroegste streefdatum';
SQL
then
    run_kbs 0 "training: a stand-in view" training --dsn "host=$PGHOST port=$PGPORT user=postgres dbname=$STANDIN" \
        --municipality GM0307 --out "$OUT/standin"
    soffice_run --convert-to "$LO_CSV" --outdir "$OUT/standin/lo" "$OUT/standin/scholingsvraag-GM0307.xlsx"
    check "training: LibreOffice shows Dutch headers, the wheel's order, onderdrukt, ja/nee, dates, only GM0307" \
        python3 - "$OUT/standin/lo/scholingsvraag-GM0307-Scholingsvraag.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding='utf-8', newline='')))
assert rows[0][0] == 'Scholingsvraag — Amersfoort (GM0307)', rows[0]
assert rows[3] == ['Code bouwsteen', 'Bouwsteen', 'Beoogd niveau', 'Status', 'Kwartaal streefdatum',
                   'Aantal personen met een open scholingsactie', 'Betrokken teams', 'Vroegste streefdatum',
                   'Onderdrukt'], rows[3]
assert rows[4] == ['generic.signalling', 'Signaleren en agenderen', '1', 'proposed', '2026-Q4', 'onderdrukt',
                   'onderdrukt', 'onderdrukt', 'ja'], rows[4]
assert rows[5] == ['specific.income', 'Specifieke kennis: Inkomen', '3', 'planned', '2026-Q3', '6', '2',
                   '30-09-2026', 'nee'], rows[5]
assert len(rows) == 6, rows
PY
    check "training: our reader gives the numbers as numbers and the date as ISO" \
        bash -c '"$0" read "$1" | grep -qx "specific.income,Specifieke kennis: Inkomen,3,planned,2026-Q3,6,2,2026-09-30,nee"' \
        "$KBS" "$OUT/standin/scholingsvraag-GM0307.xlsx"
    run_kbs 3 "training: unknown municipality" training --dsn "host=$PGHOST port=$PGPORT user=postgres dbname=$STANDIN" \
        --municipality GM0001 --out "$OUT/x"
else
    bad "stand-in database for the training sheet: $(cat "$OUT/standin.log")"
fi

# ---- what needs the SQL side: kbs.v_training_demand, kbs.import_assessments, kbs.import_requirement ----
has() { q "SELECT $1('$2') IS NOT NULL"; }
if [ "$(has to_regclass kbs.v_training_demand)" = t ]; then
    run_kbs 0 "training: GM0307 from kbs.v_training_demand" training --dsn "$DSN" --municipality GM0307 --out "$OUT/training"
    run_kbs 0 "training: GM0307 as a policy reader" training --dsn "host=$PGHOST port=$PGPORT user=$POLICY dbname=$DB" \
        --municipality GM0307 --out "$OUT/training-policy"
    soffice_run --convert-to "$LO_CSV" --outdir "$OUT/training/lo" "$OUT/training/scholingsvraag-GM0307.xlsx"
    nrows=$(q "SELECT count(*) FROM kbs.v_training_demand WHERE municipality_code = 'GM0307'")
    check "training: one row per view row ($nrows), Dutch headers (no column names)" \
        python3 - "$OUT/training/lo/scholingsvraag-GM0307-Scholingsvraag.csv" "$nrows" <<'PY'
import csv, re, sys
rows = list(csv.reader(open(sys.argv[1], encoding='utf-8', newline='')))
n = int(sys.argv[2])
assert len(rows) - 4 == max(n, 1), (len(rows), n)
assert n > 0 or rows[4][0] == 'Geen open scholingsacties.'
assert not any(re.fullmatch(r'[a-z]+(_[a-z]+)+', h) for h in rows[3]), rows[3]
PY
else
    run_kbs 5 "training: a missing kbs.v_training_demand is reported" training --dsn "$DSN" --municipality GM0307 --out "$OUT/x"
    grep -q 'kbs.v_training_demand ontbreekt' "$OUT/cli.err" && ok "training: the message names the missing view" ||
        bad "training: the message names the missing view: $(cat "$OUT/cli.err")"
    bad "kbs.v_training_demand is missing (the SQL branch adds it): training demand from the database not tested"
fi

if [ "$(has to_regprocedure 'kbs.import_assessments(text,text,date,text,text,text,boolean)')" = t ]; then
    # The form's members are those on its peildatum; the demo has no peer assessments.
    IMPORT_DATE=$DATE
    before=$(q "SELECT count(*) FROM kbs.assessment")
    run_kbs 0 "import: dry run of the filled-in form" import "$OUT/filled/Beoordeling.xlsx" --dsn "$DSN" \
        --municipality GM0307 --date $IMPORT_DATE --source peer --status final --dry-run
    [ "$(q "SELECT count(*) FROM kbs.assessment")" = "$before" ] && ok "import: a dry run stores nothing" ||
        bad "import: a dry run stores nothing"
    run_kbs 0 "import: the filled-in form LibreOffice wrote" import "$OUT/filled/Beoordeling.xlsx" --dsn "$DSN" \
        --municipality GM0307 --date $IMPORT_DATE --source peer --status final
    q "SELECT json_object_agg(p.ref, kbs.profile_jsonb(a.profile)) FROM kbs.assessment a
         JOIN kbs.professional p ON p.id = a.professional_id
        WHERE a.assessed_on = '$IMPORT_DATE' AND a.source = 'peer' AND a.status = 'final'" >"$OUT/imported.json"
    check "import: every member's stored profile is exactly what was filled in" \
        python3 - "$OUT/filled/Beoordeling.csv" "$OUT/imported.json" <<'PY'
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1], encoding='utf-8', newline='')))
h = [i for i, r in enumerate(rows) if r[0] == 'ref'][0]
codes = rows[h][1:]
want = {r[0]: {c: (v if v == 'na' else int(v)) for c, v in zip(codes, r[1:]) if v != ''} for r in rows[h + 1:]}
got = json.loads(open(sys.argv[2]).read() or 'null') or {}
assert got == want, ({k: (got.get(k), want[k]) for k in want if got.get(k) != want[k]}, set(got) - set(want))
PY
    # A level out of range: refused with the server's message, nothing stored.
    python3 - "$OUT/filled/Beoordeling.csv" "$OUT/filled/bad.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding='utf-8', newline='')))
h = [i for i, r in enumerate(rows) if r[0] == 'ref'][0]
rows[h + 1][2] = '7'
csv.writer(open(sys.argv[2], 'w', encoding='utf-8', newline=''), lineterminator='\n').writerows(rows)
PY
    before=$(q "SELECT count(*) FROM kbs.assessment")
    run_kbs 5 "import: a level 7 is refused" import "$OUT/filled/bad.csv" --dsn "$DSN" --municipality GM0307 \
        --date 2026-12-16 --status final
    grep -q 'kbs import: fout: ' "$OUT/cli.err" && [ "$(q "SELECT count(*) FROM kbs.assessment")" = "$before" ] &&
        ok "import: the refusal prints the server's message and stores nothing" ||
        bad "import: the refusal prints the server's message and stores nothing: $(cat "$OUT/cli.err")"
else
    run_kbs 5 "import: a missing kbs.import_assessments is reported" import "$OUT/filled/Beoordeling.xlsx" --dsn "$DSN" \
        --municipality GM0307 --date $DATE
    grep -q 'kbs.import_assessments(text,text,date,text,text,text,boolean) ontbreekt' "$OUT/cli.err" &&
        ok "import: the message names the missing function" || bad "import: the message names the missing function: $(cat "$OUT/cli.err")"
    bad "kbs.import_assessments is missing (the SQL branch adds it): the filled-in form was not imported into the database"
fi

if [ "$(has to_regprocedure 'kbs.import_requirement(text,integer,date,boolean)')" = t ]; then
    VALID_FROM=2026-12-15
    run_kbs 0 "import-requirement: dry run" import-requirement "$OUT/filled/Benodigd.xlsx" --dsn "$DSN" --team $TEAM \
        --valid-from $VALID_FROM --dry-run
    run_kbs 0 "import-requirement: the filled-in Benodigd sheet" import-requirement "$OUT/filled/Benodigd.xlsx" \
        --dsn "$DSN" --team $TEAM --valid-from $VALID_FROM
    q "SELECT b.code || '|' || e.min_level || '|' || CASE WHEN e.every_member THEN 'iedereen' ELSE e.min_members::text END
              || '|' || e.importance
         FROM kbs.entries(kbs.team_requirement_at($TEAM, '$VALID_FROM')) e JOIN kbs.block b ON b.id = e.block_id ORDER BY 1" \
        >"$OUT/imported-req.txt"
    check "import-requirement: the team's requirement from that date is exactly what was filled in" \
        python3 - "$OUT/filled/Benodigd.csv" "$OUT/imported-req.txt" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding='utf-8', newline='')))
h = [i for i, r in enumerate(rows) if r[0] == 'block'][0]
want = sorted('|'.join(r[:4]) for r in rows[h + 1:] if r[1] != '')
got = open(sys.argv[2], encoding='utf-8').read().split('\n')[:-1]
assert got == want, (got, want)
PY
else
    run_kbs 5 "import-requirement: a missing kbs.import_requirement is reported" import-requirement \
        "$OUT/filled/Benodigd.xlsx" --dsn "$DSN" --team $TEAM --valid-from $DATE
    grep -q 'kbs.import_requirement(text,integer,date,boolean) ontbreekt' "$OUT/cli.err" &&
        ok "import-requirement: the message names the missing function" ||
        bad "import-requirement: the message names the missing function: $(cat "$OUT/cli.err")"
    bad "kbs.import_requirement is missing (the SQL branch adds it): the filled-in requirement was not imported"
fi
finish
