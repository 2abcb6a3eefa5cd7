# shellcheck shell=bash
# Sourced by integration tests, from the repository root: ROOT, BINDIR, PSQL
# (psql as postgres: stop on error, quiet, unaligned tuples only) and the
# counted checks ok and bad (pass and fail).
ROOT=$(pwd)
BINDIR=$(pg_config --bindir)
PSQL=("$BINDIR/psql" -X -v ON_ERROR_STOP=1 -q -t -A -U postgres)
pass=0
fail=0
ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }
