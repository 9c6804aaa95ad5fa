#!/usr/bin/env bash
# Runs a command with a real, unlocked Secret Service (gnome-keyring) on the current D-Bus session bus,
# for the tests of OS-keychain slots. Use it inside a private session bus:
#   dbus-run-session -- bash scripts/with-keyring.sh <command> [args...]
# The keyring lives in a temporary directory (never the user's own keyrings) and is unlocked with a
# throwaway password on stdin. The daemon is stopped and the directory removed when the command ends.
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: dbus-run-session -- bash scripts/with-keyring.sh <command> [args...]" >&2
  exit 64
fi
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  echo "with-keyring: no D-Bus session bus; run me under dbus-run-session (Debian package: dbus-daemon)" >&2
  exit 1
fi
for tool in gnome-keyring-daemon:gnome-keyring dbus-send:dbus-bin; do
  if ! command -v "${tool%%:*}" >/dev/null 2>&1; then
    echo "with-keyring: ${tool%%:*} missing (Debian package: ${tool##*:}); run bash scripts/test-env.sh" >&2
    exit 1
  fi
done

keyring_home="$(mktemp -d "${TMPDIR:-/tmp}/mfakit-keyring.XXXXXX")"
mkdir -p "$keyring_home/data" "$keyring_home/runtime"
chmod 700 "$keyring_home/runtime"

# --unlock reads the login keyring's password from stdin and creates that keyring unlocked. Kept in the
# foreground (as a background job of this script) so that we know its pid and can stop it.
printf '%s' "mfakit-test-keyring-$$" |
  XDG_DATA_HOME="$keyring_home/data" XDG_RUNTIME_DIR="$keyring_home/runtime" \
    gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null &
daemon_pid=$!
cleanup() {
  kill "$daemon_pid" 2>/dev/null || true
  wait "$daemon_pid" 2>/dev/null || true
  rm -rf "$keyring_home"
}
trap cleanup EXIT

# Wait until our daemon owns the Secret Service name; a client asking earlier would make D-Bus
# auto-activate a second, locked gnome-keyring instead.
ready=0
for _ in $(seq 1 100); do
  if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; then
    ready=1
    break
  fi
  kill -0 "$daemon_pid" 2>/dev/null || break
  sleep 0.1
done
if [ "$ready" -ne 1 ]; then
  echo "with-keyring: gnome-keyring-daemon did not register org.freedesktop.secrets on the session bus" >&2
  exit 1
fi

"$@"
