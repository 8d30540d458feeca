// Table properties of the Iceberg spec ("Table Properties") that bound a table's history,
// read as Iceberg-Java reads them, and the values a table this export creates carries — so
// that any engine maintaining it (ours, Spark's expire_snapshots, Glue's optimizers) keeps it
// bounded the same way (SPEC.md §8).

export interface ExpirySettings {
  maxSnapshotAgeMs: number;
  minSnapshotsToKeep: number;
  maxRefAgeMs: number;
}

export const expiryProperties = {
  maxSnapshotAgeMs: "history.expire.max-snapshot-age-ms",
  minSnapshotsToKeep: "history.expire.min-snapshots-to-keep",
  maxRefAgeMs: "history.expire.max-ref-age-ms",
} as const satisfies Record<keyof ExpirySettings, string>;

/** Iceberg-Java's defaults: 5 days, 1 snapshot, refs kept forever. */
export const icebergExpiryDefaults: ExpirySettings = {
  maxSnapshotAgeMs: 5 * 24 * 3_600_000,
  minSnapshotsToKeep: 1,
  maxRefAgeMs: Number.MAX_SAFE_INTEGER,
};

/** A day of snapshots at the default commit frequency (at least ten): time travel, bounded metadata. */
export const exportExpiryDefaults: ExpirySettings = {
  maxSnapshotAgeMs: 24 * 3_600_000,
  minSnapshotsToKeep: 10,
  maxRefAgeMs: Number.MAX_SAFE_INTEGER,
};

export const previousVersionsMaxProperty = "write.metadata.previous-versions-max";
export const deleteAfterCommitProperty = "write.metadata.delete-after-commit.enabled";
const defaultPreviousVersionsMax = 100;

export function expirySettingsOf(properties: Readonly<Record<string, string>>, defaults: ExpirySettings = icebergExpiryDefaults): ExpirySettings {
  return {
    maxSnapshotAgeMs: integerProperty(properties, expiryProperties.maxSnapshotAgeMs) ?? defaults.maxSnapshotAgeMs,
    minSnapshotsToKeep: integerProperty(properties, expiryProperties.minSnapshotsToKeep) ?? defaults.minSnapshotsToKeep,
    maxRefAgeMs: integerProperty(properties, expiryProperties.maxRefAgeMs) ?? defaults.maxRefAgeMs,
  };
}

/** How many earlier metadata files the metadata log keeps (at least one). */
export function previousVersionsMax(properties: Readonly<Record<string, string>>): number {
  const configured = integerProperty(properties, previousVersionsMaxProperty);
  return configured !== undefined && configured >= 1 ? configured : defaultPreviousVersionsMax;
}

/** Whether metadata files that fall off the log are deleted by the commit that drops them. */
export function deletesMetadataAfterCommit(properties: Readonly<Record<string, string>>): boolean {
  return properties[deleteAfterCommitProperty]?.trim().toLowerCase() === "true";
}

/** The properties a table this export creates starts with. */
export function exportTableMaintenanceProperties(expiry: ExpirySettings = exportExpiryDefaults): Record<string, string> {
  return {
    [expiryProperties.maxSnapshotAgeMs]: String(expiry.maxSnapshotAgeMs),
    [expiryProperties.minSnapshotsToKeep]: String(expiry.minSnapshotsToKeep),
    [previousVersionsMaxProperty]: String(defaultPreviousVersionsMax),
    [deleteAfterCommitProperty]: "true",
  };
}

function integerProperty(properties: Readonly<Record<string, string>>, name: string): number | undefined {
  const text = properties[name]?.trim();
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : Number.MAX_SAFE_INTEGER;
}
