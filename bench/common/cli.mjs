// cli.mjs: what the Node benchmark scripts share for their command lines and figures.

/** The value after `--name` on the command line, as text, or `def` when the option is absent. */
export function option(name, def) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
}

/** The value after `--name` as a number, or `def` when the option is absent. */
export function numberOption(name, def) {
  const v = option(name, undefined);
  return v === undefined ? def : Number(v);
}

/** The median of `xs` (the upper one of an even count): the figure the benchmarks report over rounds. */
export const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** The process's CPU time (user and system, all its threads) since `c0`, a process.cpuUsage() reading, in ns. */
export function cpuNsSince(c0) {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) * 1e3;
}
