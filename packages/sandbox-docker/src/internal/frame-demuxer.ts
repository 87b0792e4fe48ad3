/** Which of an exec's output streams a frame belongs to. */
export type StreamName = "stdout" | "stderr";

const headerBytes = 8;

/**
 * Splits Docker's multiplexed attach stream (non-TTY exec and attach) into stdout and
 * stderr payloads. Each frame is an 8-byte header — stream type (1 stdout, 2 stderr),
 * three zero bytes, a big-endian uint32 length — followed by that many bytes. Frames may be
 * split across or packed into chunks in any way, so bytes are buffered until a frame is
 * complete. Frames of stdin (0) or unknown type are dropped.
 */
export class FrameDemuxer {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly onFrame: (stream: StreamName, payload: Buffer) => void) {}

  /** Feeds one chunk of the raw stream; complete frames are delivered synchronously. */
  push(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    let offset = 0;
    while (this.pending.length - offset >= headerBytes) {
      const type = this.pending[offset];
      const size = this.pending.readUInt32BE(offset + 4);
      if (this.pending.length - offset - headerBytes < size) {
        break;
      }
      const payload = this.pending.subarray(offset + headerBytes, offset + headerBytes + size);
      offset += headerBytes + size;
      if (type === 1) {
        this.onFrame("stdout", payload);
      } else if (type === 2) {
        this.onFrame("stderr", payload);
      }
    }
    this.pending = offset === 0 ? this.pending : Buffer.from(this.pending.subarray(offset));
  }

  /** Bytes of an unfinished frame still held back (non-zero at end of stream means truncation). */
  get bufferedBytes(): number {
    return this.pending.length;
  }
}
