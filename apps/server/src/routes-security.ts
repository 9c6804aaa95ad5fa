/**
 * @module
 * "Security credentials": the device list and every change to it — an authenticator app (QR as
 * SVG and the secret for manual entry, then MFA code 1 and 2), a hardware token by serial, a
 * security key (WebAuthn, in /static/security-key.js), resync, removal (step-up), recovery codes
 * (shown once). Adding needs a fresh MFA check once a device is active; removing always does.
 */
import { isMfaError } from '@mfakit/core';
import { displayName, removeOwnDevice } from '@mfakit/fastify';
import type { DeviceInfo } from '@mfakit/registry';
import type { FastifyInstance } from 'fastify';
import { renderPage, requireSignedIn, type ServerContext, type Viewer } from './context.js';
import { csrf, field, html, trusted, when } from './html.js';
import { requireFreshMfa } from './routes-auth.js';

const ENROLL_MAX_AGE = 900;
const REMOVE_MAX_AGE = 300;
const text = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength }) as const;
const codes = { code1: text(16), code2: text(16) };
const idParams = {
  type: 'object',
  properties: { deviceId: { type: 'string', pattern: '^[A-Za-z0-9._:@-]{1,128}$' } },
} as const;

const codeFields = html`${field('MFA code 1', 'code1', { autocomplete: 'one-time-code', inputmode: 'numeric', maxlength: 16 })}
${field('MFA code 2 (the next code, after it changes)', 'code2', { autocomplete: 'off', inputmode: 'numeric', maxlength: 16 })}`;

function deviceRow(device: DeviceInfo) {
  const detail =
    device.kind === 'security-key'
      ? device.flaggedAt === null
        ? device.transports.join(', ')
        : html`<strong class="error">flagged: possible clone (${when(device.flaggedAt)})</strong>`
      : (device.serial ?? '');
  return html`<tr>
<td>${device.name}</td><td>${device.kind}</td><td>${detail}</td><td>${device.state}</td>
<td>${when(device.enabledAt)}</td><td>${when(device.lastUsedAt)}</td>
<td>${
    device.state === 'active'
      ? html`${device.kind !== 'security-key' ? html`<details><summary>Resync</summary><form method="post" action="/security/devices/${device.id}/resync">${csrf}${codeFields}<p><button type="submit">Resync</button></p></form></details>` : ''}
<form method="post" action="/security/devices/${device.id}/remove">${csrf}<button type="submit">Remove ${device.name}</button></form>`
      : ''
  }</td></tr>`;
}

async function securityPage(context: ServerContext, who: Viewer, notice?: string, error?: string) {
  const devices = (await context.registry.listDevices(who.user.id)).filter((device) => device.state !== 'deactivated');
  const hasActive = devices.some((device) => device.state === 'active');
  return {
    context: {
      title: 'Security credentials',
      notice:
        notice ??
        (who.login?.mustEnrollMfa && !hasActive
          ? 'Your administrator requires MFA: add a device to continue.'
          : undefined),
      error,
      scripts: ['/static/security-key.js'],
    },
    body: html`
<h2>Multi-factor authentication (MFA)</h2>
${
  devices.length === 0
    ? html`<p>No MFA device yet. Add one below: anyone with your password could otherwise sign in.</p>`
    : html`
<table><caption>Your MFA devices</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Type</th><th scope="col">Serial / details</th><th scope="col">State</th><th scope="col">Enabled</th><th scope="col">Last used</th><th scope="col">Actions</th></tr></thead>
<tbody>${devices.map(deviceRow)}</tbody></table>`
}
<section aria-labelledby="add-virtual"><h2 id="add-virtual">Add an authenticator app</h2>
<form method="post" action="/security/virtual">${csrf}
${field('Device name', 'name', { value: 'Authenticator app', maxlength: 64 })}
<p><button type="submit">Add authenticator app</button></p></form></section>
<section aria-labelledby="add-hardware"><h2 id="add-hardware">Add a hardware TOTP token</h2>
<form method="post" action="/security/hardware">${csrf}
${field('Serial number', 'serial', { maxlength: 64, hint: 'Printed on the back of the token' })}
${codeFields}
<p><button type="submit">Add hardware token</button></p></form></section>
<section aria-labelledby="add-key"><h2 id="add-key">Add a security key</h2>
${field('Key name', 'key-name', { value: 'Security key', maxlength: 64 })}
<p><button type="button" id="security-key-register">Add security key</button></p>
<p id="security-key-status" role="status"></p></section>
<section aria-labelledby="recovery"><h2 id="recovery">Recovery codes</h2>
<p>Single-use codes for when you cannot use your devices. Generating new ones replaces the old set.</p>
<form method="post" action="/security/recovery-codes">${csrf}<button type="submit">Generate recovery codes</button></form></section>`,
  };
}

