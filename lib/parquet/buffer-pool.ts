// ArrayBuffers of column storage, handed back once a data file is written and reused for
// the next batch's columns. A batch's columns take tens of megabytes of ArrayBuffers;
// allocating them anew per batch made V8 run a full collection for the external memory
// about once per batch. Only buffers of at least `minPooledBytes` are kept, at most
// `maxPooledBytes` of them in all. A pooled buffer keeps its old bytes: every user of one
// writes before it reads.

const minPooledBytes = 1 << 12;
const maxPooledBytes = 64 << 20;
const free: ArrayBuffer[] = [];
let pooledBytes = 0;

/** A buffer of at least `byteLength` bytes: a pooled one no more than four times as large, or a new one. */
export function takeBuffer(byteLength: number): ArrayBuffer {
  if (byteLength >= minPooledBytes) {
    for (let index = 0; index < free.length; index++) {
      const buffer = free[index] as ArrayBuffer;
      if (buffer.byteLength >= byteLength && buffer.byteLength <= byteLength * 4) {
        free[index] = free[free.length - 1] as ArrayBuffer;
        free.pop();
        pooledBytes -= buffer.byteLength;
        return buffer;
      }
    }
  }
  return new ArrayBuffer(byteLength);
}

/** Hands `buffer` back; its owner must not touch it, or any view of it, again. */
export function giveBuffer(buffer: ArrayBufferLike): void {
  if (!(buffer instanceof ArrayBuffer) || buffer.byteLength < minPooledBytes || pooledBytes + buffer.byteLength > maxPooledBytes) return;
  // Handed back twice, it would back two columns at once.
  if (free.includes(buffer)) return;
  free.push(buffer);
  pooledBytes += buffer.byteLength;
}
