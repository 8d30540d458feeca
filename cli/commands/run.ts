// `run`: the local runner (SPEC.md §6). A consumer group on a real broker feeds ingest with
// Lambda-shaped events and a timer runs commit; Ctrl-C stops it cleanly after a final commit.
import { parseExportConfig } from "../../lib/config/export-config.js";
import { parseKafkaConnection } from "../../lib/config/kafka-config.js";
import { ExportError } from "../../lib/core/errors.js";
import { commitContextOver } from "../../lib/runtime/commit-runtime.js";
import { createExportAdapters } from "../../lib/runtime/export-adapters.js";
import { ingestContextOver } from "../../lib/runtime/ingest-runtime.js";
import { commitRoundsWith, enabledTopicNames, exportStartOffsets, ingestEventsWith } from "../../lib/runner/export-pipeline.js";
import { startExportRunner } from "../../lib/runner/export-runner.js";
import { defaultSessionTimeoutMs, runnerDefaults } from "../../lib/runner/runner-options.js";
import type { CommandSpec } from "../command.js";
import { integerValue, stringValue } from "../command.js";
import { cliLogger } from "../cli-logger.js";
import { createProgressPrinter } from "../format/runner-progress.js";
import { commitOptions, exportOptions, kafkaOptions, withEmbeddedDefaults, verboseOption } from "../options.js";

const runnerCommitLeaseMs = 30_000;

export const runCommand: CommandSpec = {
  name: "run",
  summary: "Run the export against a Kafka cluster from this machine: a consumer group feeds ingest with the same events the Lambda event source delivers, and commit runs on a timer. Ctrl-C stops after a final commit.",
  usage: "run [--topics T1,T2] [--group-id ID] [options]",
  details: [
    "Consumer offsets are committed to the group only after a batch is staged, so a runner that is killed resumes where staging stopped and the staged watermarks keep every record exactly once. Topics enabled after the runner started are consumed after its next start.",
    "A state store that vanishes while it runs stops it with a STATE_STORE_MISSING error, the batch in flight unacknowledged; after 'enable' resumed the topic from its table's committed offsets, the next start sets the group back to them (docs/deploy.md).",
  ],
  options: [
    { name: "topics", type: "string", valueName: "T1,T2", description: "Topics to consume", defaultText: "every enabled topic" },
    { name: "group-id", type: "string", setting: "KAFKA_GROUP_ID", valueName: "ID", description: "Consumer group", defaultText: "kafka-iceberg-export" },
    { name: "batch-size", type: "string", valueName: "N", description: "Records per event, as the event source mapping's BatchSize (1 to 10000)", defaultText: String(runnerDefaults.batchSize) },
    { name: "batching-window-ms", type: "string", valueName: "MS", description: "How long a batch may wait to fill (0 to 300000)", defaultText: String(runnerDefaults.batchingWindowMs) },
    { name: "session-timeout-ms", type: "string", valueName: "MS", description: "How long the group waits for a runner that went silent (killed with SIGKILL, hung) before giving its partitions to another (at least 6000 and the batching window + 5000); a runner stopped with Ctrl-C or SIGTERM leaves the group at once", defaultText: "batching window + 10000" },
    verboseOption,
    ...exportOptions,
    ...kafkaOptions,
    ...commitOptions,
  ],
  async run(command, io) {
    const { settings } = withEmbeddedDefaults(command);
    const config = parseExportConfig(settings);
    const kafka = parseKafkaConnection(settings);
    const batchSize = integerValue(command, "batch-size", "run", runnerDefaults.batchSize, { min: 1, max: 10_000 });
    const batchingWindowMs = integerValue(command, "batching-window-ms", "run", runnerDefaults.batchingWindowMs, { min: 0, max: 300_000 });
    const sessionTimeoutMs = integerValue(command, "session-timeout-ms", "run", defaultSessionTimeoutMs(batchingWindowMs), { min: Math.max(6_000, batchingWindowMs + 5_000), max: 3_600_000 });
    const logger = cliLogger(io, { verbose: command.values["verbose"] === true });
    // One set of adapters (clients, local state) serves both ingest and commit in this process.
    const adapters = createExportAdapters(config, { logger });
    const ingestContext = ingestContextOver(adapters, config, { logger });
    // A runner killed during a commit holds the table's lease until it expires: keep that
    // short, so that a restarted runner commits again soon. Two committers at once are still
    // safe (the catalog's compare-and-swap), only wasteful.
    const commitContext = { ...commitContextOver(adapters, config, { logger }), leaseDurationMs: runnerCommitLeaseMs };
    const topics = topicList(stringValue(command, "topics")) ?? (await enabledTopicNames(ingestContext.stateStore));
    if (topics.length === 0) throw new ExportError("NOT_FOUND", "no topic is enabled for export; run 'kafka-iceberg-export enable --topic T' first, or name topics with --topics");

    const groupId = settings["KAFKA_GROUP_ID"] ?? "kafka-iceberg-export";
    const printer = createProgressPrinter(io);
    io.out(`consuming ${topics.join(", ")} from ${kafka.brokers.join(",")} as group ${groupId}; committing every ${config.commitFrequencyMs} ms; Ctrl-C stops`);
    const runner = startExportRunner({
      kafka,
      groupId,
      topics,
      startOffsets: exportStartOffsets(ingestContext.stateStore),
      ingest: ingestEventsWith(ingestContext),
      commitRound: commitRoundsWith(commitContext),
      logger,
      onProgress: (progress) => {
        printer.progress(progress);
      },
      batchSize,
      batchingWindowMs,
      sessionTimeoutMs,
      commitFrequencyMs: config.commitFrequencyMs,
    });
    void io.interrupted.then(() => {
      io.out("stopping: finishing the batch in flight and committing what is staged (Ctrl-C again to quit at once)");
      return runner.stop();
    });
    await runner.finished;
    printer.final(runner.progress());
    return 0;
  },
};

function topicList(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  return text
    .split(",")
    .map((topic) => topic.trim())
    .filter((topic) => topic !== "");
}
