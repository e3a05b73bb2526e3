/* registry.c: the bench module's entries: those of the package's examples module (wasm/src/registry_examples.c)
 * and the benchmark workloads (bench_entries.c). */
#include "entries.h"

extern const wsx_entry bench_entry_spawn, bench_entry_yield, bench_entry_pingpong, bench_entry_timers,
    bench_entry_idle, bench_entry_fetch_many, bench_entry_spawn_await, bench_entry_semaphore, bench_entry_joinset;

const wsx_entry *const wsx_entries[] = {
    WSX_EXAMPLE_ENTRIES,
    WSX_STANDARD_ENTRIES,
    &bench_entry_spawn, &bench_entry_yield, &bench_entry_pingpong, &bench_entry_timers, &bench_entry_idle,
    &bench_entry_fetch_many, &bench_entry_spawn_await, &bench_entry_semaphore, &bench_entry_joinset,
};

const uint32_t wsx_entry_count = sizeof wsx_entries / sizeof wsx_entries[0];
