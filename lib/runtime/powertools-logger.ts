// Powertools' Logger as the core's Logger: structured JSON lines with the Lambda context.
import type { Logger as PowertoolsLogger } from "@aws-lambda-powertools/logger";
import type { Logger } from "../core/logger.js";

export function coreLogger(logger: PowertoolsLogger): Logger {
  return {
    info: (message, attributes) => logger.info(message, attributes ?? {}),
    warn: (message, attributes) => logger.warn(message, attributes ?? {}),
    error: (message, attributes) => logger.error(message, attributes ?? {}),
  };
}
