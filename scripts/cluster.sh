#!/usr/bin/env bash
# Throwaway PostgreSQL cluster inside the repository, for the tests and the demo.
#
#   scripts/cluster.sh start DIR     initdb (first time) and start; writes DIR/env
#   scripts/cluster.sh stop DIR      stop (fast) if running
#   scripts/cluster.sh destroy DIR   stop and remove DIR
#   scripts/cluster.sh status DIR    exit 0 when running
#
# DIR/env holds PGHOST, PGPORT, PGUSER for clients: `. DIR/env; psql`.
# With KBS_PGBIN set, the server starts from that bindir (a private installation).
# PostgreSQL refuses to run as root, so as root the server runs as the
# unprivileged user "postgres" (created by Debian's postgresql package).
set -euo pipefail

PG_CONFIG=${PG_CONFIG:-pg_config}
# KBS_PGBIN: the server binaries to use, e.g. a private installation (scripts/pgroot.sh).
BINDIR=${KBS_PGBIN:-$("$PG_CONFIG" --bindir)}
RUN_AS=${KBS_CLUSTER_USER:-postgres}

die() { echo "cluster.sh: $*" >&2; exit 1; }

[ $# -eq 2 ] || die "usage: cluster.sh start|stop|destroy|status DIR"
cmd=$1
mkdir -p "$2"
LINK=$(cd "$2" && pwd -L)
DIR=$(cd "$2" && pwd -P)
DATA=$DIR/data

as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u "$RUN_AS" -- "$@"
    else
        "$@"
    fi
}

running() {
    [ -f "$DATA/postmaster.pid" ] && as_owner "$BINDIR/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

free_port() {
    local p
    for p in $(seq "${KBS_PORT_BASE:-54320}" 54999); do
        # A port is taken when something accepts on it or a socket file claims it.
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && [ ! -e "$DIR/.s.PGSQL.$p" ]; then
            echo "$p"
            return 0
        fi
    done
    die "no free TCP port between ${KBS_PORT_BASE:-54320} and 54999"
}

# The server's user must reach DIR and the socket path must stay short; when
# not (say, a clone under /root), the cluster lives in /tmp behind a symlink.
relocate_if_needed() {
    local reachable=1
    if [ "$(id -u)" -eq 0 ]; then
        id "$RUN_AS" >/dev/null 2>&1 || die "running as root needs the unprivileged user \"$RUN_AS\" (run make deps)"
        chown "$RUN_AS" "$DIR"
        runuser -u "$RUN_AS" -- test -w "$DIR" 2>/dev/null || reachable=0
    fi
    if [ $reachable -eq 0 ] || [ ${#DIR} -ge 90 ]; then
        local real
        real=$(mktemp -d /tmp/kbs-cluster.XXXXXX)
        [ "$(id -u)" -eq 0 ] && chown "$RUN_AS" "$real"
        rmdir "$DIR"
        ln -s "$real" "$DIR"
        DIR=$real
        DATA=$DIR/data
    fi
}

start() {
    [ -L "$LINK" ] || [ -f "$DATA/PG_VERSION" ] || relocate_if_needed
    if [ ! -f "$DATA/PG_VERSION" ]; then
        rm -rf "$DATA"
        as_owner "$BINDIR/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 \
            --locale=C.UTF-8 --no-instructions >"$DIR/initdb.log" 2>&1 ||
            { cat "$DIR/initdb.log" >&2; die "initdb failed"; }
    fi
    if running; then
        return 0
    fi
    local port
    port=$(free_port)
    as_owner "$BINDIR/pg_ctl" -D "$DATA" -l "$DIR/server.log" -w -t 60 \
        -o "-c port=$port -c listen_addresses=127.0.0.1 -c unix_socket_directories='$DIR' -c fsync=off -c max_worker_processes=16 -c max_parallel_workers=8" \
        start >/dev/null || { tail -n 20 "$DIR/server.log" >&2; die "server did not start"; }
    cat >"$DIR/env" <<EOF
export PGHOST='$DIR'
export PGPORT=$port
export PGUSER=postgres
EOF
}

stop() {
    if running; then
        as_owner "$BINDIR/pg_ctl" -D "$DATA" -m fast -w -t 60 stop >/dev/null
    fi
    rm -f "$DIR/env"
}

case "$cmd" in
    start) start ;;
    stop) stop ;;
    destroy) stop; rm -rf "$DIR"; [ -L "$LINK" ] && rm -f "$LINK"; true ;;
    status) running ;;
    *) die "unknown command \"$cmd\"" ;;
esac
