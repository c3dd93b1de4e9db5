#!/usr/bin/env bash
# Installs the runners the tests DeployRisk writes are run in (test/unit/testScaffolds.test.ts),
# skipping whatever is already there: pytest, Go, RSpec and Minitest, and JUnit 5 and 4 with their
# console runners (the JDK comes with this machine's image; Debian's is installed when it is not).
# vitest, jest and mocha come from npm; unittest and node:test with Python and Node themselves.
# About 90 MB to download (Go is 80 of it), 20 to 40 seconds when nothing is installed yet.
set -euo pipefail
source "$(dirname "$0")/lib/debian-packages.sh"

APT_PACKAGES=(python3-pytest golang-go ruby ruby-rspec ruby-minitest rake junit5 junit4)
command -v javac >/dev/null || APT_PACKAGES+=(default-jdk-headless)

install_debian_packages "${APT_PACKAGES[@]}"

echo "test runners ready: $(go version | cut -d' ' -f3), $(rspec --version | head -1), pytest $(/usr/bin/python3 -m pytest --version 2>&1 | cut -d' ' -f2), $(javac -version 2>&1)"
