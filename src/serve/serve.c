/* The monitoring service (see serve.h): clock, job planner and runner,
 * finding alerts, metrics, and the two worker threads. */
#define _GNU_SOURCE /* pthread_tryjoin_np */
#include "serve/serve.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <sqlite3.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/atomic.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/error.h"
#include "core/log.h"
#include "core/str.h"
#include "store/jobs_store.h"
#include "store/monitor_store.h"
#include "store/store_impl.h"

void gw_serve_opts_default(struct gw_serve_opts *o)
{
  memset(o, 0, sizeof *o);
  gw_monitor_opts_default(&o->monitor);
  o->probes = true;
  o->probe_workers = 1;
  o->crawl = true;
  o->crawl_at_min = 120;
  o->job_attempts = 3;
  o->retry_s = 600;
  o->plan_every_s = 3600;
  o->speed = 1.0;
}

/* ---- the clock ----
 * Service time = base + (monotonic elapsed) x speed, base = gw_now() at
 * start, so GW_NOW pins where a test's week begins and speed makes it pass
 * quickly. In --once mode time stands still at base and sleeping returns at
 * once: the run is exactly "what is due at base". */

struct sclock {
  int64_t base;
  struct timespec t0;
  double speed;
  bool once;
  volatile sig_atomic_t *stop;
};

static double mono_elapsed(const struct sclock *c)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)(t.tv_sec - c->t0.tv_sec) + (double)(t.tv_nsec - c->t0.tv_nsec) / 1e9;
}

static int64_t sclock_now(void *ctx)
{
  const struct sclock *c = ctx;
  if (c->once)
    return c->base;
  return c->base + (int64_t)(mono_elapsed(c) * c->speed);
}

static int sclock_sleep_until(void *ctx, int64_t t)
{
  struct sclock *c = ctx;
  if (c->once)
    return *c->stop ? 1 : 0;
  while (!*c->stop) {
    int64_t now = sclock_now(c);
    if (now >= t)
      return 0;
    /* Real seconds to wait, at most 0.25 s so a stop request is seen soon. */
    double wait = (double)(t - now) / c->speed;
    if (wait > 0.25)
      wait = 0.25;
    if (wait < 0.001)
      wait = 0.001;
    struct timespec ts = {(time_t)wait, (long)((wait - (double)(time_t)wait) * 1e9)};
    nanosleep(&ts, NULL);
  }
  return 1;
}

/* ---- metrics ----
 * Counters live in one struct under a mutex: updates come from the two
 * workers a few times a second at most, reads from the HTTP thread. */

struct metrics {
  pthread_mutex_t mu;
  bool started;
  int64_t slots[2][4];          /* [family 4/6][verdict] */
  int64_t requests, confirmations, resumed, missed, reclassified;
  int64_t due_slots[GW_SERVE_MAX_PROBERS]; /* per prober */
  int64_t alerts[GW_ALERT_COUNT_][3]; /* [kind][sent-events, muted, failed deliveries] */
  int64_t deliveries_ok, deliveries_failed;
  int64_t jobs_run[GW_JOB_KIND_COUNT_][3]; /* [kind][done, retry, failed] */
  int64_t job_state[GW_JOB_STATE_COUNT_], job_due[GW_JOB_KIND_COUNT_];
  int64_t crawl_pages, crawl_urls;
  double crawl_seconds, crawl_last_rate;
  int64_t sites;
  int64_t last_tick_probe, last_tick_jobs;
};

static struct metrics g_m = {.mu = PTHREAD_MUTEX_INITIALIZER};

static void m_lock(void)
{
  pthread_mutex_lock(&g_m.mu);
}

static void m_unlock(void)
{
  pthread_mutex_unlock(&g_m.mu);
}

struct worker;
static void probe_progress(struct worker *w, const struct gw_avail_slot *s, const struct gw_monitor_stats *t,
                           size_t due_left);

static void on_probe_progress(void *ctx, const struct gw_avail_slot *s, const struct gw_monitor_stats *t,
                              size_t due_left)
{
  probe_progress(ctx, s, t, due_left);
}

static void on_alert(void *ctx, enum gw_alert_kind kind, bool muted, int sent, int failed)
{
  (void)ctx;
  m_lock();
  if ((unsigned)kind < GW_ALERT_COUNT_) {
    g_m.alerts[kind][muted ? 1 : 0]++;
    g_m.alerts[kind][2] += failed;
  }
  g_m.deliveries_ok += sent;
  g_m.deliveries_failed += failed;
  m_unlock();
}

static const char *const g_verdict_names[4] = {"none", "ok", "fail", "unknown"};

