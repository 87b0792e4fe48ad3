import { open } from "node:fs/promises";

/** Bytes read at first: a process's `environ` in a sandbox, or a `children` list, fits. */
const firstRead = 4_096;

/**
 * The contents of a `/proc` file. Such a file reports a size of 0, so `readFile` reads it in
 * 64 KiB buffers: after every command of a sandbox that is one such buffer per file looked at,
 * hundreds of megabytes of short-lived memory over a large run. This reads into a small buffer
 * and doubles it only while the file fills it. Rejects as `readFile` does (a process gone, a file
 * not ours to read).
 */
export async function readProcFile(path: string): Promise<Buffer> {
  const handle = await open(path, "r");
  try {
    let buffer = Buffer.allocUnsafeSlow(firstRead);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        const grown = Buffer.allocUnsafeSlow(buffer.length * 2);
        buffer.copy(grown, 0, 0, length);
        buffer = grown;
      }
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) return buffer.subarray(0, length);
      length += bytesRead;
    }
  } finally {
    await handle.close();
  }
}
