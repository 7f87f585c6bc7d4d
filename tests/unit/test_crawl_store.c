/* The store's crawler tables (migration 2): crawls, crawl URLs with their
 * state transitions and uniqueness, links (a page a row since migration
 * 11, store/linkpack.h), compressed shared bodies,
 * statistics, and crash safety of batched commits under SIGKILL. */
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/str.h"
#include "store/store.h"
#include "store/linkpack.h"
#include "store/store_impl.h"
#include "tap.h"

static const char *tmp_path(const char *name)
{
  static char bufs[4][600];
  static int next;
  char *b = bufs[next++ % 4];
  snprintf(b, sizeof bufs[0], "%s/%s", gw_test_tmpdir(), name);
  return b;
}

static long long raw_int(struct gw_store *st, const char *sql)
{
  sqlite3 *db = gw_store_sqlite_db(st);
  sqlite3_stmt *q = NULL;
  long long v = -1;
  if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
    v = sqlite3_column_int64(q, 0);
  else
    CHECK_MSG(0, "query '%s': %s", sql, sqlite3_errmsg(db));
  sqlite3_finalize(q);
  return v;
}

/* A unit and a site to hang crawls on; returns the site id. */
static int64_t make_site(struct gw_store *st, const char *host)
{
  struct gw_unit u = {0};
  char name[128], url[200], code[16];
  static int n;
  n++;
  snprintf(name, sizeof name, "单位%d", n);
  u.name = name;
  u.kind = GW_UNIT_DEPARTMENT;
  CHECK_INT(gw_store_unit_insert(st, &u), GW_OK);
  struct gw_site s = {0};
  snprintf(url, sizeof url, "http://%s/", host);
  snprintf(code, sizeof code, "339922%04d", n);
  s.name = name;
  s.url = url;
  s.code = code;
  s.unit_id = u.id;
  s.kind = GW_SITE_DEPARTMENT;
  s.status = GW_SITE_RUNNING;
  CHECK_INT(gw_store_site_insert(st, &s), GW_OK);
  return s.id;
}

static struct gw_crawl new_crawl(int64_t site_id)
{
  struct gw_crawl c = {0};
  c.site_id = site_id;
  c.state = GW_CRAWL_RUNNING;
  c.started_at = 1743400000;
  c.as_of = 1743393600;
  c.runs = 1;
  c.options = (char *)"{\"max_pages\":100}";
  return c;
}

/* Open (creating) the store at path with one site of host and a running
 * crawl of it. */
static struct gw_crawl open_with_crawl(struct gw_store **st, const char *path, const char *host)
{
  CHECK_INT(gw_store_open(st, path, 0), GW_OK);
  struct gw_crawl c = new_crawl(make_site(*st, host));
  CHECK_INT(gw_store_crawl_insert(*st, &c), GW_OK);
  return c;
}

static int64_t add_url(struct gw_store *st, int64_t crawl, const char *url, enum gw_url_kind kind, int64_t from)
{
  struct gw_crawl_url u = {0};
  u.crawl_id = crawl;
  u.url = (char *)url;
  u.kind = kind;
  u.internal = kind != GW_URL_EXTERNAL;
  u.state = GW_URL_QUEUED;
  u.from_id = from;
  u.depth = from ? 1 : 0;
  int rc = gw_store_crawl_url_insert(st, &u);
  CHECK_MSG(rc == GW_OK, "add %s: %s", url, gw_err_msg());
  return u.id;
}

static void test_schema(void)
{
  struct gw_store *st = NULL;
  CHECK_INT(gw_store_open(&st, tmp_path("schema.db"), 0), GW_OK);
  CHECK(gw_store_schema_latest() >= 2);
  CHECK_INT(raw_int(st, "SELECT count(*) FROM schema_migrations WHERE version = 2"), 1);
  CHECK_INT(raw_int(st, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN"
                        " ('crawls', 'crawl_urls', 'page_links', 'bodies')"),
            4);
  /* bulk writing: commits not flushed one by one, and back */
  CHECK_INT(raw_int(st, "PRAGMA synchronous"), 2); /* FULL */
  CHECK_INT(gw_store_bulk(st, true), GW_OK);
  CHECK_INT(raw_int(st, "PRAGMA synchronous"), 1); /* NORMAL */
  CHECK_INT(raw_int(st, "PRAGMA wal_autocheckpoint"), 16384);
  CHECK_INT(gw_store_begin(st), GW_OK);
  CHECK_INT(gw_store_bulk(st, false), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "outside a transaction");
  CHECK_INT(gw_store_rollback(st), GW_OK);
  CHECK_INT(gw_store_bulk(st, false), GW_OK);
  CHECK_INT(raw_int(st, "PRAGMA synchronous"), 2);
  CHECK_INT(raw_int(st, "PRAGMA wal_autocheckpoint"), 1000);
  gw_store_close(&st);
}

