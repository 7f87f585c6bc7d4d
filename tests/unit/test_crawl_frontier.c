/* The in-memory frontier and per-host politeness (src/fetch/frontier.h),
 * with the time passed in: no clock, no network. */
#include <stdlib.h>
#include <string.h>

#include "fetch/frontier.h"
#include "store/crawl_records.h"
#include "tap.h"

static void test_queues(void)
{
  struct gw_frontier f;
  gw_frontier_init(&f, 2, 250, 1000);
  struct gw_front_url *a = gw_frontier_add(&f, "http://www.qingxi.gov.cn/", 1, GW_URL_PAGE, GW_URL_QUEUED, true, 0);
  struct gw_front_url *b = gw_frontier_add(&f, "http://www.qingxi.gov.cn/a.html", 2, GW_URL_PAGE, GW_URL_QUEUED, true, 1);
  struct gw_front_url *x = gw_frontier_add(&f, "https://www.gov.cn/x", 3, GW_URL_EXTERNAL, GW_URL_QUEUED, false, 1);
  struct gw_front_url *d = gw_frontier_add(&f, "http://www.qingxi.gov.cn/done", 4, GW_URL_PAGE, GW_URL_DONE, true, 1);
  CHECK(a && b && x && d);
  CHECK(gw_frontier_add(&f, "not a url", 5, GW_URL_PAGE, GW_URL_QUEUED, true, 0) == NULL);
  CHECK(a->host == b->host && a->host != x->host);
  CHECK_STR(a->host->name, "www.qingxi.gov.cn");
  CHECK_STR(x->host->hostname, "www.gov.cn");
  CHECK(a->host->internal && !x->host->internal);
  CHECK_INT(f.queued, 3);
  CHECK_INT(a->host->qlen, 2);
  CHECK_INT(f.n_work, 2);
  CHECK(gw_frontier_find(&f, "http://www.qingxi.gov.cn/done") == d);
  CHECK(gw_frontier_find(&f, "http://www.qingxi.gov.cn/other") == NULL);
  /* the key copy is the entry's URL */
  CHECK(strcmp(b->url, "http://www.qingxi.gov.cn/a.html") == 0);

  /* robots.txt goes first */
  struct gw_front_url *r = gw_frontier_add(&f, "http://www.qingxi.gov.cn/robots.txt", 6, GW_URL_ROBOTS, GW_URL_SKIPPED, true, 0);
  gw_frontier_push_front(&f, r);
  CHECK(gw_frontier_pop(&f, a->host) == r);
  CHECK_INT(r->state, GW_FRONT_INFLIGHT);
  CHECK(gw_frontier_pop(&f, a->host) == a);
  CHECK(gw_frontier_pop(&f, a->host) == b);
  CHECK(gw_frontier_pop(&f, a->host) == NULL);
  CHECK_INT(f.queued, 1);
  CHECK(a->host->qhead == NULL && a->host->qtail == NULL);
  /* requeue keeps FIFO order */
  gw_frontier_push(&f, b);
  gw_frontier_push(&f, a);
  CHECK(gw_frontier_pop(&f, a->host) == b);
  CHECK(gw_frontier_pop(&f, a->host) == a);

  /* hosts with no work leave the work list */
  gw_frontier_compact(&f);
  CHECK_INT(f.n_work, 1);
  CHECK(f.work[0] == x->host);
  CHECK(!a->host->listed);
  gw_frontier_mark_work(&f, a->host);
  gw_frontier_mark_work(&f, a->host);
  CHECK_INT(f.n_work, 2);

  /* ports and IPv6 literals make their own hosts */
  struct gw_host *h1 = gw_frontier_host(&f, "h.cn:8080", false);
  struct gw_host *h2 = gw_frontier_host(&f, "h.cn", false);
  struct gw_host *h3 = gw_frontier_host(&f, "[::1]:8080", false);
  CHECK(h1 != h2);
  CHECK_STR(h1->hostname, "h.cn");
  CHECK_STR(h3->hostname, "[::1]");
  CHECK(gw_frontier_host(&f, "h.cn:8080", true) == h1);
  gw_frontier_free(&f);
}

static void test_politeness(void)
{
  struct gw_frontier f;
  gw_frontier_init(&f, 2, 250, 1000);
  struct gw_host *h = gw_frontier_host(&f, "www.qingxi.gov.cn", true);
  CHECK(gw_host_can_start(&f, h, 0));
  gw_host_started(h, 0);
  /* the interval holds the second start back */
  CHECK(!gw_host_can_start(&f, h, 100));
  CHECK(gw_host_can_start(&f, h, 250));
  gw_host_started(h, 250);
  /* two running: the per-host limit */
  CHECK(!gw_host_can_start(&f, h, 10000));
  gw_host_finished(h);
  CHECK(gw_host_can_start(&f, h, 10000));
  CHECK_INT(gw_host_ready_at(h), 500);
  /* Retry-After moves the next start */
  gw_host_delay(h, 1000, 5000);
  CHECK(!gw_host_can_start(&f, h, 5999));
  CHECK(gw_host_can_start(&f, h, 6000));
  gw_host_delay(h, 1000, 10); /* never earlier */
  CHECK_INT(gw_host_ready_at(h), 6000);
  gw_host_finished(h);
  gw_host_finished(h);
  CHECK_INT(h->active, 0);

  /* a crawl-delay raises the interval of that host only */
  h->interval_ms = 2000;
  gw_host_started(h, 7000);
  CHECK_INT(h->next_ms, 9000);
  gw_frontier_free(&f);
}

