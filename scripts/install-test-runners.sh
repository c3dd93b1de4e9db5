#!/usr/bin/env bash
# Installs the runners the tests DeployRisk writes are run in (test/unit/testScaffolds.test.ts),
# skipping whatever is already there: pytest, Go, RSpec and Minitest, and JUnit 5 and 4 with their
# console runners (the JDK comes with this machine's image; Debian's is installed when it is not).
# vitest, jest and mocha come from npm; unittest and node:test with Python and Node themselves.
# About 90 MB to download (Go is 80 of it), 20 to 40 seconds when nothing is installed yet.
set -euo pipefail

APT_PACKAGES=(python3-pytest golang-go ruby ruby-rspec ruby-minitest rake junit5 junit4)
command -v javac >/dev/null || APT_PACKAGES+=(default-jdk-headless)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

echo "test runners ready: $(go version | cut -d' ' -f3), $(rspec --version | head -1), pytest $(/usr/bin/python3 -m pytest --version 2>&1 | cut -d' ' -f2), $(javac -version 2>&1)"
