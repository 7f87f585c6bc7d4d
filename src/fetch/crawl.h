/* The crawler: one libcurl multi loop that crawls one site into the store.
 *
 * gw_crawl_site reads the site's pages breadth-first from its homepage,
 * within its scope (fetch/url.h: its host, the www./bare twin, configured
 * aliases, the registered path prefix), checks every link it finds once
 * (internal resources and attachments by HEAD, other hosts by HEAD then
 * GET, never crawled further), and records every URL, every attempt's
 * outcome, every link occurrence and the bodies of HTML pages in the store
 * (store/crawl_records.h). Politeness is per host (fetch/frontier.h);
 * transient failures (timeouts, resets, 429, 5xx) are retried with jittered
 * back-off and Retry-After, and count as failures only after the last try.
 * Redirects are followed one hop at a time (each hop obeys the politeness of
 * its host), recorded hop by hop, with loops and more than
 * GW_CRAWL_MAX_REDIRECTS hops reported as such.
 *
 * Durability: results are committed in batches (opts.batch_urls results or
 * opts.batch_ms, whichever first), each finished URL together with the URLs
 * and links it discovered. A kill at any moment loses at most the open
 * batch; the next gw_crawl_site of the site resumes the same crawl: rows
 * still queued (including what was in flight) are fetched, done rows are
 * not fetched again, and the UNIQUE constraints keep every row single.
 *
 * A finished crawl is followed by a new one that sends each URL's previous
 * ETag / Last-Modified (If-None-Match / If-Modified-Since); a 304 reuses
 * that same URL's stored body (never another URL's with an equal ETag). */
#ifndef GW_FETCH_CRAWL_H
#define GW_FETCH_CRAWL_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/config.h"
#include "store/store.h"

#define GW_CRAWL_MAX_REDIRECTS 10

/* Progress of the running crawl, for a terminal's status line. */
struct gw_crawl_progress {
  int64_t fetched;   /* URLs finished in this run */
  int64_t queued;    /* URLs waiting (queued, retries, redirect hops) */
  int64_t in_flight; /* transfers running */
  int64_t errors;    /* URLs that ended failed or with an error answer, this run */
  double elapsed_s;  /* since this run started */
  double rate;       /* fetched per second in this run */
};
typedef void (*gw_crawl_progress_fn)(void *ctx, const struct gw_crawl_progress *p);

struct gw_crawl_opts {
  /* network (config network.*) */
  const char *user_agent;
  char *const *connect_to;   /* "HOST:PORT:CONNECT_HOST:CONNECT_PORT", borrowed */
  size_t n_connect_to;
  bool mapped_only;          /* hosts no connect_to rule maps fail as DNS failures, without a look-up */
  long timeout_ms;           /* total per request */
  long connect_timeout_ms;
  int concurrency;           /* transfers at once, all hosts */
  int per_host;              /* transfers at once per host */
  long interval_ms;          /* least time between starts on one host */
  int attempts;              /* tries per URL */
  long retry_base_ms;        /* first back-off */
  long host_pause_ms;        /* pause of a host answering errors in bulk (0 = never) */
  size_t max_body;           /* body bytes kept; more is too_large (kept cut) */
  int ip_version;            /* 0 = any, 4 or 6: CURLOPT_IPRESOLVE for every request */
  /* crawl (config crawl.*) */
  long max_pages;            /* internal URLs admitted */
  long max_depth;            /* 0 = no limit */
  long calendar_depth;
  long query_variants;
  long links_per_page;
  bool obey_robots;
  bool keep_documents;       /* GET internal DOCX/XLSX attachments and keep their bodies (up to max_body) */
  int parse_threads;         /* worker threads reading pages, 0 = one per CPU (fetch/parse.h) */
  char *const *alias_hosts;  /* crawl.aliases as parallel vectors, borrowed */
  char *const *alias_names;
  size_t n_aliases;
  /* this run */
  bool fresh;                /* --new: do not resume an unfinished crawl */
  int64_t as_of;             /* 0 = gw_now() */
  int batch_urls;            /* results per commit */
  long batch_ms;             /* longest time between commits */
  gw_crawl_progress_fn progress; /* called at most 4 times a second; NULL = none */
  void *progress_ctx;
  /* Set (by a signal handler) to stop: running transfers are dropped (their
   * rows stay queued), the batch is committed and the crawl is marked
   * interrupted. NULL = never. */
  const volatile sig_atomic_t *stop;
};

/* The defaults of gw_config_defaults plus batch_urls 200, batch_ms 1000. */
void gw_crawl_opts_default(struct gw_crawl_opts *o);
/* Set every field of o: from a loaded configuration (network and crawl
 * keys; strings borrowed from cfg, which must outlive o), the rest zero or
 * their defaults (batch_urls 200, batch_ms 1000). */
void gw_crawl_opts_from_config(struct gw_crawl_opts *o, const struct gw_config *cfg);

/* What one run did, and the crawl it belongs to. */
struct gw_crawl_report {
  int64_t crawl_id;
  bool resumed;                /* continued an unfinished crawl */
  int64_t prev_id;             /* the finished crawl whose validators were sent; 0 = none */
  enum gw_crawl_state state;   /* DONE, or INTERRUPTED when stopped */
  int runs;
  int64_t fetched_run;         /* URLs finished in this run */
  double seconds;              /* this run's duration */
  struct gw_crawl_stats stats; /* the whole crawl */
  char *summary;               /* JSON summary, as stored in the crawl row */
};

/* Crawl (or resume crawling) `site` into `st`. Returns GW_OK when the crawl
 * ran (finished, or interrupted through opts.stop: see report.state), with
 * *out filled; broken links, failures and traps are results, not errors.
 * Errors: GW_EINVAL for unusable options or a site URL that is not http(s);
 * GW_EDB / GW_EIO when the store fails (the open batch is rolled back and
 * the crawl stays resumable); GW_ENOMEM when libcurl cannot start. */
int gw_crawl_site(struct gw_store *st, const struct gw_site *site, const struct gw_crawl_opts *o,
                  struct gw_crawl_report *out);
void gw_crawl_report_clear(struct gw_crawl_report *r);

#endif
