#!/usr/bin/env bash
# Fetch the Puppet conformance corpus into .corpus/ (idempotent) and install the reference tools.
#  - every Debian `puppet-module-*` package, unpacked into .corpus/puppet-modules/
#  - Debian `puppet` (the reference parser: `puppet parser validate` / `puppet parser dump`)
#  - `puppet-lint` (the peer for throughput benchmarks)
# Runs as root (apt-get). Re-running skips whatever is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
CORPUS=.corpus
DEBS="$CORPUS/debs"
MODS="$CORPUS/puppet-modules"
mkdir -p "$DEBS" "$MODS"

apt_updated=0
ensure_update() {
  if [ "$apt_updated" = 0 ]; then
    apt-get update -qq || true
    apt_updated=1
  fi
}

# apt-cache only knows the package lists after an update.
if [ -z "$(apt-cache search --names-only '^puppet-module-' 2>/dev/null | head -1)" ]; then
  ensure_update
fi

if ! command -v puppet >/dev/null 2>&1; then
  ensure_update
  # Debian names it `puppet` (bookworm) or `puppet-agent` (trixie and later).
  if apt-cache policy puppet 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq puppet
  else
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq puppet-agent
  fi
fi
if ! command -v puppet-lint >/dev/null 2>&1; then
  ensure_update
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq puppet-lint
fi

mapfile -t pkgs < <(apt-cache search --names-only '^puppet-module-' | awk '{print $1}' | sort -u)
echo "puppet-module packages: ${#pkgs[@]}"
missing=()
for p in "${pkgs[@]}"; do
  if ! ls "$DEBS/${p}_"*.deb >/dev/null 2>&1; then missing+=("$p"); fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "downloading ${#missing[@]} packages"
  # apt-get download writes into the current directory.
  (cd "$DEBS" && apt-get download -qq "${missing[@]}") || {
    # One bad name must not lose the rest: retry one by one.
    for p in "${missing[@]}"; do (cd "$DEBS" && apt-get download -qq "$p") || echo "skip $p"; done
  }
fi
for deb in "$DEBS"/*.deb; do
  name=$(basename "$deb" .deb)
  stamp="$MODS/.extracted-$name"
  [ -e "$stamp" ] && continue
  dpkg -x "$deb" "$MODS"
  touch "$stamp"
done
echo "pp files: $(find "$MODS" -name '*.pp' | wc -l)"
puppet --version
