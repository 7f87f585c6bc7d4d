/* The service: the job queue in the store (every transition and error),
 * gw_serve_run in --once mode (probe slots run once, jobs planned and run
 * once, a job left running by a dead process retried, a failing job retried
 * then failed, the inspection entry point), and /metrics scraped over
 * loopback while the service runs. */
#include <curl/curl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/error.h"
#include "serve/serve.h"
#include "store/jobs_store.h"
#include "store/monitor_store.h"
#include "store/store.h"
#include "tap.h"

#define DAY 86400

static char g_db[512];
static int64_t g_site[2];

static void setup(const char *name)
{
  struct gw_store *st = NULL;
  snprintf(g_db, sizeof g_db, "%s/%s.db", gw_test_tmpdir(), name);
  CHECK_INT(gw_store_open(&st, g_db, 0), GW_OK);
  struct gw_unit u = {0};
  u.name = "青溪县人民政府";
  u.kind = GW_UNIT_REGION;
  CHECK_INT(gw_store_unit_insert(st, &u), GW_OK);
  for (int i = 0; i < 2; i++) {
    char url[64], code[16];
    snprintf(url, sizeof url, "http://www.s%d.gov.cn/", i);
    snprintf(code, sizeof code, "339922000%d", i);
    struct gw_site s = {0};
    s.name = i ? "测试网站乙" : "测试网站甲";
    s.url = url;
    s.code = code;
    s.unit_id = u.id;
    s.kind = GW_SITE_DEPARTMENT;
    s.status = GW_SITE_RUNNING;
    CHECK_INT(gw_store_site_insert(st, &s), GW_OK);
    g_site[i] = s.id;
  }
  gw_store_close(&st);
}

/* ---- the job store ---- */

