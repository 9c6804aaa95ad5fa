/**
 * @module
 * Sign up (a root user and a new account), sign in by password, the MFA step (code, security
 * key, recovery code), sign out. The session id changes at sign-in and at the MFA step. A wrong
 * email and a wrong password answer alike (and take as long: an argon2 verify either way); every
 * refused code answers alike.
 */
import { isMfaError } from '@mfakit/core';
import { displayName } from '@mfakit/fastify';
import type { FastifyInstance } from 'fastify';
import {
  mfaFresh,
  Redirect,
  renderPage,
  requireSignedIn,
  type ServerContext,
  safeNext,
  viewer,
  withinAccountLimit,
} from './context.js';
import { csrf, field, html } from './html.js';
import { hashPassword, MAX_PASSWORD_LENGTH, passwordProblem, timingDummyHash, verifyPassword } from './passwords.js';

const text = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength }) as const;
export const signUpBody = {
  type: 'object',
  required: ['name', 'email', 'phone', 'password'],
  properties: {
    name: text(64),
    email: text(254),
    phone: text(16),
    password: { type: 'string', maxLength: MAX_PASSWORD_LENGTH * 4 },
    _csrf: text(200),
  },
} as const;

const signUpForm = (values: { name?: string; email?: string; phone?: string } = {}) => html`
<form method="post" action="/sign-up">${csrf}
  ${field('Name', 'name', { autocomplete: 'name', maxlength: 64, ...(values.name ? { value: values.name } : {}) })}
  ${field('Email', 'email', { type: 'email', autocomplete: 'email', maxlength: 254, ...(values.email ? { value: values.email } : {}) })}
  ${field('Phone (for recovery codes by SMS)', 'phone', { type: 'tel', autocomplete: 'tel', hint: 'International format, e.g. +14155550100', ...(values.phone ? { value: values.phone } : {}) })}
  ${field('Password', 'password', { type: 'password', autocomplete: 'new-password', hint: 'At least 8 characters; long passphrases welcome (up to 128).' })}
  <p><button type="submit">Create account</button></p>
</form>`;

const signInForm = html`
<form method="post" action="/sign-in">${csrf}
  ${field('Email', 'email', { type: 'email', autocomplete: 'username', maxlength: 254 })}
  ${field('Password', 'password', { type: 'password', autocomplete: 'current-password' })}
  <p><button type="submit">Sign in</button></p>
</form>
<p><a href="/sign-up">Create an account</a></p>`;