export function securityRoutes(app: FastifyInstance, context: ServerContext): void {
  const { registry, store, sessions } = context;

  app.get<{ Querystring: { notice?: string; welcome?: string } }>('/security', async (request, reply) => {
    const who = await requireSignedIn(context, request);
    const notices: Record<string, string> = {
      enabled: 'Your MFA device is enabled.',
      removed: 'The device was removed.',
      resynced: 'The device is resynchronised.',
      key: 'Your security key is registered.',
      recovered: 'Your account is recovered: every old MFA device was deactivated. Add a new one now.',
    };
    const notice = request.query.welcome
      ? 'Welcome! Protect your account with an MFA device.'
      : notices[request.query.notice ?? ''];
    const view = await securityPage(context, who, notice);
    return renderPage(reply, who, view.context, view.body);
  });

  app.post<{ Body: { name: string } }>(
    '/security/virtual',
    { schema: { body: { type: 'object', required: ['name'], properties: { name: text(64), _csrf: text(200) } } } },
    async (request, reply) => {
      const who = await requireFreshMfa(context, request, ENROLL_MAX_AGE, '/security');
      const enrollment = await registry.createVirtualDevice(who.user.id, { name: displayName(request.body.name) });
      try {
        const qr = await enrollment.qrSvg();
        return renderPage(
          reply,
          who,
          { title: 'Add an authenticator app' },
          html`<ol>
<li><p>Scan this QR code with your authenticator app (Google Authenticator, Aegis, 1Password…).</p>
<figure class="qr">${trusted(qr)}<figcaption>QR code for ${registry.config.issuer}: ${who.user.name}</figcaption></figure>
<details><summary>Cannot scan? Type the secret instead</summary><p>Secret key: <code class="secret" id="manual-secret">${enrollment.secretBase32.replace(/(.{4})/g, '$1 ').trim()}</code></p>
<p>Time-based, 6 digits, every 30 seconds (SHA-1).</p></details></li>
<li><p>Type two consecutive codes from the app: the current one, then wait for it to change and type the next.</p>
<form method="post" action="/security/virtual/${enrollment.deviceId}/enable">${csrf}${codeFields}
<p><button type="submit">Enable device</button></p></form></li></ol>`,
        );
      } finally {
        enrollment.destroy();
      }
    },
  );

  app.post<{ Params: { deviceId: string }; Body: { code1: string; code2: string } }>(
    '/security/virtual/:deviceId/enable',
    {
      schema: {
        params: idParams,
        body: { type: 'object', required: ['code1', 'code2'], properties: { ...codes, _csrf: text(200) } },
      },
    },
    async (request, reply) => {
      const who = await requireSignedIn(context, request);
      const { deviceId } = request.params;
      const result = await registry.enableDevice(who.user.id, deviceId, request.body.code1, request.body.code2);
      if (!result.ok) {
        return renderPage(
          reply,
          who,
          {
            title: 'Add an authenticator app',
            error: 'Those codes were not accepted. Type the current code, wait for the next one, and type it too.',
          },
          html`<form method="post" action="/security/virtual/${deviceId}/enable">${csrf}${codeFields}<p><button type="submit">Enable device</button></p></form>`,
          422,
        );
      }
      await store.setMustEnrollMfa(who.user.id, false);
      await sessions.start(request, reply, { userId: who.user.id, stage: 'full', mfaAt: registry.config.clock.now() });
      return reply.redirect('/security?notice=enabled', 303);
    },
  );

  app.post<{ Body: { serial: string; code1: string; code2: string } }>(
    '/security/hardware',
    {
      schema: {
        body: {
          type: 'object',
          required: ['serial', 'code1', 'code2'],
          properties: { serial: text(64), ...codes, _csrf: text(200) },
        },
      },
    },
    async (request, reply) => {
      const who = await requireFreshMfa(context, request, ENROLL_MAX_AGE, '/security');
      let error: string | undefined;
      try {
        const result = await registry.assignHardwareDevice(
          who.user.id,
          request.body.serial.trim(),
          request.body.code1,
          request.body.code2,
          { name: `Token ${request.body.serial.trim()}` },
        );
        if (result.ok) {
          await store.setMustEnrollMfa(who.user.id, false);
          await sessions.start(request, reply, {
            userId: who.user.id,
            stage: 'full',
            mfaAt: registry.config.clock.now(),
          });
          return reply.redirect('/security?notice=enabled', 303);
        }
        error = 'Those codes were not accepted.';
      } catch (caught) {
        if (!isMfaError(caught, 'unknown_serial') && !isMfaError(caught, 'invalid_input')) throw caught;
        error = 'No token with this serial number is available.';
      }
      const view = await securityPage(context, who, undefined, error);
      return renderPage(reply, who, view.context, view.body, 422);
    },
  );

  app.post<{ Params: { deviceId: string }; Body: { code1: string; code2: string } }>(
    '/security/devices/:deviceId/resync',
    {
      schema: {
        params: idParams,
        body: { type: 'object', required: ['code1', 'code2'], properties: { ...codes, _csrf: text(200) } },
      },
    },
    async (request, reply) => {
      const who = await requireSignedIn(context, request);
      const result = await registry.resyncDevice(
        who.user.id,
        request.params.deviceId,
        request.body.code1,
        request.body.code2,
      );
      if (result.ok) return reply.redirect('/security?notice=resynced', 303);
      const view = await securityPage(
        context,
        who,
        undefined,
        'Those codes were not accepted; the device was not resynchronised.',
      );
      return renderPage(reply, who, view.context, view.body, 422);
    },
  );

  app.post<{ Params: { deviceId: string } }>(
    '/security/devices/:deviceId/remove',
    { schema: { params: idParams } },
    async (request, reply) => {
      const who = await requireFreshMfa(context, request, REMOVE_MAX_AGE, '/security');
      await removeOwnDevice(registry, who.user.id, request.params.deviceId);
      return reply.redirect('/security?notice=removed', 303);
    },
  );

  app.post('/security/recovery-codes', async (request, reply) => {
    const who = await requireFreshMfa(context, request, ENROLL_MAX_AGE, '/security');
    const generated = await registry.generateRecoveryCodes(who.user.id);
    return renderPage(
      reply,
      who,
      { title: 'Your recovery codes', notice: 'Shown once. Keep them somewhere safe: each signs you in once.' },
      html`<ol class="codes">${generated.map((code) => html`<li><code>${code}</code></li>`)}</ol>
<p><a href="/security">Done</a></p>`,
    );
  });
}
