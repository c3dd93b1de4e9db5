# Sourced by the install scripts: Debian's packages installed only when missing, so a machine that
# has them (a developer's, CI run again) spends a dpkg query per package and nothing else.

# The packages named that are not installed, one a line.
missing_debian_packages() {
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || echo "$pkg"
  done
}

# Installs the packages named that are missing, without recommends, quietly.
install_debian_packages() {
  local missing
  mapfile -t missing < <(missing_debian_packages "$@")
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
