/** @jsxRuntime automatic */
/** @jsxImportSource react */
/**
 * @module
 * Adding an account: paste an otpauth URI, or fill in the fields. Every field is checked as it is
 * typed; Enter adds when everything is valid, Esc cancels.
 */
import type { NewAccount } from '@mfakit/vault';
import { Box, Text } from 'ink';
import { type AccountFieldsInput, type FieldName, validateAccountFields } from '../accounts/account-fields.js';
import { fromOtpAccount } from '../accounts/convert.js';
import { TextField } from './TextField.js';
import { useFieldsInput } from './use-fields-input.js';

type Field = 'uri' | FieldName;

const FIELDS: { name: Field; label: string; mask?: boolean; hint?: string }[] = [
  { name: 'uri', label: 'otpauth URI', mask: true },
  { name: 'issuer', label: 'Issuer' },
  { name: 'account', label: 'Account' },
  { name: 'secret', label: 'Secret', mask: true },
  { name: 'type', label: 'Type', hint: 'totp' },
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

export function checkAddForm(values: Partial<Record<Field, string>>, parseUri: ParseUri) {
  const uri = (values.uri ?? '').trim();
  if (uri !== '') {
    try {
      return {
        ok: true as const,
        account: fromOtpAccount(parseUri(uri)),
        errors: {} as Partial<Record<Field, string>>,
      };
    } catch (error) {
      return { ok: false as const, errors: { uri: (error as Error).message } as Partial<Record<Field, string>> };
    }
  }
  const fields: AccountFieldsInput = { ...values };
  const result = validateAccountFields(fields);
  const errors: Partial<Record<Field, string>> = result.ok ? {} : result.errors;
  return result.ok ? { ok: true as const, account: result.account, errors } : { ok: false as const, errors };
}

export function AddForm({ parseUri, error, onSubmit, onCancel }: AddFormProps) {
  const { values, focus } = useFieldsInput(
    FIELDS.map((field) => field.name),
    {},
    {
      onCancel,
      onSubmit: (latest) => {
        const result = checkAddForm(latest, parseUri);
        if (result.ok) onSubmit(result.account);
      },
    },
  );
  const check = checkAddForm(values, parseUri);
  const usingUri = (values.uri ?? '').trim() !== '';
  return (
    <Box flexDirection="column">
      <Text bold>Add an account</Text>
      <Text dimColor>
        Paste an otpauth:// URI, or fill in the fields below it. Tab/↑↓ move, Enter adds, Esc cancels.
      </Text>
      {FIELDS.map((field, index) => (
        <Box key={field.name}>
          <TextField
            label={field.label}
            value={values[field.name] ?? ''}
            focused={focus === index}
            mask={field.mask === true}
            error={check.errors[field.name]}
          />
          {(values[field.name] ?? '') === '' && field.hint !== undefined && !usingUri ? (
            <Text dimColor>{` (${field.hint})`}</Text>
          ) : null}
        </Box>
      ))}
      <Box marginTop={1} flexDirection="column">
        {error === undefined ? null : <Text color="red">{error}</Text>}
        {check.ok ? (
          <Text color="green">Ready: Enter adds this account.</Text>
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
  if ((values.secret ?? '') === '' || ((values.issuer ?? '') === '' && (values.account ?? '') === '')) {
    return 'Fill in the issuer and/or account, and the secret.';
  }
  return 'Fix the fields marked in red.';
}
