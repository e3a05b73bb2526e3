/* wsx_abi.h: the constants the bridge (bridge.c, js_ops.c) and its JS side (wasm/lib/) share, besides those of the
 * core (error codes, wake causes, run statuses, trace records: see ws_base.h, ws_future.h, ws_runtime.h,
 * ws_trace.h).
 *
 * Each table here is the one definition: scripts/gen-contract.mjs reads these X-macro tables and writes
 * wasm/lib/contract.js, and tests/node/contract.test.mjs fails when the committed file differs from what the
 * tables give. Offsets are checked against the structs with _Static_assert in bridge.c. To add a constant, add a
 * line to its table and run `node scripts/gen-contract.mjs`.
 */
#ifndef WSX_ABI_H
#define WSX_ABI_H

/* wsx_init's flags: X(NAME, bit). */
#define WSX_FLAGS(X)                                                                                               \
    X(REAL_CLOCK, 1)       /* the runtime's clock is performance.now(), not virtual */                             \
    X(TRACE_KEEP_FIRST, 2) /* a full trace ring stops recording (else it overwrites the oldest) */

/* What wsx_run returns: a ws_runtime_run status (WS_RUN_*) in the low bits, or-ed with these: X(NAME, value). */
#define WSX_RUN_BITS(X)                                                                                            \
    X(STATUS_MASK, 15) /* the WS_RUN_* status */                                                                   \
    X(JOBS_DONE, 16)   /* some task finished, so a job may be reapable (JS skips wsx_reap otherwise) */

/* ws_runtime_stats as JS reads it from wsx_stats(): X(C field, byte offset, type, JS name). */
#define WSX_STATS(X)                                                                                               \
    X(spawned, 0, u64, spawned)                                                                                    \
    X(completed, 8, u64, completed)                                                                                \
    X(aborted, 16, u64, aborted)                                                                                   \
    X(polls, 24, u64, polls)                                                                                       \
    X(wakes, 32, u64, wakes)                                                                                       \
    X(stale_wakes, 40, u64, staleWakes)                                                                            \
    X(tasks_live, 48, u32, tasksLive)                                                                              \
    X(timers_armed, 52, u32, timersArmed)                                                                          \
    X(ops_in_flight, 56, u32, opsInFlight)                                                                         \
    X(objects_live, 60, u32, objectsLive)                                                                          \
    X(bytes_live, 64, u32, bytesLive)

/* Byte blocks (ws_bytes, ws_op.h): the data starts this many bytes after the block's address, after its u32 length. */
#define WSX_BYTES_DATA 4

/* A fetch's outcome block, inside its ws_bytes data: X(NAME, byte offset). The headers ("name: value\n" lines) are
 * followed by a NUL, then the body fills the rest of the block (none for a streamed response). */
#define WSX_FETCH_BLOCK(X)                                                                                         \
    X(STATUS, 0)      /* u32 HTTP status */                                                                        \
    X(HEADERS_LEN, 4) /* u32 length of the header text, without its NUL */                                        \
    X(STREAM, 8)      /* u32 body stream id (ws_fetch_stream_init), 0: the body is in the block */                 \
    X(HEADERS, 12)    /* the header text */

/* Typed values (ws_value, ws_js.h): X(NAME, name in JS). The type numbers are table order, from 0. */
#define WSX_VALUE_TYPES(X)                                                                                         \
    X(UNDEFINED, undefined) /* no value: JS undefined */                                   \
    X(NUMBER, number)       /* a double, no text */                                                                \
    X(STRING, string)       /* UTF-8 with its length: NUL bytes are part of it; JS rejects invalid UTF-8 */        \
    X(BYTES, bytes)         /* bytes as they are: a Uint8Array in JS */                                            \
    X(JSON, json)           /* JSON text: parsed in JS, made with JSON.stringify from JS */                        \
    X(HANDLE, handle)       /* a JS object kept in the runtime's handle table, named by a number */               \
    X(BOOLEAN, boolean)     /* true or false: payload u32 1 or 0 */                                                \
    X(BIGINT, bigint)       /* a BigInt in int64 range: payload i64 */                                             \
    X(NULL, null)           /* JS null */

/* struct ws_value as JS reads an array of them: X(field, byte offset). 16 bytes each. */
#define WSX_VALUE_LAYOUT(X)                                                                                        \
    X(type, 0)                                                                                                     \
    X(len, 4)                                                                                                      \
    X(payload, 8) /* number: f64; string, bytes, json: pointer; handle, boolean: u32; bigint: i64 */
#define WSX_VALUE_SIZE 16

/* A typed outcome block (ws_bytes data): a u32 type at 0, the payload from WSX_VALUE_DATA on (number: f64,
 * handle, boolean: u32, bigint: i64, undefined, null: none, others: their bytes). */
#define WSX_VALUE_DATA 8

enum {
#define WSX__FLAG_ENUM(name, value) WSX_FLAG_##name = value,
    WSX_FLAGS(WSX__FLAG_ENUM)
#undef WSX__FLAG_ENUM
#define WSX__RUN_ENUM(name, value) WSX_RUN_##name = value,
    WSX_RUN_BITS(WSX__RUN_ENUM)
#undef WSX__RUN_ENUM
#define WSX__FETCH_ENUM(name, offset) WSX_FETCH_AT_##name = offset,
    WSX_FETCH_BLOCK(WSX__FETCH_ENUM)
#undef WSX__FETCH_ENUM
};

typedef enum ws_value_type {
#define WSX__VALUE_ENUM(name, js) WS_VALUE_##name,
    WSX_VALUE_TYPES(WSX__VALUE_ENUM)
#undef WSX__VALUE_ENUM
    WS_VALUE_TYPE_COUNT
} ws_value_type;

#endif
