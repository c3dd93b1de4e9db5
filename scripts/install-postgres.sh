#!/usr/bin/env bash
# Installs what the PostgreSQL-backed tests (test/postgres/) need, skipping whatever is already
# there: Debian's PostgreSQL server, and the frameworks that run migrations on it for real
# (Django with psycopg2, Alembic, ActiveRecord with pg). The tests start and stop a throwaway
# cluster of their own; the cluster Debian's package creates is left stopped.
set -euo pipefail

APT_PACKAGES=(postgresql python3-django python3-alembic python3-psycopg2 ruby-activerecord ruby-pg)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  apt-get update -qq
  # policy-rc.d exit 101: the package's default cluster is created but not started.
  policy=/usr/sbin/policy-rc.d
  had_policy=false
  [ -e "$policy" ] && had_policy=true
  $had_policy || { printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"; }
  trap '$had_policy || rm -f "$policy"' EXIT
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

ls /usr/lib/postgresql/*/bin/initdb >/dev/null
echo "PostgreSQL $(ls /usr/lib/postgresql | sort -n | tail -1) ready for the tests"
