/* ws_module.h: the public API of a wasync module, the C side of what JavaScript starts with rt.start(name, args).
 *
 * A module is the wasync core, the JS bridge and your entry points, compiled to one standalone .wasm (with
 * `npx wasync build` or the package's cmake/wasync.cmake) and loaded with createRuntime({ wasm }). This header, with
 * wasync.h (the core) and ws_js.h (JS promises and fetch as futures), is all a module's C needs.
 *
 * An entry point is an async function (WS_ASYNC, ws_async.h) plus a description the loader reads (rt.entries lists the names):
 *
 *     WS_ASYNC(greet, { const char *who; int64_t times; ws_sleep nap; })
 *     { WS_BEGIN(); ... WS_END(); }
 *
 *     static void greet_init(void *f, const wsx_args *args)       // builds the future from the parsed arguments
 *     {
 *         greet *self = f;
 *         WS_ASYNC_INIT(greet, self);
 *         self->who = args->str[0];                               // parameter 0, a string
 *         self->times = args->num[1];                             // parameter 1, a number
 *     }
 *     static const wsx_param greet_params[] = {
 *         WSX_PARAM_TEXT("who", "who to greet", "world"),
 *         WSX_PARAM_INT("times", "how often", 1, 0, 10),         // default 1, range 0..10
 *     };
 *     WS_ENTRY(greet, .title = "Greet", .init = greet_init, WSX_PARAMS(greet_params), .out_string = 1);
 *     WS_MODULE_ENTRIES(&greet_entry);                            // once per module: what rt.start can name
 *
 *     static const wsx_param send_params[] = {                   // typed parameters: any ws_value (ws_js.h)
 *         WSX_PARAM_VALUE("body", "what to send", WSX_TYPE(WS_VALUE_BYTES) | WSX_TYPE(WS_VALUE_STRING)),
 *         WSX_PARAM_VALUE("id", "a number or a BigInt", WSX_TYPE(WS_VALUE_NUMBER) | WSX_TYPE(WS_VALUE_BIGINT)),
 *     };                                                          // init reads args->val[0], args->val[1]
 *
 * Contracts:
 *   - Arguments cross typed: JS passes them by name (rt.start(name, { who: 'x' })) or by position
 *     (rt.start(name, ['x', 2])), and sends each as a ws_value. The loader and then the bridge check the count,
 *     each value's type against its parameter, each number against its [min, max] (the JS call throws EINVAL
 *     with one line naming the parameter; nothing is spawned). INT and MS take a number (or a BigInt) that is an
 *     integer; TEXT and URL a string; VALUE any type in its mask (WSX_TYPE bits, 0: any), and one whose mask
 *     lacks WS_VALUE_UNDEFINED must be given. Strings (str[i], and a VALUE's string, bytes or JSON) are copies
 *     that live as long as the task, so a future may keep the pointers in its fields; a TEXT or URL string is
 *     NUL-terminated and may contain NUL bytes itself (len[i] is its length).
 *   - init runs once, before the first poll, inside the task's memory (the future is `size` bytes, zeroed): it
 *     must only build the future (WS_ASYNC_INIT and fields). Nothing runs until the executor polls it.
 *   - Output: a number entry's result is its out (int64, exact in JS up to 2^53). With .out_string = WSX_OUT_STRING
 *     its out is a ws_bytes * (ws_op.h) that the bridge decodes as UTF-8 into a JS string and frees; with
 *     WSX_OUT_VALUE a typed value (ws_js.h). Any entry that fails
 *     (err != WS_OK) may set out to a ws_bytes * message, or 0: JS sees an Error whose code names err and whose
 *     message is that text; the bridge frees it. WS_TRY hands a failed host call's message on this way.
 *   - Cancellation: job.abort() in JS (or rt.close()) drops the task's future at its next scheduling point:
 *     its drop hook runs (ws_async.h), pending host calls and fetches are aborted, the promise rejects ECANCELED.
 */
#ifndef WS_MODULE_H
#define WS_MODULE_H

#include "wasync.h"
#include "ws_js.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Parameters per entry point. Starting an entry with more fails with WS_EINVAL. */
#define WSX_MAX_PARAMS 16

/* What an entry's out is (wsx_entry.out_string): WSX_OUT_NUMBER: out is the result (int64). WSX_OUT_STRING: out
 * is a ws_bytes * (ws_op.h) of text, decoded as UTF-8 and freed by the bridge. WSX_OUT_VALUE: out is a typed value
 * block (ws_value_new or a typed host call's outcome, ws_js.h): JS gets a number, string, Uint8Array, parsed JSON
 * or the object of a handle. */
enum { WSX_OUT_NUMBER = 0, WSX_OUT_STRING = 1, WSX_OUT_VALUE = 2 };

/* What a parameter holds. MS and INT are numbers in [min, max]; URL and TEXT are strings (a URL that starts with
 * '/' is made absolute against the runtime's baseUrl by the JS side); VALUE is a typed value (ws_value) of the
 * types its mask allows. */
typedef enum wsx_param_kind { WSX_MS, WSX_INT, WSX_URL, WSX_TEXT, WSX_VALUE } wsx_param_kind;

