/* The availability monitor: the schedule, probe verdicts, figures, and a
 * week of probes driven by a fake clock against the fixture server, with
 * sites that go down on schedule, WAF answers, a simulated loss of our own
 * network, and a SIGKILL in the middle of the week. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/error.h"
#include "core/str.h"
#include "fixsrv.h"
#include "monitor/avail.h"
#include "monitor/monitor.h"
#include "store/crawl_records.h"
#include "store/monitor_store.h"
#include "store/store.h"
#include "store/store_impl.h"
#include "tap.h"
#include <sqlite3.h>

#define DAY 86400
#define PER_DAY 24

/* 2025-03-03 00:00 Shanghai, a Monday. */
static int64_t T0;
/* The fake clock, shared with a forked child (the kill test). */
static int64_t *g_now;

static int64_t fake_now(void *ctx)
{
  (void)ctx;
  return __atomic_load_n(g_now, __ATOMIC_SEQ_CST);
}

static int fake_sleep_until(void *ctx, int64_t t)
{
  (void)ctx;
  if (t > fake_now(NULL))
    __atomic_store_n(g_now, t, __ATOMIC_SEQ_CST);
  return 0;
}

static const struct gw_clock g_clock = {fake_now, fake_sleep_until, NULL};

/* ---- the fixture sites ---- */

enum { SITE_A, SITE_B, SITE_C, SITE_D, SITE_E, N_SITES };
static const char *const g_host[N_SITES] = {"www.a.gov.cn", "www.b.gov.cn", "www.c.gov.cn", "www.d.gov.cn",
                                            "www.e.gov.cn"};
static int64_t g_site_id[N_SITES];

struct window {
  int64_t from, to;
};

static struct window down_a(void) { return (struct window){T0 + 1 * DAY + 10 * 3600, T0 + 1 * DAY + 16 * 3600}; }
static struct window down_b(void) { return (struct window){T0 + 2 * DAY + 8 * 3600, T0 + 2 * DAY + 18 * 3600}; }
static struct window waf_c(void) { return (struct window){T0 + 3 * DAY, T0 + 4 * DAY}; }
static struct window rate_c(void) { return (struct window){T0 + 5 * DAY + 12 * 3600, T0 + 5 * DAY + 14 * 3600}; }
static struct window net_down(void) { return (struct window){T0 + 4 * DAY + 2 * 3600, T0 + 4 * DAY + 5 * 3600}; }

static bool in(struct window w, int64_t t)
{
  return t >= w.from && t < w.to;
}

/* Answers by the fake clock: A and B go down (503) in their windows, C
 * answers 403 for a day and 429 for two hours, the control host is up. */
static int handler(void *ctx, const char *host, const char *path, const char *ua, struct gw_sample_resp *out)
{
  (void)ctx;
  (void)path;
  (void)ua;
  int64_t now = fake_now(NULL);
  memset(out, 0, sizeof *out);
  gw_strlcpy(out->content_type, "text/html; charset=UTF-8", sizeof out->content_type);
  out->status = 200;
  if (strcmp(host, g_host[SITE_A]) == 0 && in(down_a(), now))
    out->status = 503;
  else if (strcmp(host, g_host[SITE_B]) == 0 && in(down_b(), now))
    out->status = 503;
  else if (strcmp(host, g_host[SITE_C]) == 0 && in(waf_c(), now))
    out->status = 403;
  else if (strcmp(host, g_host[SITE_C]) == 0 && in(rate_c(), now))
    out->status = 429;
  out->body = gw_strdup("<html><head><title>首页</title></head><body>政府网站首页</body></html>");
  out->len = strlen(out->body);
  return 0;
}

/* Our own network goes down: nothing leaves the host, every request fails
 * to connect, whatever its target. */
static int net_probe(void *ctx, const struct gw_monitor_probe_opts *o, const char *url, int family,
                     struct gw_monitor_probe_result *out)
{
  const struct window *w = ctx;
  if (w && in(*w, fake_now(NULL))) {
    memset(out, 0, sizeof *out);
    out->error = GW_FE_CONNECT;
    gw_strlcpy(out->error_text, "simulated: network is unreachable", sizeof out->error_text);
    return GW_OK;
  }
  return gw_monitor_http_probe(o, url, family, out);
}

