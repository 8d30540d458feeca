// What a failed network call says about the request, from the error's codes (never its
// message): a connection that was never made proves the request was not received; anything
// else after sending (a reset, a timeout) leaves open whether the server acted on it.

/** Socket and DNS failures that happen before any byte of the request is sent. */
const notConnectedCodes: ReadonlySet<string> = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "EHOSTDOWN", "ENETDOWN"]);

/** The error's `code`, or its causes' (Node's fetch keeps the socket's in `cause`). */
export function networkErrorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current !== null && typeof current === "object" && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export function isNotConnected(error: unknown): boolean {
  const code = networkErrorCode(error);
  return code !== undefined && notConnectedCodes.has(code);
}

/** An AbortSignal.timeout() that fired. */
export function isTimeout(error: unknown): boolean {
  return error instanceof DOMException && error.name === "TimeoutError";
}
