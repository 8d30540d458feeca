// The one place that reads the process environment.
import { parseExportConfig, type ExportConfig } from "../config/export-config.js";

export function configFromEnvironment(): ExportConfig {
  return parseExportConfig(process.env);
}
