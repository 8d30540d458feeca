// The bytes of a Lambda event's records — base64 keys and values, header values as lists of
// byte numbers — decoded into shared slabs: each field is a view into a large buffer, not
// a buffer of its own (one allocation per field, and garbage, was the ingest path's largest
// cost after JSON.parse). Strict: text that is not base64 and a list that holds anything
// but byte values give undefined, and the caller says what was wrong where.

/** Bytes per slab; a field larger than this gets a buffer of its own. */
const defaultSlabBytes = 256 * 1024;

export class ByteSlabs {
  private slab: Buffer = Buffer.allocUnsafe(0);
  /** The same memory as a plain Uint8Array, whose subarray is cheaper than Buffer's. */
  private slabBytes: Uint8Array = new Uint8Array(0);
  private used = 0;

  constructor(private readonly bytesPerSlab = defaultSlabBytes) {}

  /**
   * The bytes of `text`, standard or URL-safe base64, padded or not; undefined when it is not
   * well-formed base64. Buffer's decoder skips characters outside the alphabet and stops at
   * a misplaced '=', so bad text decodes to fewer bytes than its length promises; comparing
   * the two finds it without a scan or a regular expression.
   */
  decodeBase64(text: string): Uint8Array | undefined {
    const length = text.length;
    let padding = 0;
    while (padding < length && text.charCodeAt(length - 1 - padding) === 61 /* = */) padding++;
    const characters = length - padding;
    if (padding > 2 || (padding > 0 && length % 4 !== 0) || characters % 4 === 1) return undefined;
    const expected = Math.floor((characters * 3) / 4);
    const at = this.reserve(expected);
    const written = expected === 0 ? 0 : this.slab.write(text, at, expected, "base64");
    if (written !== expected) return undefined;
    return this.take(at, expected);
  }

  /** A list of byte values, 0..255 or Java's signed -128..-1; undefined when it holds anything else. */
  copyByteList(list: readonly unknown[]): Uint8Array | undefined {
    const length = list.length;
    const at = this.reserve(length);
    const slab = this.slabBytes;
    for (let index = 0; index < length; index++) {
      const byte = list[index];
      if (typeof byte !== "number" || (byte | 0) !== byte || byte < -128 || byte > 255) return undefined;
      slab[at + index] = byte & 0xff;
    }
    return this.take(at, length);
  }

  /** Where `length` bytes go in the current slab, which is replaced when they do not fit. */
  private reserve(length: number): number {
    if (this.used + length > this.slab.length) {
      this.slab = Buffer.allocUnsafeSlow(Math.max(length, this.bytesPerSlab));
      this.slabBytes = new Uint8Array(this.slab.buffer, this.slab.byteOffset, this.slab.length);
      this.used = 0;
    }
    return this.used;
  }

  private take(at: number, length: number): Uint8Array {
    this.used = at + length;
    return this.slabBytes.subarray(at, at + length);
  }
}
