/*
 * distarch hook claude|pre-commit|install: the integrations that run at
 * the moment a change is made.
 *
 * `claude` is a Claude Code PostToolUse hook (hooks/hooks.json of the
 * plugin). Its input on stdin is {"session_id", "transcript_path", "cwd",
 * "permission_mode", "hook_event_name": "PostToolUse", "tool_name":
 * "Write"|"Edit"|"MultiEdit", "tool_input": {"file_path", ...},
 * "tool_response": {...}}; a JSON answer on stdout with exit 0 of the form
 * {"hookSpecificOutput": {"hookEventName": "PostToolUse",
 * "additionalContext": "..."}} adds the text to the model's context
 * (code.claude.com/docs/en/hooks, PostToolUse input and decision control).
 * Exit 2 would feed stderr to the model as a blocking error: this hook
 * never blocks, so every failure is exit 0 with a line on stderr, and a
 * timer ends it silently when the check overruns.
 */
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "cmd.h"
#include "check.h"
#include "../base/diag.h"
#include "../base/fileio.h"
#include "../base/memout.h"
#include "../base/opts.h"
#include "../base/strbuf.h"
#include "../mcp/confine.h"
#include "../report/brief.h"
#include "../source/githooks.h"
#include "../source/repo.h"
#include "../base/banned.h"

#define HOOK_INPUT_MAX (4u << 20)
#define CONTEXT_MAX 4000

static const struct usage usage = {
	"distarch hook claude [--timeout MS]\n"
	"   or: distarch hook pre-commit\n"
	"   or: distarch hook install [--force]",
	"claude: read a Claude Code PostToolUse event (Write, Edit or MultiEdit) on stdin,\n"
	"check the edited file, and answer with additional context when the edit crosses\n"
	"a boundary or has findings; silent otherwise. Always exits 0.\n"
	"pre-commit: check the staged change (as `check --staged`).\n"
	"install: write the git pre-commit hook (into core.hooksPath when set) that runs\n"
	"`distarch check --staged`; a hook distarch did not write is replaced only with\n"
	"--force, and kept as pre-commit.before-distarch.",
	"exit status of install: 0 written or already there, 2 on a problem.",
};

static void on_alarm(int sig)
{
	(void)sig;
	_exit(0); /* out of time: say nothing, block nothing */
}

static void arm_timer(int ms)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = { { 0, 0 }, { ms / 1000, (ms % 1000) * 1000 } };
	setitimer(ITIMER_REAL, &it, NULL);
}

static void disarm_timer(void)
{
	struct itimerval it = { { 0, 0 }, { 0, 0 } };
	setitimer(ITIMER_REAL, &it, NULL);
}

/* The file the event edited, relative to the project root, or NULL when it is none of ours. */
static char *edited_file(json_t *ev, struct confine *root)
{
	const char *tool = json_string_value(json_object_get(ev, "tool_name"));
	const char *event = json_string_value(json_object_get(ev, "hook_event_name"));
	if (!tool || (strcmp(tool, "Write") && strcmp(tool, "Edit") && strcmp(tool, "MultiEdit")))
		return NULL;
	if (event && strcmp(event, "PostToolUse"))
		return NULL;
	json_t *fp = json_object_get(json_object_get(ev, "tool_input"), "file_path");
	if (!json_is_string(fp))
		fp = json_object_get(json_object_get(ev, "tool_response"), "filePath");
	if (!json_is_string(fp))
		return NULL;
	struct strbuf abs = STRBUF_INIT, rel = STRBUF_INIT, why = STRBUF_INIT;
	char *out = NULL;
	if (confine_path(root, json_string_value(fp), json_string_length(fp), &abs, &rel, &why) == 0 &&
	    rel.len && access(abs.buf, R_OK) == 0)
		out = strbuf_detach(&rel, NULL);
	strbuf_release(&abs);
	strbuf_release(&rel);
	strbuf_release(&why);
	return out;
}

/* The project root: the event's cwd, else $CLAUDE_PROJECT_DIR, else here. */
static const char *project_root(json_t *ev)
{
	const char *cwd = json_string_value(json_object_get(ev, "cwd"));
	const char *env = getenv("CLAUDE_PROJECT_DIR");
	return cwd && *cwd ? cwd : env && *env ? env : ".";
}