export function authRoutes(app: FastifyInstance, context: ServerContext): void {
  const { registry, store, sessions } = context;
  const sensitive = { config: { rateLimit: { max: context.sensitivePerMinute, timeWindow: '1 minute' } } };

  app.get('/sign-up', async (request, reply) =>
    renderPage(reply, await viewer(context, request), { title: 'Create your account' }, signUpForm()),
  );

  app.post<{ Body: { name: string; email: string; phone: string; password: string } }>(
    '/sign-up',
    { ...sensitive, schema: { body: signUpBody } },
    async (request, reply) => {
      const { name, phone, password } = request.body;
      const email = request.body.email.trim().toLowerCase();
      const again = (error: string, status = 400) =>
        renderPage(
          reply,
          undefined,
          { title: 'Create your account', error },
          signUpForm({ name, email, phone }),
          status,
        );
      const problem = passwordProblem(password, { email, name });
      if (problem !== undefined) return again(problem);
      if ((await store.loginByEmail(email)) !== undefined)
        return again('An account with this email exists; sign in instead.', 409);
      let user: Awaited<ReturnType<typeof registry.createUser>>;
      try {
        user = await registry.createUser({ name: displayName(name), email, phone: phone.trim(), kind: 'root' });
      } catch (error) {
        if (isMfaError(error, 'invalid_input')) return again(error.message);
        throw error;
      }
      const passwordHash = await hashPassword(password);
      if (
        !(await store.insertLogin({
          userId: user.id,
          accountId: user.accountId,
          email,
          passwordHash,
          mustEnrollMfa: false,
          createdAt: registry.config.clock.now(),
        }))
      ) {
        return again('An account with this email exists; sign in instead.', 409);
      }
      await sessions.start(request, reply, { userId: user.id, stage: 'full', mfaAt: null });
      return reply.redirect('/security?welcome=1', 303);
    },
  );

  app.get('/sign-in', async (request, reply) =>
    renderPage(reply, await viewer(context, request), { title: 'Sign in' }, signInForm),
  );

  app.post<{ Body: { email: string; password: string } }>(
    '/sign-in',
    {
      ...sensitive,
      schema: {
        body: {
          type: 'object',
          required: ['email', 'password'],
          properties: {
            email: text(254),
            password: { type: 'string', maxLength: MAX_PASSWORD_LENGTH * 4 },
            _csrf: text(200),
          },
        },
      },
    },
    async (request, reply) => {
      const email = request.body.email.trim().toLowerCase();
      const refuse = (error: string, status = 401) =>
        renderPage(reply, undefined, { title: 'Sign in', error }, signInForm, status);
      if (!(await withinAccountLimit(context, `sign-in:${email}`))) {
        return refuse('Too many sign-in attempts for this account; wait a few minutes.', 429);
      }
      const login = await store.loginByEmail(email);
      const valid = await verifyPassword(login?.passwordHash ?? (await timingDummyHash()), request.body.password);
      if (login === undefined || !valid) return refuse('The email or password is wrong.');
      const devices = await registry.listDevices(login.userId);
      const hasDevice = devices.some((device) => device.state === 'active');
      await sessions.start(request, reply, {
        userId: login.userId,
        stage: hasDevice ? 'password' : 'full',
        mfaAt: null,
      });
      return reply.redirect(hasDevice ? '/sign-in/mfa' : '/security', 303);
    },
  );

  app.get<{ Querystring: { next?: string; reason?: string } }>('/sign-in/mfa', async (request, reply) => {
    const who = await viewer(context, request);
    if (who === undefined) throw new Redirect('/sign-in');
    const next = safeNext(request.query.next);
    const devices = await registry.listDevices(who.user.id);
    const active = devices.filter((device) => device.state === 'active');
    const hasOtp = active.some((device) => device.kind !== 'security-key');
    const hasKey = active.some((device) => device.kind === 'security-key');
    const stepUp = who.session.stage === 'full';
    return renderPage(
      reply,
      who,
      {
        title: stepUp ? 'Confirm it is you' : 'MFA code',
        notice: stepUp ? 'This action needs a fresh MFA check.' : undefined,
        scripts: ['/static/security-key.js'],
      },
      html`
${
  hasOtp
    ? html`<form method="post" action="/sign-in/mfa/code">${csrf}
  <input type="hidden" name="next" value="${next}">
  ${field('MFA code from your authenticator app or token', 'code', { autocomplete: 'one-time-code', inputmode: 'numeric', maxlength: 16 })}
  <p><button type="submit">Verify</button></p>
</form>`
    : ''
}
${
  hasKey
    ? html`<section aria-labelledby="key-heading"><h2 id="key-heading">Security key</h2>
  <p><button type="button" id="security-key-sign-in" data-next="${next}">Use your security key</button></p>
  <p id="security-key-status" role="status"></p></section>`
    : ''
}
<details><summary>Use a recovery code</summary>
<form method="post" action="/sign-in/mfa/recovery-code">${csrf}
  <input type="hidden" name="next" value="${next}">
  ${field('Recovery code', 'code', { autocomplete: 'off', maxlength: 64 })}
  <p><button type="submit">Use recovery code</button></p>
</form></details>
<p><a href="/recover">Lost your MFA device?</a></p>`,
    );
  });

  const codeBody = {
    type: 'object',
    required: ['code'],
    properties: { code: text(64), next: { type: 'string', maxLength: 200 }, _csrf: text(200) },
  } as const;

  for (const kind of ['code', 'recovery-code'] as const) {
    app.post<{ Body: { code: string; next?: string } }>(
      `/sign-in/mfa/${kind}`,
      { ...sensitive, schema: { body: codeBody } },
      async (request, reply) => {
        const who = await viewer(context, request);
        if (who === undefined) throw new Redirect('/sign-in');
        const next = safeNext(request.body.next);
        const refuse = (error: string, status: number) =>
          renderPage(
            reply,
            who,
            { title: 'MFA code', error },
            html`<p><a href="/sign-in/mfa?next=${next}">Try again</a> · <a href="/recover">Lost your MFA device?</a></p>`,
            status,
          );
        if (!(await withinAccountLimit(context, `mfa:${who.user.id}`)))
          return refuse('Too many attempts; wait a few minutes.', 429);
        const result =
          kind === 'code'
            ? await registry.verifySignIn(who.user.id, request.body.code)
            : await registry.useRecoveryCode(who.user.id, request.body.code);
        // Wrong, replayed, malformed, throttled and locked codes all get this one answer.
        if (!result.ok) return refuse('That code was not accepted.', 401);
        await sessions.start(request, reply, {
          userId: who.user.id,
          stage: 'full',
          mfaAt: registry.config.clock.now(),
        });
        return reply.redirect(next, 303);
      },
    );
  }

  app.post('/sign-out', async (request, reply) => {
    await sessions.end(request, reply);
    return reply.redirect('/sign-in', 303);
  });

  app.get('/', async (request, reply) => {
    const who = await viewer(context, request);
    return reply.redirect(
      who === undefined ? '/sign-in' : who.session.stage === 'full' ? '/security' : '/sign-in/mfa',
      303,
    );
  });
}

/** Sends a signed-in user through the MFA step first unless it is fresh (step-up). */
export async function requireFreshMfa(
  context: ServerContext,
  request: Parameters<typeof requireSignedIn>[1],
  maxAgeSeconds: number,
  next: string,
) {
  const who = await requireSignedIn(context, request);
  const active = (await context.registry.listDevices(who.user.id)).some((device) => device.state === 'active');
  if (active && !mfaFresh(context, who.session, maxAgeSeconds))
    throw new Redirect(`/sign-in/mfa?next=${encodeURIComponent(next)}`);
  return who;
}
