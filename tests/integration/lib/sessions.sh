# Concurrent psql sessions for the race tests, ordered by the server's locks.
# Sourced (not run: tests/integration/*.sh does not reach this folder).
#
#   session_open NAME DB        a psql kept open on a pipe; its backend pid in SESSION_PID[NAME]
#   session_run NAME SQL        send SQL and wait for its output, in SESSION_OUTPUT
#   session_send NAME SQL       send SQL without waiting (it may block on a lock)
#   session_recv NAME           wait for the output of the last session_send, in SESSION_OUTPUT
#   session_await NAME          wait until the SQL last sent to NAME has finished or is blocked
#                               on a lock; sets SESSION_STATE to "done" or "blocked <wait_event>
#                               <names of the sessions it waits for>"
# None of them is meant for a subshell: they keep their state in variables.
#   session_close NAME
#
# Needs BINDIR (psql) and WORK (a scratch folder). Errors of SQL sent to a
# session are part of its output (verbose: "ERROR:  <SQLSTATE>: ..."). "done"
# means psql has printed the end marker that follows the SQL; "blocked" comes
# from pg_stat_activity. Polling only observes; the order of events comes from
# the locks. Every wait is bounded (SESSION_TIMEOUT seconds) so a broken test ends.

SESSION_TIMEOUT=${SESSION_TIMEOUT:-120}
SESSION_STATE=
SESSION_OUTPUT=
declare -A SESSION_IN SESSION_OUT SESSION_PROC SESSION_PID SESSION_SEQ SESSION_NAME_OF
declare -A SESSION_BUF SESSION_DONE SESSION_PARTIAL

session_open() { # NAME DB
    local name=$1 db=$2 fin fout
    rm -f "$WORK/$name.in" "$WORK/$name.out"
    mkfifo "$WORK/$name.in" "$WORK/$name.out"
    "$BINDIR/psql" -X -q -t -A -U postgres -d "$db" -v VERBOSITY=verbose \
        <"$WORK/$name.in" >"$WORK/$name.out" 2>&1 &
    SESSION_PROC[$name]=$!
    exec {fin}>"$WORK/$name.in"
    exec {fout}<"$WORK/$name.out"
    SESSION_IN[$name]=$fin
    SESSION_OUT[$name]=$fout
    SESSION_SEQ[$name]=0
    SESSION_PARTIAL[$name]=
    session_run "$name" "SELECT pg_backend_pid();"
    SESSION_PID[$name]=$SESSION_OUTPUT
    case "${SESSION_PID[$name]}" in
        '' | *[!0-9]*) echo "FAIL session $name did not start: ${SESSION_PID[$name]}"; exit 1 ;;
    esac
    SESSION_NAME_OF[${SESSION_PID[$name]}]=$name
}

session_send() { # NAME SQL
    local name=$1
    SESSION_SEQ[$name]=$((SESSION_SEQ[$name] + 1))
    SESSION_BUF[$name]=
    SESSION_DONE[$name]=0
    printf '%s\n\\echo __end_%s\n' "$2" "${SESSION_SEQ[$name]}" >&"${SESSION_IN[$name]}"
}

# Read what NAME printed, for at most TIMEOUT seconds, until its end marker.
session_read() { # NAME TIMEOUT
    local name=$1 line
    while [ "${SESSION_DONE[$name]}" = 0 ]; do
        line=
        if ! IFS= read -r -t "$2" line <&"${SESSION_OUT[$name]}"; then
            # a timed-out read keeps the part of a line it got
            SESSION_PARTIAL[$name]+=$line
            return 1
        fi
        line=${SESSION_PARTIAL[$name]:-}$line
        SESSION_PARTIAL[$name]=
        if [ "$line" = "__end_${SESSION_SEQ[$name]}" ]; then
            SESSION_DONE[$name]=1
        else
            SESSION_BUF[$name]+=$line$'\n'
        fi
    done
}

session_recv() { # NAME
    if ! session_read "$1" "$SESSION_TIMEOUT"; then
        echo "FAIL session $1 gave no answer within ${SESSION_TIMEOUT}s" >&2
        exit 1
    fi
    SESSION_OUTPUT=${SESSION_BUF[$1]%$'\n'}
}

session_run() { # NAME SQL
    session_send "$1" "$2"
    session_recv "$1"
}

# "blocked <wait_event> <blockers>" when NAME waits for a lock, else empty.
session_blocked() { # NAME
    local raw event pids b blockers=""
    raw=$("$BINDIR/psql" -X -q -t -A -U postgres -d postgres -F ' ' -c "
        SELECT a.wait_event, array_to_string(pg_blocking_pids(a.pid), ' ')
          FROM pg_stat_activity a WHERE a.pid = ${SESSION_PID[$1]} AND a.wait_event_type = 'Lock'")
    [ -n "$raw" ] || return 0
    read -r event pids <<<"$raw"
    for b in $pids; do blockers+=" ${SESSION_NAME_OF[$b]:-pid$b}"; done
    echo "blocked $event$blockers"
}

session_await() { # NAME
    local i blocked
    for ((i = 0; i < SESSION_TIMEOUT * 50; i++)); do
        session_read "$1" 0.02 || true
        if [ "${SESSION_DONE[$1]}" = 1 ]; then
            SESSION_STATE=done
            return 0
        fi
        blocked=$(session_blocked "$1")
        if [ -n "$blocked" ]; then
            SESSION_STATE=$blocked
            return 0
        fi
    done
    echo "FAIL session $1 neither finished nor blocked within ${SESSION_TIMEOUT}s" >&2
    exit 1
}

session_close() { # NAME
    local name=$1 fin=${SESSION_IN[$1]} fout=${SESSION_OUT[$1]}
    printf '\\q\n' >&"$fin" 2>/dev/null || true
    exec {fin}>&- {fout}<&-
    wait "${SESSION_PROC[$name]}" 2>/dev/null || true
    unset "SESSION_NAME_OF[${SESSION_PID[$name]}]"
}

# Kill what is left (for an EXIT trap).
session_kill_all() {
    local name
    for name in "${!SESSION_PROC[@]}"; do kill "${SESSION_PROC[$name]}" 2>/dev/null || true; done
}
