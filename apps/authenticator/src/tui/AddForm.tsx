/** @jsxRuntime automatic */
/** @jsxImportSource react */
/**
 * @module
 * Adding an account: paste an otpauth URI, or fill in the fields. Every field is checked as it is
 * typed; Enter adds when everything is valid, Esc cancels.
 */

import { base32Decode } from '@mfakit/core';
import type { NewAccount } from '@mfakit/vault';
import { Box, Text } from 'ink';
import { useState } from 'react';
import { type AccountFieldsInput, type FieldName, validateAccountFields } from '../accounts/account-fields.js';
import { fromOtpAccount } from '../accounts/convert.js';
import { accountLabel } from '../accounts/otp-code.js';
import { TextField } from './TextField.js';
import { useFieldsInput } from './use-fields-input.js';

type Field = 'uri' | FieldName;

const FIELDS: { name: Field; label: string; mask?: boolean; hint?: string }[] = [
  { name: 'uri', label: 'otpauth URI', mask: true },
  { name: 'issuer', label: 'Issuer' },
  { name: 'account', label: 'Account' },
  { name: 'secret', label: 'Secret', mask: true },
  { name: 'type', label: 'Type', hint: 'totp, hotp or steam' },
  { name: 'digits', label: 'Digits', hint: '6' },
  { name: 'period', label: 'Period (s)', hint: '30' },
  { name: 'algorithm', label: 'Algorithm', hint: 'SHA1' },
  { name: 'counter', label: 'Counter', hint: '0' },
];

export type ParseUri = (uri: string) => import('@mfakit/otpauth').OtpAccount;

export interface AddFormProps {
  parseUri: ParseUri;
  /** Why the last Enter did not add the account (shown in red; the form stays open). */
  error?: string | undefined;
  onSubmit: (account: NewAccount) => void;
  onCancel: () => void;
}

/** Text that is not a URI but decodes as base32: a secret pasted into the URI field. */
function isBareSecret(text: string): boolean {
  if (/^[a-z][a-z0-9+.-]*:/i.test(text)) return false;
  try {
    const bytes = base32Decode(text);
    const ok = bytes.length >= 10;
    bytes.fill(0);
    return ok;
  } catch {
    return false;
  }
}

export function checkAddForm(values: Partial<Record<Field, string>>, parseUri: ParseUri) {
  const uri = (values.uri ?? '').trim();
  // A secret pasted where the URI goes is taken as the secret, not refused.
  const secretInUri = uri !== '' && (values.secret ?? '').trim() === '' && isBareSecret(uri);
  if (uri !== '' && !secretInUri) {
    try {
      const parsed = parseUri(uri);
      return {
        ok: true as const,
        account: fromOtpAccount(parsed),
        errors: {} as Partial<Record<Field, string>>,
        secretInUri,
        ...(parsed.labelIssuer === undefined ? {} : { labelIssuer: parsed.labelIssuer }),
      };
    } catch (error) {
      return {
        ok: false as const,
        errors: { uri: (error as Error).message } as Partial<Record<Field, string>>,
        secretInUri,
      };
    }
  }
  const fields: AccountFieldsInput = secretInUri ? { ...values, secret: uri } : { ...values };
  const result = validateAccountFields(fields);
  const errors: Partial<Record<Field, string>> = result.ok ? {} : result.errors;
  return result.ok
    ? { ok: true as const, account: result.account, errors, secretInUri }
    : { ok: false as const, errors, secretInUri };
}

/** The default a field shows while empty: a Steam Guard token has 5 characters. */
function defaultShown(name: Field, hint: string, type: string | undefined): string {
  return name === 'digits' && type?.trim().toLowerCase() === 'steam' ? '5' : hint;
}

/** "GitHub (alice) · TOTP, 6 digits, 30 s, SHA1": what Enter will add. */
function describeNew(account: NewAccount): string {
  const label = accountLabel({ issuer: account.issuer ?? '', name: account.name ?? '' });
  const type = account.type ?? 'totp';
  if (type === 'steam') return `${label} · Steam Guard, 5 characters, 30 s`;
  const timing = type === 'hotp' ? `counter ${account.counter ?? 0}` : `${account.period ?? 30} s`;
  return `${label} · ${type.toUpperCase()}, ${account.digits ?? 6} digits, ${timing}, ${account.algorithm ?? 'SHA1'}`;
}

export function AddForm({ parseUri, error, onSubmit, onCancel }: AddFormProps) {
  const [reveal, setReveal] = useState(false);
  const { values, focus } = useFieldsInput(
    FIELDS.map((field) => field.name),
    {},
    {
      onCancel,
      onCtrl: (letter) => {
        if (letter === 't') setReveal((shown) => !shown);
      },
      onSubmit: (latest) => {
        const result = checkAddForm(latest, parseUri);
        if (result.ok) onSubmit(result.account);
      },
    },
  );
  const check = checkAddForm(values, parseUri);
  const usingUri = (values.uri ?? '').trim() !== '' && !check.secretInUri;
  return (
    <Box flexDirection="column">
      <Text bold>Add an account</Text>
      <Text dimColor>
        Paste an otpauth:// URI (or a secret), or fill in the fields. Tab/↑↓ move, Ctrl-T shows the hidden fields, Enter
        adds, Esc cancels.
      </Text>
      {FIELDS.map((field, index) => (
        <Box key={field.name}>
          <TextField
            label={field.label}
            value={values[field.name] ?? ''}
            focused={focus === index}
            mask={field.mask === true && !reveal}
            error={field.name === 'uri' && check.secretInUri ? undefined : check.errors[field.name]}
          />
          {field.name === 'uri' && check.secretInUri ? <Text color="cyan">{'  taken as the secret'}</Text> : null}
          {(values[field.name] ?? '') === '' && field.hint !== undefined && !usingUri ? (
            <Text dimColor>{` (${defaultShown(field.name, field.hint, values.type)})`}</Text>
          ) : null}
        </Box>
      ))}
      <Box marginTop={1} flexDirection="column">
        {error === undefined ? null : <Text color="red">{error}</Text>}
        {check.ok ? (
          <Box flexDirection="column">
            <Text color="green" wrap="truncate-end">{`Ready: Enter adds ${describeNew(check.account)}.`}</Text>
            {'labelIssuer' in check && check.labelIssuer !== undefined ? (
              <Text color="yellow">{`! The label says "${check.labelIssuer}", the issuer parameter "${check.account.issuer}": the parameter is used.`}</Text>
            ) : null}
          </Box>
        ) : (
          <Text color="yellow">{hint(usingUri, check.errors, values)}</Text>
        )}
      </Box>
    </Box>
  );
}

function hint(
  usingUri: boolean,
  errors: Partial<Record<Field, string>>,
  values: Partial<Record<Field, string>>,
): string {
  if (usingUri) return `URI: ${errors.uri ?? 'not valid'}`;
  if ((values.issuer ?? '') === '' && (values.account ?? '') === '') return 'Fill in the issuer and/or account.';
  if ((values.secret ?? '') === '' && (values.uri ?? '') === '') {
    return 'Fill in the issuer and/or account, and the secret.';
  }
  return 'Fix the fields marked in red.';
}
