#!/usr/bin/env bash
# Grafana provisioning (dashboards/grafana): the YAML files hold what Grafana
# needs, the dashboard JSON parses, and every panel query and template-variable
# query runs against the demo data with Grafana's macros and variables filled
# in, and returns rows. Grafana itself is not needed.
set -uo pipefail
: "${PGHOST:?run from make check (needs the cluster env)}"
cd "$(dirname "$0")/../.."
BINDIR=$(pg_config --bindir)
DB=kbs_grafana_it
PSQL=("$BINDIR/psql" -X -v ON_ERROR_STOP=1 -q -t -A -U postgres)

cleanup() {
    "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
}
trap cleanup EXIT
cleanup

if ! { "${PSQL[@]}" -d postgres -c "CREATE DATABASE $DB" &&
       "${PSQL[@]}" -d "$DB" -c "CREATE EXTENSION kennisbouwstenen" &&
       "${PSQL[@]}" -d "$DB" -v scale=demo -f demo/generate.sql >/dev/null; }; then
    echo "FAIL demo database does not load"
    echo "grafana-panels: 0 passed, 1 failed"
    exit 1
fi

KBS_DB=$DB KBS_PSQL="$BINDIR/psql" python3 - <<'PY'
import csv, glob, io, json, os, re, subprocess, sys

ROOT = "dashboards/grafana"
DB = os.environ["KBS_DB"]
PSQL = os.environ["KBS_PSQL"]
UID = "kennisbouwstenen"
passed = failed = 0

def ok(msg):
    global passed
    passed += 1
    print("ok   " + msg)

def bad(msg):
    global failed
    failed += 1
    print("FAIL " + msg)

def check(cond, msg, why=""):
    ok(msg) if cond else bad(msg + (": " + why if why else ""))

# ---- YAML (no parser available: line-based assertions) -----------------
def yaml_lines(path):
    with open(path, encoding="utf-8") as f:
        return [l.rstrip("\n") for l in f if not l.lstrip().startswith("#")]

ds = os.path.join(ROOT, "provisioning/datasources/kennisbouwstenen.yaml")
dp = os.path.join(ROOT, "provisioning/dashboards/kennisbouwstenen.yaml")
for path in (ds, dp):
    if not os.path.exists(path):
        bad(path + " exists"); continue
    lines = yaml_lines(path)
    check("apiVersion: 1" in lines, path + ": apiVersion: 1")
    check(not any("\t" in l for l in lines), path + ": no tabs")
if os.path.exists(ds):
    text = "\n".join(yaml_lines(ds))
    check(re.search(r"^datasources:", text, re.M) is not None, ds + ": datasources list")
    check(re.search(r"^\s+type: (grafana-postgresql-datasource|postgres)$", text, re.M) is not None, ds + ": PostgreSQL type")
    check(re.search(r"^\s+uid: " + UID + "$", text, re.M) is not None, ds + ": uid " + UID)
    for key, var in (("url", "KBS_PGHOST"), ("url", "KBS_PGPORT"), ("user", "KBS_PGUSER"),
                     ("database", "KBS_PGDATABASE"), ("password", "KBS_PGPASSWORD"), ("sslmode", "KBS_PGSSLMODE")):
        check(re.search(r"^\s+%s: .*\$(\{%s\}|__env\{%s\})" % (key, var, var), text, re.M) is not None,
              "%s: %s from $%s" % (ds, key, var))
    check(re.search(r"^\s+password: [^$]", text, re.M) is None, ds + ": no literal password")
if os.path.exists(dp):
    text = "\n".join(yaml_lines(dp))
    check(re.search(r"^providers:", text, re.M) is not None, dp + ": providers list")
    check(re.search(r"^\s+type: file$", text, re.M) is not None, dp + ": file provider")
    m = re.search(r"^\s+path: (\S+)$", text, re.M)
    check(m is not None and m.group(1).endswith("dashboards/grafana/dashboards"), dp + ": path dashboards/grafana/dashboards")

# ---- dashboards -----------------------------------------------------------
FROM, TO = "2023-01-01T00:00:00Z", "2026-12-31T23:59:59Z"

def macros(sql):
    sql = re.sub(r"\$__timeFilter\(\s*([^)]+?)\s*\)", lambda m: "%s BETWEEN '%s' AND '%s'" % (m.group(1), FROM, TO), sql)
    sql = re.sub(r"\$__timeFrom\(\)", "'%s'" % FROM, sql)
    sql = re.sub(r"\$__timeTo\(\)", "'%s'" % TO, sql)
    sql = re.sub(r"\$__unixEpochFilter\(\s*([^)]+?)\s*\)", r"\1 BETWEEN 1672531200 AND 1798761599", sql)
    sql = re.sub(r"\$__timeGroup(Alias)?\(\s*([^,]+?)\s*,[^)]*\)",
                 lambda m: "date_trunc('day', %s)%s" % (m.group(2), " AS time" if m.group(1) else ""), sql)
    sql = sql.replace("$__interval_ms", "86400000").replace("$__interval", "1d")
    return sql

def subst(sql, values):
    sql = macros(sql)
    for name, value in values.items():
        sql = re.sub(r"\$\{%s(:[a-z]+)?\}|\$%s\b|\[\[%s\]\]" % (name, name, name), lambda m: value, sql)
    return sql

