// The maintenance settings (SPEC.md §8), read from the same flat settings as the export's.
// Each part can be switched off for catalogs that maintain tables themselves (S3 Tables,
// Glue's table optimizers); on S3 Tables (CATALOG=rest with a table bucket's ARN as
// REST_CATALOG_WAREHOUSE) they are off unless switched on. The expiry settings are the defaults for tables that set no
// `history.expire.*` property of their own; tables this export creates set them. Compaction
// writes files of the export's target file size.
import { exportExpiryDefaults as defaultExpiry, type ExpirySettings } from "../iceberg/table-properties.js";
import type { CompactionSettings } from "../maintenance/compact-table.js";
import { isS3TablesWarehouse } from "../catalog/s3-tables.js";
import { defaultTargetFileSizeBytes, settingNames } from "./export-config.js";
import { boolean, duration, optional, positiveInteger, type Settings } from "./settings.js";

export interface MaintenanceConfig {
  expireSnapshots: boolean;
  expiry: ExpirySettings;
  compact: boolean;
  compaction: CompactionSettings;
  removeOrphans: boolean;
  /** Files younger than this are never orphans: they may be being written. */
  orphanMinAgeMs: number;
}

export const maintenanceSettingNames = {
  expireSnapshots: "MAINTAIN_EXPIRE_SNAPSHOTS",
  maxSnapshotAgeMs: "SNAPSHOT_MAX_AGE_MS",
  minSnapshotsToKeep: "SNAPSHOT_MIN_KEEP",
  removeOrphans: "MAINTAIN_REMOVE_ORPHANS",
  orphanMinAge: "ORPHAN_MIN_AGE",
  compact: "MAINTAIN_COMPACT",
  quietPeriodMs: "COMPACTION_QUIET_PERIOD_MS",
  minOpenPartitionFiles: "COMPACTION_MIN_FILES",
  maxInputBytes: "COMPACTION_MAX_BYTES_PER_PASS",
} as const;

export const compactionDefaults = {
  quietPeriodMs: 3_600_000,
  minOpenPartitionFiles: 10,
  maxInputBytes: 512 * 1024 * 1024,
} as const;

/** Iceberg-Java's default for orphan removal: what three days did not commit, nothing will. */
export const defaultOrphanMinAgeMs = 3 * 86_400_000;

export function parseMaintenanceConfig(settings: Settings): MaintenanceConfig {
  const ours = !maintainedByCatalog(settings);
  return {
    expireSnapshots: boolean(settings, maintenanceSettingNames.expireSnapshots, ours),
    expiry: {
      maxSnapshotAgeMs: positiveInteger(settings, maintenanceSettingNames.maxSnapshotAgeMs, defaultExpiry.maxSnapshotAgeMs),
      minSnapshotsToKeep: positiveInteger(settings, maintenanceSettingNames.minSnapshotsToKeep, defaultExpiry.minSnapshotsToKeep),
      maxRefAgeMs: defaultExpiry.maxRefAgeMs,
    },
    removeOrphans: boolean(settings, maintenanceSettingNames.removeOrphans, ours),
    orphanMinAgeMs: duration(settings, maintenanceSettingNames.orphanMinAge, defaultOrphanMinAgeMs),
    compact: boolean(settings, maintenanceSettingNames.compact, ours),
    compaction: {
      targetFileSizeBytes: positiveInteger(settings, settingNames.targetFileSizeBytes, defaultTargetFileSizeBytes),
      quietPeriodMs: positiveInteger(settings, maintenanceSettingNames.quietPeriodMs, compactionDefaults.quietPeriodMs),
      minOpenPartitionFiles: positiveInteger(settings, maintenanceSettingNames.minOpenPartitionFiles, compactionDefaults.minOpenPartitionFiles),
      maxInputBytes: positiveInteger(settings, maintenanceSettingNames.maxInputBytes, compactionDefaults.maxInputBytes),
    },
  };
}

/** S3 Tables maintains its tables itself: ours would only repeat, and race, its work. */
function maintainedByCatalog(settings: Settings): boolean {
  return optional(settings, settingNames.catalog)?.toLowerCase() === "rest" && isS3TablesWarehouse(optional(settings, settingNames.restCatalogWarehouse));
}
