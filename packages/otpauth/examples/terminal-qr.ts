import { generateSecret } from '@mfakit/core';
import { buildOtpauthUri, compatibilityWarnings, parseOtpauthUri, renderQrToTerminal } from '@mfakit/otpauth';

// A new account for alice at ACME: 160-bit secret, SHA1, 6 digits, 30 s (what every app supports).
const uri = buildOtpauthUri({ secret: generateSecret(), issuer: 'ACME Co', account: 'alice@example.com' });

for (const warning of compatibilityWarnings(parseOtpauthUri(uri))) console.warn(`warning: ${warning.message}`);
console.log(renderQrToTerminal(uri, { small: true }));
console.log('Scan this with Google Authenticator, Aegis or any TOTP app.');
