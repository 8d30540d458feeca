// Parsed JSON from outside (events, registry answers) is checked before it is used.
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
