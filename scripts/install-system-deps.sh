#!/usr/bin/env bash
# Debian packages the app and its tests need: LibreOffice for DOCX->PDF, fonts with Cyrillic,
# poppler (pdftotext/pdftoppm) for reading PDFs back, Chromium for the browser tests.
# Idempotent: does nothing when everything is already present.
set -euo pipefail
PACKAGES=(
  libreoffice-writer-nogui python3-uno
  fonts-liberation2 fonts-crosextra-carlito fonts-dejavu-core
  poppler-utils
  chromium
  zbar-tools
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
