// Lambda handler for the Kafka event source mapping (MSK or self-managed), SPEC.md §2.
// Parses the event, stages it through lib/ingest, and publishes the invocation's metrics.
// Any failure fails the invocation, so the event source redelivers the batch.
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { ingestKafkaBatch, type IngestContext } from "../lib/ingest/ingest-batch.js";
import { ingestFailureMetrics, ingestMetrics, notExportedMetrics } from "../lib/ingest/ingest-metrics.js";
import { parseKafkaEvent } from "../lib/kafka/lambda-event.js";
import { configFromEnvironmentAndSecrets } from "../lib/runtime/environment.js";
import { createIngestContext } from "../lib/runtime/ingest-runtime.js";
import { coreLogger } from "../lib/runtime/powertools-logger.js";

const logger = new Logger({ serviceName: "kafka-iceberg-export" });
const metrics = new Metrics({ namespace: "KafkaIcebergExport", serviceName: "ingest" });
let context: IngestContext | undefined;

export async function handler(event: unknown): Promise<void> {
  const started = Date.now();
  const batches = parseKafkaEvent(event);
  context ??= createIngestContext(await configFromEnvironmentAndSecrets(), { logger: coreLogger(logger) });
  try {
    const outcome = await ingestKafkaBatch(batches, context);
    for (const point of ingestMetrics(outcome, Date.now() - started)) metrics.addMetric(point.name, point.unit, point.value);
    for (const point of notExportedMetrics(outcome)) {
      const single = metrics.singleMetric();
      for (const [name, value] of Object.entries(point.dimensions ?? {})) single.addDimension(name, value);
      single.addMetric(point.name, point.unit, point.value);
    }
    if (outcome.notExported.length > 0) logger.warn("records of topics that were never enabled were dropped as not exported", { notExported: outcome.notExported });
    logger.info("batch staged", { ...outcome.totals });
  } catch (error) {
    logger.error("batch not staged; the event source will deliver it again", { error });
    for (const point of ingestFailureMetrics(error)) metrics.addMetric(point.name, point.unit, point.value);
    throw error;
  } finally {
    metrics.publishStoredMetrics();
  }
}
