/**
 * The timeout of a unit test that does seconds of CPU work (tens of thousands of rows, fuzzing):
 * it takes about a second on an idle 2-core machine and several times that when the machine is
 * loaded, as it is when test suites run side by side.
 */
export const heavyTestTimeoutMs = 120_000;
