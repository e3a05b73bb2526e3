/* entries.h: C async entry points that JavaScript can start by name (rt.start, rt.runExample).
 *
 * An entry is a future type plus a description of its parameters. The bridge parses and range-checks the
 * arguments JS sends ("name=value" lines), builds the future in the task's memory with `init`, and spawns it.
 * The examples are entries with `example` set; the others exist for tests and for embedding (host calls, fetch).
 *
 * Output convention (out_string): WSX_OUT_NUMBER: the output is out (int64). WSX_OUT_STRING: out is a ws_bytes*
 * (ws_op.h) of text that the bridge frees after handing it to JS. WSX_OUT_VALUE: out is a typed value block
 * (ws_value_new or a typed host call's outcome, ws_js.h): JS gets a number, string, Uint8Array, parsed JSON or
 * the object of a handle. Any entry that fails with err != WS_OK may set out to a
 * ws_bytes* message (or 0); the bridge frees that too.
 */
#ifndef WSX_ENTRIES_H
#define WSX_ENTRIES_H

#include "wasync.h"

/* Parameters per entry point. Starting an entry with more fails with WS_EINVAL. */
#define WSX_MAX_PARAMS 16

enum { WSX_OUT_NUMBER = 0, WSX_OUT_STRING = 1, WSX_OUT_VALUE = 2 };

typedef enum wsx_param_kind { WSX_MS, WSX_INT, WSX_URL, WSX_TEXT } wsx_param_kind;

typedef struct wsx_param {
    const char *name;
    const char *label;
    wsx_param_kind kind;
    int64_t def, min, max;     /* numbers */
    const char *def_str;       /* URL/TEXT default ("" if none); a leading '/' is made absolute by the JS side */
} wsx_param;

typedef struct wsx_args {
    int64_t num[WSX_MAX_PARAMS];
    const char *str[WSX_MAX_PARAMS];   /* NUL-terminated, valid while the task lives */
    uint32_t len[WSX_MAX_PARAMS];
} wsx_args;

typedef struct wsx_entry {
    const char *name;
    const char *title;
    const char *description;
    const wsx_param *params;
    uint32_t nparams;
    uint32_t size;                                   /* of the future */
    void (*init)(void *future, const wsx_args *args);
    uint8_t out_string;                              /* WSX_OUT_NUMBER, WSX_OUT_STRING or WSX_OUT_VALUE */
    uint8_t example;
} wsx_entry;

/* Sets the future's output to a message (a ws_bytes, or 0 if it cannot be allocated) with the given error. */
void wsx_fail(ws_runtime *rt, ws_future *f, int err, const char *msg);

/* A small string builder for JSON and messages (grows with ws_alloc). */
typedef struct wsx_buf {
    ws_runtime *rt;
    char *p;
    uint32_t len, cap;
    int failed;
} wsx_buf;
void wsx_buf_init(ws_runtime *rt, wsx_buf *b);
void wsx_buf_add(wsx_buf *b, const char *s, uint32_t n);
void wsx_buf_str(wsx_buf *b, const char *s);
void wsx_buf_json_str(wsx_buf *b, const char *s);
void wsx_buf_int(wsx_buf *b, int64_t v);
/* Moves the text into a ws_bytes (NULL on failure) and resets the builder. */
ws_bytes *wsx_buf_finish(wsx_buf *b);
void wsx_buf_free(wsx_buf *b);

/* The registry: every entry compiled into the module. A module's registry.c defines both, e.g.
 *     const wsx_entry *const wsx_entries[] = { &my_entry, WSX_STANDARD_ENTRIES };
 *     const uint32_t wsx_entry_count = sizeof wsx_entries / sizeof wsx_entries[0];
 */
extern const wsx_entry *const wsx_entries[];
extern const uint32_t wsx_entry_count;

/* The standard entry points (entry_points.c: wasync_add_module(... STANDARD_ENTRIES)), for a registry to list. */
extern const wsx_entry wsx_entry_host_echo, wsx_entry_host_many, wsx_entry_fetch_text, wsx_entry_sleep,
    wsx_entry_never, wsx_entry_trap;
#define WSX_STANDARD_ENTRIES                                                                                        \
    &wsx_entry_host_echo, &wsx_entry_host_many, &wsx_entry_fetch_text, &wsx_entry_sleep, &wsx_entry_never,          \
        &wsx_entry_trap

/* Entries that exercise the bridge (entry_points_bridge.c), in the examples module only. */
extern const wsx_entry wsx_entry_host_select, wsx_entry_host_timeout, wsx_entry_host_values, wsx_entry_host_relay,
    wsx_entry_fetch_stream;
#define WSX_BRIDGE_ENTRIES                                                                                          \
    &wsx_entry_host_select, &wsx_entry_host_timeout, &wsx_entry_host_values, &wsx_entry_host_relay,                 \
        &wsx_entry_fetch_stream

/* The package's nine examples (wasm/examples/), in the order the playground lists them. */
extern const wsx_entry wsx_example_lazy, wsx_example_sequential, wsx_example_join, wsx_example_spawn,
    wsx_example_blocking, wsx_example_cooperative, wsx_example_timeout, wsx_example_channel, wsx_example_fetch;
#define WSX_EXAMPLE_ENTRIES                                                                                         \
    &wsx_example_lazy, &wsx_example_sequential, &wsx_example_join, &wsx_example_spawn, &wsx_example_blocking,       \
        &wsx_example_cooperative, &wsx_example_timeout, &wsx_example_channel, &wsx_example_fetch
const wsx_entry *wsx_entry_find(const char *name, uint32_t len);

/* Parses "name=value\n" lines into args for `e`, copying strings into `block` (which the caller frees).
 * Returns WS_OK, or WS_EINVAL with a message in *msg (static or in `errbuf`). */
int wsx_args_parse(ws_runtime *rt, const wsx_entry *e, const char *text, uint32_t len, wsx_args *args, char **block,
                   uint32_t *block_len, char *errbuf, uint32_t errlen);

/* The registry as JSON: [{name,title,description,example,output,params:[{name,label,kind,default,min,max}]}] */
ws_bytes *wsx_entries_json(ws_runtime *rt);

#endif
