/* minimal.c: the smallest Asyncify program that awaits something: one emscripten_sleep. Its .wasm + JS glue is
 * the floor of what the Asyncify route costs in size before any scheduler, channel or fiber code. */
#include <emscripten.h>

EMSCRIPTEN_KEEPALIVE int nap(int ms)
{
    emscripten_sleep((unsigned)ms);
    return ms;
}
