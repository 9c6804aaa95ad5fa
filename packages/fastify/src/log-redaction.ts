/**
 * @module
 * pino `redact` paths for an app that logs requests with bodies or headers: the fields of the
 * MFA routes that hold a secret, a code or a recovery code, and the session cookie. The plugin
 * itself logs no body; this is for apps whose own serialisers do.
 */
export const MFA_LOG_REDACT_PATHS: readonly string[] = Object.freeze([
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  '*.code',
  '*.code1',
  '*.code2',
  '*.emailCode',
  '*.phoneCode',
  '*.secret',
  '*.otpauthUri',
  '*.codes',
  '*.password',
  'body.code',
  'body.code1',
  'body.code2',
  'body.password',
]);
