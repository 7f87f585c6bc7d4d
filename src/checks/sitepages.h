/* The fetched HTML pages of a crawl, for the publishing checks
 * (interact.c, publish.c): which rows to rebuild, which is the homepage,
 * and a row looked up by URL as a page model writes it. Read-only over a
 * struct gw_check_view. */
#ifndef GW_CHECKS_SITEPAGES_H
#define GW_CHECKS_SITEPAGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "checks/check.h"

struct gw_sitepage {
  int64_t id;  /* crawl_urls row */
  char *url;   /* as stored (normalised) */
  int depth;
};

struct gw_sitepages {
  struct gw_sitepage *v; /* in row id order */
  size_t n;
  int64_t home_id;       /* the homepage row (the depth-0 page), 0 if none */
  char *home_url;        /* NULL if none */
};

/* Collect every internal page row of the view's crawl that was fetched
 * with a 2xx answer (or a 304 reusing one) and parsed as HTML. Store errors
 * are returned; *out is written on GW_OK (free with gw_sitepages_free). */
int gw_sitepages_collect(struct gw_check_view *v, struct gw_sitepages *out);
void gw_sitepages_free(struct gw_sitepages *p);

/* The crawl row of an absolute URL as a page model writes it (normalised
 * as the crawler does first): GW_OK with *out filled (clear it with
 * gw_crawl_url_clear), GW_ENOTFOUND when the crawl has no such row (the
 * error message is cleared), or a store error. */
int gw_sitepages_find(struct gw_check_view *v, const char *url, struct gw_crawl_url *out);

/* Whether a crawl row's answer shows the page is there: 2xx after any
 * redirects, or a 304 reusing an earlier body. */
bool gw_sitepages_row_ok(const struct gw_crawl_url *u);

/* The number of UTF-8 code points of s (invalid bytes count one each). */
size_t gw_sitepages_chars(const char *s);

#endif
