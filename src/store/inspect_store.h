/* The store functions of inspections and review (migration 5).
 *
 * Kept beside store.h, like monitor_store.h, so these additions stay apart
 * from other modules'. Same rules as store.h: a gw_err code, gw_err_msg()
 * on failure, out-parameters written only on success, writes refused on a
 * read-only store. Only the SQLite engine implements them today; on another
 * engine they return GW_EDB saying so. docs/inspect.md describes the
 * records. */
#ifndef GW_STORE_INSPECT_STORE_H
#define GW_STORE_INSPECT_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/check_records.h"
#include "store/store.h"

/* One recorded inspection: an as-of time, optionally the quarter it
 * inspects, and the rule file it scores with (kept so that scoring the
 * same inspection later uses the same rules). */
struct gw_inspection {
  int64_t id;
  char *quarter;       /* "2025Q1", or NULL for an inspection outside the quarterly cycle */
  int64_t as_of;
  char *rules_path;    /* absolute path of the rule file (or profile) */
  char *rules_id;      /* its id, e.g. "national-2019" */
  int64_t started_at;  /* the first start */
  int64_t finished_at; /* the last time every site reached SCORED; 0 = not yet */
};
struct gw_inspection_list { struct gw_inspection *v; size_t n; };

/* How far a site of an inspection got. */
enum gw_insp_state {
  GW_INSP_PENDING = 1, /* nothing finished yet (a crawl may be half done: it resumes) */
  GW_INSP_CRAWLED,     /* crawl_id is a finished crawl */
  GW_INSP_CHECKED,     /* run_id is a finished check run over that crawl */
  GW_INSP_SCORED       /* score/result/reason hold the latest scoring */
};

struct gw_inspection_site {
  int64_t inspection_id;
  int64_t site_id;
  enum gw_insp_state state;
  int64_t crawl_id;    /* 0 = none yet */
  int64_t run_id;      /* 0 = none yet */
  bool has_score;
  int64_t score;       /* hundredths (the sheet's final) */
  int result;          /* enum gw_score_result, 0 = not scored */
  char *reason;        /* the sheet's one-sentence reason; NULL if not scored */
  char *error;         /* the last error that stopped this site; NULL if none */
  int64_t updated_at;
};
struct gw_inspection_site_list { struct gw_inspection_site *v; size_t n; };

/* Review actions on a finding, by fingerprint. */
enum gw_review_action { GW_REVIEW_CONFIRM = 1, GW_REVIEW_DISMISS = 2, GW_REVIEW_ADD = 3 };

struct gw_review {
  int64_t id;
  char fingerprint[17];
  enum gw_review_action action;
  char *who;
  int64_t at;
  char *reason;        /* required for a dismissal; may be NULL otherwise */
};
struct gw_review_list { struct gw_review *v; size_t n; };

void gw_inspection_clear(struct gw_inspection *i);
void gw_inspection_list_free(struct gw_inspection_list *l);
void gw_inspection_site_clear(struct gw_inspection_site *s);
void gw_inspection_site_list_free(struct gw_inspection_site_list *l);
void gw_review_clear(struct gw_review *r);
void gw_review_list_free(struct gw_review_list *l);

/* Insert a new inspection; sets i->id. as_of, rules_path and rules_id are
 * required (GW_EINVAL otherwise). */
int gw_store_inspection_insert(struct gw_store *st, struct gw_inspection *i);
/* The inspection `id`; GW_ENOTFOUND naming it when there is none. */
int gw_store_inspection_get(struct gw_store *st, int64_t id, struct gw_inspection *out);
/* The latest inspection (highest id) of `quarter`, or of any quarter when
 * quarter is NULL; GW_ENOTFOUND when there is none. */
int gw_store_inspection_last(struct gw_store *st, const char *quarter, struct gw_inspection *out);
/* Every inspection ordered by id. */
int gw_store_inspection_list(struct gw_store *st, struct gw_inspection_list *out);
/* Set finished_at (0 clears it: a site was added or re-opened). */
int gw_store_inspection_finish(struct gw_store *st, int64_t id, int64_t finished_at);

/* Insert or replace the row (s->inspection_id, s->site_id) with every field
 * of s; updated_at is set to `now`. GW_ENOTFOUND for an unknown inspection
 * or site. */
int gw_store_inspection_site_put(struct gw_store *st, const struct gw_inspection_site *s, int64_t now);
/* The row of one site; GW_ENOTFOUND when the site is not in it. */
int gw_store_inspection_site_get(struct gw_store *st, int64_t inspection_id, int64_t site_id,
                                 struct gw_inspection_site *out);
/* The rows of an inspection ordered by site id. */
int gw_store_inspection_site_list(struct gw_store *st, int64_t inspection_id, struct gw_inspection_site_list *out);

/* Whether any inspection row refers to crawl `crawl_id` (*used). */
int gw_store_inspection_crawl_used(struct gw_store *st, int64_t crawl_id, bool *used);

/* Append a review to the log; sets r->id. The fingerprint must be 16 hex
 * digits, who non-empty, a dismissal needs a reason (GW_EINVAL otherwise). */
int gw_store_review_add(struct gw_store *st, struct gw_review *r);
/* The review decision in force for a fingerprint: its latest confirm or
 * dismiss; GW_ENOTFOUND when it was never confirmed or dismissed. */
int gw_store_review_decision(struct gw_store *st, const char *fingerprint, struct gw_review *out);
/* The whole log of a fingerprint (NULL: of every fingerprint), by id. */
int gw_store_review_list(struct gw_store *st, const char *fingerprint, struct gw_review_list *out);

/* One stored finding by its id; GW_ENOTFOUND naming it. Clear with
 * gw_finding_row_clear. */
int gw_store_finding_get(struct gw_store *st, int64_t id, struct gw_finding_row *out);
/* The latest stored finding (highest id) with this fingerprint. */
int gw_store_finding_by_fingerprint(struct gw_store *st, const char *fingerprint, struct gw_finding_row *out);

#endif
