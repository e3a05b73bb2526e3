// cc-limits.js: the limits the page and its program Worker share (run-worker.js, cc-run.js).

/** The program's Worker says it is alive this often, from a timer: a timer only fires while no poll is running. */
export const HEARTBEAT_MS = 200;
/** No pulse for this long: a poll has not returned, and the watchdog terminates the Worker. */
export const WATCHDOG_MS = 3000;
