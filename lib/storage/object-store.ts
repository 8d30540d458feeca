// Where data and metadata files live: S3 in AWS, a folder on the embedded default.
// Objects are addressed by their full location (`s3://bucket/key`, or a local path),
// the form Iceberg metadata records them in.

export interface PutOptions {
  /** Create only: fail with ConditionFailedError when the object already exists. */
  ifAbsent?: boolean;
}

export interface ObjectStore {
  /** Writes the whole object; durable when the promise resolves. */
  put(location: string, body: Uint8Array, options?: PutOptions): Promise<void>;
  /** Fails with ExportError NOT_FOUND when there is no such object. */
  get(location: string): Promise<Uint8Array>;
  exists(location: string): Promise<boolean>;
  /** Deleting a missing object is not an error. */
  delete(location: string): Promise<void>;
  /**
   * Deletes every one of them, in as few requests as the store allows (S3: 1,000 keys per
   * DeleteObjects); missing ones are not an error. Fails, after trying all, naming those
   * it could not delete.
   */
  deleteMany(locations: readonly string[]): Promise<void>;
  /** Locations of the objects under a prefix, in lexicographic order. */
  list(prefix: string): Promise<string[]>;
  /** The objects under a prefix with their sizes and times, in the order of `list`. */
  listObjects(prefix: string): Promise<StoredObject[]>;
}

export interface StoredObject {
  location: string;
  sizeBytes: number;
  /** Epoch milliseconds. */
  lastModifiedMs: number;
}
