#!/usr/bin/env bash
# Starts the next version of the extension: freezes the install script of the
# current (released) version in extension/released/, creates the update script
# extension/kennisbouwstenen--OLD--NEW.sql and makes NEW the default version.
# From then on every change to sql/ must also go into that update script;
# tests/integration/upgrade.sh compares an updated installation with a fresh one.
#   scripts/new_version.sh 1.1
set -euo pipefail
cd "$(dirname "$0")/.."
new=${1:?usage: scripts/new_version.sh NEW_VERSION}
control=extension/kennisbouwstenen.control
old=$(sed -n "s/^default_version = '\(.*\)'/\1/p" "$control")
[[ "$new" =~ ^[0-9]+\.[0-9]+$ ]] || { echo "version must look like 1.1" >&2; exit 1; }
[ "$new" != "$old" ] || { echo "$new is already the default version" >&2; exit 1; }
frozen=extension/released/kennisbouwstenen--$old.sql
update=extension/kennisbouwstenen--$old--$new.sql
[ ! -e "$frozen" ] || { echo "$frozen exists already" >&2; exit 1; }

# The released script is what sql/ produced at the last commit, not the working tree.
mkdir -p extension/released
{ echo "-- kennisbouwstenen $old as released; frozen by scripts/new_version.sh, do not edit"
  printf '%s\n' '\echo Use "CREATE EXTENSION kennisbouwstenen" to load this file. \quit'
  for f in $(git ls-tree --name-only HEAD sql/ | sort); do echo; echo "-- $f"; git show "HEAD:$f"; done
} >"$frozen"
cat >"$update" <<SQL
-- kennisbouwstenen $old -> $new
\\echo Use "ALTER EXTENSION kennisbouwstenen UPDATE TO '$new'" to load this file. \\quit
SQL
# The upgrade test loads data into the released version with the demo generator as it was.
mkdir -p tests/integration/upgrade_data
git show HEAD:demo/generate.sql >"tests/integration/upgrade_data/generate-$old.sql"
sed -i "s/^default_version = '$old'/default_version = '$new'/" "$control"
echo "froze $frozen; write the changes since $old into $update"
