#ifndef DISTARCH_BASELINE_H
#define DISTARCH_BASELINE_H
/*
 * A baseline: the findings a project has accepted for now, so that
 * `check --baseline FILE` reports only new ones. An entry matches a finding
 * by rule, path and context (fingerprint.h: the normalised text of the
 * finding's line), not by line number, so code moving in its file does not
 * bring an accepted finding back. Each entry matches one finding (two
 * identical findings need two entries).
 *
 * The file is JSON, written by `check --write-baseline FILE`:
 *
 *   {"version": 1, "tool": "distarch",
 *    "findings": [{"rule": "AP-1", "path": "worker/run.py",
 *                  "context": "9f2c4e1a0b3d5c7e", "line": 42, "message": "..."}]}
 *
 * `line` and `message` are for people reading the file and reviewing its
 * diffs; matching ignores them. Problems name file:line:column (the file is
 * read through ytree: JSON is YAML's flow syntax) and load nothing.
 *
 * Ownership: a baseline owns its entries (one arena); baseline_release frees.
 */
#include <stddef.h>

#include "../base/arena.h"
#include "../base/vec.h"
#include "finding.h"
#include "srclines.h"

#define BASELINE_VERSION 1

struct baseline_entry {
	const char *rule, *path, *context;
};

struct baseline {
	struct arena arena;
	VEC(struct baseline_entry) entries;
};

void baseline_init(struct baseline *b);
void baseline_release(struct baseline *b);

/* Parse a baseline from memory; `name` is used in messages. 0, or -1 after reporting every problem. */
int baseline_load_buffer(struct baseline *b, const char *name, const char *text, size_t len);
int baseline_load_file(struct baseline *b, const char *path);

/* Write `findings` as a baseline to `path`, atomically (temp file and rename). 0 or -1 (reported). */
int baseline_write_file(const char *path, const finding_vec *findings, struct srclines *src);

/* Drop the findings the baseline holds; returns how many were dropped. */
size_t baseline_filter(const struct baseline *b, finding_vec *findings, struct srclines *src);

#endif
