// First fit decreasing: the largest items first (by `largestFirst`, whose ties decide a
// stable order), each into the first bin it still fits in. Used to group small data files
// into files of a target size, before a commit and in compaction.

export function packBins<T extends { fileSizeBytes: number }>(items: readonly T[], capacityBytes: number, largestFirst: (a: T, b: T) => number): T[][] {
  const bins: { bytes: number; items: T[] }[] = [];
  for (const item of [...items].sort(largestFirst)) {
    const bin = bins.find((candidate) => candidate.bytes + item.fileSizeBytes <= capacityBytes);
    if (bin === undefined) bins.push({ bytes: item.fileSizeBytes, items: [item] });
    else {
      bin.bytes += item.fileSizeBytes;
      bin.items.push(item);
    }
  }
  return bins.map((bin) => bin.items);
}