/* Check `rel` under `root`; the context to say in `ctx`; true when there is some. */
static bool check_edit(const char *root, const char *rel, struct strbuf *ctx)
{
	struct check_opts o = { .format = "json", .fail_on = "never", .no_progress = true };
	struct cmd_ctx cctx = { false, true };
	const char *filters[] = { rel, NULL };
	struct memout m;
	if (!memout_open(&m))
		return false;
	const struct check_sink sink = { "json", m.fp };
	int rc = check_execute(&o, root, filters, &cctx, &sink, 1);
	char *buf = NULL;
	size_t len = 0;
	if (memout_finish(&m, &buf, &len) < 0 || rc == EXIT_USAGE) {
		free(buf);
		return false;
	}
	json_t *report = json_loadb(buf, len, 0, NULL);
	free(buf);
	bool say = report && report_brief(report, rel, CONTEXT_MAX, ctx);
	json_decref(report);
	return say;
}

static int hook_claude(int timeout_ms)
{
	arm_timer(timeout_ms);
	struct strbuf in = STRBUF_INIT, ctx = STRBUF_INIT;
	struct confine root = { 0 };
	json_t *ev = NULL;
	char *rel = NULL;
	if (read_stream(stdin, "<stdin>", &in, HOOK_INPUT_MAX) < 0)
		goto out;
	ev = json_loadb(in.buf, in.len, 0, NULL);
	if (!json_is_object(ev)) {
		warning("hook claude: the input is not a JSON object (expected a PostToolUse event)");
		goto out;
	}
	if (confine_init(&root, project_root(ev)) < 0)
		goto out;
	rel = edited_file(ev, &root);
	if (rel && check_edit(root.root, rel, &ctx)) {
		json_t *answer = json_pack("{s:{s:s, s:s}}", "hookSpecificOutput", "hookEventName",
					   "PostToolUse", "additionalContext", ctx.buf);
		disarm_timer();
		if (answer) {
			json_dumpf(answer, stdout, JSON_COMPACT);
			fputc('\n', stdout);
			fflush(stdout);
		}
		json_decref(answer);
	}
out:
	disarm_timer();
	free(rel);
	json_decref(ev);
	if (root.root)
		confine_release(&root);
	strbuf_release(&in);
	strbuf_release(&ctx);
	return EXIT_CLEAN;
}

/* This binary's absolute path, for the hook script; "distarch" when unknown. */
static void self_path(struct strbuf *sb)
{
	char *real = realpath("/proc/self/exe", NULL);
	strbuf_addstr(sb, real ? real : "distarch");
	free(real);
}

static int hook_install(bool force)
{
	struct repo r = { 0 };
	struct strbuf bin = STRBUF_INIT, path = STRBUF_INIT;
	enum githook_result what;
	int rc = EXIT_USAGE;
	if (repo_open(&r, ".") < 0)
		goto out;
	self_path(&bin);
	if (githooks_install(&r, bin.buf, force, &path, &what) < 0)
		goto out;
	switch (what) {
	case GITHOOK_WRITTEN: printf("wrote %s\n", path.buf); break;
	case GITHOOK_UPDATED: printf("updated %s\n", path.buf); break;
	case GITHOOK_UNCHANGED: printf("%s is installed already\n", path.buf); break;
	case GITHOOK_REPLACED:
		printf("wrote %s (the previous hook is pre-commit.before-distarch)\n", path.buf);
		break;
	}
	rc = EXIT_CLEAN;
out:
	repo_release(&r);
	strbuf_release(&bin);
	strbuf_release(&path);
	return rc;
}

int cmd_hook(int argc, char **argv, struct cmd_ctx *ctx)
{
	int timeout = 20000;
	bool force = false;
	const struct option opts[] = {
		OPT_INT(0, "timeout", &timeout, "MS", "claude: hard time limit in milliseconds (default 20000)"),
		OPT_FLAG(0, "force", &force, "install: replace a pre-commit hook distarch did not write"),
		OPT_END(),
	};
	/* The Claude Code hook never exits 2, not even on a bad option: that would block the agent. */
	bool claude = argc > 1 && !strcmp(argv[1], "claude");
	int n = parse_options(argc - 1, argv + 1, opts, &usage);
	if (n == OPTS_HELP)
		return EXIT_CLEAN;
	if (claude)
		return n != 1 || timeout < 1 ? EXIT_CLEAN : hook_claude(timeout);
	if (n < 0)
		return EXIT_USAGE;
	const char *sub = n > 0 ? argv[1] : NULL;
	if (!sub) {
		error("hook needs a subcommand: claude, pre-commit or install (see distarch hook --help)");
		return EXIT_USAGE;
	}
	if (n > 1) {
		error("hook %s takes no arguments (found '%s')", sub, argv[2]);
		return EXIT_USAGE;
	}
	if (!strcmp(sub, "install"))
		return hook_install(force);
	if (!strcmp(sub, "pre-commit")) {
		char *args[] = { "check", "--staged", "--no-progress", NULL };
		return cmd_check(3, args, ctx);
	}
	error("unknown hook '%s': expected claude, pre-commit or install", sub);
	return EXIT_USAGE;
}
