// Durable, never-partial file writes on a local file system, shared by the folder object
// store, the file catalog and the local state store. A reader must never see half a file,
// and a write that resolved must survive a crash: the bytes go to a temporary file in the
// same directory, are fsynced, and only then appear under their name, by rename (replace)
// or by link (create-only: link fails with EEXIST instead of replacing, atomically).
import { randomUUID } from "node:crypto";
import { link, mkdir, open, rename, unlink } from "node:fs/promises";
import { dirname, isAbsolute, posix } from "node:path";
import { fileURLToPath } from "node:url";
import { ConditionFailedError, ExportError, UnavailableError } from "../../core/errors.js";

/** Names of in-flight temporary files start with this; listings skip them. */
export const temporaryFilePrefix = ".tmp-";

/** Failures a later attempt may not meet: a full disk, too many open files, a busy device. */
const transientCodes: ReadonlySet<string> = new Set(["ENOSPC", "EMFILE", "ENFILE", "EBUSY", "EAGAIN", "EIO", "EINTR", "ETIMEDOUT"]);

export interface DurableWriteOptions {
  /** Create only: an existing file is a ConditionFailedError and stays as it was. */
  exclusive?: boolean;
  /** Called when the bytes are durable, just before they appear under `path`; may throw to give up. */
  beforePublish?: () => void;
  /** Create the directory when missing; default true. False: a missing directory fails (isMissing). */
  createDirectory?: boolean;
}

/** Writes `path` whole and durably, creating its directory; see the file comment. */
export async function writeFileDurably(path: string, body: Uint8Array, options: DurableWriteOptions = {}): Promise<void> {
  const directory = dirname(path);
  const temporary = `${directory}/${temporaryFilePrefix}${randomUUID()}`;
  try {
    if (options.createDirectory !== false) await mkdir(directory, { recursive: true });
    const handle = await open(temporary, "wx");
    try {
      await handle.writeFile(body);
      await handle.sync();
    } finally {
      await handle.close();
    }
    options.beforePublish?.();
    if (options.exclusive === true) await link(temporary, path);
    else await rename(temporary, path);
  } catch (error) {
    if (error instanceof ExportError) throw error;
    if (options.exclusive === true && errorCode(error) === "EEXIST") {
      throw new ConditionFailedError(`${path} already exists; a create-only write must not replace it`, error);
    }
    throw fileFailure(`writing ${path}`, error);
  } finally {
    // After a link the temporary name is a second name of the file; after a rename or a
    // failure it may be gone already. Either way it must not stay behind.
    await unlink(temporary).catch(() => undefined);
  }
  await syncDirectory(directory);
}

/** Makes a new or renamed entry of `directory` survive a crash. */
async function syncDirectory(directory: string): Promise<void> {
  try {
    const handle = await open(directory, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw fileFailure(`syncing directory ${directory}`, error);
  }
}

/** A file system error as an ExportError naming the operation; retryable when it may pass. */
export function fileFailure(operation: string, error: unknown): ExportError {
  const code = errorCode(error) ?? "unknown error";
  const detail = error instanceof Error ? error.message : String(error);
  if (transientCodes.has(code)) return new UnavailableError("STORAGE_UNAVAILABLE", `${operation} failed (${code}): ${detail}`, error);
  return new ExportError("INTERNAL", `${operation} failed (${code}): ${detail}`, { cause: error });
}

export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** ENOENT, or ENOTDIR when a file stands where a directory of the path would be. */
export function isMissing(error: unknown): boolean {
  const code = errorCode(error);
  return code === "ENOENT" || code === "ENOTDIR";
}

/**
 * The file system path of a location: an absolute path as Iceberg metadata records it
 * (`/data/warehouse/sales/orders/...`), or a `file:` URI as Spark writes it, which is
 * accepted for reading tables other engines wrote. Anything else, or a path with `.` or `..`
 * segments, is refused: the same object must always have the same location.
 */
export function localPath(location: string): string {
  let path = location;
  if (location.startsWith("file:")) {
    try {
      path = fileURLToPath(location);
    } catch (error) {
      throw new ExportError("INTERNAL", `${location} is not a valid file: URI`, { cause: error });
    }
  }
  if (!isAbsolute(path) || !path.startsWith("/")) throw new ExportError("INTERNAL", `local location ${location} must be an absolute path such as /data/warehouse/...`);
  const trimmed = path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
  if (posix.normalize(trimmed) !== trimmed) throw new ExportError("INTERNAL", `local location ${location} must not contain empty, '.' or '..' segments`);
  return path;
}
