/**
 * @module
 * Opens the registry store and the server store: SQLite files in the data directory by default
 * (one file, `mfakit.db`, holds both), PostgreSQL when `DATABASE_URL` is a postgres:// URL (so
 * several instances share users, sessions, devices, throttles and the audit chain). Keys that
 * must be the same on every instance (the data key, the cookie secret) come from the
 * environment, or from files created in the data directory on first start (mode 0600).
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RegistryStore } from '@mfakit/registry';
import { PostgresRegistryStore } from '@mfakit/store-postgres';
import { SqliteRegistryStore } from '@mfakit/store-sqlite';
import type { ServerConfig } from './config.js';
import { PostgresServerStore } from './postgres-server-store.js';
import type { ServerStore } from './server-store.js';
import { SqliteServerStore } from './sqlite-server-store.js';

export interface OpenedDatabase {
  registryStore: RegistryStore;
  serverStore: ServerStore;
  /** What to print on start (a path, or the PostgreSQL host without credentials). */
  description: string;
  close(): Promise<void>;
}

export async function openDatabase(config: ServerConfig): Promise<OpenedDatabase> {
  if (config.databaseUrl !== undefined) {
    if (!/^postgres(ql)?:\/\//.test(config.databaseUrl)) throw new Error('DATABASE_URL must be a postgres:// URL');
    const url = config.databaseUrl;
    const registryStore = await PostgresRegistryStore.connect(url);
    let serverStore: ServerStore;
    try {
      serverStore = await PostgresServerStore.connect(url);
    } catch (error) {
      await registryStore.close();
      throw error;
    }
    const where = new URL(url);
    return {
      registryStore,
      serverStore,
      // Never print the credentials.
      description: `PostgreSQL ${where.hostname}:${where.port || '5432'}${where.pathname}`,
      async close() {
        await serverStore.close();
        await registryStore.close();
      },
    };
  }
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const path = join(config.dataDir, 'mfakit.db');
  const registryStore = await SqliteRegistryStore.open(path, { synchronous: config.sqliteSynchronous });
  const serverStore = new SqliteServerStore(path, { synchronous: config.sqliteSynchronous });
  return {
    registryStore,
    serverStore,
    description: path,
    async close() {
      await serverStore.close();
      await registryStore.close?.();
    },
  };
}

/** A 32-byte secret from the environment (base64) or from a file in the data directory. */
export function secretFromEnvOrFile(
  value: string | undefined,
  dataDir: string,
  file: string,
  name: string,
): Uint8Array {
  if (value !== undefined) {
    const bytes = Buffer.from(value, 'base64');
    if (bytes.length !== 32) throw new RangeError(`${name} must be 32 bytes in base64 (44 characters)`);
    return new Uint8Array(bytes);
  }
  const path = join(dataDir, file);
  if (!existsSync(path)) {
    writeFileSync(path, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  }
  chmodSync(path, 0o600);
  const bytes = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  if (bytes.length !== 32) throw new RangeError(`${path} must hold 32 bytes in base64`);
  return new Uint8Array(bytes);
}