char *gw_serve_metrics_text(void)
{
  struct gw_buf b = GW_BUF_INIT;
  m_lock();
  if (!g_m.started) {
    m_unlock();
    return NULL;
  }
  int64_t due = 0;
  for (int i = 0; i < GW_SERVE_MAX_PROBERS; i++)
    due += g_m.due_slots[i];
  gw_buf_printf(&b, "# HELP govwatch_probe_slots_total Homepage probe slots finished, by verdict and IP family.\n"
                    "# TYPE govwatch_probe_slots_total counter\n");
  for (int f = 0; f < 2; f++)
    for (int v = 1; v < 4; v++)
      gw_buf_printf(&b, "govwatch_probe_slots_total{family=\"%d\",result=\"%s\"} %lld\n", f ? 6 : 4,
                    g_verdict_names[v], (long long)g_m.slots[f][v]);
  gw_buf_printf(&b,
                "# HELP govwatch_probe_failures_total Probe slots judged failed (confirmed failures).\n"
                "# TYPE govwatch_probe_failures_total counter\n"
                "govwatch_probe_failures_total %lld\n"
                "# HELP govwatch_probe_unknown_total Probe slots judged unknown (WAF answer, own network down).\n"
                "# TYPE govwatch_probe_unknown_total counter\n"
                "govwatch_probe_unknown_total %lld\n"
                "# HELP govwatch_probe_confirmations_total Probe slots whose first request failed and were probed again.\n"
                "# TYPE govwatch_probe_confirmations_total counter\n"
                "govwatch_probe_confirmations_total %lld\n"
                "# HELP govwatch_probe_requests_total HTTP requests made by the prober (sites and control URLs).\n"
                "# TYPE govwatch_probe_requests_total counter\n"
                "govwatch_probe_requests_total %lld\n"
                "# HELP govwatch_probe_resumed_total Slots left running by a dead process and run again.\n"
                "# TYPE govwatch_probe_resumed_total counter\n"
                "govwatch_probe_resumed_total %lld\n"
                "# HELP govwatch_probe_reclassified_total Failed slots re-judged unknown (own network down).\n"
                "# TYPE govwatch_probe_reclassified_total counter\n"
                "govwatch_probe_reclassified_total %lld\n"
                "# HELP govwatch_probe_due_slots Probe slots whose time has come and that are not yet run.\n"
                "# TYPE govwatch_probe_due_slots gauge\n"
                "govwatch_probe_due_slots %lld\n",
                (long long)(g_m.slots[0][GW_AV_FAIL] + g_m.slots[1][GW_AV_FAIL]),
                (long long)(g_m.slots[0][GW_AV_UNKNOWN] + g_m.slots[1][GW_AV_UNKNOWN]), (long long)g_m.confirmations,
                (long long)g_m.requests, (long long)g_m.resumed, (long long)g_m.reclassified, (long long)due);
  gw_buf_printf(&b, "# HELP govwatch_alerts_total Alert events detected, by kind and whether muted.\n"
                    "# TYPE govwatch_alerts_total counter\n");
  for (int k = 1; k < GW_ALERT_COUNT_; k++)
    for (int m = 0; m < 2; m++)
      gw_buf_printf(&b, "govwatch_alerts_total{kind=\"%s\",muted=\"%s\"} %lld\n",
                    gw_alert_kind_key((enum gw_alert_kind)k), m ? "true" : "false", (long long)g_m.alerts[k][m]);
  gw_buf_printf(&b,
                "# HELP govwatch_alert_deliveries_total Alert deliveries to channels, by result.\n"
                "# TYPE govwatch_alert_deliveries_total counter\n"
                "govwatch_alert_deliveries_total{result=\"ok\"} %lld\n"
                "govwatch_alert_deliveries_total{result=\"failed\"} %lld\n",
                (long long)g_m.deliveries_ok, (long long)g_m.deliveries_failed);
  gw_buf_printf(&b, "# HELP govwatch_jobs_run_total Job attempts finished, by kind and result.\n"
                    "# TYPE govwatch_jobs_run_total counter\n");
  static const char *const results[3] = {"done", "retry", "failed"};
  for (int k = 1; k < GW_JOB_KIND_COUNT_; k++)
    for (int r = 0; r < 3; r++)
      gw_buf_printf(&b, "govwatch_jobs_run_total{kind=\"%s\",result=\"%s\"} %lld\n",
                    gw_job_kind_key((enum gw_job_kind)k), results[r], (long long)g_m.jobs_run[k][r]);
  gw_buf_printf(&b, "# HELP govwatch_jobs Jobs in the store, by state.\n# TYPE govwatch_jobs gauge\n");
  for (int s = 1; s < GW_JOB_STATE_COUNT_; s++)
    gw_buf_printf(&b, "govwatch_jobs{state=\"%s\"} %lld\n", gw_job_state_key((enum gw_job_state)s),
                  (long long)g_m.job_state[s]);
  gw_buf_printf(&b, "# HELP govwatch_jobs_due Pending jobs whose time has come, by kind (the queue).\n"
                    "# TYPE govwatch_jobs_due gauge\n");
  for (int k = 1; k < GW_JOB_KIND_COUNT_; k++)
    gw_buf_printf(&b, "govwatch_jobs_due{kind=\"%s\"} %lld\n", gw_job_kind_key((enum gw_job_kind)k),
                  (long long)g_m.job_due[k]);
  gw_buf_printf(&b,
                "# HELP govwatch_crawl_pages_total Pages fetched by the service's crawls.\n"
                "# TYPE govwatch_crawl_pages_total counter\n"
                "govwatch_crawl_pages_total %lld\n"
                "# HELP govwatch_crawl_seconds_total Seconds spent crawling (rate = pages / seconds).\n"
                "# TYPE govwatch_crawl_seconds_total counter\n"
                "govwatch_crawl_seconds_total %.3f\n"
                "# HELP govwatch_crawl_last_pages_per_second URLs per second of the latest crawl run.\n"
                "# TYPE govwatch_crawl_last_pages_per_second gauge\n"
                "govwatch_crawl_last_pages_per_second %.3f\n"
                "# HELP govwatch_sites_monitored Running sites in the probe schedule and job plan.\n"
                "# TYPE govwatch_sites_monitored gauge\n"
                "govwatch_sites_monitored %lld\n"
                "# HELP govwatch_last_tick_timestamp_seconds Service time (Unix seconds) of the latest work of each worker.\n"
                "# TYPE govwatch_last_tick_timestamp_seconds gauge\n"
                "govwatch_last_tick_timestamp_seconds{worker=\"probes\"} %lld\n"
                "govwatch_last_tick_timestamp_seconds{worker=\"jobs\"} %lld\n",
                (long long)g_m.crawl_pages, g_m.crawl_seconds, g_m.crawl_last_rate, (long long)g_m.sites,
                (long long)g_m.last_tick_probe, (long long)g_m.last_tick_jobs);
  m_unlock();
  return gw_buf_steal(&b);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_size, void **req_cls)
{
  (void)cls;
  (void)version;
  (void)upload_data;
  (void)req_cls;
  if (*upload_size)
    return MHD_NO;
  struct MHD_Response *r;
  unsigned status = MHD_HTTP_OK;
  char *text = NULL;
  if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
    status = MHD_HTTP_METHOD_NOT_ALLOWED;
    text = gw_strdup("only GET /metrics\n");
  } else if (strcmp(url, "/metrics") != 0) {
    status = MHD_HTTP_NOT_FOUND;
    text = gw_strdup("not found: GovWatch serves /metrics only\n");
  } else {
    text = gw_serve_metrics_text();
    if (!text)
      text = gw_strdup("");
  }
  r = MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
  if (!r) {
    free(text);
    return MHD_NO;
  }
  MHD_add_response_header(r, "Content-Type",
                          status == MHD_HTTP_OK ? "text/plain; version=0.0.4; charset=utf-8" : "text/plain");
  enum MHD_Result ret = MHD_queue_response(conn, status, r);
  MHD_destroy_response(r);
  return ret;
}

