/* Inspections: crawl -> checks -> scoring per site as one recorded,
 * resumable inspection; the score of a site explained with its review state;
 * the review decisions applied when scoring. docs/inspect.md is the guide.
 *
 * An inspection (store/inspect_store.h) has an as-of time (监测时间点),
 * usually the end of a quarter, and the rule file it scores with. Each site
 * goes PENDING -> CRAWLED -> CHECKED -> SCORED; a re-run of the same
 * inspection skips what is finished (the crawl and the check run are
 * reused, an interrupted crawl resumes) and scores again, so a review made
 * since (confirm, dismiss, a manual finding) is taken into account and
 * nothing is duplicated. */
#ifndef GW_INSPECT_INSPECT_H
#define GW_INSPECT_INSPECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "checks/check.h"
#include "core/str.h"
#include "fetch/crawl.h"
#include "monitor/avail.h"
#include "rules/rules.h"
#include "rules/score.h"
#include "store/inspect_store.h"

/* The check ids rule files may name whose check modules are not (yet) in
 * the registry: the loader accepts them so that a rule set can be used
 * while checks are still being written, and an inspection lists them as
 * not checked (未检查). When a check lands in the registry it simply stops
 * being reported here. NULL-terminated, static. */
const char *const *gw_inspect_planned_checks(void);

/* Load a rule file for scoring inspections: gw_rules_load() validated
 * against the registry's check ids plus gw_inspect_planned_checks(). When
 * `missing` is not NULL, the planned ids that are not in the registry are
 * appended to it (the checks this build cannot run). Errors as
 * gw_rules_load(). */
int gw_inspect_rules_load(const char *path, struct gw_rules **out, struct gw_strv *missing);

/* What gw_inspect_run reports after each step of a site (for the CLI). */
enum gw_inspect_step { GW_STEP_CRAWL = 1, GW_STEP_CHECK, GW_STEP_SCORE, GW_STEP_SKIP, GW_STEP_ERROR };
typedef void (*gw_inspect_progress_fn)(void *ctx, const struct gw_site *site, enum gw_inspect_step step,
                                       const struct gw_inspection_site *row, const char *text);

struct gw_inspect_opts {
  int64_t inspection_id;      /* continue this inspection (0 = by quarter, or a new one) */
  const char *quarter;        /* "2025Q1" (any form gw_quarter_parse takes); NULL = none */
  int64_t as_of;              /* 0 = the quarter's last second, else required */
  const char *rules_path;     /* a new inspection's rule file (an existing one keeps its own) */
  bool fresh;                 /* a new inspection even when one of the quarter exists */
  const struct gw_crawl_opts *crawl; /* crawl options (as_of is set from the inspection) */
  gw_check_probe_fn probe;    /* for the checks; NULL = no probing */
  void *probe_ctx;
  const struct gw_config *config; /* passed to the checks (checks.*, content.*); NULL = defaults */
  struct gw_avail_thresholds avail; /* availability rule for the availability fact */
  gw_inspect_progress_fn progress;  /* may be NULL */
  void *progress_ctx;
  /* The new-media accounts to inspect (running ones are taken; see
   * inspect/accounts.h); NULL = none. */
  const struct gw_account_list *accounts;
};

/* What a run did. */
struct gw_inspect_report {
  struct gw_inspection insp;  /* the inspection (owned; clear with gw_inspect_report_clear) */
  bool resumed;               /* an existing inspection was continued */
  size_t sites, crawled, checked, scored, reused, failed;
  size_t pass, fail, undetermined;
  size_t accounts, account_pass, account_fail, account_undetermined; /* accounts scored */
  struct gw_strv not_checked; /* planned check ids this build cannot run */
};
void gw_inspect_report_clear(struct gw_inspect_report *r);

/* Run (or continue) an inspection over `sites` (and o->accounts, after the
 * sites, through gw_inspect_run_accounts): find or create the
 * inspection (by id, else the latest of the quarter unless o->fresh, else a
 * new one), add the sites not in it yet, and take every site as far as it
 * goes: crawl (reusing a finished crawl made for this inspection, resuming
 * an interrupted one), checks (reusing the finished check run), scoring
 * (always, so reviews since the last run count). A site that fails (crawl
 * error, no finished crawl) keeps its error and the others go on; the
 * inspection is finished when every site is scored. GW_EINVAL for an
 * existing inspection whose quarter or as-of differs from what was asked
 * (naming both), a quarter that does not parse, no as-of; rules errors;
 * store errors. *out is written on GW_OK. */
int gw_inspect_run(struct gw_store *st, const struct gw_site_list *sites, const struct gw_inspect_opts *o,
                   struct gw_inspect_report *out);

/* A site's score in an inspection, with what went into it: rows[i] is the
 * stored finding behind sheet finding index i (the check run's findings,
 * the manual ones included), with review decisions applied: dismissed
 * findings are left out of the scoring and listed in dismissed[] with the
 * review that dismissed them; a needs_review finding that was confirmed is
 * scored as confirmed (review[i] says by whom). */
struct gw_inspect_sheet {
  struct gw_score_sheet *sheet;
  struct gw_finding_row *rows;
  struct gw_review *review;   /* parallel to rows: id 0 = no decision */
  size_t n;
  struct gw_finding_row *dismissed;
  struct gw_review *dismissed_by;
  size_t n_dismissed;
  bool avail_given;           /* the availability fact was known (enough probes) */
  struct gw_avail_figures avail;
};
void gw_inspect_sheet_clear(struct gw_inspect_sheet *s);

/* Score `site` as of the inspection with `rules`: the findings of the
 * site's check run in the inspection (none when it has no run yet), review
 * decisions by fingerprint, the availability fact from the monitor's slots
 * of the week before the as-of time (IPv4; only when the week has the
 * probes the rule asks for, else the fact is missing and the scorer says
 * 待定 when nothing else fails the site). GW_ENOTFOUND when the site is not
 * in the inspection; scorer and store errors. */
int gw_inspect_score_site(struct gw_store *st, const struct gw_rules *rules, const struct gw_inspection *insp,
                          const struct gw_site *site, const struct gw_avail_thresholds *avail,
                          struct gw_inspect_sheet *out);

/* The sheet as JSON text: gw_score_sheet_to_json() with, per finding, its
 * stored id, locator, snippet, observed values and review, plus the
 * inspection, the availability figures and the dismissed findings.
 * Malloc'd. */
char *gw_inspect_sheet_json(const struct gw_inspect_sheet *s, const struct gw_inspection *insp);
/* The sheet as Chinese text: gw_score_sheet_text() followed by the
 * evidence of every finding and the dismissed findings. Malloc'd. */
char *gw_inspect_sheet_text(const struct gw_inspect_sheet *s, const struct gw_inspection *insp);

/* Add a manual finding (check "manual") to the site's check run in the
 * inspection: rule key (must be in the rule set's vocabulary), URL, title,
 * detail, severity; observed at the inspection's as-of time; recorded in
 * the review log as added by `who`. The key is derived from rule, URL and
 * title, so adding the same finding twice is GW_EEXIST. GW_ENOTFOUND when
 * the site has no check run in the inspection yet. *fingerprint receives
 * the new finding's fingerprint. */
struct gw_manual_finding {
  const char *rule, *url, *title, *detail, *who;
  enum gw_severity severity;
};
int gw_inspect_add_manual(struct gw_store *st, const struct gw_rules *rules, const struct gw_inspection *insp,
                          const struct gw_site *site, const struct gw_manual_finding *m, int64_t now,
                          char fingerprint[17]);

/* Score `site` again in the inspection and store the result (after a
 * review). Errors as gw_inspect_score_site. */
int gw_inspect_rescore(struct gw_store *st, const struct gw_rules *rules, const struct gw_inspection *insp,
                       const struct gw_site *site, const struct gw_avail_thresholds *avail, int64_t now);

#endif
