import { describe, expect, it } from "vitest";
import { commands, main } from "../../cli/main.js";
import { recordedIo } from "./cli-io.js";

describe("the kafka-iceberg-export command line", () => {
  it("lists its commands, and prints usage with exit code 2 when no command is given", async () => {
    const io = recordedIo();
    expect(await main([], io)).toBe(2);
    const help = io.stdout.join("\n");
    for (const command of ["demo", "enable", "disable", "status", "run", "invoke"]) expect(help).toMatch(new RegExp(`^  ${command} `, "m"));
  });

  it.each(commands.map((command) => command.name))("'%s --help' describes every flag of the command", async (name) => {
    const io = recordedIo();
    expect(await main([name, "--help"], io)).toBe(0);
    const help = io.stdout.join("\n");
    expect(help).toContain(`Usage: kafka-iceberg-export ${name}`);
    const spec = commands.find((command) => command.name === name);
    for (const option of spec?.options ?? []) expect(help).toContain(`--${option.name}`);
  });

  it("names an unknown command", async () => {
    const io = recordedIo();
    expect(await main(["enabel"], io)).toBe(2);
    expect(io.stderr.join("\n")).toContain("unknown command 'enabel'");
  });

  it("names an unknown flag and the command it was given to", async () => {
    const io = recordedIo();
    expect(await main(["enable", "--topik", "orders"], io)).toBe(2);
    expect(io.stderr.join("\n")).toMatch(/Unknown option '--topik'.*see kafka-iceberg-export enable --help/);
  });

  it("names a missing required flag", async () => {
    const io = recordedIo();
    expect(await main(["disable", "--warehouse", "/tmp/nowhere"], io)).toBe(2);
    expect(io.stderr.join("\n")).toContain("--topic is required");
  });

  it("names the flag and the setting of a malformed configuration value", async () => {
    const io = recordedIo();
    expect(await main(["status", "--warehouse", "/tmp/w", "--wire-format", "avro"], io)).toBe(2);
    expect(io.stderr.join("\n")).toContain("error: --wire-format: configuration setting WIRE_FORMAT: must be one of confluent, raw, got 'avro'");
  });

  it("names a setting missing from both flags and environment", async () => {
    const io = recordedIo();
    expect(await main(["status"], io)).toBe(2);
    expect(io.stderr.join("\n")).toContain("configuration setting WAREHOUSE: is required");
  });

  it("names a bad partitioning and a bad record count", async () => {
    const partitioning = recordedIo();
    expect(await main(["enable", "--topic", "t", "--partitioning", "week"], partitioning)).toBe(2);
    expect(partitioning.stderr.join("\n")).toContain("--partitioning must be one of hour, day, month, year, none, got 'week'");
    const records = recordedIo();
    expect(await main(["demo", "--records", "ten"], records)).toBe(2);
    expect(records.stderr.join("\n")).toContain("--records must be an integer from 1 to 1000000, got 'ten'");
  });
});