/* Bind /metrics on "ADDR:PORT" (port 0 = a free one); *port = the port. */
static int metrics_start(const char *listen, struct MHD_Daemon **out, int *port)
{
  char host[128];
  const char *colon;
  bool v6 = listen[0] == '[';
  if (v6) {
    const char *close = strchr(listen, ']');
    if (!close || close[1] != ':' || (size_t)(close - listen - 1) >= sizeof host)
      return gw_err_set(GW_EINVAL, "--listen '%s' is not ADDR:PORT", listen);
    snprintf(host, sizeof host, "%.*s", (int)(close - listen - 1), listen + 1);
    colon = close + 1;
  } else {
    colon = strrchr(listen, ':');
    if (!colon || (size_t)(colon - listen) >= sizeof host)
      return gw_err_set(GW_EINVAL, "--listen '%s' is not ADDR:PORT", listen);
    snprintf(host, sizeof host, "%.*s", (int)(colon - listen), listen);
    if (strcmp(host, "localhost") == 0)
      gw_strlcpy(host, "127.0.0.1", sizeof host);
  }
  int64_t p = 0;
  if (gw_parse_i64(colon + 1, &p) || p < 0 || p > 65535)
    return gw_err_set(GW_EINVAL, "--listen '%s': port '%s' is not a number from 0 to 65535", listen, colon + 1);
  struct sockaddr_in a4;
  struct sockaddr_in6 a6;
  const struct sockaddr *sa;
  memset(&a4, 0, sizeof a4);
  memset(&a6, 0, sizeof a6);
  if (v6) {
    a6.sin6_family = AF_INET6;
    a6.sin6_port = htons((uint16_t)p);
    if (inet_pton(AF_INET6, host, &a6.sin6_addr) != 1)
      return gw_err_set(GW_EINVAL, "--listen '%s': '%s' is not an IPv6 address", listen, host);
    sa = (const struct sockaddr *)&a6;
  } else {
    a4.sin_family = AF_INET;
    a4.sin_port = htons((uint16_t)p);
    if (inet_pton(AF_INET, host, &a4.sin_addr) != 1)
      return gw_err_set(GW_EINVAL, "--listen '%s': '%s' is not an IPv4 address", listen, host);
    sa = (const struct sockaddr *)&a4;
  }
  struct MHD_Daemon *d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG |
                                              (v6 ? MHD_USE_IPv6 : 0),
                                          (uint16_t)p, NULL, NULL, on_request, NULL, MHD_OPTION_SOCK_ADDR, sa,
                                          MHD_OPTION_CONNECTION_TIMEOUT, 10u, MHD_OPTION_CONNECTION_LIMIT, 64u,
                                          MHD_OPTION_END);
  if (!d)
    return gw_err_set(GW_EIO, "metrics: cannot listen on %s (address in use, or not an address of this host)",
                      listen);
  const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
  *port = info ? (int)info->port : (int)p;
  *out = d;
  return GW_OK;
}

