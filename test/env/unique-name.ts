/** A name unique to this test run, valid as an S3 bucket, DynamoDB table, Glue name or Kafka topic. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
