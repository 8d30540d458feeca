// The README followed literally: its links lead to files of this repository, and its
// pyiceberg snippets run as written (from the folder `npm run demo` ran in) against the demo's
// table, with what the pip line it gives installs. The DuckDB snippet is not run here.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readIcebergTable, type IcebergTableReadout } from "../../env/iceberg-reader.js";
import { pythonBin } from "../../env/python.js";
import { cliBin, projectRoot, runCommandLine, type CliRun } from "../cli/cli-process.js";

const readmeFile = join(projectRoot, "README.md");
const readme = readFileSync(readmeFile, "utf8");

/** The fenced code blocks of a Markdown text with the given info string. */
function codeBlocks(markdown: string, language: string): string[] {
  return [...markdown.matchAll(new RegExp("^```" + language + "\\n([\\s\\S]*?)^```$", "gm"))].map((match) => match[1] ?? "");
}

function markdownFiles(): string[] {
  return [readmeFile, ...readdirSync(join(projectRoot, "docs")).filter((name) => name.endsWith(".md")).map((name) => join(projectRoot, "docs", name))];
}

describe("the README", () => {
  it("links only to files inside the repository that exist (as do the docs)", () => {
    for (const file of markdownFiles()) {
      const targets = [...readFileSync(file, "utf8").matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1] ?? "").filter((target) => !/^[a-z]+:/.test(target) && !target.startsWith("#"));
      for (const target of targets) {
        const path = resolve(dirname(file), target.split("#")[0] ?? "");
        const where = `${relative(projectRoot, file)} links ${target}`;
        expect(relative(projectRoot, path).startsWith(".."), `${where}: outside the repository`).toBe(false);
        expect(existsSync(path), `${where}: no such file`).toBe(true);
      }
    }
  });

  it("tells to install the pyiceberg version and extra the snippets were checked with", () => {
    const lock = readFileSync(join(projectRoot, "test", "env", "python", "requirements.txt"), "utf8");
    const pinned = /^pyiceberg==(\S+)$/m.exec(lock)?.[1];
    const lockedExtras = /pyiceberg\[([^\]]+)\]/.exec(lock)?.[1]?.split(",") ?? [];
    const install = /pip install "pyiceberg\[([^\]]+)\]==(\S+)"/.exec(codeBlocks(readme, "sh").join("\n"));
    expect(install, "a `pip install \"pyiceberg[...]==...\"` line").not.toBeNull();
    expect(install?.[2]).toBe(pinned);
    for (const extra of install?.[1]?.split(",") ?? []) expect(lockedExtras).toContain(extra);
  });

  describe("run against the table `npm run demo` writes", () => {
    let folder: string;
    let demo: CliRun;
    let table: IcebergTableReadout;

    beforeAll(async () => {
      // `npm run demo` runs in the checkout and writes ./demo-warehouse there; this is the same
      // command with the folder the user is in replaced by a temporary one.
      folder = mkdtempSync(join(tmpdir(), "readme-"));
      demo = await runCommandLine(process.execPath, [cliBin, "demo", "--directory", join(folder, "demo-warehouse")], { cwd: folder });
      expect(demo.code, demo.stderr).toBe(0);
      table = await readIcebergTable({ catalog: "local", tableLocation: join(folder, "demo-warehouse", "warehouse", "kafka", "orders") });
    });

    it("the pyiceberg snippet prints the orders since its date, as pyiceberg reads the table", async () => {
      const [snippet, ...others] = codeBlocks(readme, "python");
      expect(snippet, "a ```python block").toBeDefined();
      expect(others).toEqual([]);
      writeFileSync(join(folder, "snippet.py"), snippet ?? "");
      const run = await runCommandLine(pythonBin, ["snippet.py"], { cwd: folder });
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);

      const since = table.rows.filter((row) => Date.parse(row["timestamp"] as string) >= Date.UTC(2026, 10, 24));
      expect(since.length).toBeGreaterThan(0);
      expect(since.length).toBeLessThan(table.rows.length);
      const [count, ...orders] = run.stdout.trim().split("\n");
      expect(count).toBe(`${since.length} orders since 2026-11-24`);
      expect(orders).toHaveLength(3);
      for (const line of orders) {
        const [timestamp, orderId, amount] = line.split(" ");
        const row = since.find((candidate) => (candidate["val"] as { order_id: string }).order_id === orderId);
        expect(row, line).toBeDefined();
        expect(Date.parse(timestamp ?? "")).toBe(Date.parse(row?.["timestamp"] as string));
        expect(amount).toBe(String((row?.["val"] as { amount_cents: number }).amount_cents));
      }
    });

    it("the pyiceberg line the demo prints gives the table's row count", async () => {
      const line = /^read it with pyiceberg:\n {2}python3 -c "(.+)"$/m.exec(demo.stdout)?.[1];
      expect(line, demo.stdout).toBeDefined();
      const run = await runCommandLine(pythonBin, ["-c", line ?? ""], { cwd: folder });
      expect(run.stderr).toBe("");
      expect(run.stdout.trim()).toBe(String(table.rows.length));
    });
  });
});