static void test_job_store(void)
{
  setup("jobs");
  struct gw_store *st = NULL;
  CHECK_INT(gw_store_open(&st, g_db, 0), GW_OK);
  bool added = false;
  CHECK_INT(gw_store_job_add(st, GW_JOB_CRAWL, g_site[0], 1000, &added), GW_OK);
  CHECK(added);
  CHECK_INT(gw_store_job_add(st, GW_JOB_CRAWL, g_site[0], 1000, &added), GW_OK);
  CHECK(!added); /* the identity is unique: planning twice adds nothing */
  CHECK_INT(gw_store_job_add(st, GW_JOB_CRAWL, g_site[1], 500, &added), GW_OK);
  CHECK_INT(gw_store_job_add(st, GW_JOB_INSPECTION, 0, 2000, &added), GW_OK);
  CHECK(added);
  CHECK_INT(gw_store_job_add(st, GW_JOB_INSPECTION, g_site[0], 2000, NULL), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "covers every site");
  CHECK_INT(gw_store_job_add(st, GW_JOB_CRAWL, 0, 2000, NULL), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "needs a site id");
  CHECK_INT(gw_store_job_add(st, (enum gw_job_kind)9, 1, 2000, NULL), GW_EINVAL);
  CHECK_INT(gw_store_job_add(st, GW_JOB_CRAWL, 999, 2000, NULL), GW_ENOTFOUND);
  CHECK_CONTAINS(gw_err_msg(), "site 999 does not exist");

  struct gw_job j;
  CHECK_INT(gw_store_job_claim(st, 499, &j), GW_ENOTFOUND); /* nothing due yet */
  CHECK_INT(gw_store_job_claim(st, 1500, &j), GW_OK);      /* the earliest first */
  CHECK_INT(j.site_id, g_site[1]);
  CHECK_INT(j.state, GW_JOB_RUNNING);
  CHECK_INT(j.attempts, 1);
  CHECK_INT(j.started_at, 1500);
  int64_t first = j.id;
  gw_job_clear(&j);
  CHECK_INT(gw_store_job_claim(st, 1500, &j), GW_OK);
  CHECK_INT(j.site_id, g_site[0]);
  int64_t second = j.id;
  gw_job_clear(&j);
  CHECK_INT(gw_store_job_claim(st, 1500, &j), GW_ENOTFOUND); /* the inspection is due at 2000 */

  int64_t by_state[GW_JOB_STATE_COUNT_], due[GW_JOB_KIND_COUNT_];
  CHECK_INT(gw_store_job_counts(st, 2500, by_state, due), GW_OK);
  CHECK_INT(by_state[GW_JOB_RUNNING], 2);
  CHECK_INT(by_state[GW_JOB_PENDING], 1);
  CHECK_INT(due[GW_JOB_INSPECTION], 1);
  CHECK_INT(due[GW_JOB_CRAWL], 0);

  /* done, with the follow-up check job in the same transaction */
  CHECK_INT(gw_store_job_done(st, first, 1600, 42, "crawl 42", GW_JOB_CHECK), GW_OK);
  CHECK_INT(gw_store_job_done(st, first, 1600, 42, NULL, 0), GW_ENOTFOUND);
  CHECK_CONTAINS(gw_err_msg(), "is done, not running");
  CHECK_INT(gw_store_job_done(st, 12345, 1600, 0, NULL, 0), GW_ENOTFOUND);
  CHECK_CONTAINS(gw_err_msg(), "job 12345 does not exist");
  CHECK_INT(gw_store_job_done(st, second, 1600, 0, NULL, GW_JOB_INSPECTION), GW_EINVAL);
  CHECK_INT(gw_store_job_claim(st, 1600, &j), GW_OK);
  CHECK_INT(j.kind, GW_JOB_CHECK);
  CHECK_INT(j.site_id, g_site[1]);
  CHECK_INT(j.due_at, 500); /* the crawl job's due time: one check per daily crawl */
  int64_t check = j.id;
  gw_job_clear(&j);

  /* a failure is retried later, then fails for good at max attempts */
  bool failed = true;
  CHECK_INT(gw_store_job_fail(st, second, 1700, 1800, "HTTP 500", 2, &failed), GW_OK);
  CHECK(!failed);
  CHECK_INT(gw_store_job_claim(st, 1799, &j), GW_ENOTFOUND);
  CHECK_INT(gw_store_job_claim(st, 1800, &j), GW_OK);
  CHECK_INT(j.id, second);
  CHECK_INT(j.attempts, 2);
  CHECK_STR(j.detail, "HTTP 500");
  gw_job_clear(&j);
  CHECK_INT(gw_store_job_fail(st, second, 1900, 2000, "HTTP 500 again", 2, &failed), GW_OK);
  CHECK(failed);
  CHECK_INT(gw_store_job_fail(st, second, 1900, 2000, "x", 2, &failed), GW_ENOTFOUND);

  /* a process dies with the check job running: release puts it back */
  int64_t n = 0;
  CHECK_INT(gw_store_job_release(st, false, &n), GW_OK);
  CHECK_INT(n, 1);
  CHECK_INT(gw_store_job_claim(st, 1900, &j), GW_OK);
  CHECK_INT(j.id, check);
  CHECK_INT(j.attempts, 2);
  gw_job_clear(&j);
  /* a stop on purpose refunds the attempt */
  CHECK_INT(gw_store_job_release(st, true, &n), GW_OK);
  CHECK_INT(n, 1);
  CHECK_INT(gw_store_job_claim(st, 1900, &j), GW_OK);
  CHECK_INT(j.attempts, 2);
  gw_job_clear(&j);

  struct gw_job_list l = {0};
  CHECK_INT(gw_store_job_list(st, 0, 10000, &l), GW_OK);
  CHECK_INT(l.n, 4);
  if (l.n == 4) {
    CHECK_INT(l.v[0].due_at, 500);
    CHECK_INT(l.v[0].kind, GW_JOB_CRAWL);
    CHECK_INT(l.v[0].state, GW_JOB_DONE);
    CHECK_INT(l.v[0].ref_id, 42);
    CHECK_STR(l.v[0].detail, "crawl 42");
    CHECK_INT(l.v[1].kind, GW_JOB_CHECK);
    CHECK_INT(l.v[2].state, GW_JOB_FAILED);
    CHECK_STR(gw_job_state_key(l.v[2].state), "failed");
    CHECK_STR(gw_job_kind_key(l.v[3].kind), "inspection");
  }
  gw_job_list_free(&l);

  /* finding alerts: once per identity */
  CHECK_INT(gw_store_finding_alert_add(st, g_site[0], "0123456789abcdef", "security.defacement", 100, &added), GW_OK);
  CHECK(added);
  CHECK_INT(gw_store_finding_alert_add(st, g_site[0], "0123456789abcdef", "security.defacement", 200, &added), GW_OK);
  CHECK(!added);
  CHECK_INT(gw_store_finding_alert_sent(st, g_site[0], "0123456789abcdef", 1, 0), GW_OK);
  CHECK_INT(gw_store_finding_alert_sent(st, g_site[1], "0123456789abcdef", 1, 0), GW_ENOTFOUND);
  int64_t cnt = 0;
  CHECK_INT(gw_store_finding_alert_count(st, 0, &cnt), GW_OK);
  CHECK_INT(cnt, 1);
  gw_store_close(&st);

  /* read-only stores refuse writes */
  CHECK_INT(gw_store_open(&st, g_db, GW_STORE_READONLY), GW_OK);
  CHECK_INT(gw_store_job_add(st, GW_JOB_CRAWL, g_site[0], 5, NULL), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "read-only");
  gw_store_close(&st);
}

