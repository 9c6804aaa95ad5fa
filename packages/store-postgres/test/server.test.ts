/**
 * Against real servers: migrations (from empty and from every older version, a newer schema
 * refused), bad connections (wrong password, wrong host, another application's schema: a
 * clear MfaError and nothing created), connection loss (a server stopped mid-run: the registry
 * fails closed with store_unavailable, then the pool recovers when the server is back), and no
 * secret at rest in any table.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { isMfaError } from '@mfakit/core';
import { createMfaWorld, enrollPhone, runSecretsAtRestStory, signUp } from '@mfakit/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { restartServer, startCluster, stopCluster, stopServer } from '../../../scripts/postgres-cluster.mjs';
import { POSTGRES_SCHEMA_VERSION, PostgresRegistryStore } from '../src/index.js';
import { describePostgres, dropSchema, freshStore, newSchemaName, POSTGRES_URL, withClient } from './postgres.js';

async function refusal(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: unknown) => error,
  );
}

/** Every table of a schema with its rows as text: what `SELECT *` shows an operator or an attacker. */
async function schemaContents(schema: string): Promise<{ tables: string[]; text: string }> {
  return withClient(async (client) => {
    const tables = (
      await client.query('SELECT tablename FROM pg_tables WHERE schemaname = $1 ORDER BY tablename', [schema])
    ).rows.map((row) => row.tablename as string);
    let text = '';
    for (const table of tables) {
      const rows = await client.query(`SELECT t::text AS row FROM "${schema}"."${table}" t`);
      text += `${table}\n${rows.rows.map((row) => row.row).join('\n')}\n`;
    }
    return { tables, text };
  });
}

describePostgres('PostgreSQL server', () => {
  it('migrates an empty schema, records it, and connects again without change', async () => {
    const store = await freshStore();
    const { tables } = await schemaContents(store.schema);
    expect(tables).toContain('schema_migrations');
    expect(tables).toContain('audit');
    expect(await PostgresRegistryStore.schemaState(POSTGRES_URL, { schema: store.schema })).toEqual({
      version: POSTGRES_SCHEMA_VERSION,
      latest: POSTGRES_SCHEMA_VERSION,
    });
    await store.close();
    await (await PostgresRegistryStore.connect(POSTGRES_URL, { schema: store.schema, migrate: false })).close();
    await dropSchema(store.schema);
  });

  it('migrates from every older version to the same schema as a fresh one, once when instances start together', async () => {
    const columnsOf = (schema: string) =>
      withClient(async (client) =>
        (
          await client.query(
            `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
             WHERE table_schema = $1 ORDER BY table_name, column_name`,
            [schema],
          )
        ).rows.concat(
          (
            await client.query('SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 ORDER BY indexname', [
              schema,
            ])
          ).rows.map((row) => ({
            ...row,
            indexdef: String(row.indexdef).replace(`"${schema}"`, 'S').replace(schema, 'S'),
          })),
        ),
      );
    const fresh = await freshStore();
    for (let version = 0; version < POSTGRES_SCHEMA_VERSION; version++) {
      const schema = newSchemaName();
      await PostgresRegistryStore.migrate(POSTGRES_URL, { schema, to: version });
      const outdated = await refusal(PostgresRegistryStore.connect(POSTGRES_URL, { schema, migrate: false }));
      expect(isMfaError(outdated, 'schema_outdated')).toBe(true);
      // Four instances starting together: the advisory lock lets one migrate, the others find it done.
      const stores = await Promise.all(
        Array.from({ length: 4 }, () => PostgresRegistryStore.connect(POSTGRES_URL, { schema, maxConnections: 1 })),
      );
      for (const store of stores) await store.close();
      const applied = await withClient(
        async (client) => (await client.query(`SELECT version FROM "${schema}".schema_migrations`)).rows,
      );
      expect(applied.map((row) => row.version)).toEqual(
        Array.from({ length: POSTGRES_SCHEMA_VERSION }, (_, i) => i + 1),
      );
      expect(await columnsOf(schema)).toEqual(await columnsOf(fresh.schema));
      await dropSchema(schema);
    }
    await fresh.close();
    await dropSchema(fresh.schema);
  });

  it('keeps a challenge issued before version 3 as one that allows no key', async () => {
    const schema = newSchemaName();
    await PostgresRegistryStore.migrate(POSTGRES_URL, { schema, to: 2 });
    await withClient((client) =>
      client.query(
        `INSERT INTO "${schema}".challenges (id, user_id, ceremony, created_at, expires_at)
         VALUES ('c1', 'u1', 'authentication', 1, 2)`,
      ),
    );
    const store = await PostgresRegistryStore.connect(POSTGRES_URL, { schema, maxConnections: 1 });
    expect(await store.challenges.take('c1')).toEqual({
      id: 'c1',
      userId: 'u1',
      ceremony: 'authentication',
      createdAt: 1,
      expiresAt: 2,
      allowedKeys: [],
    });
    await store.close();
    await dropSchema(schema);
  });

  it('refuses a schema migrated by a newer version, changing nothing', async () => {
    const store = await freshStore();
    await store.close();
    await withClient((client) =>
      client.query(
        `INSERT INTO "${store.schema}".schema_migrations (version, name, applied_at) VALUES (99, 'future', 0)`,
      ),
    );
    const before = await schemaContents(store.schema);
    const error = await refusal(PostgresRegistryStore.connect(POSTGRES_URL, { schema: store.schema }));
    expect(isMfaError(error, 'schema_too_new')).toBe(true);
    expect(await schemaContents(store.schema)).toEqual(before);
    await dropSchema(store.schema);
  });

  it("refuses another application's schema, creating nothing in it", async () => {
    const schema = newSchemaName();
    await withClient(async (client) => {
      await client.query(`CREATE SCHEMA "${schema}"`);
      await client.query(`CREATE TABLE "${schema}".schema_migrations (version varchar PRIMARY KEY)`);
      await client.query(`CREATE TABLE "${schema}".users (id serial PRIMARY KEY, login text)`);
      await client.query(`INSERT INTO "${schema}".users (login) VALUES ('ada')`);
    });
    const before = await schemaContents(schema);
    const error = await refusal(PostgresRegistryStore.connect(POSTGRES_URL, { schema }));
    expect(isMfaError(error, 'store_foreign')).toBe(true);
    expect(await schemaContents(schema)).toEqual(before);
    await dropSchema(schema);
  });

  it('refuses a wrong password or an unreachable host with a clear error that does not echo the password', async () => {
    const url = new URL(POSTGRES_URL);
    url.password = 'wrong-password-canary';
    const denied = await refusal(PostgresRegistryStore.connect(url.toString(), { schema: newSchemaName() }));
    expect(isMfaError(denied, 'store_auth_failed')).toBe(true);
    expect((denied as Error).message).toMatch(/user, password/);
    expect((denied as Error).message).not.toContain('wrong-password-canary');
    const closedPort = new URL(POSTGRES_URL);
    closedPort.port = '1';
    const unreachable = await refusal(
      PostgresRegistryStore.connect(closedPort.toString(), { connectionTimeoutMs: 2000 }),
    );
    expect(isMfaError(unreachable, 'store_unavailable')).toBe(true);
    expect((unreachable as Error).cause).toBeDefined();
    const noDatabase = new URL(POSTGRES_URL);
    noDatabase.pathname = '/no_such_database';
    expect(isMfaError(await refusal(PostgresRegistryStore.connect(noDatabase.toString())), 'store_auth_failed')).toBe(
      true,
    );
  });

  it('keeps no secret, code or recovery code in any table, in any encoding', async () => {
    const store = await freshStore();
    const canaries = await runSecretsAtRestStory(store);
    const { text } = await schemaContents(store.schema);
    // The reading works: what is stored in clear (the user's email) is found.
    expect(text).toContain('canary.1@example.test');
    for (const canary of canaries) expect(text.includes(canary), 'a canary in a table').toBe(false);
    await store.close();
    await dropSchema(store.schema);
  });
});

