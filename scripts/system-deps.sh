#!/usr/bin/env bash
# Install the Debian packages the test suite needs (Chromium for the browser tests), when
# they are missing and we may install them. Elsewhere say what is missing and go on: the
# browser tests then skip, except under CI=true, where they fail.
set -euo pipefail
packages=()
command -v chromium >/dev/null 2>&1 || packages+=(chromium)
ldconfig -p | grep -q libpangoft2-1.0 || packages+=(libpango-1.0-0 libpangoft2-1.0-0)
command -v pdftoppm >/dev/null 2>&1 || packages+=(poppler-utils)
if ! fc-list 2>/dev/null | grep -qi dejavu; then
  # A font cache older than the installed fonts hides them (pages and PDFs then fall back
  # to a monospaced font): rebuild it before deciding the package is missing.
  fc-cache -f >/dev/null 2>&1 || true
  fc-list 2>/dev/null | grep -qi dejavu || packages+=(fonts-dejavu-core)
fi
[ ${#packages[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing ${packages[*]} ..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
else
  echo "Missing Debian packages: ${packages[*]} (install them with apt-get as root)." >&2
fi
