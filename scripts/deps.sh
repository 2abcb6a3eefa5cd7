#!/usr/bin/env bash
# Installs what the build, the tests and the demo need on Debian 12 (apt, as root).
# Quiet and quick when everything is already there.
set -euo pipefail

PACKAGES=(
    postgresql-15 postgresql-server-dev-15   # server, headers and PGXS
    build-essential libcunit1-dev libpq-dev  # C build, unit tests, libpq for tests/integration
    clang libclang-rt-14-dev                 # libFuzzer and sanitizers
    chromium fonts-dejavu-core               # browser tests of the dashboards
    libxlsxwriter-dev libzip-dev libxml2-dev # forms: write .xlsx, read .xlsx (zip + XML)
    libreoffice-calc-nogui                   # forms round trip through a real spreadsheet program
)
# ECharts, playwright-core and axe-core come from npm; any Node.js 18+ with npm will do.
command -v node >/dev/null 2>&1 || PACKAGES+=(nodejs)
command -v npm >/dev/null 2>&1 || PACKAGES+=(npm)
command -v python3 >/dev/null 2>&1 || PACKAGES+=(python3)   # JSON handling in integration tests
# Extra lists, only when asked for: `scripts/deps.sh hard` for make check-hard.
for extra in "$@"; do
    case "$extra" in
        hard) PACKAGES+=(sqlsmith) ;;            # random SQL against the extension
        *) echo "make deps: unknown extra package list \"$extra\"" >&2; exit 1 ;;
    esac
done
missing=()
for p in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
    echo "make deps: missing Debian packages: ${missing[*]}" >&2
    echo "make deps: run as root:  apt-get update && $cmd" >&2
    exit 1
fi
echo "make deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/kbs-apt.log 2>&1 ||
    { tail -n 30 /tmp/kbs-apt.log >&2; echo "make deps: apt-get failed (full log: /tmp/kbs-apt.log)" >&2; exit 1; }
