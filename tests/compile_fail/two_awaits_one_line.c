/* Must not compile with the switch lowering (-DWS_ASYNC_SWITCH): two awaits on line 11. The error names the rule:
 * duplicate label 'ws_rule_one_await_per_line_11'. Run by ctest (async_one_await_per_line). */
#include "wasync.h"

WS_ASYNC(two_on_a_line, { ws_sleep a, b; })
{
    WS_BEGIN();
    ws_sleep_init(&self->a, 1);
    ws_sleep_init(&self->b, 2);
    /* the next line is line 11 */
    WS_AWAIT(&self->a); WS_AWAIT(&self->b);
    WS_END();
}
