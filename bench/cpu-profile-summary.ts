// The top functions by self time of each V8 CPU profile (.cpuprofile, from node --cpu-prof)
// under a folder, for `npm run bench -- --cpu-prof DIR`: where a child's CPU went.
import { readdirSync, readFileSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { textTable } from "./text-table.js";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
}

export interface ProfileEntry {
  name: string;
  share: number;
}

/** Self-time shares of one profile, largest first; a function is its name, file and line. */
export function selfTimeShares(profile: CpuProfile): ProfileEntry[] {
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0 || node.callFrame.functionName === "(idle)") continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = url === "" ? functionName || "(anonymous)" : `${functionName || "(anonymous)"} ${basename(url)}:${lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + hits);
    total += hits;
  }
  return [...byFunction.entries()].map(([name, hits]) => ({ name, share: hits / total })).sort((a, b) => b.share - a.share);
}

export function summarizeCpuProfiles(directory: string, top = 25): string {
  const files = readdirSync(directory, { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".cpuprofile")).sort();
  return files
    .map((file) => {
      const entries = selfTimeShares(JSON.parse(readFileSync(join(directory, file), "utf8")) as CpuProfile).slice(0, top);
      return `\n${relative(directory, join(directory, file))}\n${textTable(["function (self time)", "share"], entries.map((entry) => [entry.name, `${(entry.share * 100).toFixed(1)}%`]))}`;
    })
    .join("\n");
}
