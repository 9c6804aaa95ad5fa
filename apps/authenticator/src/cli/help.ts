/**
 * @module
 * `mfakit --help`.
 */
export const HELP = `mfakit — a terminal authenticator (TOTP/HOTP/Steam Guard) on an encrypted vault

Usage:
  mfakit [--lock-after MINUTES]
      the interactive app: live codes, search, add, import, QR codes; locks
      after 5 minutes without a key (0: never)
  mfakit init [--keychain] [--passphrase] [--scrypt-log-n 15-18]
      create the vault: key in the OS keychain by default, a passphrase with
      --passphrase or when MFAKIT_PASSPHRASE is set
  mfakit add --uri URI|-
      add an otpauth:// URI ('-' reads it from stdin)
  mfakit add --issuer I --account A --secret BASE32|- [--type totp|hotp|steam]
      [--digits 6-8] [--period S] [--algorithm SHA1|SHA256|SHA512]
      [--counter N] [--note T]
      add an account from its fields
  mfakit list [QUERY] [--show]
      accounts and their notes (--show adds the base32 secrets)
  mfakit code QUERY [--copy]
      the current code of one account (HOTP: then the counter advances);
      --copy: to the clipboard instead, cleared after 30 s
  mfakit codes [QUERY]
      the current codes of every matching TOTP and Steam account
  mfakit import FILE|URI|- [--password P]
      otpauth URI lists, Google Authenticator transfers, Aegis (plain or
      encrypted), 2FAS, andOTP, FreeOTP+ and Bitwarden exports
  mfakit export [QUERY] --format uri|qr|ga|aegis [--qr] [--password P]
      [--output FILE]
      uri: otpauth URIs; qr: a QR code per account; ga: Google Authenticator
      transfer URIs (--qr: as QR codes); aegis: Aegis JSON (encrypted with
      --password)
  mfakit remove QUERY [--yes]
      delete one account (asks unless --yes)
  mfakit rename QUERY [--issuer I] [--account A]
      rename one account
  mfakit passwd [--scrypt-log-n N]
      set or change the vault passphrase

QUERY: an account id, "issuer", "name", "issuer:name", a part of them, or their
letters in order.

Options:
  --vault PATH   vault file (default: MFAKIT_VAULT, else
                 ~/.config/mfakit/vault.mfakit)
  --json         machine-readable output on stdout
  -h, --help     this help;  -v, --version  the version

Environment:
  MFAKIT_VAULT             vault file
  MFAKIT_PASSPHRASE        unlocks the passphrase slot (in init: a passphrase
                           vault)
  MFAKIT_NEW_PASSPHRASE    new passphrase for passwd
  MFAKIT_IMPORT_PASSWORD   password of an encrypted Aegis import
  MFAKIT_EXPORT_PASSWORD   password for an encrypted Aegis export
  MFAKIT_LOCK_AFTER        minutes without a key before the app locks (0: never)

Secrets are printed only by export and list --show. Messages go to stderr,
results to stdout.

Exit codes:
  0   success
  1   unexpected error, or a confirmation answered "no"
  2   QUERY matched no account or several (the matches are listed)
  3   vault locked: wrong or missing passphrase, keychain unavailable or empty
  4   vault file missing, already exists, damaged, tampered with, newer format,
      or an I/O error (also: an --output file that exists)
  5   invalid input: URI, secret, parameter or import file
  64  usage error: unknown command or option, missing argument
  130 cancelled at a prompt (Ctrl-C)
`;