static void test_crawls(void)
{
  struct gw_store *st = NULL;
  CHECK_INT(gw_store_open(&st, tmp_path("crawls.db"), 0), GW_OK);
  int64_t site = make_site(st, "www.qingxi.gov.cn");
  struct gw_crawl out = {0};
  CHECK_INT(gw_store_crawl_last(st, site, false, &out), GW_ENOTFOUND);
  CHECK_CONTAINS(gw_err_msg(), "has no crawl");

  struct gw_crawl c = new_crawl(site);
  CHECK_INT(gw_store_crawl_insert(st, &c), GW_OK);
  CHECK(c.id > 0);
  CHECK_INT(gw_store_crawl_insert(st, &c), GW_EINVAL); /* already has an id */

  CHECK_INT(gw_store_crawl_get(st, c.id, &out), GW_OK);
  CHECK_INT(out.site_id, site);
  CHECK_INT(out.state, GW_CRAWL_RUNNING);
  CHECK_INT(out.finished_at, 0);
  CHECK_INT(out.prev_id, 0);
  CHECK_INT(out.runs, 1);
  CHECK_STR(out.options, "{\"max_pages\":100}");
  CHECK(out.robots == NULL && out.summary == NULL);
  gw_crawl_clear(&out);

  c.state = GW_CRAWL_DONE;
  c.finished_at = 1743401000;
  c.runs = 2;
  c.robots = (char *)"{\"www.qingxi.gov.cn\":{\"status\":200}}";
  c.summary = (char *)"{\"pages\":3}";
  CHECK_INT(gw_store_crawl_update(st, &c), GW_OK);
  struct gw_crawl c2 = new_crawl(site);
  c2.prev_id = c.id;
  CHECK_INT(gw_store_crawl_insert(st, &c2), GW_OK);

  CHECK_INT(gw_store_crawl_last(st, site, false, &out), GW_OK);
  CHECK_INT(out.id, c2.id);
  CHECK_INT(out.prev_id, c.id);
  gw_crawl_clear(&out);
  CHECK_INT(gw_store_crawl_last(st, site, true, &out), GW_OK);
  CHECK_INT(out.id, c.id);
  CHECK_INT(out.state, GW_CRAWL_DONE);
  CHECK_INT(out.finished_at, 1743401000);
  CHECK_INT(out.runs, 2);
  CHECK_STR(out.summary, "{\"pages\":3}");
  gw_crawl_clear(&out);

  int64_t other = make_site(st, "jyj.qingxi.gov.cn");
  struct gw_crawl c3 = new_crawl(other);
  CHECK_INT(gw_store_crawl_insert(st, &c3), GW_OK);
  struct gw_crawl_list l = {0};
  CHECK_INT(gw_store_crawl_list(st, 0, &l), GW_OK);
  CHECK_INT(l.n, 3);
  gw_crawl_list_free(&l);
  CHECK_INT(gw_store_crawl_list(st, site, &l), GW_OK);
  CHECK_INT(l.n, 2);
  if (l.n == 2)
    CHECK(l.v[0].id == c.id && l.v[1].id == c2.id);
  gw_crawl_list_free(&l);

  /* errors */
  struct gw_crawl bad = new_crawl(9999);
  CHECK_INT(gw_store_crawl_insert(st, &bad), GW_ENOTFOUND);
  CHECK_CONTAINS(gw_err_msg(), "no site with id 9999");
  bad = new_crawl(site);
  bad.state = 7;
  CHECK_INT(gw_store_crawl_insert(st, &bad), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "invalid state 7");
  bad = new_crawl(site);
  bad.options = NULL;
  CHECK_INT(gw_store_crawl_insert(st, &bad), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "no options");
  bad = new_crawl(site);
  bad.id = 12345;
  CHECK_INT(gw_store_crawl_update(st, &bad), GW_ENOTFOUND);
  CHECK_INT(gw_store_crawl_get(st, 0, &out), GW_ENOTFOUND);
  CHECK_INT(gw_store_crawl_get(st, 777, &out), GW_ENOTFOUND);
  CHECK_CONTAINS(gw_err_msg(), "no crawl with id 777");
  CHECK_INT(gw_store_crawl_last(st, 0, false, &out), GW_EINVAL);

  /* deleting the site deletes its crawls and their rows */
  int64_t u1 = add_url(st, c3.id, "http://jyj.qingxi.gov.cn/", GW_URL_PAGE, 0);
  int64_t u2 = add_url(st, c3.id, "http://jyj.qingxi.gov.cn/a.html", GW_URL_PAGE, u1);
  struct gw_link_row lr = {u1, 0, u2, (char *)"a", (char *)"A", 0, 3, false, true};
  CHECK_INT(gw_store_link_insert(st, &lr), GW_OK);
  CHECK_INT(gw_store_site_delete(st, other), GW_OK);
  CHECK_INT(gw_store_crawl_get(st, c3.id, &out), GW_ENOTFOUND);
  CHECK_INT(raw_int(st, "SELECT count(*) FROM crawl_urls"), 0);
  CHECK_INT(raw_int(st, "SELECT count(*) FROM page_links"), 0);
  /* and a deleted previous crawl leaves its successor without one */
  CHECK_INT(raw_int(st, "PRAGMA foreign_keys"), 1);
  gw_store_close(&st);

  /* read-only stores refuse writes */
  CHECK_INT(gw_store_open(&st, tmp_path("crawls.db"), GW_STORE_READONLY), GW_OK);
  struct gw_crawl ro = new_crawl(site);
  CHECK_INT(gw_store_crawl_insert(st, &ro), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "read-only");
  int64_t id = 0;
  CHECK_INT(gw_store_body_put(st, "x", 1, &id), GW_EINVAL);
  gw_store_close(&st);
}

struct walk {
  int n;
  int stop_at;
  int64_t ids[16];
  char urls[16][128];
};

static int walk_url(void *ctx, const struct gw_crawl_url *u)
{
  struct walk *w = ctx;
  if (w->n < 16) {
    w->ids[w->n] = u->id;
    gw_strlcpy(w->urls[w->n], u->url, sizeof w->urls[0]);
  }
  w->n++;
  return w->stop_at && w->n == w->stop_at ? 42 : 0;
}

