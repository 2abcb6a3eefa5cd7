#!/usr/bin/env bash
# A private PostgreSQL installation for this checkout's tests:
#
#   scripts/pgroot.sh DIR    (re)creates DIR and installs this checkout's build into it;
#                            prints the bindir to start servers from
#
# PostgreSQL's extension directories are shared by every checkout on the machine, so
# another checkout's `make install` can replace the extension under a running test.
# PostgreSQL finds its share and lib directories relative to the server binary, so a
# copy of the binaries beside links to the system's files is an installation of its
# own; `make install DESTDIR` puts this checkout's extension into it and nowhere else.
set -euo pipefail
cd "$(dirname "$0")/.."

PG_CONFIG=${PG_CONFIG:-pg_config}
RUN_AS=${KBS_CLUSTER_USER:-postgres}
die() { echo "pgroot.sh: $*" >&2; exit 1; }
[ $# -eq 1 ] || die "usage: pgroot.sh DIR"

BINDIR=$("$PG_CONFIG" --bindir)
SHAREDIR=$("$PG_CONFIG" --sharedir)
PKGLIBDIR=$("$PG_CONFIG" --pkglibdir)

# As root the server runs as $RUN_AS, which must reach the copy; a clone under /root
# is not reachable, so the copy then lives in /tmp behind a symlink.
link=$1
if [ -L "$link" ]; then
    rm -rf "$(readlink "$link")"
    rm -f "$link"
else
    rm -rf "$link"
fi
mkdir -p "$link"
root=$(cd "$link" && pwd -P)
if [ "$(id -u)" -eq 0 ] && ! runuser -u "$RUN_AS" -- test -r "$root" -a -x "$root" 2>/dev/null; then
    rmdir "$root"
    root=$(mktemp -d /tmp/kbs-pgroot.XXXXXX)
    ln -s "$root" "$link"
fi

mkdir -p "$root$BINDIR" "$root$SHAREDIR/extension" "$root$PKGLIBDIR"
# Binaries are copied: the server resolves symbolic links to find its own location.
for b in postgres initdb pg_ctl; do cp "$BINDIR/$b" "$root$BINDIR/"; done
for f in "$PKGLIBDIR"/*; do
    case $(basename "$f") in kennisbouwstenen*) ;; *) ln -s "$f" "$root$PKGLIBDIR/" ;; esac
done
for f in "$SHAREDIR"/*; do
    [ "$(basename "$f")" = extension ] || ln -s "$f" "$root$SHAREDIR/"
done
for f in "$SHAREDIR"/extension/*; do
    case $(basename "$f") in kennisbouwstenen*) ;; *) ln -s "$f" "$root$SHAREDIR/extension/" ;; esac
done
make --no-print-directory install DESTDIR="$root" >/dev/null
chmod -R a+rX "$root"
[ -f "$root$SHAREDIR/extension/kennisbouwstenen.control" ] || die "the extension was not installed into $root"
echo "$root$BINDIR"
