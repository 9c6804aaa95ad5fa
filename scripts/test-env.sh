#!/usr/bin/env bash
# Prepares this machine for mfakit's test suites: installs the system tools the tests use when they
# are missing (Debian packages), and says exactly what to install where it cannot.
# Later suites add their tools to REQUIRED below ("command:debian-package").
set -euo pipefail

REQUIRED=(
  "oathtool:oathtool"   # RFC 4226/6238 reference implementation for interop tests
  "dbus-run-session:dbus-daemon"            # private D-Bus session bus for the OS-keychain tests
  "dbus-send:dbus-bin"                      # scripts/with-keyring.sh waits for the Secret Service with it
  "gnome-keyring-daemon:gnome-keyring"      # a real Secret Service (scripts/with-keyring.sh)
  "secret-tool:libsecret-tools"             # the vault tests check keychain entries with libsecret's tool
  "tmux:tmux"                               # the authenticator's real-terminal end-to-end test
  "Xvfb:xvfb"                               # a private X server for the clipboard tests
  "xclip:xclip"                             # the clipboard tests copy and paste with the real xclip
  "xsel:xsel"                               # ... and with the real xsel
  "weston:weston"                           # a Wayland compositor (on that X server) for wl-copy
  "wl-copy:wl-clipboard"                    # wl-copy and wl-paste
  "ps:procps"                               # the clipboard tests check what `ps` shows of a pending clearing
  "chromium:chromium"                       # core + otpauth bundled for the browser run in real Chromium
  "soffice:libreoffice-calc-nogui"          # the credential report CSV opened by a real spreadsheet
)

missing_packages=()
for entry in "${REQUIRED[@]}"; do
  command_name="${entry%%:*}"
  package_name="${entry##*:}"
  if ! command -v "$command_name" >/dev/null 2>&1; then
    missing_packages+=("$package_name")
  fi
done

# PostgreSQL for the store-postgres tests (scripts/postgres-cluster.mjs starts a throwaway cluster):
# Debian puts initdb/pg_ctl in /usr/lib/postgresql/<version>/bin, not on PATH.
has_postgres() {
  command -v initdb >/dev/null 2>&1 && return 0
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null
}
if ! has_postgres; then
  missing_packages+=("postgresql")
fi

if [ "${#missing_packages[@]}" -eq 0 ]; then
  echo "test-env: all system tools present"
  exit 0
fi

echo "test-env: installing missing Debian packages: ${missing_packages[*]}"
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  apt_get() { DEBIAN_FRONTEND=noninteractive apt-get "$@"; }
  apt_get update -qq
  apt_get install -y -qq --no-install-recommends "${missing_packages[@]}" >/dev/null
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null && command -v apt-get >/dev/null 2>&1; then
  sudo -n env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing_packages[@]}" >/dev/null
else
  echo "test-env: cannot install packages here (need root and apt-get)." >&2
  echo "test-env: install these yourself, then run the tests again: ${missing_packages[*]}" >&2
  echo "test-env:   Debian/Ubuntu: sudo apt-get install ${missing_packages[*]}" >&2
  echo "test-env:   macOS (Homebrew): brew install oath-toolkit" >&2
  exit 1
fi

for entry in "${REQUIRED[@]}"; do
  command_name="${entry%%:*}"
  command -v "$command_name" >/dev/null 2>&1 || { echo "test-env: $command_name still missing after install" >&2; exit 1; }
done
has_postgres || { echo "test-env: PostgreSQL (initdb) still missing after install" >&2; exit 1; }
echo "test-env: ready"