static void test_urls(void)
{
  struct gw_store *st = NULL;
  CHECK_INT(gw_store_open(&st, tmp_path("urls.db"), 0), GW_OK);
  int64_t site = make_site(st, "www.qingxi.gov.cn");
  struct gw_crawl c = new_crawl(site), c2 = new_crawl(site);
  CHECK_INT(gw_store_crawl_insert(st, &c), GW_OK);
  CHECK_INT(gw_store_crawl_insert(st, &c2), GW_OK);

  int64_t home = add_url(st, c.id, "http://www.qingxi.gov.cn/", GW_URL_PAGE, 0);
  int64_t robots = add_url(st, c.id, "http://www.qingxi.gov.cn/robots.txt", GW_URL_ROBOTS, 0);
  int64_t ext = add_url(st, c.id, "http://www.gov.cn/", GW_URL_EXTERNAL, home);
  CHECK(home > 0 && robots > home && ext > robots);

  /* (crawl, url) is unique; another crawl may hold the same URL */
  struct gw_crawl_url dup = {0};
  dup.crawl_id = c.id;
  dup.url = (char *)"http://www.qingxi.gov.cn/";
  dup.kind = GW_URL_PAGE;
  dup.state = GW_URL_QUEUED;
  CHECK_INT(gw_store_crawl_url_insert(st, &dup), GW_EEXIST);
  CHECK_CONTAINS(gw_err_msg(), "already has URL 'http://www.qingxi.gov.cn/'");
  CHECK_INT(dup.id, 0);
  CHECK(add_url(st, c2.id, "http://www.qingxi.gov.cn/", GW_URL_PAGE, 0) > 0);

  /* a skipped URL carries its reason; the reason must fit the state */
  struct gw_crawl_url sk = {0};
  sk.crawl_id = c.id;
  sk.url = (char *)"http://www.qingxi.gov.cn/calendar/?month=2024-02";
  sk.kind = GW_URL_PAGE;
  sk.internal = true;
  sk.state = GW_URL_SKIPPED;
  sk.skip = GW_SKIP_NONE;
  CHECK_INT(gw_store_crawl_url_insert(st, &sk), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "does not fit state skipped");
  sk.skip = GW_SKIP_TRAP;
  sk.skip_detail = (char *)"calendar: more than 12 date steps in a row";
  sk.depth = 14;
  sk.from_id = home;
  CHECK_INT(gw_store_crawl_url_insert(st, &sk), GW_OK);
  struct gw_crawl_url bad = {0};
  bad.crawl_id = c.id;
  bad.url = (char *)"http://x/";
  bad.kind = 9;
  bad.state = GW_URL_QUEUED;
  CHECK_INT(gw_store_crawl_url_insert(st, &bad), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "invalid kind 9");
  bad.kind = GW_URL_PAGE;
  bad.crawl_id = 4242;
  CHECK_INT(gw_store_crawl_url_insert(st, &bad), GW_ENOTFOUND);
  CHECK_CONTAINS(gw_err_msg(), "no crawl with id 4242");
  bad.crawl_id = c.id;
  bad.url = (char *)"";
  CHECK_INT(gw_store_crawl_url_insert(st, &bad), GW_EINVAL);

  /* a result: queued -> done, every field round-trips */
  struct gw_crawl_url r = {0};
  r.id = home;
  r.crawl_id = c.id;
  r.url = (char *)"http://www.qingxi.gov.cn/";
  r.kind = GW_URL_PAGE;
  r.internal = true;
  r.state = GW_URL_DONE;
  r.attempts = 2;
  r.method = (char *)"GET";
  r.http_status = 200;
  r.redirects = 1;
  r.redirect_chain = (char *)"[{\"url\":\"http://www.qingxi.gov.cn/\",\"status\":301,\"location\":\"/index.html\"}]";
  r.final_url = (char *)"http://www.qingxi.gov.cn/index.html";
  r.content_type = (char *)"text/html; charset=UTF-8";
  r.charset = (char *)"UTF-8";
  r.charset_source = (char *)"header";
  r.body_bytes = 12345;
  r.body_truncated = true;
  r.parsed = true;
  r.title = (char *)"青溪县人民政府";
  r.links = 88;
  r.fetched_at = 1743400100;
  r.etag = (char *)"\"5f3e-1a2b\"";
  r.last_modified = (char *)"Mon, 31 Mar 2025 02:00:00 GMT";
  r.elapsed_ms = 17;
  r.ip = (char *)"127.0.0.1";
  r.ip_family = 4;
  r.attempt_log = (char *)"[{\"method\":\"GET\",\"status\":503},{\"method\":\"GET\",\"status\":200}]";
  CHECK_INT(gw_store_body_put(st, "<html>", 6, &r.body_id), GW_OK);
  CHECK_INT(gw_store_crawl_url_result(st, &r), GW_OK);
  struct gw_crawl_url got = {0};
  CHECK_INT(gw_store_crawl_url_get(st, home, &got), GW_OK);
  CHECK_INT(got.state, GW_URL_DONE);
  CHECK_INT(got.attempts, 2);
  CHECK_STR(got.method, "GET");
  CHECK_INT(got.http_status, 200);
  CHECK_INT(got.error, GW_FE_NONE);
  CHECK_INT(got.redirects, 1);
  CHECK_STR(got.redirect_chain, r.redirect_chain);
  CHECK_STR(got.final_url, r.final_url);
  CHECK_STR(got.content_type, r.content_type);
  CHECK_STR(got.charset, "UTF-8");
  CHECK_STR(got.charset_source, "header");
  CHECK_INT(got.body_id, r.body_id);
  CHECK_INT(got.body_bytes, 12345);
  CHECK(got.body_truncated && got.parsed);
  CHECK_STR(got.title, "青溪县人民政府");
  CHECK_INT(got.links, 88);
  CHECK_INT(got.fetched_at, 1743400100);
  CHECK_STR(got.etag, "\"5f3e-1a2b\"");
  CHECK_STR(got.last_modified, r.last_modified);
  CHECK_INT(got.elapsed_ms, 17);
  CHECK_STR(got.ip, "127.0.0.1");
  CHECK_INT(got.ip_family, 4);
  CHECK_INT(got.reused_id, 0);
  CHECK_STR(got.attempt_log, r.attempt_log);
  CHECK_INT(got.depth, 0);
  CHECK_INT(got.from_id, 0);
  gw_crawl_url_clear(&got);

  /* a failure, found by URL */
  struct gw_crawl_url f = {0};
  f.id = ext;
  f.crawl_id = c.id;
  f.url = (char *)"http://www.gov.cn/";
  f.kind = GW_URL_EXTERNAL;
  f.state = GW_URL_FAILED;
  f.attempts = 3;
  f.method = (char *)"HEAD";
  f.error = GW_FE_TIMEOUT;
  f.error_text = (char *)"Operation timed out after 15000 milliseconds";
  CHECK_INT(gw_store_crawl_url_result(st, &f), GW_OK);
  CHECK_INT(gw_store_crawl_url_find(st, c.id, "http://www.gov.cn/", &got), GW_OK);
  CHECK_INT(got.state, GW_URL_FAILED);
  CHECK_INT(got.error, GW_FE_TIMEOUT);
  CHECK(!got.internal);
  CHECK_INT(got.from_id, home);
  CHECK_INT(got.depth, 1);
  CHECK_INT(got.http_status, 0);
  gw_crawl_url_clear(&got);
  CHECK_INT(gw_store_crawl_url_find(st, c.id, "http://nowhere/", &got), GW_ENOTFOUND);
  CHECK_CONTAINS(gw_err_msg(), "has no URL 'http://nowhere/'");
  CHECK_INT(gw_store_crawl_url_get(st, 99999, &got), GW_ENOTFOUND);

  /* results cannot skip; unknown rows are reported */
  f.state = GW_URL_SKIPPED;
  f.skip = GW_SKIP_CAP;
  CHECK_INT(gw_store_crawl_url_result(st, &f), GW_EINVAL);
  f.state = GW_URL_DONE;
  f.skip = GW_SKIP_NONE;
  f.id = 99999;
  CHECK_INT(gw_store_crawl_url_result(st, &f), GW_ENOTFOUND);
  f.id = ext;
  f.error = 99;
  CHECK_INT(gw_store_crawl_url_result(st, &f), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "invalid error kind 99");

  /* walks: all in admission order, by state, stopping early */
  struct walk w = {0};
  CHECK_INT(gw_store_crawl_url_each(st, c.id, 0, walk_url, &w), GW_OK);
  CHECK_INT(w.n, 4);
  CHECK(w.ids[0] == home && w.ids[1] == robots && w.ids[2] == ext && w.ids[3] == sk.id);
  memset(&w, 0, sizeof w);
  CHECK_INT(gw_store_crawl_url_each(st, c.id, GW_URL_QUEUED, walk_url, &w), GW_OK);
  CHECK_INT(w.n, 1);
  CHECK_STR(w.urls[0], "http://www.qingxi.gov.cn/robots.txt");
  memset(&w, 0, sizeof w);
  CHECK_INT(gw_store_crawl_url_each(st, c.id, GW_URL_SKIPPED, walk_url, &w), GW_OK);
  CHECK_INT(w.n, 1);
  memset(&w, 0, sizeof w);
  w.stop_at = 2;
  CHECK_INT(gw_store_crawl_url_each(st, c.id, 0, walk_url, &w), 42);
  CHECK_INT(w.n, 2);
  CHECK_INT(gw_store_crawl_url_each(st, c.id, 9, walk_url, &w), GW_EINVAL);
  CHECK_INT(gw_store_crawl_url_each(st, c.id, 0, NULL, &w), GW_EINVAL);

  /* a result may put a row back in the queue (what resume does with
   * in-flight rows would need no write at all: they were never changed) */
  r.state = GW_URL_QUEUED;
  CHECK_INT(gw_store_crawl_url_result(st, &r), GW_OK);
  memset(&w, 0, sizeof w);
  CHECK_INT(gw_store_crawl_url_each(st, c.id, GW_URL_QUEUED, walk_url, &w), GW_OK);
  CHECK_INT(w.n, 2);

  /* a queued row skipped late (robots.txt arrived after it was queued) */
  int64_t late = add_url(st, c.id, "http://www.qingxi.gov.cn/admin/", GW_URL_PAGE, home);
  CHECK_INT(gw_store_crawl_url_skip(st, late, GW_SKIP_ROBOTS, "disallowed by robots.txt"), GW_OK);
  CHECK_INT(gw_store_crawl_url_get(st, late, &got), GW_OK);
  CHECK_INT(got.state, GW_URL_SKIPPED);
  CHECK_INT(got.skip, GW_SKIP_ROBOTS);
  CHECK_STR(got.skip_detail, "disallowed by robots.txt");
  gw_crawl_url_clear(&got);
  CHECK_INT(gw_store_crawl_url_skip(st, late, GW_SKIP_NONE, NULL), GW_EINVAL);
  CHECK_INT(gw_store_crawl_url_skip(st, 99999, GW_SKIP_CAP, NULL), GW_ENOTFOUND);
  CHECK_INT(sqlite3_exec(gw_store_sqlite_db(st), "DELETE FROM crawl_urls WHERE url = 'http://www.qingxi.gov.cn/admin/'",
                         NULL, NULL, NULL),
            SQLITE_OK);

  /* stats */
  r.state = GW_URL_DONE;
  CHECK_INT(gw_store_crawl_url_result(st, &r), GW_OK);
  struct gw_link_row l = {home, 0, ext, (char *)"a", (char *)"中国政府网", 0, 120, true, true};
  CHECK_INT(gw_store_link_insert(st, &l), GW_OK);
  l.seq = 1;
  l.to_id = robots;
  CHECK_INT(gw_store_link_insert(st, &l), GW_OK);
  struct gw_crawl_stats s;
  CHECK_INT(gw_store_crawl_stats(st, c.id, &s), GW_OK);
  CHECK_INT(s.urls, 4);
  CHECK_INT(s.by_state[GW_URL_DONE], 1);
  CHECK_INT(s.by_state[GW_URL_FAILED], 1);
  CHECK_INT(s.by_state[GW_URL_QUEUED], 1);
  CHECK_INT(s.by_state[GW_URL_SKIPPED], 1);
  CHECK_INT(s.by_kind[GW_URL_EXTERNAL], 1);
  CHECK_INT(s.internal, 3);
  CHECK_INT(s.external, 1);
  CHECK_INT(s.fetched, 2);
  CHECK_INT(s.pages_ok, 1);
  CHECK_INT(s.parsed, 1);
  CHECK_INT(s.redirected, 1);
  CHECK_INT(s.body_bytes, 12345);
  CHECK_INT(s.by_error[GW_FE_TIMEOUT], 1);
  CHECK_INT(s.by_error[GW_FE_NONE], 1);
  CHECK_INT(s.by_skip[GW_SKIP_TRAP], 1);
  CHECK_INT(s.links, 2);
  CHECK_INT(s.links_internal, 1);
  CHECK_INT(s.links_external, 1);
  CHECK_INT(gw_store_crawl_stats(st, c2.id, &s), GW_OK);
  CHECK_INT(s.urls, 1);
  CHECK_INT(s.links, 0);
  gw_store_close(&st);
}

