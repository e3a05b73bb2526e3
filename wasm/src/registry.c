/* registry.c: the entries of the package's default module (dist/wasync.wasm), the one createRuntime() loads:
 * the standard entries only. The demo examples live in their own module (registry_examples.c), so users do not
 * load them. */
#include "entries.h"
#include "ws_blocking.h"

const wsx_entry *const wsx_entries[] = { WSX_STANDARD_ENTRIES };

const uint32_t wsx_entry_count = sizeof wsx_entries / sizeof wsx_entries[0];

WS_MODULE_BLOCKING(WSX_STANDARD_BLOCKING);