/* A VALUE parameter's mask bit for a ws_value_type (WS_VALUE_NUMBER, ...). */
#define WSX_TYPE(t) (1u << (t))

typedef struct wsx_param {
    const char *name;          /* the key JS passes: rt.start(entry, { name: value }) */
    const char *label;         /* a human description (the playground's form) */
    wsx_param_kind kind;
    int64_t def, min, max;     /* numbers: default and inclusive range */
    const char *def_str;       /* strings: the default ("" or NULL if none) */
    uint32_t types;            /* VALUE: WSX_TYPE bits of the types allowed, 0: any */
} wsx_param;

/* Parameters, by kind: write them with these rather than positional initialisers. */
#define WSX_PARAM_INT(pname, plabel, pdef, pmin, pmax)                                                              \
    { .name = (pname), .label = (plabel), .kind = WSX_INT, .def = (pdef), .min = (pmin), .max = (pmax) }
#define WSX_PARAM_MS(pname, plabel, pdef, pmin, pmax)                                                               \
    { .name = (pname), .label = (plabel), .kind = WSX_MS, .def = (pdef), .min = (pmin), .max = (pmax) }
#define WSX_PARAM_TEXT(pname, plabel, pdef) { .name = (pname), .label = (plabel), .kind = WSX_TEXT, .def_str = (pdef) }
#define WSX_PARAM_URL(pname, plabel, pdef) { .name = (pname), .label = (plabel), .kind = WSX_URL, .def_str = (pdef) }
#define WSX_PARAM_VALUE(pname, plabel, ptypes) { .name = (pname), .label = (plabel), .kind = WSX_VALUE, .types = (ptypes) }

/* The arguments, by parameter index: numbers (INT, MS) in num[i], strings (TEXT, URL) in str[i] (length len[i]),
 * typed values (VALUE) in val[i] (WS_VALUE_UNDEFINED when not given). */
typedef struct wsx_args {
    int64_t num[WSX_MAX_PARAMS];
    const char *str[WSX_MAX_PARAMS];   /* NUL-terminated, valid while the task lives */
    uint32_t len[WSX_MAX_PARAMS];
    ws_value val[WSX_MAX_PARAMS];      /* data valid while the task lives */
} wsx_args;

typedef struct wsx_entry {
    const char *name;                                /* what rt.start names */
    const char *title;
    const char *description;
    const wsx_param *params;
    uint32_t nparams;                                /* at most WSX_MAX_PARAMS */
    uint32_t size;                                   /* of the future */
    void (*init)(void *future, const wsx_args *args);
    uint8_t out_string;                              /* WSX_OUT_NUMBER, WSX_OUT_STRING or WSX_OUT_VALUE */
    uint8_t example;                                 /* 1: one of the package's built-in examples */
} wsx_entry;

/* Declares the entry `fn##_entry` for the async function `fn` (its name in JS is "fn", its future sizeof(fn)),
 * with the other fields as designated initialisers: .init (required), .title, .description, WSX_PARAMS(array),
 * .out_string. */
#define WS_ENTRY(fn, ...) const wsx_entry fn##_entry = { .name = #fn, .size = sizeof(fn), __VA_ARGS__ }
#define WSX_PARAMS(array) .params = (array), .nparams = (uint32_t)(sizeof(array) / sizeof((array)[0]))

/* The registry: every entry JS can start in this module, defined once per module (in any one source). */
extern const wsx_entry *const wsx_entries[];
extern const uint32_t wsx_entry_count;
#define WS_MODULE_ENTRIES(...)                                                                                      \
    const wsx_entry *const wsx_entries[] = { __VA_ARGS__ };                                                         \
    const uint32_t wsx_entry_count = sizeof wsx_entries / sizeof wsx_entries[0]

/* Sets a future's outcome to err with a message (a ws_bytes copy of msg, or 0 if it cannot be allocated), for an
 * entry that fails with an explanation. Then return WS_READY (in an async body: set it, then `return WS_READY`). */
void wsx_fail(ws_runtime *rt, ws_future *f, int err, const char *msg);

/* A string builder for JSON and messages, without stdio: snprintf and printf pull about 8 KB of formatting code
 * into a module; this is a few hundred bytes. It grows with ws_alloc; an allocation failure is remembered (failed)
 * and makes wsx_buf_finish return NULL, so a sequence of adds needs one check at the end. */
typedef struct wsx_buf {
    ws_runtime *rt;
    char *p;
    uint32_t len, cap;
    int failed;
} wsx_buf;
void wsx_buf_init(ws_runtime *rt, wsx_buf *b);
void wsx_buf_add(wsx_buf *b, const char *s, uint32_t n);   /* n bytes of s */
void wsx_buf_str(wsx_buf *b, const char *s);                /* a NUL-terminated string */
void wsx_buf_json_str(wsx_buf *b, const char *s);           /* s as a quoted, escaped JSON string */
void wsx_buf_int(wsx_buf *b, int64_t v);                    /* a decimal integer */
/* Moves the text into a ws_bytes (NULL on failure) and resets the builder: the caller owns the block. */
ws_bytes *wsx_buf_finish(wsx_buf *b);
/* Frees the text of a builder that will not be finished. */
void wsx_buf_free(wsx_buf *b);

#ifdef __cplusplus
}
#endif
#endif
