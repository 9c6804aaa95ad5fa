#!/usr/bin/env bash
# Runs a command with a real, unlocked Secret Service (gnome-keyring) on the current D-Bus session bus,
# for the tests of OS-keychain slots. Use it inside a private session bus:
#   dbus-run-session -- bash scripts/with-keyring.sh <command> [args...]
# The keyring lives in a temporary directory (never the user's own keyrings) and is unlocked with a
# throwaway password on stdin. The daemon exits with the session bus.
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: dbus-run-session -- bash scripts/with-keyring.sh <command> [args...]" >&2
  exit 64
fi
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  echo "with-keyring: no D-Bus session bus; run me under dbus-run-session (Debian package: dbus-daemon)" >&2
  exit 1
fi
if ! command -v gnome-keyring-daemon >/dev/null 2>&1; then
  echo "with-keyring: gnome-keyring-daemon missing (Debian package: gnome-keyring); run bash scripts/test-env.sh" >&2
  exit 1
fi

keyring_home="$(mktemp -d "${TMPDIR:-/tmp}/mfakit-keyring.XXXXXX")"
trap 'rm -rf "$keyring_home"' EXIT
mkdir -p "$keyring_home/data" "$keyring_home/runtime"
chmod 700 "$keyring_home/runtime"

# --unlock reads the login keyring password from stdin and creates that keyring unlocked; the
# daemon prints GNOME_KEYRING_CONTROL=... which we export for libsecret clients.
daemon_env="$(printf '%s' "mfakit-test-keyring-$$" |
  XDG_DATA_HOME="$keyring_home/data" XDG_RUNTIME_DIR="$keyring_home/runtime" \
    gnome-keyring-daemon --unlock --components=secrets --daemonize)"
while IFS= read -r line; do
  case "$line" in
    GNOME_KEYRING_CONTROL=*) export "${line?}" ;;
  esac
done <<<"$daemon_env"

# Wait until the Secret Service answers on the bus (the daemon registers its name asynchronously).
for _ in $(seq 1 50); do
  command -v dbus-send >/dev/null 2>&1 || break
  if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; then
    break
  fi
  sleep 0.1
done

"$@"
