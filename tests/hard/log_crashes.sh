#!/usr/bin/env bash
# Prints the lines of a PostgreSQL server log that show a crash: a backend
# killed by a signal or exiting abnormally, a PANIC, an assertion (TRAP), or
# the postmaster's crash recovery. Exit 1 when there is any, 0 when none.
#   tests/hard/log_crashes.sh SERVER_LOG
set -euo pipefail
log=${1:?usage: log_crashes.sh SERVER_LOG}
[ -r "$log" ] || { echo "log_crashes.sh: cannot read $log" >&2; exit 2; }
if grep -aE 'terminated by signal|was terminated by|server process .* exited with exit code|[[:space:]]PANIC:|^TRAP:|FailedAssertion|terminating any other active server processes|all server processes terminated; reinitializing' "$log"; then
    exit 1
fi
exit 0
