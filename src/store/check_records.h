/* The check stage's records: check runs and stored findings.
 *
 * A check run is one inspection of one site: the checks run over one crawl
 * for one as-of time (监测时间点). (site, crawl, as-of) identifies a run, so
 * running the checks again on the same crawl for the same as-of time
 * reuses the run and replaces its findings, check by check, rather than
 * adding a second copy. Findings are struct gw_finding (checks/finding.h)
 * as a check emitted them, plus the store's id, the run and the
 * fingerprint of their identity. Strings are owned by the record and freed
 * by the matching *_clear; times are Unix seconds (UTC). */
#ifndef GW_STORE_CHECK_RECORDS_H
#define GW_STORE_CHECK_RECORDS_H

#include <stddef.h>
#include <stdint.h>

#include "checks/finding.h"

struct gw_check_run {
  int64_t id;
  int64_t site_id;
  int64_t crawl_id;    /* the crawl the checks read; 0 = none (the crawl was deleted) */
  int64_t as_of;       /* the inspection's as-of time */
  int64_t started_at;  /* the last start of this run */
  int64_t finished_at; /* the last time a start of it ran to the end; 0 = never */
  char *checks;        /* the check ids that have stored findings in it: sorted, comma-separated ("" = none) */
};

struct gw_check_run_list { struct gw_check_run *v; size_t n; };

/* A finding as stored. f.check points at `check` (owned here), so the
 * struct gw_finding contract (a string that outlives the finding) holds. */
struct gw_finding_row {
  int64_t id;
  int64_t run_id;
  char *check;
  char fingerprint[17];
  struct gw_finding f;
};

void gw_check_run_clear(struct gw_check_run *r);
void gw_check_run_list_free(struct gw_check_run_list *l);
void gw_finding_row_clear(struct gw_finding_row *r);

#endif
