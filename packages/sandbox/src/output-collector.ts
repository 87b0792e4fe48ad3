/**
 * Collects one output stream under a byte cap. When the cap is exceeded it keeps the first and
 * the last half of the cap (the start says what ran, the end holds the error) and puts a
 * `[… N bytes omitted …]` line between them. Every provider uses it so results look the same.
 */
export class OutputCollector {
  readonly #maxBytes: number;
  readonly #head: Buffer[] = [];
  #headBytes = 0;
  #tail: Buffer[] = [];
  #tailBytes = 0;
  #total = 0;

  constructor(maxBytes: number) {
    this.#maxBytes = Math.max(0, Math.floor(maxBytes));
  }

  push(chunk: Buffer | string): void {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    this.#total += buffer.length;
    const headRoom = Math.ceil(this.#maxBytes / 2) - this.#headBytes;
    let rest = buffer;
    if (headRoom > 0) {
      const head = rest.subarray(0, headRoom);
      this.#head.push(head);
      this.#headBytes += head.length;
      rest = rest.subarray(head.length);
    }
    if (rest.length === 0) return;
    this.#tail.push(rest);
    this.#tailBytes += rest.length;
    const tailCap = Math.floor(this.#maxBytes / 2);
    if (this.#tailBytes > tailCap * 2 + 65_536) this.#trimTail(tailCap);
  }

  #trimTail(keep: number): void {
    const joined = Buffer.concat(this.#tail);
    const kept = joined.subarray(Math.max(0, joined.length - keep));
    this.#tail = [kept];
    this.#tailBytes = kept.length;
  }

  /** True when more than the cap arrived. */
  get truncated(): boolean {
    return this.#total > this.#maxBytes;
  }

  /** Total bytes received. */
  get totalBytes(): number {
    return this.#total;
  }

  /** The collected text, decoded as UTF-8. */
  text(): string {
    const head = Buffer.concat(this.#head);
    if (!this.truncated) return Buffer.concat([head, ...this.#tail]).toString("utf8");
    this.#trimTail(Math.floor(this.#maxBytes / 2));
    const tail = Buffer.concat(this.#tail);
    const omitted = this.#total - head.length - tail.length;
    return `${head.toString("utf8")}\n[… ${omitted} bytes omitted …]\n${tail.toString("utf8")}`;
  }
}