struct env {
  struct gw_fixsrv *srv;
  struct gw_store *st;
  char db[512];
  char *rules[N_SITES * 2 + 2];
  size_t n_rules;
  const char *control[1];
  struct window outage;
};

static void env_rules(struct env *e)
{
  uint16_t port = gw_fixsrv_port(e->srv);
  char r[256];
  e->n_rules = 0;
  /* E is left unmapped: under mapped_only it fails DNS all week. */
  for (int i = 0; i < SITE_E; i++) {
    snprintf(r, sizeof r, "%s:80:127.0.0.1:%u", g_host[i], port);
    e->rules[e->n_rules++] = gw_strdup(r);
    snprintf(r, sizeof r, "%s:80:[::1]:%u", g_host[i], port);
    e->rules[e->n_rules++] = gw_strdup(r);
  }
  snprintf(r, sizeof r, "control.test:80:127.0.0.1:%u", port);
  e->rules[e->n_rules++] = gw_strdup(r);
  snprintf(r, sizeof r, "control.test:80:[::1]:%u", port);
  e->rules[e->n_rules++] = gw_strdup(r);
}

/* A week is thousands of small commits; this test does not cut power, and
 * SIGKILL loses nothing the kernel already has, so it skips the fsyncs. */
static void fast(struct gw_store *st)
{
  sqlite3_exec(gw_store_sqlite_db(st), "PRAGMA synchronous = OFF", NULL, NULL, NULL);
}

static void env_open(struct env *e, const char *name)
{
  memset(e, 0, sizeof *e);
  struct gw_fixsrv_opts fo;
  gw_fixsrv_opts_default(&fo);
  fo.handler = handler;
  fo.ipv6 = true;
  CHECK_INT(gw_fixsrv_start(&e->srv, &fo), GW_OK);
  env_rules(e);
  snprintf(e->db, sizeof e->db, "%s/%s.db", gw_test_tmpdir(), name);
  CHECK_INT(gw_store_open(&e->st, e->db, 0), GW_OK);
  fast(e->st);
  struct gw_unit u = {0};
  u.name = "青溪县人民政府";
  u.kind = GW_UNIT_REGION;
  CHECK_INT(gw_store_unit_insert(e->st, &u), GW_OK);
  for (int i = 0; i < N_SITES; i++) {
    char url[128], code[16], nm[64];
    snprintf(url, sizeof url, "http://%s/", g_host[i]);
    snprintf(code, sizeof code, "330100000%d", i);
    snprintf(nm, sizeof nm, "青溪县测试网站%c", 'A' + i);
    struct gw_site s = {0};
    s.name = nm;
    s.url = url;
    s.code = code;
    s.unit_id = u.id;
    s.kind = GW_SITE_DEPARTMENT;
    s.status = GW_SITE_RUNNING;
    CHECK_INT(gw_store_site_insert(e->st, &s), GW_OK);
    g_site_id[i] = s.id;
  }
  e->control[0] = "http://control.test/";
  e->outage = net_down();
}

static void env_close(struct env *e)
{
  gw_store_close(&e->st);
  gw_fixsrv_stop(&e->srv);
  for (size_t i = 0; i < e->n_rules; i++)
    free(e->rules[i]);
}

static void env_opts(struct env *e, struct gw_monitor_opts *o, bool control)
{
  gw_monitor_opts_default(o);
  o->slots_per_day = PER_DAY;
  o->seed = 42;
  o->catchup_s = 0;
  o->probe.connect_to = (const char *const *)e->rules;
  o->probe.n_connect_to = e->n_rules;
  o->probe.mapped_only = true;
  o->probe.timeout_ms = 5000;
  o->probe_fn = net_probe;
  o->probe_ctx = &e->outage;
  if (control) {
    o->control_urls = e->control;
    o->n_control_urls = 1;
  }
}

/* How many of a site's slots of one family in [T0, T0 + 7 days) fall in w. */
static int count_in(int site, int family, struct window w)
{
  int64_t t[PER_DAY];
  int n = 0;
  for (int d = 0; d < 7; d++) {
    gw_monitor_slots(g_site_id[site], family, gw_monitor_day_of(T0) + d, PER_DAY, 42, t);
    for (int k = 0; k < PER_DAY; k++)
      n += in(w, t[k]);
  }
  return n;
}

