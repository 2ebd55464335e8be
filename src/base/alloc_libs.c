/* Third-party allocators routed through src/base/alloc.c (see alloc.h). */
#include "alloc.h"

#include <jansson.h>
#include <tree_sitter/api.h>

#include "banned.h"

void alloc_route_libraries(void)
{
	ts_set_allocator(xmalloc, xcalloc, xrealloc, xfree);
	json_set_alloc_funcs(xmalloc, xfree);
}