struct lwalk {
  int n;
  int64_t from[8], to[8];
  int seq[8];
  char anchor[8][64];
};

static int walk_link(void *ctx, const struct gw_link_row *l)
{
  struct lwalk *w = ctx;
  if (w->n < 8) {
    w->from[w->n] = l->from_id;
    w->to[w->n] = l->to_id;
    w->seq[w->n] = l->seq;
    gw_strlcpy(w->anchor[w->n], l->anchor, sizeof w->anchor[0]);
  }
  w->n++;
  return 0;
}

static void test_links(void)
{
  struct gw_store *st = NULL;
  CHECK_INT(gw_store_open(&st, tmp_path("links.db"), 0), GW_OK);
  int64_t site = make_site(st, "zrzyj.qingxi.gov.cn");
  struct gw_crawl c = new_crawl(site), c2 = new_crawl(site);
  CHECK_INT(gw_store_crawl_insert(st, &c), GW_OK);
  CHECK_INT(gw_store_crawl_insert(st, &c2), GW_OK);
  int64_t home = add_url(st, c.id, "http://zrzyj.qingxi.gov.cn/", GW_URL_PAGE, 0);
  int64_t a = add_url(st, c.id, "http://zrzyj.qingxi.gov.cn/a.html", GW_URL_PAGE, home);
  int64_t spam = add_url(st, c.id, "http://www.xx-bet-casino.com/", GW_URL_EXTERNAL, home);
  int64_t other = add_url(st, c2.id, "http://zrzyj.qingxi.gov.cn/", GW_URL_PAGE, 0);

  struct gw_link_row l = {home, 0, a, (char *)"a", (char *)"工作动态", 0, 40, false, true};
  CHECK_INT(gw_store_link_insert(st, &l), GW_OK);
  /* the same target twice is two occurrences */
  struct gw_link_row l1 = {home, 1, spam, (char *)"a", (char *)"澳门博彩", 1, 300, false, true};
  struct gw_link_row l2 = {home, 2, spam, (char *)"a", (char *)"在线赌场", 1, 301, false, true};
  CHECK_INT(gw_store_link_insert(st, &l1), GW_OK);
  CHECK_INT(gw_store_link_insert(st, &l2), GW_OK);
  struct gw_link_row l3 = {a, 0, home, (char *)"a", (char *)"首页", 0, 5, true, false};
  CHECK_INT(gw_store_link_insert(st, &l3), GW_OK);
  struct gw_link_row l4 = {other, 0, other, (char *)"a", (char *)"", 0, 1, false, true};
  CHECK_INT(gw_store_link_insert(st, &l4), GW_OK);

  /* errors */
  CHECK_INT(gw_store_link_insert(st, &l2), GW_EEXIST);
  CHECK_CONTAINS(gw_err_msg(), "link 2 of crawl URL");
  /* the page must be a crawl URL (its target is the caller's: a URL of
   * the same crawl, from the crawler's frontier) */
  struct gw_link_row bad = {424242, 0, a, (char *)"a", (char *)"", 0, 0, false, false};
  CHECK_INT(gw_store_link_insert(st, &bad), GW_ENOTFOUND);
  CHECK_CONTAINS(gw_err_msg(), "links of crawl URL 424242");
  bad.from_id = home;
  bad.seq = 9;
  bad.to_id = 0;
  CHECK_INT(gw_store_link_insert(st, &bad), GW_EINVAL);
  bad.to_id = a;
  bad.tag = NULL;
  CHECK_INT(gw_store_link_insert(st, &bad), GW_EINVAL);
  bad.tag = (char *)"img";
  bad.seq = -1;
  CHECK_INT(gw_store_link_insert(st, &bad), GW_EINVAL);

  struct lwalk w = {0};
  CHECK_INT(gw_store_link_each(st, 0, home, 0, walk_link, &w), GW_OK);
  CHECK_INT(w.n, 3);
  CHECK(w.seq[0] == 0 && w.seq[1] == 1 && w.seq[2] == 2);
  CHECK_STR(w.anchor[1], "澳门博彩");
  memset(&w, 0, sizeof w);
  CHECK_INT(gw_store_link_each(st, 0, 0, spam, walk_link, &w), GW_OK);
  CHECK_INT(w.n, 2);
  CHECK_STR(w.anchor[0], "澳门博彩");
  CHECK_STR(w.anchor[1], "在线赌场");
  memset(&w, 0, sizeof w);
  CHECK_INT(gw_store_link_each(st, c.id, 0, 0, walk_link, &w), GW_OK);
  CHECK_INT(w.n, 4);
  CHECK(w.from[3] == a && w.to[3] == home);
  /* crawls side by side: URL ids interleave, each crawl's walk keeps to
   * its own rows, in (page, position) order */
  int64_t late = add_url(st, c.id, "http://zrzyj.qingxi.gov.cn/late.html", GW_URL_PAGE, a);
  CHECK(late > other);
  struct gw_link_row l5 = {late, 0, a, (char *)"a", (char *)"上一篇", 0, 9, false, false};
  CHECK_INT(gw_store_link_insert(st, &l5), GW_OK);
  memset(&w, 0, sizeof w);
  CHECK_INT(gw_store_link_each(st, c.id, 0, 0, walk_link, &w), GW_OK);
  CHECK_INT(w.n, 5);
  CHECK(w.from[0] == home && w.seq[0] == 0 && w.from[2] == home && w.seq[2] == 2);
  CHECK(w.from[3] == a && w.from[4] == late && w.to[4] == a);
  CHECK_STR(w.anchor[4], "上一篇");
  memset(&w, 0, sizeof w);
  CHECK_INT(gw_store_link_each(st, c2.id, 0, 0, walk_link, &w), GW_OK);
  CHECK_INT(w.n, 1);
  CHECK(w.from[0] == other);
  CHECK_INT(gw_store_link_each(st, c.id, home, 0, walk_link, &w), GW_EINVAL);
  CHECK_INT(gw_store_link_each(st, 0, 0, 0, walk_link, &w), GW_EINVAL);
  gw_store_close(&st);
}