/* ---- the service ---- */

static int g_probes;
static int g_inspections;
static int64_t g_inspect_as_of;
static int g_inspect_rc;
static volatile sig_atomic_t g_stop;

static int fake_probe(void *ctx, const struct gw_monitor_probe_opts *o, const char *url, int family,
                      struct gw_monitor_probe_result *out)
{
  (void)ctx;
  (void)o;
  (void)url;
  (void)family;
  __atomic_add_fetch(&g_probes, 1, __ATOMIC_SEQ_CST);
  memset(out, 0, sizeof *out);
  out->http_status = 200;
  out->bytes = 100;
  return GW_OK;
}

static void fill_ok(struct gw_monitor_probe_result *out)
{
  memset(out, 0, sizeof *out);
  out->http_status = 200;
  out->bytes = 100;
}

static int fake_inspect(void *ctx, struct gw_store *st, int64_t as_of, int64_t *ref)
{
  (void)ctx;
  (void)st;
  g_inspections++;
  g_inspect_as_of = as_of;
  *ref = 7;
  if (g_inspect_rc)
    return gw_err_set(g_inspect_rc, "simulated inspection failure");
  return GW_OK;
}

static void serve_opts(struct gw_serve_opts *o)
{
  gw_serve_opts_default(o);
  o->db = g_db;
  o->monitor.probe_fn = fake_probe;
  o->monitor.slots_per_day = 24;
  o->monitor.catchup_s = 6 * 3600;
  o->crawl = false; /* crawling needs a server: the e2e test does it */
  o->inspection = true;
  o->inspect = fake_inspect;
  o->once = true;
  o->stop = &g_stop;
}

/* Slots of both sites and families in [from, to]. */
static int expected_slots(int64_t from, int64_t to)
{
  int n = 0;
  int64_t t[24];
  for (int s = 0; s < 2; s++)
    for (int fam = 4; fam <= 6; fam += 2)
      for (int64_t day = gw_monitor_day_of(from); day <= gw_monitor_day_of(to); day++) {
        gw_monitor_slots(g_site[s], fam, day, 24, 0, t);
        for (int k = 0; k < 24; k++)
          n += t[k] >= from && t[k] <= to;
      }
  return n;
}

static void test_serve_once(void)
{
  setup("once");
  int64_t q = 0;
  CHECK_INT(gw_time_parse("2025-04-01 03:00", &q), GW_OK); /* a quarter's first day, after 02:00 */
  char env[32];
  snprintf(env, sizeof env, "%lld", (long long)q);
  setenv("GW_NOW", env, 1);
  struct gw_serve_opts o;
  struct gw_serve_report rep;
  serve_opts(&o);

  /* refused options */
  o.inspect = NULL;
  CHECK_INT(gw_serve_run(&o, &rep), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "no inspection entry point");
  o.inspect = fake_inspect;
  o.speed = 0.5;
  CHECK_INT(gw_serve_run(&o, &rep), GW_EINVAL);
  o.speed = 1;
  o.listen = "127.0.0.1:99999";
  CHECK_INT(gw_serve_run(&o, &rep), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "port '99999'");
  o.listen = NULL;
  o.probe_workers = 0;
  CHECK_INT(gw_serve_run(&o, &rep), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "probe workers 0 outside 1..64");
  o.probe_workers = 65;
  CHECK_INT(gw_serve_run(&o, &rep), GW_EINVAL);
  /* three probers: the sites are split between them, every slot still runs once */
  o.probe_workers = 3;

  /* a job left running by a dead process (claimed, never finished) */
  struct gw_store *st = NULL;
  CHECK_INT(gw_store_open(&st, g_db, 0), GW_OK);
  CHECK_INT(gw_store_job_add(st, GW_JOB_INSPECTION, 0, q - 3600, NULL), GW_OK);
  struct gw_job j;
  CHECK_INT(gw_store_job_claim(st, q, &j), GW_OK);
  gw_job_clear(&j);
  gw_store_close(&st);

  g_probes = 0;
  CHECK_INT(gw_serve_run(&o, &rep), GW_OK);
  int want = expected_slots(q - 6 * 3600, q);
  CHECK(want > 0);
  CHECK_INT(rep.probes.slots, want);
  CHECK_INT(rep.probes.ok, want);
  CHECK_INT(g_probes, want);
  CHECK_INT(rep.jobs_released, 1);
  CHECK_INT(rep.jobs_done, 1); /* one inspection: due 02:00 of the quarter's first day */
  CHECK_INT(g_inspections, 1);
  CHECK_INT(g_inspect_as_of, q - 3600);

  /* again at the same moment: nothing is done twice */
  CHECK_INT(gw_serve_run(&o, &rep), GW_OK);
  CHECK_INT(rep.probes.slots, 0);
  CHECK_INT(g_probes, want);
  CHECK_INT(rep.jobs_done, 0);
  CHECK_INT(g_inspections, 1);

  /* two hours later: only the new slots */
  snprintf(env, sizeof env, "%lld", (long long)(q + 7200));
  setenv("GW_NOW", env, 1);
  CHECK_INT(gw_serve_run(&o, &rep), GW_OK);
  CHECK_INT(rep.probes.slots, expected_slots(q + 1, q + 7200));
  CHECK_INT(g_probes, expected_slots(q - 6 * 3600, q + 7200));

  CHECK_INT(gw_store_open(&st, g_db, 0), GW_OK);
  struct gw_avail_slot_list sl = {0};
  CHECK_INT(gw_store_slot_list(st, 0, 0, q - DAY, q + DAY, &sl), GW_OK);
  CHECK_INT(sl.n, expected_slots(q - 6 * 3600, q + 7200));
  for (size_t i = 0; i < sl.n; i++)
    CHECK_MSG(sl.v[i].runs == 1 && sl.v[i].state == GW_SLOT_DONE, "slot %zu run once", i);
  gw_avail_slot_list_free(&sl);
  gw_store_close(&st);
  unsetenv("GW_NOW");
}

