/* registry_examples.c: the entries of the examples module (dist/wasync-examples.wasm): the built-in examples, in the
 * order the playground lists them, then the standard entries, as in the default module (registry.c), then the
 * entries that exercise the bridge (entry_points_bridge.c). */
#include "entries.h"
#include "ws_blocking.h"

const wsx_entry *const wsx_entries[] = { WSX_EXAMPLE_ENTRIES, WSX_STANDARD_ENTRIES, WSX_BRIDGE_ENTRIES };

const uint32_t wsx_entry_count = sizeof wsx_entries / sizeof wsx_entries[0];

WS_MODULE_BLOCKING(WSX_STANDARD_BLOCKING);