struct lcount {
  int n;
  bool ordered;      /* seq 0, 1, 2, ... in order */
  bool fields_ok;    /* every row as written by test_links_many */
};

static int count_link(void *ctx, const struct gw_link_row *l)
{
  struct lcount *w = ctx;
  char want[32];
  snprintf(want, sizeof want, "锚文本%d", l->seq);
  if (l->seq != w->n)
    w->ordered = false;
  if (strcmp(l->anchor, want) != 0 || strcmp(l->tag, l->seq % 2 ? "img" : "a") != 0 ||
      l->line != 100 + l->seq || l->hidden != (unsigned)(l->seq % 3) || l->in_footer != (l->seq % 5 == 0) ||
      !l->on_homepage)
    w->fields_ok = false;
  w->n++;
  return 0;
}

/* Batch inserts: statements of 16 rows and of 8, 4, 2, 1 for the rest, each row
 * stored as given, and the errors of the single-row insert. */
static void test_links_many(void)
{
  struct gw_store *st = NULL;
  struct gw_crawl c = open_with_crawl(&st, tmp_path("links-many.db"), "jyj.qingxi.gov.cn");
  int64_t home = add_url(st, c.id, "http://jyj.qingxi.gov.cn/", GW_URL_PAGE, 0);
  int64_t a = add_url(st, c.id, "http://jyj.qingxi.gov.cn/a.html", GW_URL_PAGE, home);
  enum { N = 47 }; /* statements of 16, 16, 8, 4, 2 and 1 rows */
  struct gw_link_row rows[N];
  char anchors[N][32];
  for (int i = 0; i < N; i++) {
    snprintf(anchors[i], sizeof anchors[i], "锚文本%d", i);
    rows[i] = (struct gw_link_row){home, i, i % 2 ? home : a, (char *)(i % 2 ? "img" : "a"), anchors[i],
                                   (unsigned)(i % 3), 100 + i, i % 5 == 0, true};
  }
  CHECK_INT(gw_store_begin(st), GW_OK);
  CHECK_INT(gw_store_link_insert_many(st, rows, 0), GW_OK);
  CHECK_INT(gw_store_link_insert_many(st, rows, N), GW_OK);
  CHECK_INT(gw_store_commit(st), GW_OK);
  struct lcount w = {0, true, true};
  CHECK_INT(gw_store_link_each(st, 0, home, 0, count_link, &w), GW_OK);
  CHECK_INT(w.n, N);
  CHECK(w.ordered);
  CHECK(w.fields_ok);

  /* a row already stored, in a full statement and as a single row */
  CHECK_INT(gw_store_link_insert_many(st, rows, 16), GW_EEXIST);
  CHECK_CONTAINS(gw_err_msg(), "link 0 of crawl URL");
  CHECK_INT(gw_store_link_insert_many(st, rows + 36, 1), GW_EEXIST);
  CHECK_CONTAINS(gw_err_msg(), "link 36 of crawl URL");
  /* a page that is no crawl URL */
  struct gw_link_row more[16];
  for (int i = 0; i < 16; i++)
    more[i] = (struct gw_link_row){424242, i, home, (char *)"a", (char *)"", 0, 1, false, false};
  CHECK_INT(gw_store_link_insert_many(st, more, 16), GW_ENOTFOUND);
  CHECK_CONTAINS(gw_err_msg(), "no crawl URL with that id");
  for (int i = 0; i < 16; i++)
    more[i].from_id = a;
  /* the same position twice in one call */
  more[5].seq = 4;
  CHECK_INT(gw_store_link_insert_many(st, more, 16), GW_EEXIST);
  CHECK_CONTAINS(gw_err_msg(), "link 4 of crawl URL");
  more[5].seq = 5;
  /* rows are checked before any is written */
  more[9].tag = NULL;
  CHECK_INT(gw_store_link_insert_many(st, more, 16), GW_EINVAL);
  more[9].tag = (char *)"a";
  more[3].seq = -1;
  CHECK_INT(gw_store_link_insert_many(st, more, 16), GW_EINVAL);
  more[3].seq = 3;
  CHECK_INT(gw_store_link_insert_many(st, NULL, 2), GW_EINVAL);
  memset(&w, 0, sizeof w);
  w.ordered = w.fields_ok = true;
  CHECK_INT(gw_store_link_each(st, 0, a, 0, count_link, &w), GW_OK);
  CHECK_INT(w.n, 0);
  CHECK_INT(gw_store_link_insert_many(st, more, 16), GW_OK);
  gw_store_close(&st);
}

