// What integration tests get from the global setup, via `inject("testEnvironment")`.
import { inject } from "vitest";

export interface TestEnvironment {
  /** moto server: S3, Glue and DynamoDB on one endpoint. */
  awsEndpoint: string;
  /** "127.0.0.1:PORT" of the KRaft broker. */
  kafkaBootstrap: string;
  /** Base URL of the Confluent-compatible schema registry API. */
  schemaRegistryUrl: string;
  /** Iceberg-Java: the loopback JSON server of a Spark session in local mode (test/env/spark.ts). */
  sparkUrl: string;
  /** Apache Iceberg's REST catalog server (test/env/rest-catalog.ts), on moto's S3 and the local disk. */
  restCatalogUrl: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    testEnvironment: TestEnvironment;
  }
}

export function testEnvironment(): TestEnvironment {
  return inject("testEnvironment");
}
