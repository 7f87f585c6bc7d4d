/* The configuration file (YAML) with defaults.
 *
 * gw_config_load reads the file when a path is given, else the first of
 * $GOVWATCH_CONFIG and ./govwatch.yaml that exists, else defaults only.
 * Unknown keys and wrong types are errors naming the file, line and key, so
 * a typo never silently falls back to a default. */
#ifndef GW_CORE_CONFIG_H
#define GW_CORE_CONFIG_H

#include "core/log.h"
#include "core/str.h"

struct gw_config {
  char *path;              /* the file read, or NULL for defaults only */
  char *db;                /* store URI; default "govwatch.db" */
  enum gw_log_level log_level; /* default warn */
  /* Host mappings in curl's --connect-to form "HOST:PORT:CONNECT_HOST:CONNECT_PORT"
   * (empty HOST or PORT = any), used to point site host names at the sample
   * sites on loopback or at a test host. Key: network.connect_to (a list). */
  struct gw_strv connect_to;
  char *user_agent;        /* network.user_agent */
  long timeout_s;          /* network.timeout, seconds; default 15 (the availability rule's) */
  /* The crawler's network settings. Defaults suit real government servers,
   * which are small and often behind a WAF that bans bursts; tests and
   * benchmarks on loopback raise them. */
  long connect_timeout_s;  /* network.connect_timeout, seconds 1..3600; default 10 */
  long concurrency;        /* network.concurrency, transfers at once 1..1024; default 16 */
  long per_host;           /* network.per_host, transfers at once per host 1..256; default 2 */
  long interval_ms;        /* network.interval_ms, least time between two requests to a host 0..600000; default 250 */
  long attempts;           /* network.attempts, tries of a URL before a failure counts 1..10; default 3 */
  long retry_base_ms;      /* network.retry_base_ms, first retry back-off 1..600000; default 1000 */
  long host_pause_ms;      /* network.host_pause_ms, pause of a host answering errors in bulk 0..3600000; default 30000 */
  long long max_body;      /* network.max_body, bytes of a response body kept 1024..1 GiB; default 10 MiB */
  /* network.mapped_only: a host matched by no connect_to rule fails at once
   * as a DNS failure, without a look-up (tests, closed networks). */
  bool mapped_only;
  /* crawl: limits of one site crawl. */
  long max_pages;          /* crawl.max_pages, internal URLs admitted 1..10000000; default 100000 */
  long max_depth;          /* crawl.max_depth, link depth from the homepage, 0 = none; default 0 */
  long calendar_depth;     /* crawl.calendar_depth, date steps in a row before a calendar is a trap 1..1000; default 12 */
  long query_variants;     /* crawl.query_variants, distinct queries of one path 1..1000000; default 1000 */
  long links_per_page;     /* crawl.links_per_page, link rows kept per page 1..100000; default 2000 */
  bool obey_robots;        /* crawl.obey_robots: skip what robots.txt disallows; default false */
  long parse_threads;      /* crawl.parse_threads, threads reading pages 0..64, 0 = one per CPU; default 0 */
  /* crawl.aliases: a mapping from a site's host to further host names of the
   * same site, kept as parallel vectors: alias_hosts.v[i] has alias
   * alias_names.v[i]. */
  struct gw_strv alias_hosts;
  struct gw_strv alias_names;
};

/* The largest configuration accepted, in bytes; a bigger one is GW_ELIMIT. */
#define GW_CONFIG_MAX_BYTES (1u << 20)

/* Load the configuration: the file at `path` if given, else $GOVWATCH_CONFIG
 * if set and non-empty, else ./govwatch.yaml if it exists, else defaults
 * only (out->path NULL). A file that is named but missing is GW_ENOTFOUND,
 * unreadable GW_EIO, over GW_CONFIG_MAX_BYTES GW_ELIMIT; contents are checked
 * as gw_config_parse does. On success *out owns its strings (free with
 * gw_config_clear) and out->path is the file read; on failure *out is not
 * touched and gw_err_msg() names the file, line, column and key. */
int gw_config_load(const char *path, struct gw_config *out);
/* Parse a configuration from data[0..len) (YAML, need not be NUL-terminated)
 * on top of the defaults. `name` (a file name, or NULL for "configuration")
 * only prefixes messages; out->path stays NULL. An empty document or only
 * comments gives the defaults. Errors: GW_EPARSE for YAML syntax
 * ("name:line:column: YAML syntax error: ..."), unknown keys, duplicate keys,
 * wrong types, bad values and a second YAML document; GW_ELIMIT when len is
 * over GW_CONFIG_MAX_BYTES. *out is written only on success. */
int gw_config_parse(const char *name, const char *data, size_t len, struct gw_config *out);
/* Fill *out with the defaults only (no file); free with gw_config_clear. */
void gw_config_defaults(struct gw_config *out);
/* Free what a gw_config owns and zero it; safe on a zeroed struct. */
void gw_config_clear(struct gw_config *c);

#endif
