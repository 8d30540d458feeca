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

const code = await main(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  interrupted,
});
process.exitCode = code;
// kafkajs and the AWS SDK may keep sockets open; the command is finished.
setTimeout(() => process.exit(code), 100).unref();
