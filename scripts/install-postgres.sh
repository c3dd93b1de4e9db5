#!/usr/bin/env bash
# Installs what the PostgreSQL-backed tests (test/postgres/) need, skipping whatever is already
# there: Debian's PostgreSQL server, and the frameworks that run migrations on it for real
# (Django with psycopg2, Alembic, ActiveRecord with pg). The tests start and stop a throwaway
# cluster of their own; the cluster Debian's package creates is left stopped.
set -euo pipefail
source "$(dirname "$0")/lib/debian-packages.sh"

APT_PACKAGES=(postgresql python3-django python3-alembic python3-psycopg2 ruby-activerecord ruby-pg)

if [ -n "$(missing_debian_packages "${APT_PACKAGES[@]}")" ]; then
  # policy-rc.d exit 101: the package's default cluster is created but not started.
  policy=/usr/sbin/policy-rc.d
  had_policy=false
  [ -e "$policy" ] && had_policy=true
  $had_policy || { printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"; }
  trap '$had_policy || rm -f "$policy"' EXIT
  install_debian_packages "${APT_PACKAGES[@]}"
fi

ls /usr/lib/postgresql/*/bin/initdb >/dev/null
echo "PostgreSQL $(ls /usr/lib/postgresql | sort -n | tail -1) ready for the tests"