/* ---- the schedule ---- */

static void test_schedule(void)
{
  int64_t a[PER_DAY], b[PER_DAY], c[PER_DAY];
  int64_t day = gw_monitor_day_of(T0);
  CHECK_INT(gw_monitor_day_start(day), T0);
  CHECK_INT(gw_monitor_day_of(T0 - 1), day - 1);
  gw_monitor_slots(7, 4, day, PER_DAY, 1, a);
  gw_monitor_slots(7, 4, day, PER_DAY, 1, b);
  CHECK(memcmp(a, b, sizeof a) == 0);
  int64_t period = DAY / PER_DAY;
  bool spaced = true, inside = true;
  for (int i = 0; i < PER_DAY; i++) {
    inside &= a[i] >= T0 + i * period && a[i] < T0 + i * period + period * 4 / 5;
    if (i)
      spaced &= a[i] - a[i - 1] >= period / 5;
  }
  CHECK(inside);
  CHECK(spaced);
  gw_monitor_slots(8, 4, day, PER_DAY, 1, c);
  CHECK(memcmp(a, c, sizeof a) != 0);
  gw_monitor_slots(7, 6, day, PER_DAY, 1, c);
  CHECK(memcmp(a, c, sizeof a) != 0);
  gw_monitor_slots(7, 4, day, PER_DAY, 2, c);
  CHECK(memcmp(a, c, sizeof a) != 0);
  gw_monitor_slots(7, 4, day + 1, PER_DAY, 1, c);
  CHECK(c[0] >= T0 + DAY && c[PER_DAY - 1] < T0 + 2 * DAY);
}

/* ---- verdicts ---- */

static void test_classify(void)
{
  struct {
    int status, error;
    enum gw_avail_verdict v;
    enum gw_avail_reason r;
  } cases[] = {
      {200, GW_FE_NONE, GW_AV_OK, GW_AR_NONE},          {304, GW_FE_NONE, GW_AV_OK, GW_AR_NONE},
      {403, GW_FE_NONE, GW_AV_UNKNOWN, GW_AR_WAF},      {429, GW_FE_NONE, GW_AV_UNKNOWN, GW_AR_WAF},
      {503, GW_FE_NONE, GW_AV_FAIL, GW_AR_HTTP_5XX},    {500, GW_FE_NONE, GW_AV_FAIL, GW_AR_HTTP_5XX},
      {404, GW_FE_NONE, GW_AV_FAIL, GW_AR_HTTP_4XX},    {0, GW_FE_DNS, GW_AV_FAIL, GW_AR_DNS},
      {0, GW_FE_CONNECT, GW_AV_FAIL, GW_AR_REFUSED},    {200, GW_FE_TIMEOUT, GW_AV_FAIL, GW_AR_TIMEOUT},
      {0, GW_FE_RESET, GW_AV_FAIL, GW_AR_RESET},        {0, GW_FE_TLS, GW_AV_FAIL, GW_AR_TLS},
      {0, GW_FE_PROTOCOL, GW_AV_FAIL, GW_AR_OTHER},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    struct gw_monitor_probe_result r = {0};
    enum gw_avail_reason why = GW_AR_COUNT_;
    r.http_status = cases[i].status;
    r.error = cases[i].error;
    CHECK_INT(gw_monitor_classify(&r, &why), cases[i].v);
    CHECK_INT(why, cases[i].r);
  }
}

/* ---- figures ---- */

static struct gw_avail_slot mk(int64_t at, enum gw_avail_verdict v, enum gw_avail_reason r)
{
  struct gw_avail_slot s = {0};
  s.site_id = 1;
  s.family = 4;
  s.slot_at = at;
  s.state = GW_SLOT_DONE;
  s.verdict = v;
  s.reason = r;
  return s;
}

