import { describe, expect, it } from "vitest";
import { applyTimeTransform, applyTimeTransformToMillis, maxSafeMillis, partitionPath, timestampPartitionSpec } from "../../../lib/iceberg/partitioning.js";

const micros = (iso: string): bigint => BigInt(Date.parse(iso)) * 1000n;

describe("time transforms", () => {
  it.each([
    ["2026-11-24T13:45:00.000Z", { hour: 498757, day: 20781, month: 682, year: 56 }],
    ["1970-01-01T00:00:00.000Z", { hour: 0, day: 0, month: 0, year: 0 }],
    ["1969-12-31T23:59:59.999Z", { hour: -1, day: -1, month: -1, year: -1 }],
    ["2000-02-29T00:00:00.000Z", { hour: 264384, day: 11016, month: 361, year: 30 }],
  ])("maps %s to hours, days, months and years since 1970", (iso, expected) => {
    for (const [transform, value] of Object.entries(expected)) {
      expect(applyTimeTransform(transform as "hour", micros(iso))).toBe(value);
    }
  });

  it("gives the same values from whole milliseconds in doubles, at every boundary up to maxSafeMillis", () => {
    const hour = 3_600_000;
    const day = 24 * hour;
    const moments = [0, 1, -1, hour - 1, hour, day - 1, day, -day, -day - 1, Date.parse("2000-02-29T00:00:00Z") - 1, Date.parse("2026-11-24T13:45:00Z"), maxSafeMillis, -maxSafeMillis];
    // Just below and at the last hour and day boundaries the doubles can reach.
    for (const unit of [hour, day]) {
      const last = Math.floor(maxSafeMillis / unit) * unit;
      moments.push(last - 1, last, -last, -last - 1);
    }
    for (const ms of moments) {
      for (const transform of ["hour", "day", "month", "year"] as const) {
        expect(applyTimeTransformToMillis(transform, ms), `${transform} of ${ms} ms`).toBe(applyTimeTransform(transform, BigInt(ms) * 1000n));
      }
    }
  });

  it("names partition directories as Iceberg writers do", () => {
    const at = micros("2026-11-24T13:45:00.000Z");
    for (const [partitioning, path] of [
      ["day", "timestamp_day=2026-11-24"],
      ["hour", "timestamp_hour=2026-11-24-13"],
      ["month", "timestamp_month=2026-11"],
      ["year", "timestamp_year=2026"],
    ] as const) {
      const spec = timestampPartitionSpec(partitioning, 4);
      expect(partitionPath(spec, { [`timestamp_${partitioning}`]: applyTimeTransform(partitioning, at) })).toBe(path);
    }
    expect(partitionPath(timestampPartitionSpec("none", 4), {})).toBe("");
  });

  it("gives partition fields ids from 1000 and the timestamp column as source", () => {
    expect(timestampPartitionSpec("day", 4)).toEqual({ "spec-id": 0, fields: [{ "source-id": 4, "field-id": 1000, name: "timestamp_day", transform: "day" }] });
  });
});
