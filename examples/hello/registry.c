/* registry.c: the entry points this module offers to rt.start(name, args). */
#include "ws_module.h"

extern const wsx_entry greet_entry;

WS_MODULE_ENTRIES(&greet_entry);