/* ---- packed link lists (store/linkpack.h) ---- */

struct lkeep {
  int n;
  struct gw_link_row v[8];
  char tag[8][16], anchor[8][64];
};

static int keep_link(void *ctx, const struct gw_link_row *l)
{
  struct lkeep *k = ctx;
  if (k->n < 8) {
    k->v[k->n] = *l;
    gw_strlcpy(k->tag[k->n], l->tag, sizeof k->tag[0]);
    gw_strlcpy(k->anchor[k->n], l->anchor, sizeof k->anchor[0]);
  }
  k->n++;
  return 0;
}

static int stop_link(void *ctx, const struct gw_link_row *l)
{
  (void)l;
  return ++*(int *)ctx == 2 ? 42 : 0;
}

static void test_linkpack(void)
{
  const int64_t from = 5000000000LL;
  struct gw_link_row rows[5] = {
    {from, 0, from + 1, (char *)"a", (char *)"政务公开", 0, 12, false, true},
    {from, 1, 3, (char *)"img", (char *)"", 0x1f, 0, true, true},   /* a target far below the page */
    {from, 7, from + 900000, (char *)"stylesheet", NULL, 0, 2147483647L, false, false},
    {from, 8, from, (char *)"a", (char *)"自己", 0xffffffffu, 1, true, false},
    {from, 2147483647, 1, (char *)"meta", (char *)"刷新", 4, 3, false, true},
  };
  struct gw_buf b = GW_BUF_INIT;
  CHECK_INT(gw_linkpack_encode(&b, rows, 2), GW_OK);
  CHECK_INT(gw_linkpack_encode(&b, rows + 2, 3), GW_OK); /* appends */
  CHECK_INT((unsigned char)b.data[0], GW_LINKPACK_VERSION);
  struct lkeep k = {0};
  CHECK_INT(gw_linkpack_each(b.data, b.len, from, 5, "test", keep_link, &k), GW_OK);
  CHECK_INT(k.n, 5);
  for (int i = 0; i < 5 && i < k.n; i++) {
    CHECK(k.v[i].from_id == from && k.v[i].to_id == rows[i].to_id && k.v[i].seq == rows[i].seq);
    CHECK_STR(k.tag[i], rows[i].tag);
    CHECK_STR(k.anchor[i], rows[i].anchor ? rows[i].anchor : "");
    CHECK(k.v[i].hidden == rows[i].hidden && k.v[i].line == rows[i].line);
    CHECK(k.v[i].in_footer == rows[i].in_footer && k.v[i].on_homepage == rows[i].on_homepage);
  }
  /* the callback's result stops the walk */
  int calls = 0;
  CHECK_INT(gw_linkpack_each(b.data, b.len, from, 5, "test", stop_link, &calls), 42);
  CHECK_INT(calls, 2);
  /* another count, every cut, and bytes out of place are damage */
  k.n = 0;
  CHECK_INT(gw_linkpack_each(b.data, b.len, from, 4, "page_links", keep_link, &k), GW_EDB);
  CHECK_CONTAINS(gw_err_msg(), "5 links stored, 4 recorded");
  for (size_t cut = 0; cut < b.len; cut++) {
    k.n = 0;
    int rc = gw_linkpack_each(b.data, cut, from, 5, "test", keep_link, &k);
    CHECK_MSG(rc == GW_EDB, "a value cut to %zu bytes is damage (%d)", cut, rc);
  }
  char *bad = gw_malloc(b.len);
  memcpy(bad, b.data, b.len);
  bad[0] = 2;
  CHECK_INT(gw_linkpack_each(bad, b.len, from, 5, "test", keep_link, &k), GW_EDB);
  CHECK_CONTAINS(gw_err_msg(), "not a packed link list");
  /* a NUL inside the first anchor ("政务公开" starts at byte 6) */
  memcpy(bad, b.data, b.len);
  bad[7] = '\0';
  CHECK_INT(gw_linkpack_each(bad, b.len, from, 5, "test", keep_link, &k), GW_EDB);
  CHECK_CONTAINS(gw_err_msg(), "damaged at byte 1 (occurrence 1)");
  free(bad);
  /* positions must rise */
  struct gw_buf b2 = GW_BUF_INIT;
  CHECK_INT(gw_linkpack_encode(&b2, rows + 1, 1), GW_OK);
  CHECK_INT(gw_linkpack_encode(&b2, rows, 1), GW_OK);
  CHECK_INT(gw_linkpack_each(b2.data, b2.len, from, 2, "test", keep_link, &k), GW_EDB);
  CHECK_CONTAINS(gw_err_msg(), "occurrence 2");
  gw_buf_free(&b2);
  gw_buf_free(&b);
}

/* A store from before migration 11 (one links row per occurrence) is
 * migrated: each page's rows packed into one page_links row, in seq
 * order, every field kept; the old table gone. */
