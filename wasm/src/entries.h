/* entries.h: C async entry points that JavaScript can start by name (rt.start, rt.runExample).
 *
 * An entry is a future type plus a description of its parameters. The bridge parses and range-checks the
 * arguments JS sends ("name=value" lines), builds the future in the task's memory with `init`, and spawns it.
 * The examples are entries with `example` set; the others exist for tests and for embedding (host calls, fetch).
 *
 * Output convention: a number entry's output is its out (int64). A string entry's out is a ws_bytes* (ws_op.h)
 * that the bridge frees after handing it to JS. Any entry that fails with err != WS_OK may set out to a
 * ws_bytes* message (or 0); the bridge frees that too.
 */
#ifndef WSX_ENTRIES_H
#define WSX_ENTRIES_H

#include "wasync.h"

#define WSX_MAX_PARAMS 6

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
    uint8_t out_string;
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

/* The package's examples (wasm/examples/), in the order the playground lists them. */
extern const wsx_entry wsx_example_lazy, wsx_example_sequential, wsx_example_join, wsx_example_spawn,
    wsx_example_blocking, wsx_example_cooperative, wsx_example_timeout, wsx_example_channel, wsx_example_fetch,
    wsx_example_crawler, wsx_example_abort;
#define WSX_EXAMPLE_ENTRIES                                                                                         \
    &wsx_example_lazy, &wsx_example_sequential, &wsx_example_join, &wsx_example_spawn, &wsx_example_blocking,       \
        &wsx_example_cooperative, &wsx_example_timeout, &wsx_example_channel, &wsx_example_fetch,                   \
        &wsx_example_crawler, &wsx_example_abort
const wsx_entry *wsx_entry_find(const char *name, uint32_t len);

/* Parses "name=value\n" lines into args for `e`, copying strings into `block` (which the caller frees).
 * Returns WS_OK, or WS_EINVAL with a message in *msg (static or in `errbuf`). */
int wsx_args_parse(ws_runtime *rt, const wsx_entry *e, const char *text, uint32_t len, wsx_args *args, char **block,
                   uint32_t *block_len, char *errbuf, uint32_t errlen);

/* The registry as JSON: [{name,title,description,example,output,params:[{name,label,kind,default,min,max}]}] */
ws_bytes *wsx_entries_json(ws_runtime *rt);

#endif
