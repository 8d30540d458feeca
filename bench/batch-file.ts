// A generated batch on disk, so that the process measuring it starts without the garbage
// of generating it: per message the key, the framed value and one header value, each as
// a 32-bit length and its bytes, then the timestamp as a 64-bit float. All little-endian.
import { readFileSync, writeFileSync } from "node:fs";
import type { KafkaMessage } from "./order-events.js";

const headerKey = "trace-id";

export function writeBatchFile(path: string, messages: readonly KafkaMessage[]): void {
  const size = messages.reduce((sum, message) => sum + 20 + message.key.length + message.value.length + (message.headers[0]?.value.length ?? 0), 0);
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  let offset = 0;
  const put = (part: Uint8Array): void => {
    view.setUint32(offset, part.length, true);
    bytes.set(part, offset + 4);
    offset += 4 + part.length;
  };
  for (const message of messages) {
    put(message.key);
    put(message.value);
    put(message.headers[0]?.value ?? new Uint8Array(0));
    view.setFloat64(offset, message.timestampMs, true);
    offset += 8;
  }
  writeFileSync(path, bytes);
}

export function readBatchFile(path: string): KafkaMessage[] {
  const file = readFileSync(path);
  const bytes = new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const messages: KafkaMessage[] = [];
  let offset = 0;
  // Copies, as a Lambda event's base64 fields decode into buffers of their own.
  const take = (): Uint8Array => {
    const length = view.getUint32(offset, true);
    const part = bytes.slice(offset + 4, offset + 4 + length);
    offset += 4 + length;
    return part;
  };
  while (offset < bytes.length) {
    const key = take();
    const value = take();
    const headerValue = take();
    const timestampMs = view.getFloat64(offset, true);
    offset += 8;
    messages.push({ key, value, headers: [{ key: headerKey, value: headerValue }], timestampMs });
  }
  return messages;
}