static void test_figures(void)
{
  struct gw_avail_thresholds t;
  gw_avail_thresholds_default(&t);
  struct gw_avail_slot v[150];
  size_t n = 0;
  /* 140 judged probes over a week (20 a day), 7 failures = exactly 5 %. */
  for (int i = 0; i < 140; i++) {
    enum gw_avail_verdict vd = (i >= 30 && i < 33) || (i >= 100 && i < 104) ? GW_AV_FAIL : GW_AV_OK;
    v[n++] = mk(T0 + i * 4320, vd, vd == GW_AV_FAIL ? GW_AR_TIMEOUT : GW_AR_NONE);
  }
  /* WAF and own-network slots do not count; a running one neither. */
  v[n++] = mk(T0 + 1000, GW_AV_UNKNOWN, GW_AR_WAF);
  v[n++] = mk(T0 + 2000, GW_AV_UNKNOWN, GW_AR_OWN_NET);
  v[n] = mk(T0 + 3000, GW_AV_NONE, GW_AR_NONE);
  v[n++].state = GW_SLOT_RUNNING;
  /* another site and another family are skipped */
  v[n] = mk(T0 + 5000, GW_AV_FAIL, GW_AR_DNS);
  v[n++].site_id = 2;
  v[n] = mk(T0 + 5000, GW_AV_FAIL, GW_AR_DNS);
  v[n++].family = 6;
  struct gw_avail_figures f;
  CHECK_INT(gw_avail_compute(v, n, 1, 4, T0, T0 + 7 * DAY, &t, &f), GW_OK);
  CHECK_INT(f.probes, 140);
  CHECK_INT(f.fail, 7);
  CHECK_INT(f.unknown, 2);
  CHECK_INT(f.waf, 1);
  CHECK_INT(f.own_net, 1);
  CHECK_INT(f.running, 1);
  CHECK_INT(f.fail_bp, 500);
  CHECK(f.complete);
  CHECK_INT(f.level, GW_LEVEL_VETO);
  CHECK(f.veto);
  CHECK_INT(f.n_outages, 2);
  CHECK_INT(f.outages[0].start, T0 + 30 * 4320);
  CHECK_INT(f.outages[0].end, T0 + 33 * 4320);
  CHECK_INT(f.outages[0].fails, 3);
  CHECK_INT(f.outages[0].reason, GW_AR_TIMEOUT);
  CHECK_INT(f.outages[1].start, T0 + 100 * 4320);
  CHECK_INT(f.outages[1].end, T0 + 104 * 4320);
  gw_avail_figures_clear(&f);
  /* one failure fewer: 6/140 = 4.28 %, a pre-warning, no veto */
  v[30].verdict = GW_AV_OK;
  CHECK_INT(gw_avail_compute(v, n, 1, 4, T0, T0 + 7 * DAY, &t, &f), GW_OK);
  CHECK_INT(f.fail_bp, 428);
  CHECK_INT(f.level, GW_LEVEL_WARN);
  CHECK(!f.veto);
  CHECK_INT(f.outages[0].start, T0 + 31 * 4320);
  gw_avail_figures_clear(&f);
  /* an outage still open at the end of the period */
  CHECK_INT(gw_avail_compute(v, n, 1, 4, T0, T0 + 102 * 4320, &t, &f), GW_OK);
  CHECK_INT(f.outages[f.n_outages - 1].end, 0);
  /* 102 probes over 6 begun days is short of 20 a day: not complete, no veto */
  CHECK(!f.complete);
  CHECK(!f.veto);
  gw_avail_figures_clear(&f);
  /* both families together */
  CHECK_INT(gw_avail_compute(v, n, 1, 0, T0, T0 + 7 * DAY, &t, &f), GW_OK);
  CHECK_INT(f.fail, 7);
  gw_avail_figures_clear(&f);
  /* errors */
  CHECK_INT(gw_avail_compute(v, n, 1, 4, T0, T0, &t, &f), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "ends");
  t.warn_bp = 600;
  CHECK_INT(gw_avail_compute(v, n, 1, 4, T0, T0 + DAY, &t, &f), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "warn 600 bp");
  char pct[16];
  CHECK_STR(gw_avail_pct(428, pct, sizeof pct), "4.28%");
}

/* ---- a week against the fixture server ---- */

/* Expected figures of one site and family, from the schedule and the
 * windows alone. */
struct expect {
  int fail, waf, own;
};

