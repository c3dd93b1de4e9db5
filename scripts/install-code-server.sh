#!/usr/bin/env bash
# Installs what the real VS Code suite needs, skipping whatever is already there:
# Debian's Chromium and the headers code-server's native modules build against, and
# code-server 4.100.3 (VS Code 1.100.3, the last line that runs on Node 20) into its own
# git-ignored folder, never as a dependency of the extension.
set -euo pipefail
source "$(dirname "$0")/lib/debian-packages.sh"
cd "$(dirname "$0")/.."

CODE_SERVER_VERSION=4.100.3
PREFIX=.vscode-test/code-server
APT_PACKAGES=(libkrb5-dev libxkbfile-dev libsecret-1-dev libx11-dev pkg-config ripgrep chromium)

install_debian_packages "${APT_PACKAGES[@]}"

if [ -x "$PREFIX/node_modules/.bin/code-server" ] && grep -q "\"version\": \"$CODE_SERVER_VERSION\"" "$PREFIX/node_modules/code-server/package.json" 2>/dev/null; then
  echo "code-server $CODE_SERVER_VERSION already installed in $PREFIX"
  exit 0
fi

# code-server's @vscode/ripgrep postinstall downloads ripgrep from GitHub unless it finds the
# archive in its cache folder: give it Debian's rg there.
RG_CACHE="$(node -p "require('os').tmpdir()")/vscode-ripgrep-cache-1.15.11"
RG_ARCHIVE="$RG_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -f "$RG_ARCHIVE" ]; then
  mkdir -p "$RG_CACHE"
  staging="$(mktemp -d)"
  cp /usr/bin/rg "$staging/rg"
  tar -czf "$RG_ARCHIVE" -C "$staging" rg
  rm -rf "$staging"
fi

echo "installing code-server $CODE_SERVER_VERSION into $PREFIX (native modules build from source; a few minutes)"
mkdir -p "$PREFIX"
# --unsafe-perm: its postinstall refuses to run as root otherwise. npm_config_yes: a nested
# `npx node-gyp` would otherwise stop at a prompt.
npm_config_yes=true npm install --prefix "$PREFIX" --unsafe-perm --no-audit --no-fund --no-save "code-server@$CODE_SERVER_VERSION" >"$PREFIX/install.log" 2>&1 || {
  tail -40 "$PREFIX/install.log"
  exit 1
}
echo "code-server installed: $("$PREFIX/node_modules/.bin/code-server" --version | head -1)"