/* A worker's own connection. The crawler holds the write lock for up to a
 * second per batch and the probers write a few rows a slot, so a writer
 * may wait behind several others: the connections of the service wait up
 * to a minute for the lock instead of the store's default 5 s, which under
 * load failed a prober with "database is locked". */
static int open_store(const char *db, struct gw_store **out)
{
  int rc = gw_store_open(out, db, 0);
  if (rc == GW_OK && gw_store_sqlite_db(*out))
    sqlite3_busy_timeout(gw_store_sqlite_db(*out), 60000);
  return rc;
}

/* ---- jobs ---- */

struct worker {
  const struct gw_serve_opts *o;
  struct sclock *clock;
  struct gw_serve_report *rep;
  int shard;                    /* probers: which shard of the sites */
  struct gw_monitor_stats probes, seen; /* probers: the run's counts, and those already in the metrics */
  volatile sig_atomic_t *halt; /* set by a worker that failed, to stop the other */
  int rc;
  char msg[2048];
};

/* The counters of a prober's run are cumulative; the metrics add what is
 * new since its last report, so several probers add up. */
static void probe_progress(struct worker *w, const struct gw_avail_slot *s, const struct gw_monitor_stats *t,
                           size_t due_left)
{
  m_lock();
  if (s) {
    int f = s->family == 6 ? 1 : 0;
    if ((unsigned)s->verdict < 4)
      g_m.slots[f][s->verdict]++;
    if (s->attempts >= 2)
      g_m.confirmations++;
  }
  g_m.requests += t->requests - w->seen.requests;
  g_m.resumed += t->resumed - w->seen.resumed;
  g_m.missed += t->missed - w->seen.missed;
  g_m.reclassified += t->reclassified - w->seen.reclassified;
  w->seen = *t;
  g_m.due_slots[w->shard] = (int64_t)due_left;
  int64_t now = sclock_now(w->clock);
  if (now > g_m.last_tick_probe)
    g_m.last_tick_probe = now;
  m_unlock();
}

static void worker_fail(struct worker *w, int rc)
{
  w->rc = rc;
  gw_strlcpy(w->msg, gw_err_msg(), sizeof w->msg);
  gw_error("%s", w->msg);
  *w->halt = 1;
}

static bool stopping(const struct worker *w)
{
  return *w->halt != 0;
}

/* Is the Shanghai day `day` the first day of a quarter? */
static bool quarter_start(int64_t day)
{
  int y, m, d;
  gw_civil_from_days(day, &y, &m, &d);
  return d == 1 && (m == 1 || m == 4 || m == 7 || m == 10);
}

/* Add the jobs of the days from the catch-up horizon to today: a crawl job
 * per running site and, on a quarter's first day, the inspection. Jobs
 * already there are left alone (the identity is unique). */
