#!/usr/bin/env bash
# Debian packages the end-to-end tests use; installed only when missing.
set -euo pipefail
need=()
for pkg in ${COSTSPAN_SYSTEM_PACKAGES:-chromium prometheus}; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -eq 0 ]; then
  echo "system packages: nothing to install"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
