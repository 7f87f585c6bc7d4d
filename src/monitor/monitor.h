/* The availability monitor: the probe schedule, one homepage probe, the
 * verdict of a slot, and the scheduler loop that `govwatch serve` runs.
 *
 * The schedule is a pure function of (site id, family, day, slots a day,
 * seed), so a restarted process computes the same slots and finds in the
 * store which are done (store/monitor_store.h). Time comes from an injected
 * clock, so tests run a week of probes in milliseconds. Figures over the
 * stored slots are in monitor/avail.h, alerts in monitor/alert.h. */
#ifndef GW_MONITOR_MONITOR_H
#define GW_MONITOR_MONITOR_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/str.h"
#include "store/monitor_records.h"
#include "store/store.h"

/* The monitor's clock: now() in Unix seconds; sleep_until(t) returns when
 * the clock reaches t (a fake clock simply sets its time) or earlier when
 * the process is asked to stop (then it returns non-zero). */
struct gw_clock {
  int64_t (*now)(void *ctx);
  int (*sleep_until)(void *ctx, int64_t t);
  void *ctx;
};

/* The wall clock (gw_now) whose sleep wakes every second to look at *stop,
 * which a signal handler may set. `stop` is borrowed. */
void gw_monitor_clock_real(struct gw_clock *c, volatile int *stop);

/* The slots of one day, ascending: slots_per_day instants (Unix seconds) in
 * the Shanghai day `day` (days since 1970-01-01 in Shanghai time). The day is
 * cut into equal periods and each slot lies at a pseudo-random point of the
 * first 80 % of its period, from a hash of (site_id, family, day, index,
 * seed), so probes of many sites spread out, two slots are at least a fifth
 * of a period apart, and the same inputs always give the same instants.
 * `out` must hold slots_per_day values; slots_per_day is 1..1440. */
void gw_monitor_slots(int64_t site_id, int family, int64_t day, int slots_per_day, uint64_t seed, int64_t *out);

/* The Shanghai day number of an instant, and the first instant of a day. */
int64_t gw_monitor_day_of(int64_t t);
int64_t gw_monitor_day_start(int64_t day);

/* One HTTP request's outcome, as measured by libcurl. Times in microseconds
 * from the start of the request (CURLINFO_*_TIME_T: cumulative). */
struct gw_monitor_probe_result {
  int http_status;   /* final status after redirects, 0 = no answer */
  int error;         /* enum gw_fetch_error, GW_FE_NONE when an answer arrived in full */
  char error_text[256];
  char ip[64];
  int64_t dns_us, connect_us, tls_us, ttfb_us, total_us;
  int64_t bytes;
};

/* How a probe is made. */
struct gw_monitor_probe_opts {
  long timeout_ms;            /* whole request, default 15000 (the rule's 15 s) */
  long connect_timeout_ms;    /* default = timeout_ms */
  const char *user_agent;     /* NULL = "GovWatch-availability/1" */
  const char *const *connect_to; /* curl --connect-to rules (network.connect_to), borrowed */
  size_t n_connect_to;
  bool mapped_only;           /* network.mapped_only: unmapped hosts fail as DNS without a look-up */
  long max_body;              /* bytes of body read before the probe stops counting (a full load); default 10 MiB */
};

void gw_monitor_probe_opts_default(struct gw_monitor_probe_opts *o);

/* Fetch `url` once over IPv4 (family 4) or IPv6 (family 6), following up to
 * 5 redirects, reading the whole body, and fill *out. Rules of connect_to
 * whose target is an IP literal of the other family are passed over for
 * this family, so one list can map a host to 127.0.0.1 and [::1]. Returns
 * GW_OK whenever a result was measured (a failed connection is a result,
 * see out->error); GW_EINVAL for a bad family or URL. */
int gw_monitor_http_probe(const struct gw_monitor_probe_opts *o, const char *url, int family, struct gw_monitor_probe_result *out);

/* The verdict of one probe result, before confirmation: OK for 2xx/3xx with
 * a complete body; UNKNOWN/GW_AR_WAF for 403 and 429; FAIL otherwise, with
 * the reason (dns, refused, timeout, reset, tls, http-5xx, http-4xx, other). */
enum gw_avail_verdict gw_monitor_classify(const struct gw_monitor_probe_result *r, enum gw_avail_reason *reason);

