#include <stdio.h>

#include "cmd.h"
#include "../base/diag.h"
#include "../base/banned.h"

int cmd_not_yet(const char *name, const char *what)
{
	fprintf(stderr,
		"distarch: error: '%s' is not yet available in this version (%s);\n"
		"see `distarch %s --help` for what it will do\n",
		name, what, name);
	return EXIT_USAGE;
}
