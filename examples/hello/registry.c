/* registry.c: the entry points this module offers to rt.start(name, args). */
#include "entries.h"

extern const wsx_entry hello_greet;

const wsx_entry *const wsx_entries[] = { &hello_greet };
const uint32_t wsx_entry_count = sizeof wsx_entries / sizeof wsx_entries[0];
