#ifndef DISTARCH_REACH_H
#define DISTARCH_REACH_H
/*
 * The files a change can reach: which analysis targets a diff check must
 * run, from the dependency record of an earlier run (cache/depcache.h) and
 * this run's facts (facts/deps.h states the rule).
 *
 * A file is "touched" when its bytes differ from the record's (or it is
 * new), when the change names it, or when its constants' linking resolved
 * a name a touched file defines (before or after). The keys touched files
 * provide, before and after, are the change's keys. A target runs when it
 * is touched, read something no key stands for, or looked up one of the
 * change's keys; and, for AP-5's findings merged across targets, when it
 * shares a primary location with a target that runs.
 *
 * Ownership: `pick` arrays are the caller's (one bool per index file).
 */
#include <stdbool.h>
#include <stddef.h>

#include "../cache/depcache.h"
#include "../facts/index.h"

/*
 * Fill `pick` (ix->files.len entries) with the targets to run; `changed`
 * holds the paths the change names. Returns how many were picked;
 * *stale gets how many files differ from the record (new, gone, edited).
 */
size_t reach_targets(const struct fact_index *ix, const struct dep_cache *dc, const char *const *changed,
		     size_t nchanged, bool *pick, size_t *stale);

/*
 * Per file of the index: does the record hold its bytes (so its link keys
 * need no noting)? Caller frees. It also pairs the record's entries with
 * the index's files (dc->at, dc->seen), once: the functions here then look
 * an index file's entry up by its position, not its path. The index's
 * files must not change afterwards.
 */
bool *reach_known(const struct fact_index *ix, struct dep_cache *dc);

/*
 * After a run over the picked targets: pick the targets that share an AP-5
 * primary location (recorded, or found by this run) with a picked one.
 * True when it picked more (the analysis must run again).
 */
bool reach_primaries(const struct fact_index *ix, const struct dep_rec *rec, const struct dep_cache *dc,
		     bool *pick);

/*
 * Lazy facts (scan.h): which files a run over the picked targets reads.
 * Fills `need` (one bool per index file) with the targets, the files whose
 * facts are loaded, those the record does not know, every file providing a
 * key the targets' trails hold (the record's, and this run's in `rec`),
 * (but not the files of a wide name `wide` a target only refused as too
 * many), and, to a fixpoint, every file providing a constant the linking of a
 * needed file looks up (known from the record, this run's linking, or the
 * facts before it). A target that read something no key stands for needs
 * every file. Returns how many needed files are not loaded yet.
 *
 * Why that is enough: every lookup a target makes is by a key in its trail,
 * and returns facts of the files providing that key, all loaded; their
 * values are linked against every constant of the names linking looks up,
 * all loaded too. A target whose trail grows in the run (it changed) is
 * asked again after it, and runs again when more was loaded.
 */
size_t reach_needs(const struct fact_index *ix, const struct dep_cache *dc, const struct dep_rec *rec,
		   const u64set *wide, const bool *pick, bool *need);

/*
 * The wide function names of this run (deps.h), from the record's counts:
 * those still provided by more than DEP_WIDE files when every file whose
 * bytes changed (`known[i]` false, reach_known) or that is gone is taken
 * away. A refusal of one of these names (DEP_FUNCTIONS_MANY) holds whatever
 * the files not loaded hold, so reach_needs loads nothing for it.
 */
void reach_wide(const struct fact_index *ix, const struct dep_cache *dc, const bool *known, u64set *out);

/*
 * The record to keep after this run: targets that ran (`ran`, NULL: all)
 * from `rec`, the others from `old` (NULL: none); provided and link keys
 * from `old` for files whose bytes it has, else from the facts and `rec`. False when a file's
 * content hash is not known (no record can be made).
 */
bool reach_record(const struct fact_index *ix, struct dep_rec *rec, const struct dep_cache *old,
		  const bool *ran, struct dep_cache *out);

#endif