static struct expect expected(int site, int family, bool outage_counts)
{
  struct expect x = {0, 0, 0};
  x.own = outage_counts ? count_in(site, family, net_down()) : 0;
  if (site == SITE_A)
    x.fail = count_in(site, family, down_a());
  if (site == SITE_B)
    x.fail = count_in(site, family, down_b());
  if (site == SITE_C)
    x.waf = count_in(site, family, waf_c()) + count_in(site, family, rate_c());
  if (site == SITE_E)
    x.fail = PER_DAY * 7 - x.own;
  return x;
}

static void check_week(struct env *e, const char *label)
{
  struct gw_avail_thresholds t;
  gw_avail_thresholds_default(&t);
  for (int i = 0; i < N_SITES; i++) {
    for (int fam = 4; fam <= 6; fam += 2) {
      struct expect x = expected(i, fam, true);
      struct gw_avail_figures f;
      CHECK_INT(gw_avail_period(e->st, g_site_id[i], fam, T0, T0 + 7 * DAY, &t, &f), GW_OK);
      CHECK_MSG(f.slots == PER_DAY * 7 && f.running == 0, "%s: site %s IPv%d has %lld slots, %lld running", label,
                g_host[i], fam, (long long)f.slots, (long long)f.running);
      CHECK_MSG(f.fail == x.fail && f.waf == x.waf && f.own_net == x.own,
                "%s: site %s IPv%d: fail %lld waf %lld own %lld, expected %d %d %d", label, g_host[i], fam,
                (long long)f.fail, (long long)f.waf, (long long)f.own_net, x.fail, x.waf, x.own);
      int64_t probes = PER_DAY * 7 - x.waf - x.own;
      CHECK_INT(f.probes, probes);
      bool veto = (int64_t)x.fail * 10000 >= 500 * probes;
      CHECK_MSG(f.veto == veto, "%s: site %s IPv%d veto %d (share %d bp)", label, g_host[i], fam, f.veto, f.fail_bp);
      /* the decisions this week must produce, whatever the jitter */
      if (i == SITE_A)
        CHECK_MSG(!f.veto && f.level == GW_LEVEL_WARN, "A IPv%d: warn, no veto (%d bp)", fam, f.fail_bp);
      if (i == SITE_B || i == SITE_E)
        CHECK_MSG(f.veto, "%s IPv%d: veto (%d bp)", g_host[i], fam, f.fail_bp);
      if (i == SITE_C || i == SITE_D)
        CHECK_MSG(f.fail == 0 && f.level == GW_LEVEL_NONE, "%s IPv%d: no failure", g_host[i], fam);
      if (i == SITE_A || i == SITE_B) {
        CHECK_INT(f.n_outages, 1);
        if (f.n_outages == 1) {
          struct window w = i == SITE_A ? down_a() : down_b();
          CHECK(f.outages[0].start >= w.from && f.outages[0].start < w.from + 3600);
          CHECK(f.outages[0].end >= w.to && f.outages[0].end < w.to + 3600 * 2);
          CHECK_INT(f.outages[0].reason, GW_AR_HTTP_5XX);
        }
      }
      gw_avail_figures_clear(&f);
    }
  }
}