static void test_links_migration(void)
{
  const char *path = tmp_path("links-migrate.db");
  struct gw_store *st = NULL;
  struct gw_crawl c = open_with_crawl(&st, path, "fgj.qingxi.gov.cn");
  int64_t home = add_url(st, c.id, "http://fgj.qingxi.gov.cn/", GW_URL_PAGE, 0);
  int64_t a = add_url(st, c.id, "http://fgj.qingxi.gov.cn/a.html", GW_URL_PAGE, home);
  int64_t ext = add_url(st, c.id, "http://www.gov.cn/", GW_URL_EXTERNAL, home);
  char sql[2048];
  snprintf(sql, sizeof sql,
           "DROP TABLE page_links;"
           "CREATE TABLE links (from_id INTEGER NOT NULL REFERENCES crawl_urls(id) ON DELETE CASCADE,"
           " seq INTEGER NOT NULL CHECK (seq >= 0), to_id INTEGER NOT NULL REFERENCES crawl_urls(id) ON DELETE CASCADE,"
           " tag TEXT NOT NULL, anchor TEXT NOT NULL, hidden INTEGER NOT NULL DEFAULT 0,"
           " line INTEGER NOT NULL DEFAULT 0, in_footer INTEGER NOT NULL DEFAULT 0,"
           " on_homepage INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (from_id, seq)) STRICT, WITHOUT ROWID;"
           "CREATE INDEX links_to ON links (to_id);"
           "INSERT INTO links VALUES (%lld, 2, %lld, 'img', '标志', 3, 40, 1, 1);"
           "INSERT INTO links VALUES (%lld, 0, %lld, 'a', '首页', 0, 10, 0, 1);"
           "INSERT INTO links VALUES (%lld, 1, %lld, 'a', '中国政府网', 0, 11, 0, 1);"
           "INSERT INTO links VALUES (%lld, 0, %lld, 'a', '', 0, 0, 0, 0);"
           "DELETE FROM schema_migrations WHERE version >= 11; PRAGMA user_version = 10;",
           (long long)home, (long long)a, (long long)home, (long long)home, (long long)home, (long long)ext,
           (long long)a, (long long)home);
  CHECK_INT(sqlite3_exec(gw_store_sqlite_db(st), sql, NULL, NULL, NULL), SQLITE_OK);
  gw_store_close(&st);

  CHECK_INT(gw_store_open(&st, path, 0), GW_OK);
  CHECK_INT(raw_int(st, "SELECT count(*) FROM sqlite_schema WHERE name IN ('links', 'links_to')"), 0);
  CHECK_INT(raw_int(st, "SELECT count(*) FROM page_links"), 2);
  CHECK_INT(raw_int(st, "SELECT sum(n) FROM page_links"), 4);
  struct lkeep k = {0};
  CHECK_INT(gw_store_link_each(st, 0, home, 0, keep_link, &k), GW_OK);
  CHECK_INT(k.n, 3);
  CHECK(k.v[0].seq == 0 && k.v[0].to_id == home && k.v[0].line == 10);
  CHECK_STR(k.anchor[0], "首页");
  CHECK(k.v[1].seq == 1 && k.v[1].to_id == ext);
  CHECK_STR(k.anchor[1], "中国政府网");
  CHECK(k.v[2].seq == 2 && k.v[2].to_id == a && k.v[2].hidden == 3 && k.v[2].in_footer && k.v[2].on_homepage);
  CHECK_STR(k.tag[2], "img");
  struct gw_crawl_stats s;
  CHECK_INT(gw_store_crawl_stats(st, c.id, &s), GW_OK);
  CHECK(s.links == 4 && s.links_internal == 3 && s.links_external == 1);
  /* a migrated page takes more links after its own */
  struct gw_link_row more = {home, 3, ext, (char *)"a", (char *)"国务院", 0, 50, false, true};
  CHECK_INT(gw_store_link_insert(st, &more), GW_OK);
  k.n = 0;
  CHECK_INT(gw_store_link_each(st, 0, 0, ext, keep_link, &k), GW_OK);
  CHECK_INT(k.n, 2);
  CHECK_STR(k.anchor[1], "国务院");
  gw_store_close(&st);
}

static void test_bodies(void)
{
  struct gw_store *st = NULL;
  CHECK_INT(gw_store_open(&st, tmp_path("bodies.db"), 0), GW_OK);
  size_t n = 300000;
  char *big = gw_malloc(n);
  for (size_t i = 0; i < n; i++)
    big[i] = "<p>青溪县人民政府</p>\n"[i % 27];
  int64_t id1 = 0, id2 = 0, id3 = 0, id4 = 0, id5 = 0;
  CHECK_INT(gw_store_body_put(st, big, n, &id1), GW_OK);
  CHECK_INT(gw_store_body_put(st, big, n, &id2), GW_OK);
  CHECK_INT(id1, id2); /* shared */
  big[n / 2] ^= 1;
  CHECK_INT(gw_store_body_put(st, big, n, &id3), GW_OK);
  CHECK(id3 != id1);
  CHECK_INT(gw_store_body_put(st, "", 0, &id4), GW_OK);
  CHECK_INT(gw_store_body_put(st, NULL, 0, &id5), GW_OK);
  CHECK_INT(id4, id5);
  CHECK_INT(raw_int(st, "SELECT count(*) FROM bodies"), 3);
  CHECK(raw_int(st, "SELECT length(zdata) FROM bodies WHERE id = 1") < (long long)n / 10);

  char *data = NULL;
  size_t len = 0;
  CHECK_INT(gw_store_body_get(st, id3, &data, &len), GW_OK);
  CHECK_INT(len, n);
  CHECK(data && memcmp(data, big, n) == 0 && data[n] == '\0');
  free(data);
  CHECK_INT(gw_store_body_get(st, id4, &data, &len), GW_OK);
  CHECK_INT(len, 0);
  CHECK_STR(data, "");
  free(data);
  data = (char *)"untouched";
  CHECK_INT(gw_store_body_get(st, 4711, &data, &len), GW_ENOTFOUND);
  CHECK_CONTAINS(gw_err_msg(), "no stored body with id 4711");
  CHECK_STR(data, "untouched");
  /* damage is reported, not returned */
  char sql[128];
  snprintf(sql, sizeof sql, "UPDATE bodies SET zdata = x'789c0102' WHERE id = %lld", (long long)id1);
  CHECK_INT(sqlite3_exec(gw_store_sqlite_db(st), sql, NULL, NULL, NULL), SQLITE_OK);
  CHECK_INT(gw_store_body_get(st, id1, &data, &len), GW_EDB);
  CHECK_CONTAINS(gw_err_msg(), "is damaged");
  CHECK_STR(data, "untouched");
  /* new bodies are Zstandard frames (codec 1) */
  CHECK_INT(raw_int(st, "SELECT count(*) FROM bodies WHERE codec = 1"), 3);
  /* a zlib body of a store from before migration 10 (codec 0) still reads */
  {
    static const char old[] = "<html><title>旧版正文</title></html>";
    uLongf zl = compressBound(sizeof old - 1);
    Bytef zb[256];
    CHECK_INT(compress2(zb, &zl, (const Bytef *)old, sizeof old - 1, 1), Z_OK);
    sqlite3_stmt *q = NULL;
    CHECK_INT(sqlite3_prepare_v2(gw_store_sqlite_db(st),
                                 "INSERT INTO bodies (id, hash, size, zdata) VALUES (900, 7, ?1, ?2)", -1, &q, NULL),
              SQLITE_OK);
    sqlite3_bind_int64(q, 1, (sqlite3_int64)(sizeof old - 1));
    sqlite3_bind_blob(q, 2, zb, (int)zl, SQLITE_STATIC);
    CHECK_INT(sqlite3_step(q), SQLITE_DONE);
    sqlite3_finalize(q);
    CHECK_INT(raw_int(st, "SELECT codec FROM bodies WHERE id = 900"), 0);
    CHECK_INT(gw_store_body_get(st, 900, &data, &len), GW_OK);
    CHECK_INT(len, sizeof old - 1);
    CHECK_STR(data, old);
    free(data);
    data = (char *)"untouched";
    /* the same bytes stored now are a new Zstandard row, not the zlib one */
    int64_t id7 = 0;
    struct gw_store_body ob;
    CHECK_INT(gw_store_body_prepare(old, sizeof old - 1, &ob), GW_OK);
    CHECK_INT(ob.codec, GW_BODY_ZSTD);
    char upd[96];
    snprintf(upd, sizeof upd, "UPDATE bodies SET hash = %lld WHERE id = 900", (long long)ob.hash);
    CHECK_INT(sqlite3_exec(gw_store_sqlite_db(st), upd, NULL, NULL, NULL), SQLITE_OK);
    CHECK_INT(gw_store_body_put_prepared(st, &ob, &id7), GW_OK);
    CHECK(id7 != 900);
    gw_store_body_clear(&ob);
    /* a Zstandard frame cut short, or one whose size disagrees, is damage */
    snprintf(upd, sizeof upd, "UPDATE bodies SET zdata = substr(zdata, 1, length(zdata) - 3) WHERE id = %lld",
             (long long)id7);
    CHECK_INT(sqlite3_exec(gw_store_sqlite_db(st), upd, NULL, NULL, NULL), SQLITE_OK);
    CHECK_INT(gw_store_body_get(st, id7, &data, &len), GW_EDB);
    CHECK_CONTAINS(gw_err_msg(), "is damaged");
    snprintf(upd, sizeof upd, "UPDATE bodies SET size = size + 1 WHERE id = %lld", (long long)id3);
    CHECK_INT(sqlite3_exec(gw_store_sqlite_db(st), upd, NULL, NULL, NULL), SQLITE_OK);
    CHECK_INT(gw_store_body_get(st, id3, &data, &len), GW_EDB);
    CHECK_CONTAINS(gw_err_msg(), "recorded");
    snprintf(upd, sizeof upd, "UPDATE bodies SET size = size - 1 WHERE id = %lld", (long long)id3);
    CHECK_INT(sqlite3_exec(gw_store_sqlite_db(st), upd, NULL, NULL, NULL), SQLITE_OK);
    CHECK_STR(data, "untouched");
    /* codecs outside the list never land */
    CHECK(sqlite3_exec(gw_store_sqlite_db(st), "UPDATE bodies SET codec = 7 WHERE id = 900", NULL, NULL, NULL) !=
          SQLITE_OK);
  }
  /* prepared elsewhere (a worker thread), stored here: shared the same way */
  struct gw_store_body pb;
  CHECK_INT(gw_store_body_prepare(big, n, &pb), GW_OK);
  CHECK_INT(pb.size, n);
  CHECK(pb.zlen > 0 && pb.zlen < n / 10);
  int64_t id6 = 0;
  CHECK_INT(gw_store_body_put_prepared(st, &pb, &id6), GW_OK);
  CHECK_INT(id6, id3);
  gw_store_body_clear(&pb);
  CHECK(pb.zdata == NULL);
  CHECK_INT(gw_store_body_put_prepared(st, &pb, &id6), GW_EINVAL);
  CHECK_INT(gw_store_body_prepare(NULL, 5, &pb), GW_EINVAL);
  CHECK_INT(gw_store_body_put(st, "x", 1, NULL), GW_EINVAL);
  CHECK_INT(gw_store_body_put(st, NULL, 3, &id5), GW_EINVAL);
  free(big);
  gw_store_close(&st);
}