static int plan_jobs(struct gw_store *st, const struct gw_serve_opts *o, int64_t now, int64_t horizon)
{
  struct gw_site_list sites = {0};
  int rc = gw_store_site_list(st, 0, &sites);
  if (rc != GW_OK)
    return rc;
  int64_t running = 0;
  for (size_t i = 0; i < sites.n; i++)
    if (sites.v[i].status == GW_SITE_RUNNING)
      running++;
  m_lock();
  g_m.sites = running;
  m_unlock();
  for (int64_t day = gw_monitor_day_of(horizon); day <= gw_monitor_day_of(now) && rc == GW_OK; day++) {
    int64_t due = gw_monitor_day_start(day) + (int64_t)o->crawl_at_min * 60;
    if (due < horizon || due > now)
      continue;
    for (size_t i = 0; o->crawl && i < sites.n && rc == GW_OK; i++) {
      bool added = false;
      if (sites.v[i].status != GW_SITE_RUNNING)
        continue;
      rc = gw_store_job_add(st, GW_JOB_CRAWL, sites.v[i].id, due, &added);
      if (rc == GW_OK && added)
        gw_info("serve: planned the daily crawl of %s (%s) due %lld", sites.v[i].name, sites.v[i].url,
                (long long)due);
    }
    if (rc == GW_OK && o->inspection && quarter_start(day)) {
      bool added = false;
      rc = gw_store_job_add(st, GW_JOB_INSPECTION, 0, due, &added);
      if (rc == GW_OK && added)
        gw_info("serve: planned the quarterly inspection due %lld", (long long)due);
    }
  }
  gw_site_list_free(&sites);
  return rc;
}

/* Is this finding announced as it appears? Veto-level ones, and everything
 * of the security and privacy checks (defacement, hidden links, leaks). */
static bool alert_worthy(const struct gw_finding *f)
{
  return f->severity == GW_SEV_VETO || (f->check && (gw_str_starts(f->check, "security.") ||
                                                     gw_str_starts(f->check, "privacy")));
}

static int collect_finding(void *ctx, const struct gw_finding_row *r)
{
  if (!alert_worthy(&r->f))
    return 0;
  /* The row's check string dies with the row and a finding's check must
   * outlive it (finding.h): use the registry's static id, or "manual". */
  struct gw_finding f = r->f;
  const struct gw_check *c = f.check ? gw_check_find(f.check) : NULL;
  f.check = c ? c->id : "manual";
  gw_finding_list_push(ctx, &f);
  return 0;
}

/* Announce the alert-worthy findings of check run `run_id` that were not
 * announced before (one alert per finding identity). The store must not be
 * written while findings are walked, so they are collected first. */
static int finding_alerts(struct gw_store *st, const struct gw_serve_opts *o, const struct gw_site *site,
                          int64_t run_id, int64_t at, int64_t *n_sent)
{
  struct gw_finding_list l = {0};
  int rc = gw_store_finding_each(st, run_id, NULL, collect_finding, &l);
  for (size_t i = 0; rc == GW_OK && i < l.n; i++) {
    const struct gw_finding *f = &l.v[i];
    char fp[17];
    gw_finding_fingerprint(f, fp);
    bool added = false;
    if ((rc = gw_store_finding_alert_add(st, site->id, fp, f->rule ? f->rule : "", at, &added)) != GW_OK || !added)
      continue; /* !added: announced when it first appeared */
    struct gw_alert_finding af = {f->check, f->rule, gw_severity_label(f->severity), f->title, f->detail, f->url,
                                  f->locator, fp};
    struct gw_alert_event e = {0};
    e.kind = GW_ALERT_FINDING;
    e.site_id = site->id;
    e.site_name = site->name;
    e.url = site->url;
    e.family = 4;
    e.at = at;
    e.finding = &af;
    int sent = 0, failed = 0;
    gw_alert_deliver(o->alerts, &e, &sent, &failed);
    if ((rc = gw_store_finding_alert_sent(st, site->id, fp, sent, failed)) == GW_OK)
      (*n_sent)++;
  }
  gw_finding_list_free(&l);
  return rc;
}

