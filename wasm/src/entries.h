/* entries.h: the bridge's side of the entry points (the public side, for modules, is ws_module.h): the package's
 * standard entries and examples, lookup by name, argument parsing, and the registry as JSON.
 *
 * The bridge checks the typed arguments JS sends (ws_value, one per parameter), builds the future in the task's
 * memory with `init`, and spawns it. The examples are entries with `example` set; the standard entries exist for
 * tests and for embedding (host calls, fetch).
 */
#ifndef WSX_ENTRIES_H
#define WSX_ENTRIES_H

#include "ws_module.h"

/* The registry (ws_module.h: WS_MODULE_ENTRIES) may list the standard entries too, e.g.
 *     WS_MODULE_ENTRIES(&my_entry, WSX_STANDARD_ENTRIES);
 */

/* The standard entry points (entry_points.c: wasync_add_module(... STANDARD_ENTRIES)), for a registry to list. */
extern const wsx_entry wsx_entry_host_echo, wsx_entry_host_many, wsx_entry_fetch_text, wsx_entry_sleep,
    wsx_entry_never, wsx_entry_trap;
/* spawn_blocking, in blocking_entries.c: compiled with the standard entries, declared below. */
#define WSX_STANDARD_ENTRIES                                                                                        \
    &wsx_entry_host_echo, &wsx_entry_host_many, &wsx_entry_fetch_text, &wsx_entry_sleep, &wsx_entry_never,          \
        &wsx_entry_trap, &wsx_entry_spawn_blocking

/* Entries that exercise the bridge (entry_points_bridge.c), in the examples module only. */
extern const wsx_entry wsx_entry_host_select, wsx_entry_host_timeout, wsx_entry_host_values, wsx_entry_host_relay,
    wsx_entry_fetch_stream, wsx_entry_typed_args;
#define WSX_BRIDGE_ENTRIES                                                                                          \
    &wsx_entry_host_select, &wsx_entry_host_timeout, &wsx_entry_host_values, &wsx_entry_host_relay,                 \
        &wsx_entry_fetch_stream, &wsx_entry_typed_args

/* The package's examples (wasm/examples/), in the order the playground lists them. */
extern const wsx_entry wsx_example_lazy, wsx_example_sequential, wsx_example_join, wsx_example_spawn,
    wsx_example_blocking, wsx_example_cooperative, wsx_example_offload, wsx_example_timeout, wsx_example_channel,
    wsx_example_fetch, wsx_example_crawler, wsx_example_abort;
extern const wsx_entry wsx_example_token;
#define WSX_EXAMPLE_ENTRIES                                                                                         \
    &wsx_example_lazy, &wsx_example_sequential, &wsx_example_join, &wsx_example_spawn, &wsx_example_blocking,       \
        &wsx_example_cooperative, &wsx_example_offload, &wsx_example_timeout, &wsx_example_channel,                 \
        &wsx_example_fetch, &wsx_example_crawler, &wsx_example_abort, &wsx_example_token
const wsx_entry *wsx_entry_find(const char *name, uint32_t len);

/* The instance's runtime (bridge.c: one per instance), NULL before wsx_init and after wsx_shutdown: for the other
 * exports of the bridge (blocking.c). */
ws_runtime *wsx_runtime(void);

/* Stores an outcome that needs no block (type NUMBER, BOOLEAN, HANDLE, NULL or UNDEFINED, its payload as a double:
 * a boolean 1 or 0, a handle its number) in the live typed host call `op` (js_ops.c), for ws_host_call_value to
 * read; the caller then completes `op` with no block. WS_ESTALE when `op` names no live typed host call, WS_EINVAL
 * for another type. */
int wsx_host_call_put_value(ws_runtime *rt, ws_id op, uint32_t type, double x);

/* The standard entry that runs a blocking function (blocking_entries.c). */
extern const wsx_entry wsx_entry_spawn_blocking;

/* Checks the typed arguments JS sends for `e` (values[i] for parameter i, n of them; WS_VALUE_UNDEFINED: not
 * given, so the default) and fills args. The data of every string, bytes or JSON value must lie inside
 * [data, data + data_len), which the caller keeps as long as the task (a STRING followed by a NUL there).
 * Returns WS_OK, or WS_EINVAL with a one-line message in errbuf. */
int wsx_args_take(const wsx_entry *e, const ws_value *values, uint32_t n, const uint8_t *data, uint32_t data_len,
                  wsx_args *args, char *errbuf, uint32_t errlen);

/* The registry as JSON: [{name,title,description,example,output,params:[{name,label,kind,default,min,max}]}]; a
 * VALUE parameter has default null and `types`, its mask, instead of min and max. */
ws_bytes *wsx_entries_json(ws_runtime *rt);

#endif