describePostgres('connection loss', () => {
  let cluster: { url: string } | undefined;
  beforeAll(async () => {
    cluster = await startCluster();
  }, 60_000);
  afterAll(() => {
    if (cluster !== undefined) stopCluster(cluster);
  });

  it('fails closed while the server is down, and recovers when it is back', async () => {
    const server = cluster as { url: string };
    const store = await PostgresRegistryStore.connect(server.url, { connectionTimeoutMs: 2000 });
    const world = createMfaWorld({ store });
    const user = await signUp(world, { name: 'Outage' });
    const { authenticator } = await enrollPhone(world, user);
    const code = authenticator.code();
    stopServer(server);
    const during = await Promise.allSettled(
      Array.from({ length: 5 }, () => world.registry.verifySignIn(user.id, code)),
    );
    for (const outcome of during) {
      expect(outcome.status).toBe('rejected');
      const error = (outcome as PromiseRejectedResult).reason;
      expect(isMfaError(error, 'store_unavailable')).toBe(true);
      expect((error as Error).cause).toBeDefined();
    }
    restartServer(server);
    // Nothing was accepted or counted during the outage: the same code signs in once now.
    expect(await world.registry.verifySignIn(user.id, code)).toMatchObject({ ok: true });
    expect(await world.registry.verifySignIn(user.id, code)).toMatchObject({ ok: false, reason: 'replayed' });
    expect((await world.registry.verifyAuditChain()).ok).toBe(true);
    await store.close();
  }, 120_000);
});

// The migrate command, run as an operator would.
it.skipIf(POSTGRES_URL === '')('runs mfakit-postgres-migrate with the URL from the environment', async () => {
  const schema = newSchemaName();
  const run = (...args: string[]) =>
    execFileSync(process.execPath, ['--conditions=@mfakit/source', '--import', 'tsx', 'src/migrate-cli.ts', ...args], {
      encoding: 'utf8',
      cwd: join(import.meta.dirname, '..'),
      env: { ...process.env, MFAKIT_POSTGRES_URL: POSTGRES_URL },
    });
  expect(run('--schema', schema)).toContain(`schema ${schema}: applied 1, 2, 3; version 3`);
  expect(run('--schema', schema, '--status')).toContain('version 3 (this code: 3)');
  await dropSchema(schema);
});
