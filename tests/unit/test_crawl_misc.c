/* Crawler behaviour the sample family does not exercise, on a small site of
 * our own (TEST_HOST) served by the same fixture server: robots.txt
 * Disallow (reported, or obeyed with obey_robots) and Crawl-delay, the
 * body cap on a dedicated huge page, depth and page caps, a stop request
 * and its resume, --new, HEAD refused (405) falling back to GET on a tiny
 * server of our own, forced IPv4 / IPv6, and option errors. */
#include <microhttpd.h>
#include <signal.h>
#include <sqlite3.h>

#include "store/store_impl.h"
#include "test_crawl_fixture.h"

#define HOME "http://" TEST_HOST "/"
#define HUGE_BYTES (300 * 1024)

static char *html(const char *title, const char *body)
{
  struct gw_buf b = GW_BUF_INIT;
  gw_buf_printf(&b, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>%s</title></head><body>%s</body></html>",
                title, body);
  return gw_buf_steal(&b);
}

static int serve(int status, const char *ctype, char *body, struct gw_sample_resp *out)
{
  memset(out, 0, sizeof *out);
  out->status = status;
  snprintf(out->content_type, sizeof out->content_type, "%s", ctype);
  out->body = body;
  out->len = body ? strlen(body) : 0;
  return 0;
}

/* The test site. */
static int test_site(const char *path, struct gw_sample_resp *out)
{
  if (strcmp(path, "/robots.txt") == 0)
    return serve(200, "text/plain", gw_strdup("User-agent: *\nDisallow: /private/\nCrawl-delay: 0.05\n"), out);
  if (strcmp(path, "/") == 0)
    return serve(200, "text/html; charset=utf-8",
                 html("测试首页", "<a href=\"/private/a.html\">内部</a> <a href=\"/about.html\">关于</a>"
                                  " <a href=\"/huge.html\">大页面</a> <a href=\"/deep1.html\">深1</a>"
                                  " <img src=\"/logo.png\" alt=\"标志\"> <a href=\"/doc.pdf\">文件</a>"
                                  " <a href=\"http://nohead.example.cn/file.pdf\">外部文件</a>"
                                  " <a href=\"http://nohead.example.cn/gone.pdf\">外部缺失</a>"
                                  " <form action=\"/search\"><input name=q></form>"),
                 out);
  if (strcmp(path, "/private/a.html") == 0)
    return serve(200, "text/html; charset=utf-8", html("内部", "<a href=\"/private/b.html\">b</a>"), out);
  if (strcmp(path, "/private/b.html") == 0 || strcmp(path, "/about.html") == 0 ||
      strcmp(path, "/from-huge.html") == 0)
    return serve(200, "text/html; charset=utf-8", html("页", "<p>正文</p>"), out);
  if (strcmp(path, "/deep1.html") == 0)
    return serve(200, "text/html", html("深1", "<a href=\"/deep2.html\">2</a>"), out);
  if (strcmp(path, "/deep2.html") == 0)
    return serve(200, "text/html", html("深2", "<a href=\"/deep3.html\">3</a>"), out);
  if (strcmp(path, "/deep3.html") == 0)
    return serve(200, "text/html", html("深3", "<p>底</p>"), out);
  if (strcmp(path, "/doc.pdf") == 0)
    return serve(200, "application/pdf", gw_strdup("%PDF-1.4\n%%EOF\n"), out);
  if (strcmp(path, "/huge.html") == 0) {
    /* a link first, then far more than the body cap */
    size_t n = HUGE_BYTES;
    char *b = gw_malloc(n + 1);
    const char *head = "<!DOCTYPE html><html><head><title>超长页面</title></head><body>"
                       "<a href=\"/from-huge.html\">前部链接</a>";
    size_t hl = strlen(head);
    memcpy(b, head, hl);
    static const char unit[] = "<p>很长很长的内容。</p>\n";
    for (size_t i = hl; i < n; i++)
      b[i] = unit[(i - hl) % (sizeof unit - 1)];
    b[n] = '\0';
    return serve(200, "text/html; charset=utf-8", b, out);
  }
  return serve(404, "text/html", html("404", "<p>页面不存在</p>"), out);
}

/* ---- a tiny server that refuses HEAD, for the GET fallback ---- */

