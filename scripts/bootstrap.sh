#!/usr/bin/env bash
# Installs what the tests and the local run need and are not yet here: Debian's Python packages for training/,
# Debian's chromium for the report page's browser tests, and Azurite (npm, pinned by package-lock.json). Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

python_modules="torch torchvision onnx numpy scipy PIL matplotlib pytest"
if ! /usr/bin/python3 -c "import $(echo "$python_modules" | tr ' ' ',')" 2>/dev/null; then
  packages="python3-torch python3-torchvision python3-onnx python3-numpy python3-scipy python3-pil python3-matplotlib python3-pytest"
  if [ "$(id -u)" -eq 0 ]; then
    echo "bootstrap: installing Debian packages: $packages"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $packages >/dev/null
  else
    echo "bootstrap: missing Python packages; run: sudo apt-get install -y --no-install-recommends $packages" >&2
    exit 1
  fi
fi

# The report tests drive the system browser by its path (PuppeteerSharp): no browser download.
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "bootstrap: installing Debian's chromium"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
  else
    echo "bootstrap: missing /usr/bin/chromium; run: sudo apt-get install -y --no-install-recommends chromium" >&2
    exit 1
  fi
fi

if [ -f package.json ] && [ ! -x node_modules/.bin/azurite ]; then
  echo "bootstrap: installing Azurite (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi
