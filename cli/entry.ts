// The process around main(): real stdout/stderr, the environment, Ctrl-C, the exit code.
import { main } from "./main.js";

let interrupt: () => void = () => undefined;
const interrupted = new Promise<void>((resolve) => (interrupt = resolve));
let interrupts = 0;
process.on("SIGINT", () => {
  interrupts++;
  if (interrupts > 1) process.exit(130); // a second Ctrl-C does not wait for a clean stop
  interrupt();
});
process.on("SIGTERM", interrupt);

// A reader that stops reading (`status | head -1`) closes the pipe: the output is no longer
// wanted, which is not a failure of the command. Further lines to that stream are dropped and a
// long-running command (run) stops as on Ctrl-C.
const closed = { out: false, err: false };
function onStreamError(stream: keyof typeof closed) {
  return (error: NodeJS.ErrnoException): void => {
    if (error.code !== "EPIPE") throw error;
    closed[stream] = true;
    interrupt();
  };
}
process.stdout.on("error", onStreamError("out"));
process.stderr.on("error", onStreamError("err"));

const code = await main(process.argv.slice(2), {
  out: (line) => {
    if (!closed.out) process.stdout.write(`${line}\n`);
  },
  err: (line) => {
    if (!closed.err) process.stderr.write(`${line}\n`);
  },
  env: process.env,
  interrupted,
});
process.exitCode = code;
// kafkajs and the AWS SDK may keep sockets open; the command is finished.
setTimeout(() => process.exit(code), 100).unref();
