/* Must not compile with the switch lowering (-DWS_ASYNC_SWITCH, and every wasm build): WS_AWAIT inside a switch of
 * the program's own, whose condition has the type USER_SWITCH_ON (int unless the test says otherwise). The error
 * names the rule: ws_rule_no_await_inside_your_own_switch. Run by ctest (async_await_in_own_switch_*) and by
 * tests/node/devkit.test.mjs through `wasync build`. */
#include "wasync.h"

#ifndef USER_SWITCH_ON
#define USER_SWITCH_ON int
#endif

WS_ASYNC(await_in_own_switch, { USER_SWITCH_ON mode; ws_sleep nap; })
{
    WS_BEGIN();
    switch (self->mode) {
    case 0:
        ws_sleep_init(&self->nap, 10);
        WS_AWAIT(&self->nap);
        break;
    default:
        break;
    }
    WS_END();
}