/* Run one claimed job. *result: 0 done, 1 retry/failed (handled here), 2 released (stop). */
static int run_job(struct worker *w, struct gw_store *st, const struct gw_job *j)
{
  const struct gw_serve_opts *o = w->o;
  struct gw_site site = {0};
  int64_t now = sclock_now(w->clock);
  int rc = GW_OK, jrc = GW_OK;
  int64_t ref = 0;
  char detail[512] = "";
  enum gw_job_kind then = 0;
  if (j->site_id && (rc = gw_store_site_get(st, j->site_id, &site)) != GW_OK) {
    if (rc != GW_ENOTFOUND)
      return rc;
    jrc = rc; /* deleted meanwhile: fails below, never retried usefully */
    gw_strlcpy(detail, gw_err_msg(), sizeof detail);
  }
  if (jrc == GW_OK && j->kind == GW_JOB_CRAWL) {
    struct gw_crawl_opts co = o->crawl_opts;
    struct gw_crawl_report cr = {0};
    co.stop = w->halt;
    co.progress = NULL;
    if (site.status != GW_SITE_RUNNING) {
      snprintf(detail, sizeof detail, "site is %s, not crawled", gw_site_status_label(site.status));
    } else if ((jrc = gw_crawl_site(st, &site, &co, &cr)) == GW_OK) {
      m_lock();
      g_m.crawl_pages += cr.fetched_run;
      g_m.crawl_seconds += cr.seconds;
      g_m.crawl_last_rate = cr.seconds > 0 ? (double)cr.fetched_run / cr.seconds : 0;
      m_unlock();
      if (cr.state == GW_CRAWL_INTERRUPTED) {
        gw_info("serve: crawl of %s interrupted by the stop request; it resumes at the next start", site.name);
        gw_crawl_report_clear(&cr);
        gw_site_clear(&site);
        int64_t n = 0;
        if ((rc = gw_store_job_release(st, true, &n)) == GW_OK)
          w->rep->jobs_released += n;
        return rc;
      }
      ref = cr.crawl_id;
      then = GW_JOB_CHECK;
      snprintf(detail, sizeof detail, "crawl %lld: %lld URLs in %.1f s", (long long)cr.crawl_id,
               (long long)cr.fetched_run, cr.seconds);
      gw_crawl_report_clear(&cr);
    } else {
      gw_strlcpy(detail, gw_err_msg(), sizeof detail);
    }
  } else if (jrc == GW_OK && j->kind == GW_JOB_CHECK) {
    struct gw_check_run_report cr;
    if ((jrc = gw_check_run_site(st, &site, &o->check_opts, &cr)) == GW_OK) {
      ref = cr.run_id;
      snprintf(detail, sizeof detail, "check run %lld: %zu findings, %zu checks failed", (long long)cr.run_id,
               cr.findings, cr.failed);
      gw_check_run_report_clear(&cr);
      if (o->alerts && (rc = finding_alerts(st, o, &site, ref, now, &w->rep->finding_alerts)) != GW_OK) {
        gw_site_clear(&site);
        return rc;
      }
    } else {
      gw_strlcpy(detail, gw_err_msg(), sizeof detail);
    }
  } else if (jrc == GW_OK && j->kind == GW_JOB_INSPECTION) {
    if ((jrc = o->inspect(o->inspect_ctx, st, j->due_at, &ref)) == GW_OK)
      snprintf(detail, sizeof detail, "inspection %lld", (long long)ref);
    else
      gw_strlcpy(detail, gw_err_msg(), sizeof detail);
  }
  now = sclock_now(w->clock);
  int k = (unsigned)j->kind < GW_JOB_KIND_COUNT_ ? (int)j->kind : 0;
  if (jrc == GW_OK) {
    rc = gw_store_job_done(st, j->id, now, ref, detail[0] ? detail : NULL, then);
    if (rc == GW_OK) {
      w->rep->jobs_done++;
      m_lock();
      g_m.jobs_run[k][0]++;
      m_unlock();
      gw_info("serve: %s job %lld (%s) done: %s", gw_job_kind_key(j->kind), (long long)j->id,
              site.name ? site.name : "all sites", detail);
    }
  } else if (jrc == GW_EDB || jrc == GW_EIO || jrc == GW_ENOMEM) {
    rc = jrc; /* the store or the machine is in trouble: stop the service */
  } else {
    bool failed = false;
    rc = gw_store_job_fail(st, j->id, now, now + o->retry_s, detail, o->job_attempts, &failed);
    if (rc == GW_OK) {
      gw_warn("serve: %s job %lld (%s) %s: %s", gw_job_kind_key(j->kind), (long long)j->id,
              site.name ? site.name : "all sites", failed ? "failed for good" : "failed, will retry", detail);
      m_lock();
      g_m.jobs_run[k][failed ? 2 : 1]++;
      m_unlock();
      if (failed)
        w->rep->jobs_failed++;
      else
        w->rep->jobs_retried++;
    }
  }
  gw_site_clear(&site);
  return rc;
}

static int update_job_gauges(struct gw_store *st, int64_t now)
{
  int64_t s[GW_JOB_STATE_COUNT_], d[GW_JOB_KIND_COUNT_];
  int rc = gw_store_job_counts(st, now, s, d);
  if (rc == GW_OK) {
    m_lock();
    memcpy(g_m.job_state, s, sizeof s);
    memcpy(g_m.job_due, d, sizeof d);
    g_m.last_tick_jobs = now;
    m_unlock();
  }
  return rc;
}

