import { describe, expect, it } from "vitest";
import { parseMaintenanceConfig } from "../../../lib/config/maintenance-config.js";

describe("parseMaintenanceConfig", () => {
  it("switches compaction on by default, with the export's target file size", () => {
    expect(parseMaintenanceConfig({})).toMatchObject({
      compact: true,
      compaction: { targetFileSizeBytes: 134217728, quietPeriodMs: 3_600_000, minOpenPartitionFiles: 10, maxInputBytes: 512 * 1024 ** 2 },
    });
  });

  it("reads every compaction setting", () => {
    const config = parseMaintenanceConfig({ MAINTAIN_COMPACT: "false", TARGET_FILE_SIZE_BYTES: "1048576", COMPACTION_QUIET_PERIOD_MS: "60000", COMPACTION_MIN_FILES: "3", COMPACTION_MAX_BYTES_PER_PASS: "1000" });
    expect(config).toMatchObject({ compact: false, compaction: { targetFileSizeBytes: 1048576, quietPeriodMs: 60_000, minOpenPartitionFiles: 3, maxInputBytes: 1000 } });
  });

  it("names a malformed setting", () => {
    expect(() => parseMaintenanceConfig({ COMPACTION_MIN_FILES: "two" })).toThrow(/COMPACTION_MIN_FILES/);
    expect(() => parseMaintenanceConfig({ MAINTAIN_COMPACT: "maybe" })).toThrow(/MAINTAIN_COMPACT/);
  });

  it("switches our maintenance off by default on S3 Tables, which maintains its tables itself; each part can be switched on", () => {
    const s3Tables = { CATALOG: "rest", REST_CATALOG_WAREHOUSE: "arn:aws:s3tables:us-east-1:123456789012:bucket/orders" };
    expect(parseMaintenanceConfig(s3Tables)).toMatchObject({ expireSnapshots: false, compact: false, removeOrphans: false });
    expect(parseMaintenanceConfig({ ...s3Tables, MAINTAIN_COMPACT: "true" })).toMatchObject({ expireSnapshots: false, compact: true, removeOrphans: false });
    expect(parseMaintenanceConfig({ CATALOG: "rest", REST_CATALOG_WAREHOUSE: "polaris_catalog" })).toMatchObject({ expireSnapshots: true, compact: true, removeOrphans: true });
  });
});
