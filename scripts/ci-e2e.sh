#!/usr/bin/env bash
# CI: the end-to-end tests in Chromium. Expects the repository's `npm install` to have run (it
# builds the native addon and installs playwright-core). Installs Debian's Chromium if missing;
# never downloads Playwright's browsers.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ] && [ -z "${CHROMIUM_PATH:-}" ]; then
  echo "== apt-get install chromium"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y chromium
fi
"${CHROMIUM_PATH:-/usr/bin/chromium}" --version || true

echo "== npm run test:e2e"
npm run test:e2e
