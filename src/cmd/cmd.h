#ifndef DISTARCH_CMD_H
#define DISTARCH_CMD_H
/*
 * Subcommands: one file each under src/cmd/, one signature. A command does
 * argument handling and orchestration only; the work is in the library
 * modules. Only main() and cmd_*() decide exit statuses (enum exit_code).
 */
#include <stdbool.h>

struct cmd_ctx {
	bool color;  /* stdout is a terminal and NO_COLOR is unset */
	bool quiet;  /* no progress on stderr */
};

/* argv[0] is the command name; options follow. Returns an exit status. */
typedef int (*cmd_fn)(int argc, char **argv, struct cmd_ctx *ctx);

int cmd_check(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_design(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_debug(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_catalog(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_init(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_topology(int argc, char **argv, struct cmd_ctx *ctx);
/* `topology drift`, dispatched by cmd_topology (src/cmd/topology_drift.c). */
int cmd_topology_drift(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_mcp(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_hook(int argc, char **argv, struct cmd_ctx *ctx);


#endif