static void test_week(void)
{
  struct env e;
  env_open(&e, "week");
  struct gw_monitor_opts o;
  env_opts(&e, &o, true);
  struct gw_monitor_stats s;
  *g_now = T0;
  CHECK_INT(gw_monitor_run(e.st, &o, &g_clock, T0 + 7 * DAY, &s), GW_OK);
  CHECK_INT(s.slots, N_SITES * 2 * PER_DAY * 7);
  CHECK_INT(s.resumed, 0);
  CHECK_INT(*g_now, T0 + 7 * DAY);
  check_week(&e, "week");

  /* A confirmed failure has two site attempts and one control probe, with
   * the phases measured; a WAF answer is one attempt. */
  struct gw_avail_slot_list l = {0};
  CHECK_INT(gw_store_slot_list(e.st, g_site_id[SITE_A], 4, down_a().from, down_a().to, &l), GW_OK);
  CHECK(l.n > 0);
  if (l.n) {
    struct gw_avail_probe_list pl = {0};
    CHECK_INT(l.v[0].verdict, GW_AV_FAIL);
    CHECK_INT(l.v[0].attempts, 2);
    CHECK_INT(l.v[0].http_status, 503);
    CHECK_INT(gw_store_probe_list(e.st, l.v[0].id, &pl), GW_OK);
    CHECK_INT(pl.n, 3);
    if (pl.n == 3) {
      CHECK_INT(pl.v[0].role, GW_PROBE_SITE);
      CHECK_INT(pl.v[1].role, GW_PROBE_SITE);
      CHECK_INT(pl.v[2].role, GW_PROBE_CONTROL);
      CHECK_STR(pl.v[2].url, "http://control.test/");
      CHECK_STR(pl.v[0].ip, "127.0.0.1");
      CHECK(pl.v[0].total_us > 0 && pl.v[0].total_us >= pl.v[0].connect_us);
      CHECK(pl.v[0].ttfb_us > 0);
    }
    gw_avail_probe_list_free(&pl);
  }
  gw_avail_slot_list_free(&l);
  CHECK_INT(gw_store_slot_list(e.st, g_site_id[SITE_D], 6, T0, T0 + DAY, &l), GW_OK);
  CHECK_INT(l.n, PER_DAY);
  if (l.n) {
    struct gw_avail_probe_list pl = {0};
    CHECK_INT(gw_store_probe_list(e.st, l.v[0].id, &pl), GW_OK);
    CHECK_INT(pl.n, 1);
    if (pl.n)
      CHECK_STR(pl.v[0].ip, "::1");
    gw_avail_probe_list_free(&pl);
  }
  gw_avail_slot_list_free(&l);
  CHECK_INT(gw_store_slot_list(e.st, g_site_id[SITE_E], 4, T0, T0 + DAY, &l), GW_OK);
  if (l.n) {
    CHECK_INT(l.v[0].reason, GW_AR_DNS);
    CHECK_CONTAINS(l.v[0].detail, "not mapped");
  }
  gw_avail_slot_list_free(&l);

  /* A second run over the same week does nothing: every slot is done. */
  *g_now = T0;
  CHECK_INT(gw_monitor_run(e.st, &o, &g_clock, T0 + 7 * DAY, &s), GW_OK);
  CHECK_INT(s.slots, 0);
  CHECK_INT(s.requests, 0);
  /* and a done slot refuses to run again */
  CHECK_INT(gw_store_slot_list(e.st, g_site_id[SITE_D], 4, T0, T0 + DAY, &l), GW_OK);
  if (l.n)
    CHECK_INT(gw_monitor_probe_slot(e.st, &o, &g_clock, g_site_id[SITE_D], "http://www.d.gov.cn/", 4, l.v[0].slot_at,
                                    NULL, NULL),
              GW_EEXIST);
  gw_avail_slot_list_free(&l);
  env_close(&e);
}

/* Without a control URL, the loss of our own network shows as every site
 * failing at once: those failures are reclassified as unknown. */
static void test_week_no_control(void)
{
  struct env e;
  env_open(&e, "nocontrol");
  /* E would keep failing through the outage for its own reason; this week
   * it is closed, so only A-D are probed. */
  struct gw_site s = {0};
  CHECK_INT(gw_store_site_get(e.st, g_site_id[SITE_E], &s), GW_OK);
  s.status = GW_SITE_CLOSED;
  CHECK_INT(gw_store_site_update(e.st, &s), GW_OK);
  gw_site_clear(&s);
  struct gw_monitor_opts o;
  env_opts(&e, &o, false);
  o.net_window_s = 3 * 3600;
  o.net_min_sites = 3;
  struct gw_monitor_stats st;
  *g_now = T0;
  CHECK_INT(gw_monitor_run(e.st, &o, &g_clock, T0 + 7 * DAY, &st), GW_OK);
  CHECK_INT(st.slots, 4 * 2 * PER_DAY * 7);
  CHECK(st.reclassified > 0);
  struct gw_avail_thresholds t;
  gw_avail_thresholds_default(&t);
  for (int i = 0; i < SITE_E; i++) {
    for (int fam = 4; fam <= 6; fam += 2) {
      struct expect x = expected(i, fam, true);
      struct gw_avail_figures f;
      CHECK_INT(gw_avail_period(e.st, g_site_id[i], fam, T0, T0 + 7 * DAY, &t, &f), GW_OK);
      CHECK_MSG(f.fail == x.fail && f.own_net == x.own && f.waf == x.waf,
                "no control: %s IPv%d: fail %lld own %lld waf %lld, expected %d %d %d", g_host[i], fam,
                (long long)f.fail, (long long)f.own_net, (long long)f.waf, x.fail, x.own, x.waf);
      gw_avail_figures_clear(&f);
    }
  }
  env_close(&e);
}

