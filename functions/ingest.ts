// Lambda handler for the Kafka event source mapping (SPEC.md §2 step 2).
// Not implemented yet: the ingest pipeline arrives with issue #4. Until then it fails
// every invocation rather than acknowledge a batch it did not stage.
import type { MSKEvent, SelfManagedKafkaEvent } from "aws-lambda";
import { ExportError } from "../lib/core/errors.js";

export function handler(event: MSKEvent | SelfManagedKafkaEvent): Promise<never> {
  const batches = Object.keys(event.records).length;
  return Promise.reject(new ExportError("INTERNAL", `ingest is not implemented yet; refusing a batch of ${batches} topic-partition(s)`));
}
