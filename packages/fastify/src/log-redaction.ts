/**
 * @module
 * pino `redact` paths for an app that logs requests with bodies or headers: the fields of the
 * MFA routes that hold a secret, a code or a recovery code, and the session cookie. The plugin
 * itself logs no body; this is for apps whose own serialisers do.
 */

/**
 * pino `redact` paths for an app that logs requests or responses with bodies or headers: the
 * session cookie, `Authorization`, `Set-Cookie`, and every field of the MFA routes that holds a
 * code, a recovery code, a secret or an otpauth URI — pass them as
 * `Fastify({ logger: { redact: [...MFA_LOG_REDACT_PATHS] } })`. The plugin itself logs no body.
 * pino's `*` matches one level only: `*.code` covers `{ body: { code } }` but not
 * `{ req: { body: { code } } }`, so a body logged deeper needs paths of its own.
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