/* ---- SIGKILL in the middle of the week ---- */

struct kill_at {
  int64_t after;
  int64_t seen;
};

static void kill_hook(void *ctx, const struct gw_avail_slot *s)
{
  (void)s;
  struct kill_at *k = ctx;
  if (++k->seen == k->after)
    raise(SIGKILL);
}

static void test_kill_restart(void)
{
  struct env e;
  env_open(&e, "kill");
  struct gw_monitor_opts o;
  env_opts(&e, &o, true);
  /* Close the store before forking: the child opens its own connection. */
  gw_store_close(&e.st);
  *g_now = T0;
  /* Killed in the middle of day 3, after the slot is begun and before its probe. */
  int64_t killed_after = (int64_t)N_SITES * 2 * PER_DAY * 2 + 77;
  pid_t pid = fork();
  if (pid == 0) {
    struct gw_store *st = NULL;
    struct kill_at k = {killed_after, 0};
    o.on_slot_begun = kill_hook;
    o.hook_ctx = &k;
    if (gw_store_open(&st, e.db, 0) != GW_OK)
      _exit(3);
    fast(st);
    gw_monitor_run(st, &o, &g_clock, T0 + 7 * DAY, NULL);
    _exit(4); /* not reached: the hook kills the process */
  }
  int status = 0;
  CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
  CHECK_MSG(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "the child died of SIGKILL (status %d)", status);
  CHECK_INT(gw_store_open(&e.st, e.db, 0), GW_OK);
  fast(e.st);
  struct gw_avail_slot_list l = {0};
  CHECK_INT(gw_store_slot_list(e.st, 0, 0, T0, T0 + 7 * DAY, &l), GW_OK);
  CHECK_INT(l.n, killed_after);
  int running = 0;
  int64_t killed_slot = 0, killed_at = 0;
  for (size_t i = 0; i < l.n; i++)
    if (l.v[i].state == GW_SLOT_RUNNING) {
      running++;
      killed_slot = l.v[i].id;
      killed_at = l.v[i].slot_at;
    }
  CHECK_INT(running, 1);
  gw_avail_slot_list_free(&l);
  /* Restart a little later (the service manager's restart delay). */
  *g_now = killed_at + 5;
  o.catchup_s = DAY;
  struct gw_monitor_stats s;
  CHECK_INT(gw_monitor_run(e.st, &o, &g_clock, T0 + 7 * DAY, &s), GW_OK);
  CHECK_INT(s.resumed, 1);
  CHECK_INT(s.slots, (int64_t)N_SITES * 2 * PER_DAY * 7 - killed_after + 1);
  /* every slot exactly once, the killed one run twice, all done */
  CHECK_INT(gw_store_slot_list(e.st, 0, 0, T0, T0 + 7 * DAY, &l), GW_OK);
  CHECK_INT(l.n, N_SITES * 2 * PER_DAY * 7);
  int runs2 = 0, not_done = 0;
  for (size_t i = 0; i < l.n; i++) {
    not_done += l.v[i].state != GW_SLOT_DONE;
    if (l.v[i].runs != 1) {
      runs2++;
      CHECK_INT(l.v[i].id, killed_slot);
      CHECK_INT(l.v[i].runs, 2);
    }
  }
  CHECK_INT(runs2, 1);
  CHECK_INT(not_done, 0);
  gw_avail_slot_list_free(&l);
  /* the figures are those of an uninterrupted week */
  check_week(&e, "after kill");
  env_close(&e);
}

/* ---- errors ---- */