def run(sql):
    """(columns, rows) or raises RuntimeError with psql's message."""
    p = subprocess.run([PSQL, "-X", "-v", "ON_ERROR_STOP=1", "-q", "--csv", "-d", DB, "-c", sql],
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(p.stderr.strip().splitlines()[0] if p.stderr.strip() else "psql rc %d" % p.returncode)
    rows = list(csv.reader(io.StringIO(p.stdout)))
    return rows[0], rows[1:]

def run_query(label, sql, values, fmt):
    sql = subst(sql, values)
    left = re.findall(r"\$\{?\w+\}?|\[\[\w+\]\]", sql)
    if left:
        bad("%s: unknown macro or variable %s" % (label, ", ".join(sorted(set(left))))); return None
    try:
        cols, rows = run(sql)
    except RuntimeError as e:
        bad("%s: %s" % (label, e)); return None
    if not rows:
        bad("%s: empty result" % label); return None
    if fmt == "time_series" and "time" not in cols:
        bad("%s: time series without a column named time (%s)" % (label, ", ".join(cols))); return None
    if fmt == "time_series" and len([c for c in cols if c not in ("time", "metric")]) < 1:
        bad("%s: time series without a value column" % label); return None
    ok("%s (%d rows)" % (label, len(rows)))
    return cols, rows

files = sorted(glob.glob(os.path.join(ROOT, "dashboards", "*.json")))
check(len(files) >= 2, "dashboard JSON files found (%d)" % len(files))
uids = set()
for path in files:
    name = os.path.basename(path)
    try:
        with open(path, encoding="utf-8") as f:
            d = json.load(f)
    except ValueError as e:
        bad("%s: JSON: %s" % (name, e)); continue
    problems = []
    for key in ("uid", "title", "panels", "templating", "schemaVersion"):
        if key not in d: problems.append("no " + key)
    if d.get("uid") in uids: problems.append("duplicate uid")
    uids.add(d.get("uid"))
    if not isinstance(d.get("schemaVersion"), int) or d["schemaVersion"] < 36: problems.append("schemaVersion")
    ids = [p.get("id") for p in d.get("panels", [])]
    if len(set(ids)) != len(ids): problems.append("duplicate panel ids")
    for p in d.get("panels", []):
        g = p.get("gridPos", {})
        if not all(isinstance(g.get(k), int) for k in "hwxy") or g.get("x", 0) + g.get("w", 0) > 24:
            problems.append("gridPos of panel %s" % p.get("id"))
        if (p.get("datasource") or {}).get("uid") != UID: problems.append("datasource of panel %s" % p.get("id"))
        for t in p.get("targets", []):
            if (t.get("datasource") or {}).get("uid") != UID or not t.get("refId") or not t.get("rawSql") \
               or t.get("format") not in ("time_series", "table"):
                problems.append("target %s of panel %s" % (t.get("refId"), p.get("id")))
            if not re.search(r"\bkbs\.v_\w+", t.get("rawSql", "")) or \
               re.search(r"\bkbs\.(?!v_)\w+", t.get("rawSql", "")):
                problems.append("panel %s reads more than the BI views (kbs.v_*)" % p.get("id"))
    check(not problems, "%s: dashboard structure" % name, "; ".join(problems))

    # Template variables in order; each takes the first value its query returns.
    values = {}
    for v in d.get("templating", {}).get("list", []):
        if v.get("type") != "query": continue
        q = v.get("query")
        q = q.get("rawSql", q.get("query")) if isinstance(q, dict) else q
        label = "%s: variable %s" % (name, v.get("name"))
        res = run_query(label, q, values, "table")
        if res is None: continue
        cols, rows = res
        if "__value" not in cols or "__text" not in cols:
            bad(label + ": needs columns __value and __text"); continue
        vals = [r[cols.index("__value")] for r in rows]
        if v["name"] == "gemeente":
            # The demo's first municipality, as the brief of the test wants.
            val = "GM0307" if "GM0307" in vals else vals[0]
        else:
            val = vals[0]
        values[v["name"]] = val
        print("     %s = %s" % (v["name"], val))

    for p in d.get("panels", []):
        for t in p.get("targets", []):
            label = "%s: panel %s \"%s\" [%s]" % (name, p.get("id"), p.get("title"), t.get("refId"))
            res = run_query(label, t.get("rawSql", ""), values, t.get("format"))
            # The municipality's trend for policy: only the assessment rounds' peildata.
            if res is not None and name == "gemeente.json" and p.get("title", "").startswith("Vervullingsgraad specifieke kennis per leefgebied"):
                cols, rows = res
                _, rounds = run("SELECT peildatum::timestamptz FROM kbs.assessment_round WHERE municipality = '%s' "
                                "AND peildatum BETWEEN '%s' AND '%s'" % (values.get("gemeente"), FROM, TO))
                times = sorted(set(r[cols.index("time")] for r in rows))
                check(len(times) > 0 and times == sorted(r[0] for r in rounds),
                      "%s: the trend is drawn at the %d assessment rounds' peildata only" % (label, len(rounds)),
                      "times %s, rounds %s" % (times[:3], [r[0] for r in rounds][:3]))

print("grafana-panels: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
PY
