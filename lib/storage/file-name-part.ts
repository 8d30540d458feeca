// The part of a data file's name that comes from a topic (SPEC.md §2: names derived from
// topic, partition and offset range). A Kafka topic name may be 249 characters, and the file
// name holds more than the topic, while a file system allows 255 bytes per name: so the
// topic part is bounded, and a topic too long (or with characters no file name should
// hold) is cut and completed with a hash of the whole name, keeping it deterministic and
// telling long topics that share a beginning apart.
import { createHash } from "node:crypto";

/** The most characters the topic part of a data file name takes. */
export const maxTopicPartLength = 64;

const plainPart = /^[A-Za-z0-9._+-]*$/;

export function fileNamePart(text: string, maxLength = maxTopicPartLength): string {
  if (text.length <= maxLength && plainPart.test(text)) return text;
  const hash = createHash("sha256").update(text, "utf8").digest("hex").slice(0, 16);
  const readable = text.replace(/[^A-Za-z0-9._+-]/g, "_").slice(0, maxLength - hash.length - 1);
  return `${readable}_${hash}`;
}
