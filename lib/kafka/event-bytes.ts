// The bytes of a Lambda event's records — base64 keys and values, header values as lists of
// byte numbers — decoded into shared slabs: each field is a range of a large buffer, not a
// buffer of its own. One buffer (or view) per field, kept alive for the whole invocation,
// was garbage the collector copied again and again: after JSON.parse the largest cost of
// the ingest path. Strict: text that is not base64 and a list that holds anything but byte
// values are refused (-1 or undefined), and the caller says what was wrong where.

/** Bytes per slab; a field larger than this gets a buffer of its own. */
const defaultSlabBytes = 256 * 1024;

export class ByteSlabs {
  private buffer: Buffer = Buffer.allocUnsafe(0);
  /** Read only: the slab the latest bytes went into (the buffer as a plain Uint8Array, whose subarray is cheaper than Buffer's). */
  slab: Uint8Array = new Uint8Array(0);
  /** Read only: the end of the latest bytes in `slab`. */
  used = 0;

  constructor(private readonly bytesPerSlab = defaultSlabBytes) {}

  /**
   * The bytes of `text`, standard or URL-safe base64, padded or not, written into the current
   * slab: returns where they start in `slab` (they end at `used`), or -1 when the text is not
   * well-formed base64. Buffer's decoder skips characters outside the alphabet and stops at
   * a misplaced '=', so bad text decodes to fewer bytes than its length promises; comparing
   * the two finds it without a scan or a regular expression.
   */
  decodeBase64Into(text: string): number {
    const length = text.length;
    let padding = 0;
    while (padding < length && text.charCodeAt(length - 1 - padding) === 61 /* = */) padding++;
    const characters = length - padding;
    if (padding > 2 || (padding > 0 && length % 4 !== 0) || characters % 4 === 1) return -1;
    const expected = Math.floor((characters * 3) / 4);
    const at = this.reserve(expected);
    const written = expected === 0 ? 0 : this.buffer.write(text, at, expected, "base64");
    if (written !== expected) return -1;
    this.used = at + expected;
    return at;
  }

  /** decodeBase64Into, as a view of the bytes (undefined for text that is not base64). */
  decodeBase64(text: string): Uint8Array | undefined {
    const at = this.decodeBase64Into(text);
    return at < 0 ? undefined : this.slab.subarray(at, this.used);
  }

  /** A list of byte values, 0..255 or Java's signed -128..-1; undefined when it holds anything else. */
  copyByteList(list: readonly unknown[]): Uint8Array | undefined {
    const length = list.length;
    const at = this.reserve(length);
    const slab = this.slab;
    for (let index = 0; index < length; index++) {
      const byte = list[index];
      if (typeof byte !== "number" || (byte | 0) !== byte || byte < -128 || byte > 255) return undefined;
      slab[at + index] = byte & 0xff;
    }
    this.used = at + length;
    return this.slab.subarray(at, at + length);
  }

  /** Where `length` bytes go in the current slab, which is replaced when they do not fit. */
  private reserve(length: number): number {
    if (this.used + length > this.slab.length) {
      this.buffer = Buffer.allocUnsafeSlow(Math.max(length, this.bytesPerSlab));
      this.slab = new Uint8Array(this.buffer.buffer, this.buffer.byteOffset, this.buffer.length);
      this.used = 0;
    }
    return this.used;
  }
}