static void *jobs_main(void *arg)
{
  struct worker *w = arg;
  const struct gw_serve_opts *o = w->o;
  struct gw_store *st = NULL;
  int rc = open_store(o->db, &st);
  if (rc != GW_OK) {
    worker_fail(w, rc);
    return NULL;
  }
  int64_t start = sclock_now(w->clock);
  int64_t horizon = start - o->monitor.catchup_s;
  int64_t next_plan = start;
  while (!stopping(w)) {
    int64_t now = sclock_now(w->clock);
    if (now >= next_plan) {
      if ((rc = plan_jobs(st, o, now, horizon)) != GW_OK)
        break;
      next_plan = now + o->plan_every_s;
    }
    struct gw_job j;
    while (!stopping(w) && (rc = gw_store_job_claim(st, sclock_now(w->clock), &j)) == GW_OK) {
      rc = run_job(w, st, &j);
      gw_job_clear(&j);
      if (rc != GW_OK)
        break;
      rc = update_job_gauges(st, sclock_now(w->clock));
      if (rc != GW_OK)
        break;
    }
    if (rc == GW_ENOTFOUND)
      rc = GW_OK;
    if (rc != GW_OK || (rc = update_job_gauges(st, sclock_now(w->clock))) != GW_OK)
      break;
    now = sclock_now(w->clock);
    if (o->once || (o->until && now >= o->until))
      break;
    /* Look at the queue again within a minute of service time (a job of a
     * failed attempt becomes due again, the planner runs hourly). */
    int64_t wake = now + 60;
    /* ... but at most twice a real second whatever the clock speed, so a
     * fast test clock does not make this worker hammer the store. */
    if (wake < now + (int64_t)(w->clock->speed / 2))
      wake = now + (int64_t)(w->clock->speed / 2);
    if (wake > next_plan)
      wake = next_plan;
    if (o->until && wake > o->until)
      wake = o->until;
    if (sclock_sleep_until(w->clock, wake) != 0)
      break;
  }
  if (rc != GW_OK)
    worker_fail(w, rc);
  gw_store_close(&st);
  return NULL;
}

/* ---- probes ---- */

static void *probes_main(void *arg)
{
  struct worker *w = arg;
  const struct gw_serve_opts *o = w->o;
  struct gw_store *st = NULL;
  int rc = open_store(o->db, &st);
  if (rc != GW_OK) {
    worker_fail(w, rc);
    return NULL;
  }
  struct gw_clock clock = {sclock_now, sclock_sleep_until, w->clock};
  struct gw_monitor_opts mo = o->monitor;
  mo.on_progress = on_probe_progress;
  mo.progress_ctx = w;
  mo.stop = w->halt;
  mo.shards = o->probe_workers;
  mo.shard = w->shard;
  int64_t until = o->once ? sclock_now(w->clock) + 1 : o->until;
  rc = gw_monitor_run(st, &mo, &clock, until, &w->probes);
  if (rc != GW_OK)
    worker_fail(w, rc);
  gw_store_close(&st);
  return NULL;
}

/* ---- the service ---- */