static enum MHD_Result nohead(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                              const char *version, const char *upload, size_t *upload_size, void **state)
{
  (void)cls;
  (void)version;
  (void)upload;
  (void)upload_size;
  if (!*state) {
    *state = (void *)1;
    return MHD_YES;
  }
  unsigned status = 200;
  const char *body = "%PDF-1.4\n%%EOF\n";
  if (strcmp(method, "HEAD") == 0 && strcmp(url, "/file.pdf") == 0) {
    status = 405;
    body = "";
  } else if (strcmp(url, "/file.pdf") != 0) {
    status = 404;
    body = "not found";
  }
  struct MHD_Response *r = MHD_create_response_from_buffer(strlen(body), (void *)(uintptr_t)body, MHD_RESPMEM_PERSISTENT);
  MHD_add_response_header(r, "Content-Type", status == 200 ? "application/pdf" : "text/plain");
  enum MHD_Result ret = MHD_queue_response(c, status, r);
  MHD_destroy_response(r);
  return ret;
}

struct env {
  struct world w;
  struct MHD_Daemon *nohead;
  struct gw_site site;
};

static void env_open(struct env *e, const char *db)
{
  world_open(&e->w, NULL, db, test_site);
  e->nohead = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL, nohead, NULL,
                               MHD_OPTION_END);
  CHECK(e->nohead != NULL);
  const union MHD_DaemonInfo *di = e->nohead ? MHD_get_daemon_info(e->nohead, MHD_DAEMON_INFO_BIND_PORT) : NULL;
  char rule[200];
  snprintf(rule, sizeof rule, "nohead.example.cn:80:127.0.0.1:%u", di ? (unsigned)di->port : 1u);
  gw_strv_push(&e->w.connect_to, rule);
  struct gw_unit u = {0};
  u.name = (char *)"测试单位";
  u.kind = GW_UNIT_DEPARTMENT;
  CHECK_INT(gw_store_unit_insert(e->w.st, &u), GW_OK);
  struct gw_site s = {0};
  s.name = (char *)"测试网站";
  s.url = (char *)HOME;
  s.code = (char *)"3399229999";
  s.unit_id = u.id;
  s.kind = GW_SITE_DEPARTMENT;
  s.status = GW_SITE_RUNNING;
  CHECK_INT(gw_store_site_insert(e->w.st, &s), GW_OK);
  world_site(&e->w, HOME, &e->site);
}

static void env_close(struct env *e)
{
  if (e->nohead)
    MHD_stop_daemon(e->nohead);
  gw_site_clear(&e->site);
  world_close(&e->w);
}

static struct gw_crawl_url row_of(struct env *e, int64_t crawl, const char *url)
{
  struct gw_crawl_url r = {0};
  int rc = gw_store_crawl_url_find(e->w.st, crawl, url, &r);
  CHECK_MSG(rc == GW_OK, "row %s: %s", url, rc ? gw_err_msg() : "");
  return r;
}

