/* example.h: what every example includes. The registry glue (wsx_entry) sits at the bottom of each file, below
 * the part worth reading. */
#ifndef WSX_EXAMPLE_H
#define WSX_EXAMPLE_H

#include "wasync.h"

#include <string.h>
#include "../src/entries.h"

#endif
