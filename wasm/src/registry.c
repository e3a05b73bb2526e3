/* registry.c: the entries of the package's default module (dist/wasync.wasm), the one createRuntime() loads:
 * the standard entries only. The demo examples live in their own module (registry_examples.c), so users do not
 * load them. */
#include "entries.h"

extern const wsx_entry wsx_entry_host_echo, wsx_entry_host_many, wsx_entry_fetch_text, wsx_entry_sleep,
    wsx_entry_never, wsx_entry_trap;

const wsx_entry *const wsx_entries[] = {
    &wsx_entry_host_echo, &wsx_entry_host_many, &wsx_entry_fetch_text, &wsx_entry_sleep, &wsx_entry_never, &wsx_entry_trap,
};

const uint32_t wsx_entry_count = sizeof wsx_entries / sizeof wsx_entries[0];
