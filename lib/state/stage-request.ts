// What every StateStore refuses to stage, whatever holds the state: a request that would not
// move its watermark forward, or that carries files of another topic-partition.
import { ExportError } from "../core/errors.js";
import type { StageRequest } from "./state-store.js";

export function checkStageRequest(request: StageRequest): void {
  const { topic, partition, expectedWatermark, newWatermark, files } = request;
  if (expectedWatermark !== undefined && newWatermark <= expectedWatermark) {
    throw new ExportError("INTERNAL", `staging ${topic}-${partition} must move the watermark forward, not from ${expectedWatermark} to ${newWatermark}`);
  }
  const stranger = files.find((file) => file.topic !== topic || file.partition !== partition);
  if (stranger !== undefined) {
    throw new ExportError("INTERNAL", `staging ${topic}-${partition} was given ${stranger.location} of ${stranger.topic}-${stranger.partition}`);
  }
}

export function describeStageRequest(request: StageRequest): string {
  return `${request.files.length} file(s) of ${request.topic}-${request.partition} up to offset ${request.newWatermark}`;
}
