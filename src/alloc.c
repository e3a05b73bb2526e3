/* alloc.c: every byte the runtime allocates, and the slab that makes spawning cheap.
 *
 * Tasks are allocated from per-size-class free lists carved out of chunks (64 KiB, doubling up to 1 MiB): a spawn pops a block, a finished
 * task pushes it back. No malloc per task, no header per block, and blocks of finished tasks are reused at once,
 * which keeps the memory of a busy runtime flat. Chunks are returned to the allocator when the runtime is freed.
 */
#include "ws_internal.h"

#include <stdlib.h>

static void *default_alloc(void *ud, size_t size) { (void)ud; return malloc(size); }
static void *default_realloc(void *ud, void *p, size_t size) { (void)ud; return realloc(p, size); }
static void default_free(void *ud, void *p) { (void)ud; free(p); }

const ws_allocator ws__default_allocator = { default_alloc, default_realloc, default_free, NULL };

void *ws__alloc(ws_runtime *rt, size_t size)
{
    void *p = rt->alloc.alloc(rt->alloc.ud, size);
    if (p)
        rt->stats.bytes_live += size;
    return p;
}

void *ws__realloc(ws_runtime *rt, void *p, size_t old_size, size_t new_size)
{
    void *q = rt->alloc.realloc(rt->alloc.ud, p, new_size);
    if (q)
        rt->stats.bytes_live = rt->stats.bytes_live - old_size + new_size;
    return q;
}

void ws__free(ws_runtime *rt, void *p, size_t size)
{
    if (!p)
        return;
    assert(rt->stats.bytes_live >= size);
    rt->stats.bytes_live -= size;
    rt->alloc.free(rt->alloc.ud, p);
}

/* Blocks handed to the program (ws_alloc, ws_bytes_new) are counted apart from the runtime's own, so that
 * ws_runtime_free can tell what the program never gave back. */
void *ws__user_alloc(ws_runtime *rt, size_t size)
{
    void *p = ws__alloc(rt, size);
    if (p) {
        rt->stats.user_blocks++;
        rt->stats.user_bytes += size;
    }
    return p;
}

void ws__user_free(ws_runtime *rt, void *p, size_t size)
{
    if (!p)
        return;
    assert(rt->stats.user_blocks > 0 && rt->stats.user_bytes >= size);
    rt->stats.user_blocks--;
    rt->stats.user_bytes -= size;
    ws__free(rt, p, size);
}

void *ws_alloc(ws_runtime *rt, size_t size)
{
    if (!rt || size == 0)
        return NULL;
    return ws__user_alloc(rt, size);
}

void ws_free(ws_runtime *rt, void *ptr, size_t size)
{
    if (rt && ptr)
        ws__user_free(rt, ptr, size);
}

/* ---- slab ---- */

static uint32_t size_class_of(size_t size)
{
    size_t c = (size + WS_SLAB_GRAIN - 1) / WS_SLAB_GRAIN;
    return c <= WS_SLAB_CLASSES ? (uint32_t)c : 0;
}

/* Returns a block of at least `size` bytes (8-aligned) and its class, or NULL. */
void *ws__slab_alloc(ws_runtime *rt, size_t size, uint8_t *class_out)
{
    uint32_t c = size_class_of(size);
    *class_out = (uint8_t)c;
    if (c == 0) {
        /* Too big for a class: a direct allocation with its size in front, so it can be freed and counted. */
        uint64_t *p = ws__alloc(rt, size + sizeof(uint64_t));
        if (!p)
            return NULL;
        p[0] = size + sizeof(uint64_t);
        return p + 1;
    }
    void *block = rt->free_blocks[c];
    if (block) {
        rt->free_blocks[c] = *(void **)block;
        return block;
    }
    size_t bytes = (size_t)c * WS_SLAB_GRAIN;
    if ((size_t)(rt->chunk_end - rt->chunk_cursor) < bytes) {
        /* The tail of the old chunk (smaller than one block of this class) is left unused. */
        size_t chunk_size = rt->chunk_next_size ? rt->chunk_next_size : WS_SLAB_CHUNK_MIN;
        ws_chunk *chunk = ws__alloc(rt, chunk_size);
        if (!chunk)
            return NULL;
        chunk->next = rt->chunks;
        chunk->size = chunk_size;
        rt->chunks = chunk;
        rt->chunk_next_size = chunk_size < WS_SLAB_CHUNK_MAX ? chunk_size * 2 : chunk_size;
        /* The first 16 bytes hold the chunk header; blocks start 16-aligned after it. */
        rt->chunk_cursor = (char *)chunk + WS_SLAB_GRAIN;
        rt->chunk_end = (char *)chunk + chunk_size;
    }
    block = rt->chunk_cursor;
    rt->chunk_cursor += bytes;
    return block;
}

void ws__slab_free(ws_runtime *rt, void *block, uint8_t size_class)
{
    if (size_class == 0) {
        uint64_t *p = (uint64_t *)block - 1;
        ws__free(rt, p, (size_t)p[0]);
        return;
    }
    assert(size_class <= WS_SLAB_CLASSES);
    *(void **)block = rt->free_blocks[size_class];
    rt->free_blocks[size_class] = block;
}

void ws__slab_release_all(ws_runtime *rt)
{
    ws_chunk *c = rt->chunks;
    while (c) {
        ws_chunk *next = c->next;
        ws__free(rt, c, c->size);
        c = next;
    }
    rt->chunks = NULL;
    rt->chunk_cursor = rt->chunk_end = NULL;
    rt->chunk_next_size = 0;
    memset(rt->free_blocks, 0, sizeof rt->free_blocks);
}
