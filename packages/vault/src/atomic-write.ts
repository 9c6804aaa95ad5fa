/**
 * @module
 * Crash-safe replacement of the vault file. The new bytes go to a temporary file in the same
 * directory (same filesystem, so rename is atomic), are fsynced, and only then renamed over the
 * vault; the directory is fsynced so the rename itself is durable. Before the rename the current
 * version is hard-linked to `<vault>.bak` (atomically, via a temporary name), so at every instant
 * the vault path holds either the complete old file or the complete new one, and `.bak` holds a
 * complete earlier version.
 *
 * A vault path that is a symbolic link is followed: the file it points to is replaced, in its own
 * directory, and the link stays a link (renaming over the link would silently turn it into a
 * regular file and leave the target stale). The backup is always mode 0600, whatever the mode
 * of the version it keeps.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { chmod, copyFile, link, open, realpath, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export const FILE_MODE = 0o600;

function temporaryPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
}

async function writeSynced(path: string, data: Uint8Array): Promise<void> {
  const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, FILE_MODE);
  try {
    await handle.chmod(FILE_MODE); // the umask may have removed bits, never added; make it exact anyway
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncDirectory(directory: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(directory, constants.O_RDONLY);
    await handle.sync();
  } catch (error) {
    // Windows and some filesystems cannot open or fsync a directory; there, rename durability is theirs.
    const code = (error as NodeJS.ErrnoException).code;
    if (!['EINVAL', 'ENOTSUP', 'EISDIR', 'EPERM', 'EACCES', 'EBADF'].includes(code ?? '')) throw error;
  } finally {
    await handle?.close();
  }
}

async function removeQuietly(path: string): Promise<void> {
  await unlink(path).catch(() => undefined);
}

/** Points `backup` at the current content of `path` (no-op when `path` does not exist). */
async function backUp(path: string, backup: string): Promise<void> {
  const staging = temporaryPath(backup);
  try {
    await link(path, staging);
    // A hard link shares the old file's mode (0644 if someone loosened it): the backup is 0600.
    // This also tightens the old version itself, which is about to be replaced anyway.
    await chmod(staging, FILE_MODE);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    // Filesystems without hard links: copy instead (slower, same guarantees).
    await copyFile(path, staging, constants.COPYFILE_EXCL);
    const handle = await open(staging, constants.O_RDWR);
    try {
      await handle.chmod(FILE_MODE);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
  try {
    await rename(staging, backup);
  } catch (error) {
    await removeQuietly(staging);
    throw error;
  }
}

/** The file `path` names: its target when it is a symbolic link (`path` itself when absent). */
async function resolveTarget(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return path;
    throw error;
  }
}

/**
 * Atomically replaces the file at `path` (following a symbolic link) with `data`, first keeping
 * the current version as `backup`.
 */
export async function replaceFile(path: string, data: Uint8Array, backup: string): Promise<void> {
  const target = await resolveTarget(path);
  const staging = temporaryPath(target);
  try {
    await writeSynced(staging, data);
    await backUp(target, backup);
    await rename(staging, target);
  } catch (error) {
    await removeQuietly(staging);
    throw error;
  }
  await syncDirectory(dirname(target));
}

/**
 * Creates `path` with `data` only if nothing exists there: the complete file appears at once (hard
 * link of a synced temporary file, which fails with EEXIST instead of replacing).
 */
export async function createFileExclusive(path: string, data: Uint8Array): Promise<void> {
  const staging = temporaryPath(path);
  try {
    await writeSynced(staging, data);
    try {
      await link(staging, path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' || code === 'ENOENT') throw error;
      // No hard links here: fall back to write-then-check (a racing creator could win unnoticed).
      await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, FILE_MODE).then((h) => h.close());
      await rename(staging, path);
    }
  } finally {
    await removeQuietly(staging);
  }
  await syncDirectory(dirname(path));
}
