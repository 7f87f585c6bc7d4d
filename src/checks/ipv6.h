/* IPv6 support (IPv6 改造): the check "ipv6.support" and the assessment
 * behind it.
 *
 * Each figure is measured with probes forced to one address family
 * (fetch/probe.h): whether the homepage host has an IPv6 address (a probe
 * forced to IPv6 that fails as a DNS failure means no AAAA record; with
 * network.connect_to, a host mapped to no bracketed IPv6 address), whether
 * the homepage answers over IPv6, whether the homepage over IPv6 is the
 * same as over IPv4 (title, visible text, link set), and the share of an
 * evenly spread sample of the crawl's second- and third-level internal pages
 * (link depth 1 and 2 from the homepage) that answer over IPv6. The site is
 * reported as ipv6.unsupported unless every condition holds; the finding's
 * evidence carries every figure. docs/checks.md has the table. */
#ifndef GW_CHECKS_IPV6_H
#define GW_CHECKS_IPV6_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "checks/check.h"

/* The check (registered in checks/registry.c). */
extern const struct gw_check gw_check_ipv6_support;

#define GW_RULE_IPV6_UNSUPPORTED "ipv6.unsupported"

/* Defaults of struct gw_ipv6_opts. */
#define GW_IPV6_SAMPLE 20          /* pages probed per level */
#define GW_IPV6_MIN_RATIO 0.9      /* least share of sampled pages answering over IPv6 */
#define GW_IPV6_MIN_SIMILAR 0.9    /* least text similarity and link overlap of IPv4 and IPv6 homepages */

struct gw_ipv6_opts {
  size_t sample_level2;    /* second-level pages probed (0 = GW_IPV6_SAMPLE) */
  size_t sample_level3;    /* third-level pages probed (0 = GW_IPV6_SAMPLE) */
  double min_ratio;        /* 0 = GW_IPV6_MIN_RATIO */
  double min_similar;      /* 0 = GW_IPV6_MIN_SIMILAR */
};

void gw_ipv6_opts_default(struct gw_ipv6_opts *o);

/* The support degree. */
enum gw_ipv6_degree {
  GW_IPV6_UNKNOWN = 0, /* neither family reached the homepage: nothing can be said */
  GW_IPV6_NONE,        /* 不支持: no IPv6 address, or the homepage does not answer over IPv6 */
  GW_IPV6_PARTIAL,     /* 部分支持: the homepage answers over IPv6 but a condition fails */
  GW_IPV6_FULL         /* 支持: every condition holds */
};

/* English key ("unknown", "none", "partial", "full") and Chinese label. */
const char *gw_ipv6_degree_key(enum gw_ipv6_degree d);
const char *gw_ipv6_degree_label(enum gw_ipv6_degree d);

/* One level of internal pages. */
struct gw_ipv6_level {
  size_t candidates;       /* 2xx HTML pages of that depth in the crawl */
  size_t probed;           /* sampled and probed over IPv6 */
  size_t ok;               /* of those, answered 2xx */
  json_t *failures;        /* [{url, status, error, error_text}] of the failed ones */
};

struct gw_ipv6_report {
  char *homepage;
  bool aaaa;               /* the host has an IPv6 address */
  int v4_status, v6_status;
  enum gw_fetch_error v4_error, v6_error;
  char *v4_error_text, *v6_error_text;
  char *v6_ip;             /* the address the IPv6 probe connected to */
  bool v4_ok, v6_ok;       /* a 2xx answer */
  bool compared;           /* both answered with HTML and were compared */
  bool same_title;
  double text_similarity;  /* 0..1 */
  double link_overlap;     /* Jaccard index of the two link sets, 0..1 (1 when both have none) */
  bool consistent;
  struct gw_ipv6_level level2, level3;
  enum gw_ipv6_degree degree;
};

/* Assess the site of ctx (its homepage URL, its crawl in ctx->view) with
 * ctx's probe. GW_ENOTFOUND when ctx has no probe (probing is off); store
 * and probe set-up errors. A network failure is a figure, not an error. On
 * success *out is filled; clear it with gw_ipv6_report_clear. */
int gw_ipv6_assess(struct gw_check_ctx *ctx, const struct gw_ipv6_opts *o, struct gw_ipv6_report *out);
void gw_ipv6_report_clear(struct gw_ipv6_report *r);
/* The report as a JSON object (every figure; the finding's evidence).
 * Caller owns it. */
json_t *gw_ipv6_report_json(const struct gw_ipv6_report *r, const struct gw_ipv6_opts *o);

/* Similarity of two texts: the bytes of their common head and tail over
 * the longer length (0..1; 1 for two empty texts). Pure. */
double gw_ipv6_text_similarity(const char *a, size_t alen, const char *b, size_t blen);

#endif