static void test_errors(void)
{
  struct env e;
  env_open(&e, "errors");
  struct gw_avail_slot s;
  CHECK_INT(gw_store_slot_begin(e.st, g_site_id[SITE_A], 5, T0, T0, &s), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "family 5");
  CHECK_INT(gw_store_slot_begin(e.st, 9999, 4, T0, T0, &s), GW_ENOTFOUND);
  CHECK_CONTAINS(gw_err_msg(), "site 9999 does not exist");
  CHECK_INT(gw_store_slot_begin(e.st, g_site_id[SITE_A], 4, T0, T0, &s), GW_OK);
  s.verdict = GW_AV_NONE;
  CHECK_INT(gw_store_slot_finish(e.st, &s), GW_EINVAL);
  s.verdict = GW_AV_OK;
  s.finished_at = T0 + 1;
  CHECK_INT(gw_store_slot_finish(e.st, &s), GW_OK);
  CHECK_INT(gw_store_slot_finish(e.st, &s), GW_EEXIST);
  CHECK_INT(gw_store_slot_begin(e.st, g_site_id[SITE_A], 4, T0, T0, &s), GW_EEXIST);
  CHECK_CONTAINS(gw_err_msg(), "done already");
  gw_avail_slot_clear(&s);
  CHECK_INT(gw_store_slot_reclassify(e.st, 12345, GW_AV_UNKNOWN, GW_AR_OWN_NET), GW_ENOTFOUND);
  struct gw_avail_probe p = {0};
  p.slot_id = 1;
  p.family = 4;
  p.role = GW_PROBE_SITE;
  CHECK_INT(gw_store_probe_insert(e.st, &p), GW_EINVAL);
  struct gw_monitor_opts o;
  env_opts(&e, &o, false);
  o.slots_per_day = 0;
  CHECK_INT(gw_monitor_run(e.st, &o, &g_clock, T0 + DAY, NULL), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "monitor.probes_per_day");
  struct gw_monitor_probe_result r;
  struct gw_monitor_probe_opts po;
  gw_monitor_probe_opts_default(&po);
  CHECK_INT(gw_monitor_http_probe(&po, "http://x/", 5, &r), GW_EINVAL);
  CHECK_INT(gw_monitor_http_probe(&po, "not a url", 4, &r), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "not a url");
  env_close(&e);
}

/* A homepage still loading after the time limit fails as a timeout; a
 * refused connection as refused. */
static void test_timeout(void)
{
  struct gw_fixsrv *srv = NULL;
  struct gw_fixsrv_opts fo;
  gw_fixsrv_opts_default(&fo);
  fo.handler = handler;
  fo.fault = GW_FAULT_SLOW;
  fo.slow_ms = 1500;
  CHECK_INT(gw_fixsrv_start(&srv, &fo), GW_OK);
  char rule[128], url[128];
  snprintf(rule, sizeof rule, "www.slow.gov.cn:80:127.0.0.1:%u", gw_fixsrv_port(srv));
  const char *rules[1] = {rule};
  struct gw_monitor_probe_opts po;
  gw_monitor_probe_opts_default(&po);
  po.timeout_ms = 300;
  po.connect_to = rules;
  po.n_connect_to = 1;
  struct gw_monitor_probe_result r;
  enum gw_avail_reason why;
  CHECK_INT(gw_monitor_http_probe(&po, "http://www.slow.gov.cn/", 4, &r), GW_OK);
  CHECK_INT(r.error, GW_FE_TIMEOUT);
  CHECK_INT(gw_monitor_classify(&r, &why), GW_AV_FAIL);
  CHECK_INT(why, GW_AR_TIMEOUT);
  uint16_t port = gw_fixsrv_port(srv);
  gw_fixsrv_stop(&srv);
  /* the port is closed now: refused */
  snprintf(url, sizeof url, "http://127.0.0.1:%u/", port);
  CHECK_INT(gw_monitor_http_probe(&po, url, 4, &r), GW_OK);
  CHECK_INT(r.error, GW_FE_CONNECT);
  CHECK_INT(gw_monitor_classify(&r, &why), GW_AV_FAIL);
  CHECK_INT(why, GW_AR_REFUSED);
}

int main(void)
{
  struct gw_civil c = {2025, 3, 3, 0, 0, 0};
  T0 = gw_time_from_civil(&c);
  g_now = mmap(NULL, sizeof *g_now, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (g_now == MAP_FAILED)
    return 2;
  *g_now = T0;
  test_schedule();
  test_classify();
  test_figures();
  test_errors();
  test_timeout();
  test_week();
  test_week_no_control();
  test_kill_restart();
  return gw_test_done();
}
