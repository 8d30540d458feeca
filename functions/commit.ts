// Scheduled Lambda handler (EventBridge, once a minute) that commits staged files as Iceberg
// snapshots, SPEC.md §2 step 3. For commit frequencies under a minute it runs several rounds
// in one invocation, stopping while there is still time for a round before the timeout.
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import type { Context } from "aws-lambda";
import { commitAllTables, tableStartMarginMs } from "../lib/commit/commit-all.js";
import { ExportError } from "../lib/core/errors.js";
import { commitMetrics } from "../lib/commit/commit-metrics.js";
import { runCommitRounds } from "../lib/commit/commit-rounds.js";
import type { CommitContext } from "../lib/commit/commit-table.js";
import { configFromEnvironmentAndSecrets } from "../lib/runtime/environment.js";
import { createCommitContext } from "../lib/runtime/commit-runtime.js";
import { coreLogger } from "../lib/runtime/powertools-logger.js";

const logger = new Logger({ serviceName: "kafka-iceberg-export" });
const metrics = new Metrics({ namespace: "KafkaIcebergExport", serviceName: "commit" });
let runtime: { frequencyMs: number; concurrency: number; context: CommitContext } | undefined;
// Tables a round had no time to start, first in the next round of this container.
let tablesLeft: string[] = [];

export async function handler(_event: unknown, lambdaContext: Context): Promise<void> {
  if (runtime === undefined) {
    const config = await configFromEnvironmentAndSecrets();
    runtime = { frequencyMs: config.commitFrequencyMs, concurrency: config.commitConcurrency, context: createCommitContext(config, { logger: coreLogger(logger) }) };
  }
  const { frequencyMs, concurrency, context: commitContext } = runtime;
  const deadlineMs = Date.now() + lambdaContext.getRemainingTimeInMillis();
  let failures = 0;
  await runCommitRounds(
    async () => {
      const started = Date.now();
      const outcome = await commitAllTables(commitContext, { concurrency, startDeadlineMs: deadlineMs - tableStartMarginMs, first: tablesLeft });
      tablesLeft = outcome.tablesLeft;
      if (tablesLeft.length > 0) logger.warn("the round ran out of time; these tables go first in the next one", { tables: tablesLeft });
      for (const point of commitMetrics(outcome, Date.now() - started)) metrics.addMetric(point.name, point.unit, point.value);
      metrics.publishStoredMetrics();
      failures += outcome.failures.length;
    },
    { frequencyMs, deadlineMs },
  );
  if (failures > 0) throw new ExportError("INTERNAL", `${failures} table commit(s) failed; see the logs`, { retryable: true });
}
