/* Per-site baselines (migration "security: baselines"): what a check saw
 * when an inspector last accepted a site's state, kept to compare later
 * crawls with. security.defacement keeps the homepage's text and link set
 * under kind "homepage". Same rules as store.h: a gw_err code, gw_err_msg()
 * on failure, out-parameters written only on success, writes refused on a
 * read-only store; only the SQLite engine implements them (GW_EDB on
 * another, saying so). */
#ifndef GW_STORE_BASELINE_STORE_H
#define GW_STORE_BASELINE_STORE_H

#include <stdint.h>

#include "store/store.h"

struct gw_baseline {
  int64_t site_id;
  char *kind;        /* "homepage" */
  int64_t crawl_id;  /* the crawl it was taken from */
  int64_t set_at;    /* when it was set (Unix seconds) */
  double threshold;  /* the change ratio (0 < t <= 1) above which a later crawl is a finding */
  char *data;        /* the check's JSON */
};

void gw_baseline_clear(struct gw_baseline *b);

/* The baseline of (site_id, kind); GW_ENOTFOUND when none is set. */
int gw_store_baseline_get(struct gw_store *st, int64_t site_id, const char *kind, struct gw_baseline *out);
/* Insert or replace the baseline of (b->site_id, b->kind). GW_EINVAL for an
 * empty kind or data or a threshold outside (0, 1]; GW_ENOTFOUND for an
 * unknown site. */
int gw_store_baseline_put(struct gw_store *st, const struct gw_baseline *b);

#endif
