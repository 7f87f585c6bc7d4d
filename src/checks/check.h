/* The check interface: what a check is, what it may read, how it reports.
 *
 * A check is a named, independent module (one file per check) that reads
 * what GovWatch knows about one site - the register record, and through a
 * read-only view the site's latest finished crawl - and emits findings
 * (checks/finding.h) with their evidence. A check never touches SQL, the
 * store or libcurl: it gets a struct gw_check_ctx from the runner
 * (checks/run.c) with the view, a probe function for the rare checks that
 * must ask a server something the crawl did not (implemented by
 * fetch/probe.c, passed in by the runner, absent when probing is off) and
 * an emit function. The registry (checks/registry.c) is a table of every
 * check sorted by id. docs/internals/checks.md explains the pieces. */
#ifndef GW_CHECKS_CHECK_H
#define GW_CHECKS_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "checks/finding.h"
#include "core/config.h"
#include "fetch/probe.h"
#include "html/page.h"
#include "store/store.h"

/* ---- The crawl view ----
 * Read-only access to one crawl of the store. Rows are read from the store
 * on demand (a crawl of 100,000 pages is never held in memory); page models
 * are rebuilt from stored bodies and cached. */
struct gw_check_view;

/* How many rebuilt page models the view keeps. */
#define GW_CHECK_PAGE_CACHE 32

/* Open a view of crawl `crawl_id` for the inspection at `as_of` (used to
 * date text without a year when pages are rebuilt; 0 = the crawl's own
 * as-of time). The store is borrowed and must outlive the view.
 * GW_ENOTFOUND when there is no such crawl. */
int gw_check_view_open(struct gw_check_view **out, struct gw_store *st, int64_t crawl_id, int64_t as_of);
void gw_check_view_free(struct gw_check_view **v);
/* The crawl record, its statistics, and the as-of time of the view. */
const struct gw_crawl *gw_check_view_crawl(const struct gw_check_view *v);
int gw_check_view_stats(struct gw_check_view *v, struct gw_crawl_stats *out);
int64_t gw_check_view_as_of(const struct gw_check_view *v);
/* The store behind the view, for a check that reads register data an
 * inspector keeps beside the crawl (the columns check reads the column
 * class overrides, store/column_store.h). Read only: a check never writes. */
struct gw_store *gw_check_view_store(struct gw_check_view *v);
/* Call fn for every URL row of the crawl in id order (or only rows in
 * `state`, when it is not 0), and for link rows: of the whole crawl when
 * from_id and to_id are both 0, else of one source page or one target,
 * ordered by (from_id, seq). The callback rules of gw_store_crawl_url_each
 * apply: the row lives during the call only; fn's non-zero return stops
 * the walk and is returned. */
int gw_check_view_urls(struct gw_check_view *v, enum gw_url_state state, gw_crawl_url_fn fn, void *ctx);
int gw_check_view_links(struct gw_check_view *v, int64_t from_id, int64_t to_id, gw_link_fn fn, void *ctx);
/* One URL row of the crawl by id, or by URL (normalised as the crawler
 * stores it). GW_ENOTFOUND for a row of no crawl or of another crawl.
 * Clear *out with gw_crawl_url_clear. */
int gw_check_view_url(struct gw_check_view *v, int64_t id, struct gw_crawl_url *out);
int gw_check_view_url_find(struct gw_check_view *v, const char *url, struct gw_crawl_url *out);
/* The stored body of URL row `id` as received (Content-Encoding removed,
 * charset not converted): *data malloc'd with a NUL after len bytes.
 * GW_ENOTFOUND when the row has no stored body. */
int gw_check_view_body(struct gw_check_view *v, int64_t id, char **data, size_t *len);
/* The page model of URL row `id`, rebuilt from its stored body with
 * gw_page_parse (base URL: where its redirects ended; its Content-Type;
 * the view's as-of time). GW_ENOTFOUND when the row has no stored body
 * (not fetched, not HTML, or an error answer the crawler did not keep).
 * The page belongs to the view: it stays valid until the view is freed or
 * GW_CHECK_PAGE_CACHE other pages have been rebuilt since it was last
 * asked for. */
int gw_check_view_page(struct gw_check_view *v, int64_t id, const struct gw_page **out);

/* ---- Checks ---- */

/* What a check needs from the runner. */
enum gw_check_needs {
  GW_CHECK_NEEDS_CRAWL = 1u << 0, /* a finished crawl of the site (ctx->view) */
  GW_CHECK_NEEDS_PROBE = 1u << 1  /* may probe (uses ctx->probe when there is one) */
};

/* The probe a check may use (fetch/probe.h semantics); pctx is the
 * runner's. Return GW_OK with *out filled, or an error code. */
typedef int (*gw_check_probe_fn)(void *pctx, const struct gw_probe_req *req, struct gw_probe_result *out);
/* Where emitted findings go (the runner's collector). */
typedef int (*gw_check_emit_fn)(void *ectx, const struct gw_finding *f);

struct gw_check;

/* Everything a check sees while it runs. Borrowed for the call. */
struct gw_check_ctx {
  const struct gw_check *check;  /* the running check */
  const struct gw_site *site;
  const struct gw_unit *unit;    /* the site's responsible unit */
  int64_t as_of;                 /* the inspection's as-of time */
  struct gw_check_view *view;    /* the crawl; NULL unless the check needs one */
  gw_check_probe_fn probe;       /* NULL when probing is off */
  void *probe_ctx;
  gw_check_emit_fn emit;
  void *emit_ctx;
  const struct gw_config *config; /* settings (checks.*); NULL = the defaults */
};