static void test_site_crawl(void)
{
  struct env e;
  env_open(&e, "misc.db");
  struct gw_crawl_opts o;
  world_opts(&e.w, &o);
  o.max_body = 64 * 1024;
  struct gw_crawl_report rep = {0};
  CHECK_INT(gw_crawl_site(e.w.st, &e.site, &o, &rep), GW_OK);
  CHECK_INT(rep.state, GW_CRAWL_DONE);

  /* robots.txt read first, reported, Crawl-delay applied; Disallow not obeyed */
  struct gw_crawl_url r = row_of(&e, rep.crawl_id, HOME "robots.txt");
  CHECK_INT(r.kind, GW_URL_ROBOTS);
  CHECK_INT(r.http_status, 200);
  CHECK(r.body_id > 0);
  struct gw_crawl_url home = row_of(&e, rep.crawl_id, HOME);
  CHECK(r.id > home.id && r.fetched_at <= home.fetched_at);
  gw_crawl_url_clear(&r);
  json_t *sum = json_loads(rep.summary, 0, NULL);
  json_t *rb = json_object_get(json_object_get(sum, "robots"), TEST_HOST);
  CHECK(rb != NULL);
  CHECK_INT(json_integer_value(json_object_get(rb, "rules")), 1);
  CHECK_INT(json_integer_value(json_object_get(rb, "crawl_delay_applied_ms")), 50);
  CHECK_INT(json_integer_value(json_object_get(rb, "disallowed_fetched")), 2);
  CHECK(json_is_false(json_object_get(rb, "obeyed")));
  r = row_of(&e, rep.crawl_id, HOME "private/b.html");
  CHECK_INT(r.state, GW_URL_DONE);
  CHECK_INT(r.http_status, 200);
  gw_crawl_url_clear(&r);

  /* the body cap: too_large, the start kept and parsed */
  r = row_of(&e, rep.crawl_id, HOME "huge.html");
  CHECK_INT(r.state, GW_URL_DONE);
  CHECK_INT(r.http_status, 200);
  CHECK_INT(r.error, GW_FE_TOO_LARGE);
  CHECK(r.body_truncated);
  CHECK(r.parsed);
  CHECK_STR(r.title, "超长页面");
  char *data = NULL;
  size_t len = 0;
  CHECK_INT(gw_store_body_get(e.w.st, r.body_id, &data, &len), GW_OK);
  CHECK_INT(len, 64 * 1024);
  CHECK(data && strncmp(data, "<!DOCTYPE html>", 15) == 0);
  free(data);
  gw_crawl_url_clear(&r);
  r = row_of(&e, rep.crawl_id, HOME "from-huge.html");
  CHECK_INT(r.http_status, 200);
  gw_crawl_url_clear(&r);

  /* resources by HEAD, not parsed, bodies not kept; forms are not links */
  r = row_of(&e, rep.crawl_id, HOME "doc.pdf");
  CHECK_INT(r.kind, GW_URL_RESOURCE);
  CHECK_STR(r.method, "HEAD");
  CHECK_INT(r.http_status, 200);
  CHECK_STR(r.content_type, "application/pdf");
  CHECK(!r.parsed && r.body_id == 0);
  gw_crawl_url_clear(&r);
  r = row_of(&e, rep.crawl_id, HOME "logo.png");
  CHECK_INT(r.http_status, 404);
  CHECK_INT(r.error, GW_FE_HTTP);
  CHECK_INT(r.attempts, 1);
  gw_crawl_url_clear(&r);
  struct gw_crawl_url none = {0};
  CHECK_INT(gw_store_crawl_url_find(e.w.st, rep.crawl_id, HOME "search", &none), GW_ENOTFOUND);

  /* HEAD refused with 405: the GET answer counts; a HEAD 404 is final */
  r = row_of(&e, rep.crawl_id, "http://nohead.example.cn/file.pdf");
  CHECK_INT(r.kind, GW_URL_EXTERNAL);
  CHECK_INT(r.state, GW_URL_DONE);
  CHECK_INT(r.http_status, 200);
  CHECK_STR(r.method, "GET");
  CHECK_INT(r.attempts, 2);
  CHECK_INT(r.error, GW_FE_NONE);
  CHECK_CONTAINS(r.attempt_log, "\"method\":\"HEAD\"");
  CHECK_CONTAINS(r.attempt_log, "\"status\":405");
  CHECK_INT(r.ip_family, 4);
  CHECK_STR(r.ip, "127.0.0.1");
  gw_crawl_url_clear(&r);
  r = row_of(&e, rep.crawl_id, "http://nohead.example.cn/gone.pdf");
  CHECK_INT(r.http_status, 404);
  CHECK_STR(r.method, "HEAD");
  CHECK_INT(r.attempts, 1);
  gw_crawl_url_clear(&r);

  /* link rows: homepage flags */
  CHECK_INT(home.links, 8);
  gw_crawl_url_clear(&home);
  json_decref(sum);
  gw_crawl_report_clear(&rep);

  /* --new with obey_robots, depth and page caps, forced IPv4 */
  o.fresh = true;
  o.obey_robots = true;
  o.max_depth = 2;
  o.ip_version = 4;
  CHECK_INT(gw_crawl_site(e.w.st, &e.site, &o, &rep), GW_OK);
  CHECK(!rep.resumed);
  CHECK(rep.prev_id > 0);
  r = row_of(&e, rep.crawl_id, HOME "private/a.html");
  CHECK_INT(r.state, GW_URL_SKIPPED);
  CHECK_INT(r.skip, GW_SKIP_ROBOTS);
  gw_crawl_url_clear(&r);
  CHECK_INT(gw_store_crawl_url_find(e.w.st, rep.crawl_id, HOME "private/b.html", &none), GW_ENOTFOUND);
  r = row_of(&e, rep.crawl_id, HOME "deep2.html");
  CHECK_INT(r.state, GW_URL_DONE);
  gw_crawl_url_clear(&r);
  r = row_of(&e, rep.crawl_id, HOME "deep3.html");
  CHECK_INT(r.state, GW_URL_SKIPPED);
  CHECK_INT(r.skip, GW_SKIP_DEPTH);
  CHECK_CONTAINS(r.skip_detail, "depth 3 > max_depth 2");
  gw_crawl_url_clear(&r);
  CHECK_INT(rep.stats.by_skip[GW_SKIP_ROBOTS], 1);
  CHECK_INT(rep.stats.by_skip[GW_SKIP_DEPTH], 1);
  CHECK_CONTAINS(rep.summary, "\"obeyed\":true");
  gw_crawl_report_clear(&rep);

  o.obey_robots = false;
  o.max_depth = 0;
  o.max_pages = 3;
  CHECK_INT(gw_crawl_site(e.w.st, &e.site, &o, &rep), GW_OK);
  CHECK(rep.stats.by_skip[GW_SKIP_CAP] > 0);
  CHECK_INT(rep.stats.internal - rep.stats.by_skip[GW_SKIP_CAP] - rep.stats.by_kind[GW_URL_ROBOTS], 3);
  gw_crawl_report_clear(&rep);

  /* forced IPv6 against an IPv4-only mapping: no connection at all */
  o.max_pages = 100;
  o.ip_version = 6;
  CHECK_INT(gw_crawl_site(e.w.st, &e.site, &o, &rep), GW_OK);
  r = row_of(&e, rep.crawl_id, HOME);
  CHECK_INT(r.state, GW_URL_FAILED);
  CHECK_INT(r.ip_family, 0);
  CHECK(r.error == GW_FE_CONNECT || r.error == GW_FE_DNS);
  gw_crawl_url_clear(&r);
  gw_crawl_report_clear(&rep);
  env_close(&e);
}

