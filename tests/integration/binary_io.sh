#!/usr/bin/env bash
# Binary send/recv of kbs.profile, kbs.requirement and kbs.coverage through
# libpq: round trips, bad and garbage binary values, binary arrays and
# COPY (FORMAT binary). Builds tests/integration/binary_io.c and runs it.
set -euo pipefail
: "${PGHOST:?run from make check (needs the cluster env)}"
cd "$(dirname "$0")/../.."
PG_CONFIG=${PG_CONFIG:-pg_config}
CC=${CC:-gcc}
OUT=build/integration
mkdir -p "$OUT"
"$CC" -std=c11 -O1 -g -Wall -Wextra -Werror -I"$("$PG_CONFIG" --includedir)" \
    tests/integration/binary_io.c -L"$("$PG_CONFIG" --libdir)" -lpq -o "$OUT/binary_io"
exec "$OUT/binary_io"
