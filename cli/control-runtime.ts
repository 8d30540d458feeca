// What export control commands run on: the configured adapters (local or AWS), the schema
// registry, and a Kafka admin when the command needs the cluster.
import { createKafkaClient } from "../lib/adapters/kafka/kafkajs-client.js";
import { createKafkaTopicAdmin, type KafkaTopicAdmin } from "../lib/adapters/kafka/kafkajs-topic-admin.js";
import { parseExportConfig, type CatalogSettings, type ExportConfig } from "../lib/config/export-config.js";
import { parseKafkaConnection } from "../lib/config/kafka-config.js";
import { optional } from "../lib/config/settings.js";
import { ExportError } from "../lib/core/errors.js";
import { disableTopic, type DisableTopicOutcome } from "../lib/control/disable-topic.js";
import { enableTopic, type EnableTopicOutcome, type EnableTopicRequest } from "../lib/control/enable-topic.js";
import { topicStatuses, type TopicStatus } from "../lib/control/topic-status.js";
import { dropMissingStagedFiles, type DropMissingStagedOutcome } from "../lib/commit/drop-missing-staged.js";
import type { Settings } from "../lib/config/export-config.js";
import type { MaintenanceConfig } from "../lib/config/maintenance-config.js";
import { maintainTables, type MaintenancePassOutcome } from "../lib/maintenance/maintain-tables.js";
import type { StateStore, TopicExport } from "../lib/state/state-store.js";
import type { TableIdentifier } from "../lib/catalog/table-identifier.js";
import { createExportAdapters, withAbsoluteLocalPaths } from "../lib/runtime/export-adapters.js";
import { maintenanceContextOver } from "../lib/runtime/maintenance-runtime.js";
import { tableSchemaCacheFor } from "../lib/runtime/ingest-runtime.js";
import { deadLetterReport, type DeadLetterReport } from "../lib/dead-letters/dead-letter-report.js";
import { replayDeadLetters, type ReplayOutcome, type ReplayRequest } from "../lib/dead-letters/replay-dead-letters.js";
import { backoffDelay } from "../lib/core/retry.js";
import type { CliIo, ParsedCommand } from "./command.js";
import { cliLogger } from "./cli-logger.js";
import { withEmbeddedDefaults } from "./options.js";

export interface ControlRuntime {
  enableTopic(request: EnableTopicRequest): Promise<EnableTopicOutcome>;
  disableTopic(topic: string): Promise<DisableTopicOutcome>;
  topicStatuses(topic?: string): Promise<TopicStatus[]>;
  maintainTables(maintenance: MaintenanceConfig, table?: string): Promise<MaintenancePassOutcome>;
  dropMissingStaged(table: string): Promise<DropMissingStagedOutcome>;
  deadLetters(topic: string, latest: number): Promise<DeadLetterReport>;
  replay(topic: string, request: ReplayRequest): Promise<ReplayOutcome>;
  /** The settings the command resolved, embedded defaults included. */
  settings: Settings;
  /** The catalog the tables are in. */
  catalog: CatalogSettings;
  close(): Promise<void>;
}

export interface ControlRuntimeOptions {
  /** required: the command fails without KAFKA_BROKERS; optional: used when configured. */
  kafka: "required" | "optional" | "none";
}

export function openControlRuntime(command: ParsedCommand, io: CliIo, options: ControlRuntimeOptions): ControlRuntime {
  const { settings } = withEmbeddedDefaults(command);
  const config = withAbsoluteLocalPaths(parseExportConfig(settings));
  const logger = cliLogger(io, { verbose: command.values["verbose"] === true });
  const adapters = createExportAdapters(config, { logger });
  const now = Date.now;
  let topicAdmin: KafkaTopicAdmin | undefined;
  if (options.kafka === "required" || (options.kafka === "optional" && optional(settings, "KAFKA_BROKERS") !== undefined)) {
    const kafka = parseKafkaConnection(settings);
    topicAdmin = createKafkaTopicAdmin(createKafkaClient(kafka, logger), kafka.brokers);
  }
  const control = { ...adapters, schemas: tableSchemaCacheFor(config, adapters.stateStore, now), warehouse: config.warehouse, namespace: namespaceOf(config, settings), now };

  return {
    enableTopic: (request) => {
      if (topicAdmin === undefined) throw new ExportError("INTERNAL", "enable was opened without a Kafka connection");
      return enableTopic(request, { ...control, topicAdmin });
    },
    disableTopic: (topic) => disableTopic(topic, control),
    topicStatuses: (topic) => topicStatuses({ ...control, deadLettersByDefault: config.deadLetters, ...(topicAdmin === undefined ? {} : { topicAdmin }) }, topic),
    deadLetters: async (topic, latest) => deadLetterReport(await exportedTopic(adapters.stateStore, topic), adapters, { latest }),
    replay: async (topic, request) =>
      replayDeadLetters(await exportedTopic(adapters.stateStore, topic), request, {
        ...control,
        logger,
        backoff: (attempt) => new Promise((resolve) => setTimeout(resolve, backoffDelay(attempt, { baseDelayMs: 200, maxDelayMs: 5_000, random: Math.random }))),
      }),
    maintainTables: async (maintenance, table) =>
      maintainTables({ ...maintenanceContextOver(adapters, maintenance, { logger, now }), deadLettersByDefault: config.deadLetters }, table === undefined ? undefined : await exportedTable(adapters.stateStore, table)),
    dropMissingStaged: async (table) => dropMissingStagedFiles(await exportedTable(adapters.stateStore, table), { ...adapters, logger, now }),
    settings,
    catalog: config.catalog,
    close: async () => {
      await topicAdmin?.close();
    },
  };
}

/** The table an export writes, by `namespace.name` or name; NOT_FOUND naming the exported tables otherwise. */
async function exportedTable(stateStore: StateStore, table: string): Promise<TableIdentifier> {
  const tables = (await stateStore.topicExports()).map((topicExport) => topicExport.table);
  const found = tables.find((candidate) => `${candidate.namespace}.${candidate.name}` === table || candidate.name === table);
  if (found !== undefined) return found;
  const known = [...new Set(tables.map((candidate) => `${candidate.namespace}.${candidate.name}`))].join(", ");
  throw new ExportError("NOT_FOUND", `no exported topic writes a table named '${table}' (exported tables: ${known === "" ? "none" : known})`);
}

/** The export record of a topic ever enabled; NOT_FOUND otherwise. */
async function exportedTopic(stateStore: StateStore, topic: string): Promise<TopicExport> {
  const found = await stateStore.topicExport(topic);
  if (found === undefined) throw new ExportError("NOT_FOUND", `topic ${topic} has never been enabled for export`);
  return found;
}

/** Glue: the database; REST: REST_CATALOG_NAMESPACE; local catalog: NAMESPACE; `kafka` by default. */
function namespaceOf(config: ExportConfig, settings: Readonly<Record<string, string | undefined>>): string {
  if (config.catalog.type === "glue") return config.catalog.database;
  if (config.catalog.type === "rest") return config.catalog.namespace;
  return optional(settings, "NAMESPACE") ?? "kafka";
}