/* A probe function, so tests may count or wrap requests. */
typedef int (*gw_monitor_probe_fn)(void *ctx, const struct gw_monitor_probe_opts *o, const char *url, int family,
                           struct gw_monitor_probe_result *out);

struct gw_alert_cfg; /* monitor/alert.h */
struct gw_monitor_stats;

/* What the scheduler does. */
struct gw_monitor_opts {
  int slots_per_day;          /* monitor.probes_per_day, default 24 (the rule asks for >= 20) */
  uint64_t seed;              /* monitor.seed: varies the jitter between installations; default 0 */
  bool ipv4, ipv6;            /* families probed, default both */
  const char *const *control_urls; /* monitor.control_urls: probed when a site's failure is confirmed */
  size_t n_control_urls;
  /* A failure is put down to our own network when, within net_window_s
   * before it, at least net_min_sites other sites were judged and every one
   * failed; those are reclassified UNKNOWN too. Default 900 s and 3 sites. */
  int64_t net_window_s;
  int net_min_sites;
  int64_t catchup_s;          /* due slots older than this at start are skipped as missed; default 86400 */
  struct gw_monitor_probe_opts probe;
  gw_monitor_probe_fn probe_fn;       /* NULL = gw_monitor_http_probe */
  void *probe_ctx;
  const struct gw_alert_cfg *alerts; /* NULL = no alerts */
  /* Test hook: called after a slot is begun and before its probe runs
   * (the point where a crash leaves a RUNNING slot). */
  void (*on_slot_begun)(void *ctx, const struct gw_avail_slot *s);
  void *hook_ctx;
  /* Shard of the sites this run probes: those with id % shards == shard
   * (shards 0 or 1 = every site). The service runs one gw_monitor_run per
   * shard in parallel threads, each with its own store connection, so slow
   * sites do not hold up the others; a site is always in the same shard,
   * so its slots and alerts stay in order. */
  int shards, shard;
  /* Set (by a signal handler, or the service) to stop gw_monitor_run
   * before its next slot even when slots are overdue and it never sleeps;
   * NULL = only the clock's sleep stops it. */
  const volatile sig_atomic_t *stop;
  /* Observer (the service's metrics): called by gw_monitor_run after each
   * finished slot with the slot, the run's counts so far and how many
   * planned slots are due (their time has come) and not yet run; and with
   * s == NULL whenever the loop is about to sleep (due_left then 0). */
  void (*on_progress)(void *ctx, const struct gw_avail_slot *s, const struct gw_monitor_stats *totals,
                      size_t due_left);
  void *progress_ctx;
};

void gw_monitor_opts_default(struct gw_monitor_opts *o);

/* Counts of one gw_monitor_run. */
struct gw_monitor_stats {
  int64_t slots;       /* slots finished */
  int64_t resumed;     /* slots found RUNNING (left by a dead process) and run again */
  int64_t missed;      /* due slots older than catchup_s, never run */
  int64_t requests;    /* HTTP requests made (site and control) */
  int64_t ok, fail, unknown;
  int64_t reclassified; /* slots turned UNKNOWN after the fact (own network) */
  int64_t alerts;       /* alert rows written */
};

/* Run the schedule from the clock's now until `until` (exclusive; 0 = for
 * ever) or until the clock's sleep is interrupted: for every running site
 * of the store, each due slot not DONE is begun, probed (a failure at once
 * confirmed by a second probe, then control URLs), finished with its
 * verdict, and handed to the alert module. Slots whose time is before the
 * run's start but within catchup_s and not done are run first (late),
 * RUNNING ones included. The site list is read again at every day. On
 * success *stats (if non-NULL) holds the counts. Store errors stop the run. */
int gw_monitor_run(struct gw_store *st, const struct gw_monitor_opts *o, const struct gw_clock *clock, int64_t until,
                   struct gw_monitor_stats *stats);

/* Probe one slot now (exposed for `govwatch probe` and tests): begin it,
 * probe, finish, alert. GW_EEXIST when the slot is already done. *out (if
 * non-NULL) receives the finished slot. */
int gw_monitor_probe_slot(struct gw_store *st, const struct gw_monitor_opts *o, const struct gw_clock *clock,
                          int64_t site_id, const char *url, int family, int64_t slot_at, struct gw_avail_slot *out,
                          struct gw_monitor_stats *stats);

#endif
