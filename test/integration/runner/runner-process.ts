// A local runner in its own process, for the crash test: started with `node --import tsx`,
// settings as JSON in argv[2]; prints each progress update as a JSON line on stdout, stops
// cleanly on SIGTERM (final commit round) and exits 0, or exits 1 if the runner failed.
import { parseExportConfig } from "../../../lib/config/export-config.js";
import type { Logger } from "../../../lib/core/logger.js";
import type { KafkaConnectionSettings } from "../../../lib/kafka/kafka-connection.js";
import { commitRoundsWith, exportStartOffsets, ingestEventsWith } from "../../../lib/runner/export-pipeline.js";
import { startExportRunner } from "../../../lib/runner/export-runner.js";
import { createCommitContext } from "../../../lib/runtime/commit-runtime.js";
import { createIngestContext } from "../../../lib/runtime/ingest-runtime.js";
import type { AwsTestClientConfig } from "../../env/aws.js";

export interface RunnerProcessSettings {
  /** The export settings, as the Lambda reads them from its environment. */
  environment: Record<string, string>;
  awsClientConfig: AwsTestClientConfig;
  kafka: KafkaConnectionSettings;
  groupId: string;
  topics: string[];
  batchSize: number;
  commitFrequencyMs: number;
  /** How long a crashed runner's commit lease blocks the next one (5 minutes by default). */
  leaseDurationMs: number;
}

const settings = JSON.parse(process.argv[2] ?? "{}") as RunnerProcessSettings;
const logger: Logger = {
  info: () => undefined,
  warn: (message, attributes) => process.stderr.write(`warn: ${message} ${JSON.stringify(attributes ?? {})}\n`),
  error: (message, attributes) => process.stderr.write(`error: ${message} ${JSON.stringify(attributes ?? {})}\n`),
};
const config = parseExportConfig(settings.environment);
const ingestContext = createIngestContext(config, { logger, awsClientConfig: settings.awsClientConfig });
const runner = startExportRunner({
  kafka: settings.kafka,
  groupId: settings.groupId,
  topics: settings.topics,
  batchSize: settings.batchSize,
  batchingWindowMs: 100,
  // The default session timeout: the killed runner's partitions come back within it.
  commitFrequencyMs: settings.commitFrequencyMs,
  ingest: ingestEventsWith(ingestContext),
  startOffsets: exportStartOffsets(ingestContext.stateStore),
  commitRound: commitRoundsWith({ ...createCommitContext(config, { logger, awsClientConfig: settings.awsClientConfig }), leaseDurationMs: settings.leaseDurationMs }),
  logger,
  onProgress: (progress) => process.stdout.write(`${JSON.stringify(progress)}\n`),
});
process.once("SIGTERM", () => {
  void runner.stop();
});
runner.finished.then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`runner failed: ${String(error)}\n`);
    process.exit(1);
  },
);