/* A child writes batches of BATCH URL rows, each page row with its links
 * and a body, one transaction per batch, and reports each commit on a pipe;
 * the parent SIGKILLs it mid-stream. Afterwards every reported batch is
 * there whole, no partial batch is, and the database is intact. */
#define BATCH 50

static void child_writer(const char *path, int64_t crawl_id, int fd)
{
  struct gw_store *st = NULL;
  if (gw_store_open(&st, path, 0) != GW_OK)
    _exit(3);
  for (int b = 0;; b++) {
    if (gw_store_begin(st) != GW_OK)
      _exit(4);
    int64_t prev = 0;
    for (int i = 0; i < BATCH; i++) {
      char url[128];
      snprintf(url, sizeof url, "http://www.qingxi.gov.cn/b%d/p%d.html", b, i);
      struct gw_crawl_url u = {0};
      u.crawl_id = crawl_id;
      u.url = url;
      u.kind = GW_URL_PAGE;
      u.internal = true;
      u.state = GW_URL_QUEUED;
      if (gw_store_crawl_url_insert(st, &u) != GW_OK)
        _exit(5);
      u.state = GW_URL_DONE;
      u.http_status = 200;
      if (gw_store_body_put(st, url, strlen(url), &u.body_id) != GW_OK || gw_store_crawl_url_result(st, &u) != GW_OK)
        _exit(6);
      if (prev) {
        struct gw_link_row l = {u.id, 0, prev, (char *)"a", (char *)"上一篇", 0, 1, false, false};
        if (gw_store_link_insert(st, &l) != GW_OK)
          _exit(7);
      }
      prev = u.id;
    }
    if (gw_store_commit(st) != GW_OK)
      _exit(8);
    if (write(fd, &b, sizeof b) != (ssize_t)sizeof b)
      _exit(9);
  }
}

static void test_crash(void)
{
  const char *path = tmp_path("crash.db");
  struct gw_store *st = NULL;
  struct gw_crawl c = open_with_crawl(&st, path, "www.qingxi.gov.cn");
  gw_store_close(&st);

  for (int round = 0; round < 3; round++) {
    int fds[2];
    CHECK_INT(pipe(fds), 0);
    pid_t pid = fork();
    if (pid == 0) {
      close(fds[0]);
      /* round r starts after the rows of earlier rounds: new URLs */
      child_writer(path, c.id, fds[1]);
      _exit(0);
    }
    close(fds[1]);
    int last = -1, b;
    int want = 3 + round * 2;
    while (last < want && read(fds[0], &b, sizeof b) == (ssize_t)sizeof b)
      last = b;
    CHECK_INT(kill(pid, SIGKILL), 0);
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    /* drain what the child reported before dying */
    while (read(fds[0], &b, sizeof b) == (ssize_t)sizeof b)
      last = b;
    close(fds[0]);

    CHECK_INT(gw_store_open(&st, path, 0), GW_OK);
    long long rows = raw_int(st, "SELECT count(*) FROM crawl_urls");
    CHECK_MSG(rows % BATCH == 0, "round %d: %lld rows, whole batches only", round, rows);
    long long batches = rows / BATCH;
    CHECK_MSG(batches >= last + 1, "round %d: %lld batches kept, %d reported committed", round, batches, last + 1);
    CHECK_INT(raw_int(st, "SELECT coalesce(sum(n), 0) FROM page_links"), batches * (BATCH - 1));
    CHECK_INT(raw_int(st, "SELECT count(*) FROM crawl_urls WHERE state <> 2 OR body_id IS NULL"), 0);
    CHECK_INT(raw_int(st, "SELECT count(*) FROM crawl_urls u LEFT JOIN bodies b ON b.id = u.body_id WHERE b.id IS NULL"),
              0);
    CHECK_INT(raw_int(st, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'"), 0);
    CHECK_INT(raw_int(st, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    /* the next round's child must not collide with committed URLs: delete them */
    CHECK_INT(sqlite3_exec(gw_store_sqlite_db(st), "DELETE FROM crawl_urls", NULL, NULL, NULL), SQLITE_OK);
    gw_store_close(&st);
  }
}

int main(void)
{
  test_schema();
  test_crawls();
  test_urls();
  test_links();
  test_links_many();
  test_linkpack();
  test_links_migration();
  test_bodies();
  test_crash();
  return gw_test_done();
}