int gw_serve_run(const struct gw_serve_opts *o, struct gw_serve_report *out)
{
  struct gw_serve_report rep;
  memset(&rep, 0, sizeof rep);
  struct MHD_Daemon *mhd = NULL;
  struct gw_store *st = NULL;
  int rc;
  if (!o->stop || !o->db)
    return gw_err_set(GW_EINVAL, "serve: no stop flag or no store");
  if (o->speed < 1.0)
    return gw_err_set(GW_EINVAL, "serve: --speed %g must be at least 1", o->speed);
  if (o->inspection && !o->inspect)
    return gw_err_set(GW_EINVAL, "monitor.inspection is set, but this build of govwatch has no inspection entry "
                                 "point ('govwatch inspect'); set monitor.inspection: false");
  if (o->probe_workers < 1 || o->probe_workers > GW_SERVE_MAX_PROBERS)
    return gw_err_set(GW_EINVAL, "serve: probe workers %d outside 1..%d", o->probe_workers, GW_SERVE_MAX_PROBERS);
  if (o->job_attempts < 1 || o->retry_s < 0 || o->plan_every_s < 1 || o->crawl_at_min < 0 || o->crawl_at_min >= 1440)
    return gw_err_set(GW_EINVAL, "serve: job_attempts, retry_s, plan_every_s or crawl_at out of range");
  /* Work left RUNNING by a dead process is retried. */
  if ((rc = gw_store_open(&st, o->db, 0)) != GW_OK)
    return rc;
  rc = gw_store_job_release(st, false, &rep.jobs_released);
  gw_store_close(&st);
  if (rc != GW_OK)
    return rc;
  if (rep.jobs_released)
    gw_info("serve: %lld job(s) were running when the service last stopped; they run again",
            (long long)rep.jobs_released);

  struct sclock clock = {0};
  clock.base = gw_now();
  clock_gettime(CLOCK_MONOTONIC, &clock.t0);
  clock.speed = o->speed;
  clock.once = o->once;
  clock.stop = o->stop;

  m_lock();
  struct metrics zero = {0};
  zero.mu = g_m.mu;
  g_m = zero;
  g_m.started = true;
  m_unlock();

  struct gw_alert_cfg acfg;
  struct gw_serve_opts so = *o;
  if (o->monitor.alerts) {
    acfg = *o->monitor.alerts;
    acfg.on_alert = on_alert;
    so.monitor.alerts = &acfg;
  }
  struct gw_alert_cfg fcfg;
  if (o->alerts) {
    fcfg = *o->alerts;
    fcfg.on_alert = on_alert;
    so.alerts = &fcfg;
  }

  if (o->listen) {
    if ((rc = metrics_start(o->listen, &mhd, &rep.metrics_port)) != GW_OK)
      goto done;
    gw_log(GW_LOG_WARN, "serve: metrics at http://%s/metrics (port %d)", o->listen, rep.metrics_port);
    if (o->ready_file) {
      char port[16];
      snprintf(port, sizeof port, "%d\n", rep.metrics_port);
      struct gw_atomic a;
      if ((rc = gw_atomic_begin(&a, o->ready_file)) != GW_OK)
        goto done;
      if (write(a.fd, port, strlen(port)) != (ssize_t)strlen(port)) {
        gw_atomic_abort(&a);
        rc = gw_err_set(GW_EIO, "serve: --ready-file %s: cannot write: %s", o->ready_file, strerror(errno));
        goto done;
      }
      if ((rc = gw_atomic_commit(&a)) != GW_OK)
        goto done;
    }
  }

  /* One flag stops everything: the signal flag is relayed to it, and a
   * worker that fails sets it to stop the other. Both clocks watch it. */
  static volatile sig_atomic_t halt;
  halt = 0;
  clock.stop = &halt;
  struct worker wp[GW_SERVE_MAX_PROBERS];
  pthread_t tp[GW_SERVE_MAX_PROBERS];
  bool have_tp[GW_SERVE_MAX_PROBERS] = {false};
  int n_tp = o->probes ? o->probe_workers : 0;
  struct worker wj = {&so, &clock, &rep, 0, {0}, {0}, &halt, GW_OK, ""};
  pthread_t tj;
  bool have_tj = false;
  for (int i = 0; i < n_tp; i++) {
    struct worker w0 = {&so, &clock, &rep, i, {0}, {0}, &halt, GW_OK, ""};
    wp[i] = w0;
    if (pthread_create(&tp[i], NULL, probes_main, &wp[i]) != 0) {
      halt = 1;
      rc = gw_err_set(GW_ENOMEM, "serve: cannot start probe thread %d", i + 1);
      break;
    }
    have_tp[i] = true;
  }
  if (rc == GW_OK) {
    if (pthread_create(&tj, NULL, jobs_main, &wj) != 0) {
      halt = 1;
      rc = gw_err_set(GW_ENOMEM, "serve: cannot start the job thread");
    } else {
      have_tj = true;
    }
  }
  for (;;) {
    if (*o->stop)
      halt = 1;
    bool any = false;
    for (int i = 0; i < n_tp; i++) {
      if (have_tp[i] && pthread_tryjoin_np(tp[i], NULL) == 0)
        have_tp[i] = false;
      any = any || have_tp[i];
    }
    if (have_tj && pthread_tryjoin_np(tj, NULL) == 0)
      have_tj = false;
    if (!any && !have_tj)
      break;
    struct timespec ts = {0, 20 * 1000 * 1000};
    nanosleep(&ts, NULL);
  }
  for (int i = 0; i < n_tp; i++) {
    if (rc == GW_OK && wp[i].rc != GW_OK)
      rc = gw_err_set(wp[i].rc, "%s", wp[i].msg);
    struct gw_monitor_stats *a = &rep.probes, *b = &wp[i].probes;
    a->slots += b->slots;
    a->resumed += b->resumed;
    a->missed += b->missed;
    a->requests += b->requests;
    a->ok += b->ok;
    a->fail += b->fail;
    a->unknown += b->unknown;
    a->reclassified += b->reclassified;
    a->alerts += b->alerts;
  }
  if (rc == GW_OK && wj.rc != GW_OK)
    rc = gw_err_set(wj.rc, "%s", wj.msg);
done:
  if (mhd)
    MHD_stop_daemon(mhd);
  m_lock();
  g_m.started = false;
  m_unlock();
  if (rc == GW_OK && out)
    *out = rep;
  return rc;
}