static void test_serve_job_retry(void)
{
  setup("retry");
  int64_t q = 0;
  CHECK_INT(gw_time_parse("2025-07-01 02:30", &q), GW_OK);
  char env[32];
  snprintf(env, sizeof env, "%lld", (long long)q);
  setenv("GW_NOW", env, 1);
  struct gw_serve_opts o;
  struct gw_serve_report rep;
  serve_opts(&o);
  o.probes = false;
  o.job_attempts = 2;
  o.retry_s = 600;
  g_inspections = 0;
  g_inspect_rc = GW_ENET;
  CHECK_INT(gw_serve_run(&o, &rep), GW_OK);
  CHECK_INT(g_inspections, 1);
  CHECK_INT(rep.jobs_retried, 1);
  CHECK_INT(rep.probes.slots, 0);
  /* not due again before the retry time */
  snprintf(env, sizeof env, "%lld", (long long)(q + 599));
  setenv("GW_NOW", env, 1);
  CHECK_INT(gw_serve_run(&o, &rep), GW_OK);
  CHECK_INT(g_inspections, 1);
  snprintf(env, sizeof env, "%lld", (long long)(q + 600));
  setenv("GW_NOW", env, 1);
  CHECK_INT(gw_serve_run(&o, &rep), GW_OK);
  CHECK_INT(g_inspections, 2);
  CHECK_INT(rep.jobs_failed, 1);
  struct gw_store *st = NULL;
  struct gw_job_list l = {0};
  CHECK_INT(gw_store_open(&st, g_db, 0), GW_OK);
  CHECK_INT(gw_store_job_list(st, 0, q + DAY, &l), GW_OK);
  CHECK_INT(l.n, 1);
  if (l.n == 1) {
    CHECK_INT(l.v[0].state, GW_JOB_FAILED);
    CHECK_INT(l.v[0].attempts, 2);
    CHECK_CONTAINS(l.v[0].detail, "simulated inspection failure");
  }
  gw_job_list_free(&l);
  gw_store_close(&st);
  g_inspect_rc = GW_OK;
  unsetenv("GW_NOW");
}

/* ---- /metrics over loopback ---- */

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
  gw_buf_append(ud, p, size * n);
  return size * n;
}

static int g_scrapes;
static char *g_scraped;
static char g_ready[512];
static long g_status404;

/* The probe function scrapes /metrics after the 30th probe, while the
 * service runs, then asks it to stop. */