static volatile sig_atomic_t g_stop;

static void stop_after(void *ctx, const struct gw_crawl_progress *p)
{
  (void)ctx;
  if (p->fetched >= 2)
    g_stop = 1;
}

static void test_stop_resume(void)
{
  struct env e;
  env_open(&e, "stop.db");
  struct gw_crawl_opts o;
  world_opts(&e.w, &o);
  /* stopped before anything: interrupted, the homepage and robots.txt still queued */
  g_stop = 1;
  o.stop = &g_stop;
  struct gw_crawl_report rep = {0};
  CHECK_INT(gw_crawl_site(e.w.st, &e.site, &o, &rep), GW_OK);
  CHECK_INT(rep.state, GW_CRAWL_INTERRUPTED);
  CHECK_INT(rep.stats.by_state[GW_URL_QUEUED], 2);
  CHECK_INT(rep.fetched_run, 0);
  int64_t first = rep.crawl_id;
  gw_crawl_report_clear(&rep);
  /* stopped by the progress callback after a few pages (interval keeps it slow) */
  g_stop = 0;
  o.interval_ms = 30;
  o.progress = stop_after;
  CHECK_INT(gw_crawl_site(e.w.st, &e.site, &o, &rep), GW_OK);
  CHECK_INT(rep.crawl_id, first);
  CHECK(rep.resumed);
  CHECK_INT(rep.state, GW_CRAWL_INTERRUPTED);
  CHECK(rep.stats.by_state[GW_URL_QUEUED] > 0);
  gw_crawl_report_clear(&rep);
  /* the third run finishes the same crawl */
  g_stop = 0;
  o.progress = NULL;
  o.interval_ms = 0;
  CHECK_INT(gw_crawl_site(e.w.st, &e.site, &o, &rep), GW_OK);
  CHECK_INT(rep.crawl_id, first);
  CHECK_INT(rep.runs, 3);
  CHECK_INT(rep.state, GW_CRAWL_DONE);
  CHECK_INT(rep.stats.by_state[GW_URL_QUEUED], 0);
  gw_crawl_report_clear(&rep);
  /* --new over an interrupted crawl leaves it interrupted and starts over */
  g_stop = 1;
  CHECK_INT(gw_crawl_site(e.w.st, &e.site, &o, &rep), GW_OK);
  int64_t second = rep.crawl_id;
  CHECK(second != first);
  gw_crawl_report_clear(&rep);
  g_stop = 0;
  o.fresh = true;
  CHECK_INT(gw_crawl_site(e.w.st, &e.site, &o, &rep), GW_OK);
  CHECK(rep.crawl_id != second && !rep.resumed);
  CHECK_INT(rep.prev_id, first); /* conditional against the last finished crawl */
  struct gw_crawl c = {0};
  CHECK_INT(gw_store_crawl_get(e.w.st, second, &c), GW_OK);
  CHECK_INT(c.state, GW_CRAWL_INTERRUPTED);
  gw_crawl_clear(&c);
  gw_crawl_report_clear(&rep);
  env_close(&e);
}