static void test_bulk_pause(void)
{
  struct gw_frontier f;
  gw_frontier_init(&f, 2, 0, 1000);
  struct gw_host *h = gw_frontier_host(&f, "wjj.qingxi.gov.cn", true);
  /* scattered errors never pause */
  long paused = 0;
  for (int i = 0; i < 100; i++)
    paused += gw_host_note(&f, h, i % 3 == 0, i);
  CHECK_INT(paused, 0);
  CHECK_INT(h->pauses, 0);
  /* errors in bulk do, once half a window has been seen */
  int64_t t = 1000;
  long ms = 0;
  int n = 0;
  while (!ms && n < 100) {
    ms = gw_host_note(&f, h, true, t);
    n++;
  }
  CHECK_INT(ms, 1000);
  CHECK(n <= GW_HOST_WINDOW);
  CHECK_INT(h->pauses, 1);
  CHECK_INT(h->pause_until, t + 1000);
  CHECK(!gw_host_can_start(&f, h, t + 999));
  CHECK(gw_host_can_start(&f, h, t + 1000));
  /* a second pause in a row doubles */
  ms = 0;
  for (int i = 0; i < 100 && !ms; i++)
    ms = gw_host_note(&f, h, true, t + 2000);
  CHECK_INT(ms, 2000);
  CHECK_INT(h->paused_ms, 3000);
  /* recovery resets the doubling */
  for (int i = 0; i < GW_HOST_WINDOW; i++)
    gw_host_note(&f, h, false, t + 5000);
  CHECK_INT(h->pauses_in_row, 0);
  ms = 0;
  for (int i = 0; i < 100 && !ms; i++)
    ms = gw_host_note(&f, h, true, t + 9000);
  CHECK_INT(ms, 1000);
  /* capped at 20 times the base */
  for (int k = 0; k < 20; k++)
    for (int i = 0; i < 100; i++)
      if (gw_host_note(&f, h, true, t))
        break;
  CHECK_INT(h->pause_until - t, 20000);
  gw_frontier_free(&f);
  /* and at GW_HOST_PAUSE_MAX_MS for a long base pause */
  gw_frontier_init(&f, 2, 0, 60000);
  h = gw_frontier_host(&f, "h", true);
  for (int k = 0; k < 20; k++)
    for (int i = 0; i < 100; i++)
      if (gw_host_note(&f, h, true, t))
        break;
  CHECK_INT(h->pause_until - t, GW_HOST_PAUSE_MAX_MS);
  gw_frontier_free(&f);

  /* host_pause_ms 0 turns pausing off */
  gw_frontier_init(&f, 2, 0, 0);
  h = gw_frontier_host(&f, "h", true);
  for (int i = 0; i < 100; i++)
    CHECK_INT(gw_host_note(&f, h, true, i), 0);
  gw_frontier_free(&f);
}

static void test_backoff(void)
{
  /* jitter 0.5 .. 1.5 around base * 2^(attempt-1) */
  CHECK_INT(gw_backoff_ms(1, 1000, 0), 500);
  CHECK_INT(gw_backoff_ms(2, 1000, 0), 1000);
  CHECK_INT(gw_backoff_ms(3, 1000, 0), 2000);
  long hi = gw_backoff_ms(1, 1000, UINT64_MAX);
  CHECK(hi >= 1499 && hi <= 1500);
  CHECK_INT(gw_backoff_ms(0, 1000, 0), 500);
  CHECK_INT(gw_backoff_ms(40, 1000, UINT64_MAX), GW_BACKOFF_MAX_MS);
  CHECK_INT(gw_backoff_ms(1, 1, 0), 1);
  bool spread = false;
  long first = gw_backoff_ms(2, 1000, 0x123456789ABCDEFULL);
  for (uint64_t r = 1; r < 50; r++)
    spread |= gw_backoff_ms(2, 1000, r * 0x9E3779B97F4A7C15ULL) != first;
  CHECK(spread);
}

static void test_retry_after(void)
{
  long s = -1;
  int64_t now = 1743386400; /* 2025-03-31 02:00:00 UTC */
  CHECK(gw_retry_after_parse("1", now, &s));
  CHECK_INT(s, 1);
  CHECK(gw_retry_after_parse("  120 ", now, &s));
  CHECK_INT(s, 120);
  CHECK(gw_retry_after_parse("0", now, &s));
  CHECK_INT(s, 0);
  CHECK(gw_retry_after_parse("999999999999999999999", now, &s));
  CHECK_INT(s, GW_RETRY_AFTER_MAX_S);
  /* HTTP-date, relative to now */
  CHECK(gw_retry_after_parse("Mon, 31 Mar 2025 02:00:30 GMT", now, &s));
  CHECK_INT(s, 30);
  CHECK(gw_retry_after_parse("Mon, 31 Mar 2025 01:00:00 GMT", now, &s));
  CHECK_INT(s, 0); /* in the past: at once */
  CHECK(gw_retry_after_parse("Tue, 01 Apr 2025 02:00:00 GMT", now, &s));
  CHECK_INT(s, GW_RETRY_AFTER_MAX_S);
  s = 77;
  CHECK(!gw_retry_after_parse("soon", now, &s));
  CHECK(!gw_retry_after_parse("", now, &s));
  CHECK(!gw_retry_after_parse(NULL, now, &s));
  CHECK(!gw_retry_after_parse("-5", now, &s));
  CHECK_INT(s, 77);
}

int main(void)
{
  test_queues();
  test_politeness();
  test_bulk_pause();
  test_backoff();
  test_retry_after();
  return gw_test_done();
}
