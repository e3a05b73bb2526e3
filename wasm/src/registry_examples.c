/* registry_examples.c: the entries of the examples module (dist/wasync-examples.wasm): the nine examples, in the
 * order the playground lists them, then the standard entries, as in the default module (registry.c). */
#include "entries.h"

extern const wsx_entry wsx_example_lazy, wsx_example_sequential, wsx_example_join, wsx_example_spawn,
    wsx_example_blocking, wsx_example_cooperative, wsx_example_timeout, wsx_example_channel, wsx_example_fetch;
extern const wsx_entry wsx_entry_host_echo, wsx_entry_host_many, wsx_entry_fetch_text, wsx_entry_sleep,
    wsx_entry_never, wsx_entry_trap;

const wsx_entry *const wsx_entries[] = {
    &wsx_example_lazy, &wsx_example_sequential, &wsx_example_join, &wsx_example_spawn, &wsx_example_blocking,
    &wsx_example_cooperative, &wsx_example_timeout, &wsx_example_channel, &wsx_example_fetch,
    &wsx_entry_host_echo, &wsx_entry_host_many, &wsx_entry_fetch_text, &wsx_entry_sleep, &wsx_entry_never, &wsx_entry_trap,
};

const uint32_t wsx_entry_count = sizeof wsx_entries / sizeof wsx_entries[0];
