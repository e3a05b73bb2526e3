/* registry.c: the bench module's entries: those of the package's examples module (examples and building blocks,
 * as in wasm/src/registry_examples.c) and the benchmark workloads (bench_entries.c). */
#include "entries.h"

extern const wsx_entry wsx_example_lazy, wsx_example_sequential, wsx_example_join, wsx_example_spawn,
    wsx_example_blocking, wsx_example_cooperative, wsx_example_timeout, wsx_example_channel, wsx_example_fetch;
extern const wsx_entry wsx_entry_host_echo, wsx_entry_host_many, wsx_entry_fetch_text, wsx_entry_sleep,
    wsx_entry_never;
extern const wsx_entry bench_entry_spawn, bench_entry_yield, bench_entry_pingpong, bench_entry_timers,
    bench_entry_idle, bench_entry_fetch_many;

const wsx_entry *const wsx_entries[] = {
    &wsx_example_lazy, &wsx_example_sequential, &wsx_example_join, &wsx_example_spawn, &wsx_example_blocking,
    &wsx_example_cooperative, &wsx_example_timeout, &wsx_example_channel, &wsx_example_fetch,
    &wsx_entry_host_echo, &wsx_entry_host_many, &wsx_entry_fetch_text, &wsx_entry_sleep, &wsx_entry_never,
    &bench_entry_spawn, &bench_entry_yield, &bench_entry_pingpong, &bench_entry_timers, &bench_entry_idle,
    &bench_entry_fetch_many,
};

const uint32_t wsx_entry_count = sizeof wsx_entries / sizeof wsx_entries[0];
