/**
 * @module
 * "Lost your MFA device?": after the password, one code goes to the user's email and one to
 * their phone (the registry's notifier); both complete the recovery, which deactivates every
 * device, and the user enrolls a new one. Members are reset by their account's root instead.
 */
import { isMfaError } from '@mfakit/core';
import type { FastifyInstance } from 'fastify';
import { Redirect, renderPage, type ServerContext, viewer, withinAccountLimit } from './context.js';
import { csrf, field, html } from './html.js';

export function recoveryRoutes(app: FastifyInstance, context: ServerContext): void {
  const { registry, sessions } = context;
  const sensitive = { config: { rateLimit: { max: context.sensitivePerMinute, timeWindow: '1 minute' } } };

  app.get('/recover', async (request, reply) => {
    const who = await viewer(context, request);
    if (who === undefined) {
      return renderPage(
        reply,
        undefined,
        { title: 'Lost your MFA device?' },
        html`<p>First <a href="/sign-in">sign in with your email and password</a>; the MFA step has a link back here.</p>`,
      );
    }
    return renderPage(
      reply,
      who,
      { title: 'Lost your MFA device?' },
      html`<p>We will send one code to your email address and another to your phone. Enter both to turn off your lost devices; then add a new one.</p>
<form method="post" action="/recover/start">${csrf}<button type="submit">Send recovery codes</button></form>`,
    );
  });

  app.post('/recover/start', sensitive, async (request, reply) => {
    const who = await viewer(context, request);
    if (who === undefined) throw new Redirect('/sign-in');
    try {
      const started = await registry.startRecovery(who.user.id);
      return renderPage(
        reply,
        who,
        { title: 'Enter your recovery codes', notice: 'We sent a code to your email and another to your phone.' },
        completeForm(started.sessionId),
      );
    } catch (error) {
      if (isMfaError(error, 'recovery_not_available')) {
        return renderPage(
          reply,
          who,
          { title: 'Lost your MFA device?', error: "Ask your account's root user to deactivate your lost device." },
          html``,
          403,
        );
      }
      throw error;
    }
  });

  app.post<{ Body: { sessionId: string; emailCode: string; phoneCode: string } }>(
    '/recover/complete',
    {
      ...sensitive,
      schema: {
        body: {
          type: 'object',
          required: ['sessionId', 'emailCode', 'phoneCode'],
          properties: {
            sessionId: { type: 'string', pattern: '^[A-Za-z0-9._:@-]{1,128}$' },
            emailCode: { type: 'string', minLength: 1, maxLength: 16 },
            phoneCode: { type: 'string', minLength: 1, maxLength: 16 },
            _csrf: { type: 'string', maxLength: 200 },
          },
        },
      },
    },
    async (request, reply) => {
      const who = await viewer(context, request);
      if (who === undefined) throw new Redirect('/sign-in');
      const { sessionId, emailCode, phoneCode } = request.body;
      const refuse = (error: string, status: number) =>
        renderPage(reply, who, { title: 'Enter your recovery codes', error }, completeForm(sessionId), status);
      if (!(await withinAccountLimit(context, `recover:${who.user.id}`)))
        return refuse('Too many attempts; wait a few minutes.', 429);
      const session = await registry.config.store.recoverySessions.get(sessionId);
      if (session === undefined || session.userId !== who.user.id)
        return refuse('This recovery is not yours or has ended; start again.', 404);
      const result = await registry.completeRecovery(sessionId, emailCode, phoneCode);
      if (!result.ok) return refuse('Those codes were not accepted.', 401);
      await sessions.start(request, reply, { userId: who.user.id, stage: 'full', mfaAt: registry.config.clock.now() });
      return reply.redirect('/security?notice=recovered', 303);
    },
  );
}

function completeForm(sessionId: string) {
  return html`<form method="post" action="/recover/complete">${csrf}
<input type="hidden" name="sessionId" value="${sessionId}">
${field('Code from the email', 'emailCode', { autocomplete: 'one-time-code', inputmode: 'numeric', maxlength: 16 })}
${field('Code from the text message', 'phoneCode', { autocomplete: 'off', inputmode: 'numeric', maxlength: 16 })}
<p><button type="submit">Recover my account</button></p></form>`;
}