static int scraping_probe(void *ctx, const struct gw_monitor_probe_opts *o, const char *url, int family,
                          struct gw_monitor_probe_result *out)
{
  int n = __atomic_add_fetch(&g_probes, 1, __ATOMIC_SEQ_CST);
  if (n == 30 && !g_scraped) {
    char *port = gw_test_slurp(g_ready, NULL);
    long pn = port ? strtol(port, NULL, 10) : 0;
    char u[128];
    snprintf(u, sizeof u, "http://127.0.0.1:%ld/metrics", pn);
    free(port);
    struct gw_buf b;
    gw_buf_init(&b, 1 << 20);
    CURL *h = curl_easy_init();
    curl_easy_setopt(h, CURLOPT_URL, u);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 10L);
    if (curl_easy_perform(h) == CURLE_OK) {
      g_scrapes++;
      g_scraped = gw_strndup(b.data ? b.data : "", b.len);
    }
    char u2[160];
    snprintf(u2, sizeof u2, "%.*s/nothing", (int)(strlen(u) - 8), u);
    curl_easy_setopt(h, CURLOPT_URL, u2);
    if (curl_easy_perform(h) == CURLE_OK)
      curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &g_status404);
    curl_easy_cleanup(h);
    gw_buf_free(&b);
    g_stop = 1;
  }
  (void)ctx;
  (void)o;
  (void)url;
  (void)family;
  fill_ok(out);
  return GW_OK;
}

static void test_metrics(void)
{
  setup("metrics");
  int64_t q = 0;
  CHECK_INT(gw_time_parse("2025-05-10 12:00", &q), GW_OK);
  char env[32];
  snprintf(env, sizeof env, "%lld", (long long)q);
  setenv("GW_NOW", env, 1);
  struct gw_serve_opts o;
  struct gw_serve_report rep;
  serve_opts(&o);
  o.once = false;
  o.speed = 20000; /* 96 slots a day in all: about 30 slots in 3 real seconds */
  o.inspection = false;
  o.monitor.probe_fn = scraping_probe;
  o.monitor.catchup_s = 0;
  o.listen = "127.0.0.1:0";
  snprintf(g_ready, sizeof g_ready, "%s/ready", gw_test_tmpdir());
  o.ready_file = g_ready;
  g_probes = 0;
  g_stop = 0;
  CHECK(gw_serve_metrics_text() == NULL); /* not running */
  CHECK_INT(gw_serve_run(&o, &rep), GW_OK);
  CHECK_INT(g_scrapes, 1);
  CHECK(rep.metrics_port > 0);
  CHECK_INT(g_status404, 404);
  /* 29 slots finished when the 30th probe scraped */
  CHECK_CONTAINS(g_scraped, "# TYPE govwatch_probe_slots_total counter");
  const char *p4 = g_scraped ? strstr(g_scraped, "govwatch_probe_slots_total{family=\"4\",result=\"ok\"} ") : NULL;
  const char *p6 = g_scraped ? strstr(g_scraped, "govwatch_probe_slots_total{family=\"6\",result=\"ok\"} ") : NULL;
  CHECK(p4 && p6);
  if (p4 && p6) {
    long a = strtol(strchr(p4, '}') + 2, NULL, 10), b = strtol(strchr(p6, '}') + 2, NULL, 10);
    CHECK_INT(a + b, 29);
  }
  CHECK_CONTAINS(g_scraped, "govwatch_probe_requests_total 29\n");
  CHECK_CONTAINS(g_scraped, "govwatch_probe_failures_total 0\n");
  CHECK_CONTAINS(g_scraped, "govwatch_jobs_due{kind=\"crawl\"} 0\n");
  CHECK_CONTAINS(g_scraped, "govwatch_sites_monitored 2\n");
  CHECK_CONTAINS(g_scraped, "govwatch_last_tick_timestamp_seconds{worker=\"probes\"} ");
  CHECK_CONTAINS(g_scraped, "govwatch_alert_deliveries_total{result=\"ok\"} 0\n");
  /* stopped on the flag: the probe in hand (and at most the ones started
   * before the flag was relayed) finished, none left running */
  CHECK(rep.probes.slots >= 30);
  CHECK_INT(rep.probes.slots, g_probes);
  struct gw_store *st = NULL;
  struct gw_avail_slot_list sl = {0};
  CHECK_INT(gw_store_open(&st, g_db, 0), GW_OK);
  CHECK_INT(gw_store_slot_list(st, 0, 0, q - DAY, q + 30 * DAY, &sl), GW_OK);
  CHECK_INT(sl.n, g_probes);
  for (size_t i = 0; i < sl.n; i++)
    CHECK_MSG(sl.v[i].state == GW_SLOT_DONE, "slot %zu done", i);
  gw_avail_slot_list_free(&sl);
  gw_store_close(&st);
  free(g_scraped);
  g_scraped = NULL;
  unsetenv("GW_NOW");
}

int main(void)
{
  curl_global_init(CURL_GLOBAL_DEFAULT);
  test_job_store();
  test_serve_once();
  test_serve_job_retry();
  test_metrics();
  curl_global_cleanup();
  return gw_test_done();
}