static void test_ipv6(void)
{
  struct gw_fixsrv_opts so;
  gw_fixsrv_opts_default(&so);
  so.ipv6 = true;
  struct gw_fixsrv *probe = NULL;
  so.handler = gw_fixsrv_sample_handler;
  struct gw_sample *s = NULL;
  CHECK_INT(gw_sample_new(&s, NULL), GW_OK);
  so.ctx = s;
  if (gw_fixsrv_start(&probe, &so) != GW_OK) {
    fprintf(stderr, "# no IPv6 loopback here; forced IPv6 not exercised: %s\n", gw_err_msg());
    gw_sample_free(&s);
    return;
  }
  gw_fixsrv_stop(&probe);
  gw_sample_free(&s);
  struct world w;
  so.handler = NULL;
  world_open(&w, &so, "ipv6.db", NULL);
  /* map the portal to [::1] */
  gw_strv_free(&w.connect_to);
  char rule[200];
  snprintf(rule, sizeof rule, "www.qingxi.gov.cn:80:[::1]:%u", (unsigned)gw_fixsrv_port(w.srv));
  gw_strv_push(&w.connect_to, rule);
  struct gw_crawl_opts o;
  world_opts(&w, &o);
  o.ip_version = 6;
  o.max_pages = 5;
  struct gw_crawl_report rep = {0};
  CHECK_INT(world_crawl(&w, "http://www.qingxi.gov.cn/", &o, &rep), GW_OK);
  struct gw_crawl_url r = {0};
  CHECK_INT(gw_store_crawl_url_find(w.st, rep.crawl_id, "http://www.qingxi.gov.cn/", &r), GW_OK);
  CHECK_INT(r.http_status, 200);
  CHECK_INT(r.ip_family, 6);
  CHECK_STR(r.ip, "::1");
  gw_crawl_url_clear(&r);
  gw_crawl_report_clear(&rep);
  world_close(&w);
}

static void test_errors(void)
{
  struct env e;
  env_open(&e, "errors.db");
  struct gw_crawl_opts o;
  world_opts(&e.w, &o);
  struct gw_crawl_report rep = {0};
  o.concurrency = 0;
  CHECK_INT(gw_crawl_site(e.w.st, &e.site, &o, &rep), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "out of range");
  world_opts(&e.w, &o);
  o.ip_version = 5;
  CHECK_INT(gw_crawl_site(e.w.st, &e.site, &o, &rep), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "IP version 5");
  world_opts(&e.w, &o);
  o.user_agent = "";
  CHECK_INT(gw_crawl_site(e.w.st, &e.site, &o, &rep), GW_EINVAL);
  world_opts(&e.w, &o);
  CHECK_INT(gw_crawl_site(e.w.st, NULL, &o, &rep), GW_EINVAL);
  struct gw_site bad = e.site;
  bad.url = (char *)"ftp://" TEST_HOST "/";
  CHECK_INT(gw_crawl_site(e.w.st, &bad, &o, &rep), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "not http or https");
  /* a read-only store cannot be crawled into */
  struct gw_store *ro = NULL;
  CHECK_INT(gw_store_open(&ro, e.w.db, GW_STORE_READONLY), GW_OK);
  CHECK(gw_crawl_site(ro, &e.site, &o, &rep) != GW_OK);
  CHECK_CONTAINS(gw_err_msg(), "read-only");
  gw_store_close(&ro);
  CHECK_INT(sqlite3_exec(gw_store_sqlite_db(e.w.st), "SELECT 1", NULL, NULL, NULL), SQLITE_OK);
  env_close(&e);
}

int main(void)
{
  test_site_crawl();
  test_stop_resume();
  test_ipv6();
  test_errors();
  return gw_test_done();
}
