/**
 * @module
 * Admin pages for an account's root user: users and their devices, create a member (initial
 * password, MFA required at first sign-in), deactivate a member's device, reset a lockout (both
 * need a fresh MFA check), the credential report as CSV, and the audit log with its chain
 * status and a checkpoint to keep elsewhere.
 */
import { isMfaError } from '@mfakit/core';
import { displayName } from '@mfakit/fastify';
import type { FastifyInstance } from 'fastify';
import { renderPage, requireRoot, type ServerContext } from './context.js';
import { csrf, field, html, when } from './html.js';
import { hashPassword, MAX_PASSWORD_LENGTH, passwordProblem } from './passwords.js';
import { requireFreshMfa } from './routes-auth.js';

const ADMIN_MAX_AGE = 300;
const idPattern = '^[A-Za-z0-9._:@-]{1,128}$';

export function adminRoutes(app: FastifyInstance, context: ServerContext): void {
  const { registry, store } = context;

  async function usersPage(accountId: string) {
    const users = await registry.listUsers(accountId);
    const rows = await Promise.all(
      users.map(async (user) => ({
        user,
        devices: (await registry.listDevices(user.id)).filter((d) => d.state !== 'deactivated'),
      })),
    );
    return html`<table><caption>Users of this account</caption>
<thead><tr><th scope="col">User</th><th scope="col">Kind</th><th scope="col">MFA devices</th><th scope="col">Actions</th></tr></thead>
<tbody>${rows.map(
      ({ user, devices }) => html`<tr><td>${user.name}<br><small>${user.email}</small></td><td>${user.kind}</td>
<td>${
        devices.length === 0
          ? 'none'
          : html`<ul>${devices.map(
              (device) =>
                html`<li>${device.name} (${device.kind}, ${device.state}, last used ${when(device.lastUsedAt)})${
                  user.kind === 'member'
                    ? html` <form method="post" action="/admin/users/${user.id}/devices/${device.id}/deactivate" class="inline">${csrf}<button type="submit">Deactivate ${device.name} of ${user.name}</button></form>`
                    : ''
                }</li>`,
            )}</ul>`
      }</td>
<td>${user.kind === 'member' ? html`<form method="post" action="/admin/users/${user.id}/reset-lockout">${csrf}<button type="submit">Reset lockout of ${user.name}</button></form>` : ''}</td></tr>`,
    )}</tbody></table>
<h2>Create a member user</h2>
<form method="post" action="/admin/users">${csrf}
${field('Name', 'name', { maxlength: 64 })}
${field('Email', 'email', { type: 'email', maxlength: 254 })}
${field('Phone', 'phone', { type: 'tel', hint: 'International format, e.g. +14155550100' })}
${field('Initial password', 'password', { type: 'password', autocomplete: 'new-password' })}
<p class="check"><input type="checkbox" id="field-requireMfa" name="requireMfa" value="yes" checked> <label for="field-requireMfa">Require MFA at first sign-in</label></p>
<p><button type="submit">Create user</button></p></form>
<h2>Import hardware TOTP tokens</h2>
<form method="post" action="/admin/hardware-tokens">${csrf}
<p><label for="field-seeds">Vendor seed file (CSV: serial,base32 secret[,digits,period])</label>
<textarea id="field-seeds" name="seeds" rows="4" cols="60" required aria-describedby="field-seeds-hint"></textarea>
<small id="field-seeds-hint">Each token is then added by its holder with its serial and two codes.</small></p>
<p><button type="submit">Import tokens</button></p></form>
<p><a href="/admin/credential-report.csv" download>Download credential report (CSV)</a> · <a href="/admin/audit">Audit log</a></p>`;
  }

  app.get('/admin/users', async (request, reply) => {
    const who = await requireRoot(context, request);
    return renderPage(reply, who, { title: 'Users' }, await usersPage(who.user.accountId));
  });

  app.post<{ Body: { name: string; email: string; phone: string; password: string; requireMfa?: string } }>(
    '/admin/users',
    {
      schema: {
        body: {
          type: 'object',
          required: ['name', 'email', 'phone', 'password'],
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 64 },
            email: { type: 'string', minLength: 1, maxLength: 254 },
            phone: { type: 'string', minLength: 1, maxLength: 16 },
            password: { type: 'string', maxLength: MAX_PASSWORD_LENGTH * 4 },
            requireMfa: { type: 'string', maxLength: 8 },
            _csrf: { type: 'string', maxLength: 200 },
          },
        },
      },
    },
    async (request, reply) => {
      const who = await requireRoot(context, request);
      const email = request.body.email.trim().toLowerCase();
      const again = async (error: string, status = 400) =>
        renderPage(reply, who, { title: 'Users', error }, await usersPage(who.user.accountId), status);
      const problem = passwordProblem(request.body.password, { email, name: request.body.name });
      if (problem !== undefined) return again(problem);
      if ((await store.loginByEmail(email)) !== undefined) return again('A user with this email exists.', 409);
      let member: Awaited<ReturnType<typeof registry.createUser>>;
      try {
        member = await registry.createUser({
          name: displayName(request.body.name),
          email,
          phone: request.body.phone.trim(),
          kind: 'member',
          accountId: who.user.accountId,
        });
      } catch (error) {
        if (isMfaError(error, 'invalid_input')) return again(error.message);
        throw error;
      }
      await store.insertLogin({
        userId: member.id,
        accountId: member.accountId,
        email,
        passwordHash: await hashPassword(request.body.password),
        mustEnrollMfa: request.body.requireMfa === 'yes',
        createdAt: registry.config.clock.now(),
      });
      return renderPage(
        reply,
        who,
        { title: 'Users', notice: `${member.name} can now sign in.` },
        await usersPage(who.user.accountId),
        201,
      );
    },
  );

  app.post<{ Params: { userId: string; deviceId: string } }>(
    '/admin/users/:userId/devices/:deviceId/deactivate',
    {
      schema: {
        params: {
          type: 'object',
          properties: {
            userId: { type: 'string', pattern: idPattern },
            deviceId: { type: 'string', pattern: idPattern },
          },
        },
      },
    },
    async (request, reply) => {
      const who = await requireRoot(context, request);
      await requireFreshMfa(context, request, ADMIN_MAX_AGE, '/admin/users');
      await registry.adminDeactivateDevice(who.user.id, request.params.userId, request.params.deviceId);
      return renderPage(
        reply,
        who,
        { title: 'Users', notice: 'The device was deactivated; its user was told by email.' },
        await usersPage(who.user.accountId),
      );
    },
  );

  app.post<{ Params: { userId: string } }>(
    '/admin/users/:userId/reset-lockout',
    { schema: { params: { type: 'object', properties: { userId: { type: 'string', pattern: idPattern } } } } },
    async (request, reply) => {
      const who = await requireRoot(context, request);
      await requireFreshMfa(context, request, ADMIN_MAX_AGE, '/admin/users');
      await registry.adminResetLockout(who.user.id, request.params.userId);
      return renderPage(
        reply,
        who,
        { title: 'Users', notice: 'The lockout was reset.' },
        await usersPage(who.user.accountId),
      );
    },
  );

  app.post<{ Body: { seeds: string } }>(
    '/admin/hardware-tokens',
    {
      schema: {
        body: {
          type: 'object',
          required: ['seeds'],
          properties: {
            seeds: { type: 'string', minLength: 1, maxLength: 6_000 },
            _csrf: { type: 'string', maxLength: 200 },
          },
        },
      },
    },
    async (request, reply) => {
      const who = await requireRoot(context, request);
      await requireFreshMfa(context, request, ADMIN_MAX_AGE, '/admin/users');
      let notice: string;
      try {
        const { serials } = await registry.importHardwareTokens(request.body.seeds.replace(/\r\n/g, '\n'), {
          actor: who.user.id,
        });
        notice = `Imported ${serials.length} token${serials.length === 1 ? '' : 's'}.`;
      } catch (error) {
        if (
          !isMfaError(error, 'invalid_seed_file') &&
          !isMfaError(error, 'serial_exists') &&
          !isMfaError(error, 'invalid_input')
        ) {
          throw error;
        }
        // The registry's message names the line, never a secret.
        return renderPage(
          reply,
          who,
          { title: 'Users', error: error.message },
          await usersPage(who.user.accountId),
          400,
        );
      }
      return renderPage(reply, who, { title: 'Users', notice }, await usersPage(who.user.accountId));
    },
  );

  app.get('/admin/credential-report.csv', async (request, reply) => {
    const who = await requireRoot(context, request);
    const report = await registry.credentialReport({ accountId: who.user.accountId });
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="credential-report.csv"')
      .header('cache-control', 'no-store')
      .send(report.csv);
  });

  app.get<{ Querystring: { seq?: string; hash?: string } }>('/admin/audit', async (request, reply) => {
    const who = await requireRoot(context, request);
    const chain = await registry.verifyAuditChain();
    const { seq, hash } = request.query;
    let checkpoint: string | undefined;
    if (seq !== undefined && hash !== undefined && /^\d{1,12}$/.test(seq) && /^[0-9a-f]{64}$/.test(hash)) {
      const verdict = await registry.verifyAuditChain({ checkpoint: { seq: Number(seq), hash } });
      checkpoint = verdict.ok
        ? `The log still contains checkpoint ${seq} unchanged.`
        : `Checkpoint ${seq} does not verify (${verdict.reason}).`;
    }
    const records = (await registry.listAudit({ accountId: who.user.accountId })).slice(-200).reverse();
    const names = new Map((await registry.listUsers(who.user.accountId)).map((user) => [user.id, user.name]));
    const person = (id: string | null) => (id === null ? '' : (names.get(id) ?? id));
    return renderPage(
      reply,
      who,
      { title: 'Audit log' },
      html`<p class="${chain.ok ? 'notice' : 'error'}" id="chain-status">${
        chain.ok
          ? `Hash chain verified: ${chain.count} records. Checkpoint to keep elsewhere: seq ${chain.count}, hash ${chain.head}.`
          : `Hash chain broken at record ${chain.seq} (${chain.reason}).`
      }</p>
${checkpoint ? html`<p role="status">${checkpoint}</p>` : ''}
<form method="get" action="/admin/audit"><fieldset><legend>Verify against a checkpoint you kept</legend>
${field('Sequence number', 'seq', { inputmode: 'numeric', maxlength: 12 })}${field('Hash', 'hash', { maxlength: 64 })}
<p><button type="submit">Verify</button></p></fieldset></form>
<table><caption>Latest events of this account (newest first)</caption>
<thead><tr><th scope="col">#</th><th scope="col">Time</th><th scope="col">Event</th><th scope="col">Outcome</th><th scope="col">Actor</th><th scope="col">User</th><th scope="col">Device</th></tr></thead>
<tbody>${records.map(
        (record) =>
          html`<tr><td>${record.seq}</td><td>${when(record.at)}</td><td>${record.event}</td><td>${record.outcome}</td><td>${person(record.actor)}</td><td>${person(record.userId)}</td><td class="id">${record.deviceId ?? ''}</td></tr>`,
      )}</tbody></table>`,
    );
  });
}