struct gw_check {
  const char *id;             /* "links.broken": a group and a name, lower case */
  const char *title;          /* Chinese: 链接可用性 */
  const char *summary;        /* one English line for help texts */
  const char *const *rules;   /* the rule keys it emits, NULL-terminated */
  unsigned needs;             /* enum gw_check_needs bits */
  /* Run over ctx and emit findings with gw_check_emit. A problem of the
   * site is a finding, never an error; an error (store failure, a bug) is
   * returned with its message and makes the runner keep the check's
   * previous findings. */
  int (*run)(struct gw_check_ctx *ctx);
};

/* Emit a finding. Fills what the context knows when the check left it
 * unset (check, site_id, crawl_id from the view, observed_at = the as-of
 * time) and checks the rest: the rule must be one of the check's rules,
 * key and title non-empty, severity in range. GW_EINVAL naming the check
 * and key otherwise; else whatever the runner's collector returns (e.g.
 * GW_EEXIST for a second finding with the same key). f is copied. */
int gw_check_emit(struct gw_check_ctx *ctx, const struct gw_finding *f);
/* Probe through the runner's prober: GW_ENOTFOUND ("probing is off") when
 * there is none, else the prober's result. */
int gw_check_probe(struct gw_check_ctx *ctx, const struct gw_probe_req *req, struct gw_probe_result *out);

/* Per-site baselines (store/baseline_store.h) for the checks that compare
 * a crawl with an accepted earlier state (security.defacement): get the
 * site's baseline of `kind` (GW_ENOTFOUND when none is set), or put one
 * (the first run of such a check sets it). Through the view's store, so
 * only for checks that need a crawl; GW_EINVAL without a view. This is the
 * one write a check may make besides its findings. */
struct gw_baseline;
int gw_check_baseline_get(struct gw_check_ctx *ctx, const char *kind, struct gw_baseline *out);
int gw_check_baseline_put(struct gw_check_ctx *ctx, const struct gw_baseline *b);

/* ---- The registry (sorted by id) ---- */

/* The check with this id, or NULL. */
const struct gw_check *gw_check_find(const char *id);
/* Call fn for every check in id order; fn's non-zero return stops the walk
 * and is returned. */
int gw_check_each(int (*fn)(void *ctx, const struct gw_check *c), void *ctx);
/* The number of checks, and the i-th in id order (NULL past the end). */
size_t gw_check_count(void);
const struct gw_check *gw_check_at(size_t i);
/* "crawl", "crawl,probe", ... for help texts and docs. */
const char *gw_check_needs_text(unsigned needs);

/* ---- The runner ---- */

struct gw_check_run_opts {
  int64_t crawl_id;          /* 0 = the site's latest finished crawl */
  int64_t as_of;             /* 0 = the crawl's as-of time */
  const char *const *only;   /* check ids to run; n_only 0 = every check */
  size_t n_only;
  gw_check_probe_fn probe;   /* NULL = no probing (checks fall back or skip what needs it) */
  void *probe_ctx;
  const struct gw_config *config; /* passed to the checks as ctx->config; NULL = defaults */
};

/* What one check did in a run. */
struct gw_check_outcome {
  const struct gw_check *check;
  int rc;              /* GW_OK, or the check's error (its previous findings were kept) */
  char *error;         /* the message when rc != GW_OK */
  size_t findings;     /* findings stored */
  size_t by_severity[5]; /* index enum gw_severity */
};

struct gw_check_run_report {
  int64_t run_id;
  int64_t site_id;
  int64_t crawl_id;
  int64_t as_of;
  int64_t started_at, finished_at;
  struct gw_check_outcome *v; /* in id order */
  size_t n;
  size_t findings;            /* stored in this run, all checks */
  size_t failed;              /* checks with rc != GW_OK */
};

/* Run the chosen checks on one site and store their findings as one check
 * run (store.h: gw_store_check_run_start ... finish): the run of (site,
 * crawl, as-of) is reused, and each check that succeeds replaces its own
 * findings in it, so re-running gives no duplicates. Checks run in id
 * order; a failing check is reported in its outcome and the others still
 * run. Returns GW_OK when the run was made (see out->failed); GW_EINVAL for
 * an unknown id in o->only (listing the known ones) or a crawl of another
 * site; GW_ENOTFOUND when a chosen check needs a crawl and the site has no
 * finished one (naming the site); store errors. *out is written on GW_OK;
 * clear it with gw_check_run_report_clear. */
int gw_check_run_site(struct gw_store *st, const struct gw_site *site, const struct gw_check_run_opts *o,
                      struct gw_check_run_report *out);
void gw_check_run_report_clear(struct gw_check_run_report *r);

/* Split a comma-separated list of check ids ("links.broken,x.y"), check
 * each against the registry and append them to *out (duplicates dropped).
 * GW_EINVAL naming the unknown id and listing the known ones. */
int gw_check_parse_ids(const char *list, struct gw_strv *out);

/* The network prober for gw_check_run_opts.probe: pctx is a
 * const struct gw_probe_opts *, and the call is gw_probe_fetch. */
int gw_check_probe_network(void *pctx, const struct gw_probe_req *req, struct gw_probe_result *out);

#endif
