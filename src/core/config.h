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

/* One alert channel of monitor.alerts. type is "json", "dingtalk",
 * "wecom" or "smtp"; an smtp channel has from and at least one to. */
struct gw_config_alert {
  char *type;
  char *url;
  char *from;              /* smtp only */
  struct gw_strv to;       /* smtp only */
  char *user, *password;   /* smtp AUTH, optional */
};

/* The monitor.* keys. Percentages are kept in basis points (3.5 % = 350)
 * so threshold comparisons stay exact integer arithmetic. */
struct gw_config_monitor {
  long probes_per_day;     /* monitor.probes_per_day 1..1440; default 24 */
  bool ipv4, ipv6;         /* monitor.ipv4 / ipv6; default both true */
  long long seed;          /* monitor.seed 0..2^63-1; default 0 */
  long timeout_s;          /* monitor.timeout, seconds a probe may take 1..3600; default 15 (the rule's) */
  struct gw_strv control_urls; /* monitor.control_urls, http(s) URLs */
  long net_window_s;       /* monitor.net_window 0..86400; default 900 */
  long net_min_sites;      /* monitor.net_min_sites 1..100000; default 3 */
  long catchup_s;          /* monitor.catchup 0..604800; default 86400 */
  int warn_bp, veto_bp;    /* monitor.warn_percent / veto_percent 0.01..100; default 300 / 500, warn < veto */
  long alert_mute_s;       /* monitor.alert_mute 0..2592000; default 3600 */
  struct gw_config_alert *alerts; /* monitor.alerts */
  size_t n_alerts;
  char *listen;            /* monitor.listen "ADDR:PORT" of /metrics; NULL = no metrics endpoint */
  bool crawl;              /* monitor.crawl: a daily crawl and check job per running site; default true */
  int crawl_at_min;        /* monitor.crawl_at "HH:MM" Shanghai, minutes after midnight; default 120 (02:00) */
  bool inspection;         /* monitor.inspection: a full inspection job on the first day of each quarter; default false */
  long job_attempts;       /* monitor.job_attempts, tries of a failing job 1..100; default 3 */
  long probe_workers;      /* monitor.probe_workers, probe threads 1..64 (sites split between them); default 4 */
};

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
  /* crawl.keep_documents: fetch the site's DOCX and XLSX attachments with GET and keep their bodies
   * (up to network.max_body) for the content checks; default true. False: HEAD only, as other resources. */
  bool keep_documents;
  long parse_threads;      /* crawl.parse_threads, threads reading pages 0..64, 0 = one per CPU; default 0 */
  /* crawl.aliases: a mapping from a site's host to further host names of the
   * same site, kept as parallel vectors: alias_hosts.v[i] has alias
   * alias_names.v[i]. */
  struct gw_strv alias_hosts;
  struct gw_strv alias_names;
  /* checks: settings of the check stage. */
  long reply_working_days; /* checks.reply_working_days, a reply later than this many working days is late
                              1..365; default 5 (an assumption: the indicators give no number) */
  /* content: the word lists of the content checks (wording.*, privacy.leak). */
  char *dict_dir;          /* content.dict_dir: holds wording/ and privacy/; NULL (default) =
                              gw_dict_dir() of core/dict.h ($GW_DICT_DIR, ./dict, the build's dict/) */
  char *confusion_dir;     /* content.confusion_dir: pycorrector confusion sets for near misses and the
                              statistical detector; NULL (default) = exact lists, swapped names and wrong
                              titles only */
  char *freq_dict;         /* content.freq_dict: jieba-format word frequencies; NULL (default) =
                              gw_wording_default_freq_path() */
  /* monitor: the availability monitor and `govwatch serve` (docs/monitor.md). */
  struct gw_config_monitor monitor;
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
/* Check a listen address "ADDR:PORT" (IPv4, [IPv6] or localhost; port
 * 1..65535), as monitor.listen and `serve --listen` take it. GW_EINVAL with
 * a message quoting the value otherwise. */
int gw_config_check_listen(const char *s);
/* Free what a gw_config owns and zero it; safe on a zeroed struct. */
void gw_config_clear(struct gw_config *c);

#endif
