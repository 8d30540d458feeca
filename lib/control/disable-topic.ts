// `disable`: stop exporting a topic. Records produced from now until a later `enable` are
// never exported (that enable starts at the log end again); what was already staged is
// still committed, since commit rounds cover disabled topics too.
import { ExportError } from "../core/errors.js";
import type { StateStore, TopicExport } from "../state/state-store.js";

export interface DisableTopicOutcome {
  status: "disabled" | "already-disabled";
  topicExport: TopicExport;
}

export async function disableTopic(topic: string, context: { stateStore: StateStore; now: () => number }): Promise<DisableTopicOutcome> {
  const previous = await context.stateStore.topicExport(topic);
  if (previous === undefined) throw new ExportError("NOT_FOUND", `topic ${topic} was never enabled for export`);
  if (!previous.enabled) return { status: "already-disabled", topicExport: previous };
  const disabled = { ...previous, enabled: false, updatedAt: new Date(context.now()).toISOString() };
  await context.stateStore.putTopicExport(disabled);
  return { status: "disabled", topicExport: disabled };
}
