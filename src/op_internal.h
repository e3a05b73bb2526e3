/* op_internal.h: host operations, for the runtime's teardown (op.c). Builds on task_internal.h: a settled
 * operation wakes its task. Not installed. */
#ifndef WS_OP_INTERNAL_H
#define WS_OP_INTERNAL_H

#include "task_internal.h"

/* Frees the operation table; every operation future was dropped before (which released its slot). */
void ws__ops_free(ws_runtime *rt);

#endif
