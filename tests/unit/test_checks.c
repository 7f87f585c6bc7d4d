/* The check stage's frame: the registry, id lists, the findings store
 * (migration 3), the crawl view, gw_check_emit's rules and the runner
 * (one run per site, crawl and as-of time; re-running replaces). */
#include <stdlib.h>
#include <string.h>

#include "checks/check.h"
#include "checks/links.h"
#include "checks_fixture.h"
#include "core/alloc.h"
#include "core/error.h"
#include "core/str.h"
#include "tap.h"

/* ---- registry ---- */

static int count_each(void *ctx, const struct gw_check *c)
{
  const char **prev = ctx;
  CHECK_MSG(!*prev || strcmp(*prev, c->id) < 0, "registry order: '%s' before '%s'", *prev ? *prev : "", c->id);
  *prev = c->id;
  return 0;
}

static int stop_at_first(void *ctx, const struct gw_check *c)
{
  (void)c;
  (*(int *)ctx)++;
  return 42;
}

static void test_registry(void)
{
  CHECK(gw_check_count() >= 1);
  for (size_t i = 0; i < gw_check_count(); i++) {
    const struct gw_check *c = gw_check_at(i);
    CHECK(c && c->id && c->title && c->summary && c->run);
    CHECK(c->rules && c->rules[0]);
    CHECK_MSG(gw_check_find(c->id) == c, "find %s", c->id);
    if (i > 0)
      CHECK_MSG(strcmp(gw_check_at(i - 1)->id, c->id) < 0, "sorted: %s < %s", gw_check_at(i - 1)->id, c->id);
  }
  CHECK(gw_check_at(gw_check_count()) == NULL);
  CHECK(gw_check_find("links.nope") == NULL);
  CHECK(gw_check_find("") == NULL);
  CHECK(gw_check_find(NULL) == NULL);
  const char *prev = NULL;
  CHECK_INT(gw_check_each(count_each, &prev), 0);
  int calls = 0;
  CHECK_INT(gw_check_each(stop_at_first, &calls), 42);
  CHECK_INT(calls, 1);
  const struct gw_check *lb = gw_check_find("links.broken");
  CHECK(lb == &gw_check_links_broken);
  CHECK_STR(lb->title, "链接可用性");
  CHECK_STR(lb->rules[0], "link.broken.homepage");
  CHECK_STR(lb->rules[1], "link.broken.other");
  CHECK(lb->rules[2] == NULL);
  CHECK_STR(gw_check_needs_text(lb->needs), "crawl,probe");
  CHECK_STR(gw_check_needs_text(GW_CHECK_NEEDS_CRAWL), "crawl");
  CHECK_STR(gw_check_needs_text(0), "register");

  struct gw_strv ids = {0};
  CHECK_INT(gw_check_parse_ids("links.broken", &ids), GW_OK);
  CHECK_INT(gw_check_parse_ids(" links.broken , links.broken,", &ids), GW_OK);
  CHECK_INT(ids.n, 1);
  CHECK_INT(gw_check_parse_ids("links.broken,links.typo", &ids), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "unknown check 'links.typo'");
  CHECK_CONTAINS(gw_err_msg(), "known: ");
  CHECK_CONTAINS(gw_err_msg(), "links.broken");
  CHECK_INT(gw_check_parse_ids(" , ", &ids), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "no check named");
  gw_strv_free(&ids);
}

/* ---- findings store ---- */

static void finding(struct gw_finding *f, const char *check, int64_t site, const char *key)
{
  memset(f, 0, sizeof *f);
  f->check = check;
  f->rule = (char *)"link.broken.other";
  f->severity = GW_SEV_DEDUCT;
  f->site_id = site;
  f->key = (char *)key;
  f->title = (char *)"其他页面链接不可用";
  f->observed_at = 1743393600;
}

struct seen {
  size_t n;
  char keys[8][64];
  char checks[8][32];
  char fps[8][17];
  struct gw_finding first;
};

static int collect_rows(void *ctx, const struct gw_finding_row *r)
{
  struct seen *s = ctx;
  if (s->n < 8) {
    gw_strlcpy(s->keys[s->n], r->f.key, sizeof s->keys[0]);
    gw_strlcpy(s->checks[s->n], r->check, sizeof s->checks[0]);
    gw_strlcpy(s->fps[s->n], r->fingerprint, sizeof s->fps[0]);
    CHECK(r->f.check == r->check);
    if (s->n == 0) {
      struct gw_finding_list l = {0};
      gw_finding_list_push(&l, &r->f);
      s->first = l.v[0];
      free(l.v);
    }
  }
  s->n++;
  return 0;
}

static int stop_walk(void *ctx, const struct gw_finding_row *r)
{
  (void)r;
  (*(int *)ctx)++;
  return 7;
}

static void test_store(void)
{
  struct fx x;
  fx_open(&x);
  int v = 0;
  CHECK_INT(gw_store_schema_version(x.st, &v), GW_OK);
  /* migration 3 (findings) is applied; later migrations may follow */
  CHECK_INT(v, gw_store_schema_latest());
  CHECK(gw_store_schema_latest() >= 3);

  struct gw_check_run r;
  memset(&r, 0, sizeof r);
  r.site_id = x.site_id;
  r.crawl_id = x.crawl_id;
  r.as_of = x.as_of;
  CHECK_INT(gw_store_check_run_start(x.st, &r), GW_OK);
  CHECK(r.id > 0);
  CHECK_STR(r.checks, "");
  CHECK_INT(r.finished_at, 0);
  int64_t run1 = r.id;
  gw_check_run_clear(&r);
  /* the same identity is the same run */
  struct gw_check_run again;
  memset(&again, 0, sizeof again);
  again.site_id = x.site_id;
  again.crawl_id = x.crawl_id;
  again.as_of = x.as_of;
  CHECK_INT(gw_store_check_run_start(x.st, &again), GW_OK);
  CHECK_INT(again.id, run1);
  gw_check_run_clear(&again);
  /* another as-of time is another run */
  again.site_id = x.site_id;
  again.crawl_id = x.crawl_id;
  again.as_of = x.as_of + 86400;
  CHECK_INT(gw_store_check_run_start(x.st, &again), GW_OK);
  CHECK(again.id != run1);
  int64_t run2 = again.id;
  gw_check_run_clear(&again);
  /* errors: a crawl of another site, a missing crawl, a missing site */
  int64_t other_site = fx_site(&x, "青溪县另一局", "http://other.example.gov.cn/", "3399229002");
  int64_t other_crawl = fx_crawl(&x, other_site, GW_CRAWL_DONE);
  again.site_id = x.site_id;
  again.crawl_id = other_crawl;
  CHECK_INT(gw_store_check_run_start(x.st, &again), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "not of site");
  again.crawl_id = 9999;
  CHECK_INT(gw_store_check_run_start(x.st, &again), GW_ENOTFOUND);
  CHECK_CONTAINS(gw_err_msg(), "no crawl with id 9999");
  again.site_id = 777;
  again.crawl_id = 0;
  CHECK_INT(gw_store_check_run_start(x.st, &again), GW_ENOTFOUND);
  CHECK_CONTAINS(gw_err_msg(), "no site with id 777");
  gw_check_run_clear(&again);

  /* replace: two findings, then one; identities stay single */
  struct gw_finding f[3];
  finding(&f[0], "links.broken", x.site_id, "other|http://www.example.gov.cn/a");
  finding(&f[1], "links.broken", x.site_id, "other|http://www.example.gov.cn/b");
  f[1].url = (char *)"http://www.example.gov.cn/";
  f[1].target = (char *)"http://www.example.gov.cn/b";
  f[1].locator = (char *)"第 3 行 <a>";
  f[1].snippet = (char *)"通知";
  f[1].detail = (char *)"返回 HTTP 404";
  f[1].observed_json = (char *)"{\"status\":404}";
  f[1].crawl_id = x.crawl_id;
  f[1].needs_review = true;
  CHECK_INT(gw_store_findings_replace(x.st, run1, "links.broken", f, 2), GW_OK);
  struct seen s;
  memset(&s, 0, sizeof s);
  CHECK_INT(gw_store_finding_each(x.st, run1, NULL, collect_rows, &s), GW_OK);
  CHECK_INT(s.n, 2);
  CHECK_STR(s.keys[0], "other|http://www.example.gov.cn/a");
  char fp[17];
  gw_finding_fingerprint(&f[0], fp);
  CHECK_STR(s.fps[0], fp);
  gw_finding_clear(&s.first);

  memset(&s, 0, sizeof s);
  CHECK_INT(gw_store_findings_replace(x.st, run1, "links.broken", &f[1], 1), GW_OK);
  CHECK_INT(gw_store_finding_each(x.st, run1, "links.broken", collect_rows, &s), GW_OK);
  CHECK_INT(s.n, 1);
  CHECK_STR(s.first.key, f[1].key);
  CHECK_STR(s.first.rule, "link.broken.other");
  CHECK_INT(s.first.severity, GW_SEV_DEDUCT);
  CHECK(s.first.needs_review);
  CHECK_INT(s.first.site_id, x.site_id);
  CHECK_INT(s.first.account_id, 0);
  CHECK_INT(s.first.crawl_id, x.crawl_id);
  CHECK_STR(s.first.url, "http://www.example.gov.cn/");
  CHECK_STR(s.first.target, "http://www.example.gov.cn/b");
  CHECK_STR(s.first.locator, "第 3 行 <a>");
  CHECK_STR(s.first.snippet, "通知");
  CHECK_STR(s.first.title, "其他页面链接不可用");
  CHECK_STR(s.first.detail, "返回 HTTP 404");
  CHECK_STR(s.first.observed_json, "{\"status\":404}");
  CHECK_INT(s.first.observed_at, 1743393600);
  gw_finding_clear(&s.first);

  /* a second check's findings live beside the first's */
  finding(&f[2], "a.check", x.site_id, "k");
  CHECK_INT(gw_store_findings_replace(x.st, run1, "a.check", &f[2], 1), GW_OK);
  CHECK_INT(gw_store_check_run_get(x.st, run1, &r), GW_OK);
  CHECK_STR(r.checks, "a.check,links.broken");
  gw_check_run_clear(&r);
  memset(&s, 0, sizeof s);
  CHECK_INT(gw_store_finding_each(x.st, run1, NULL, collect_rows, &s), GW_OK);
  CHECK_INT(s.n, 2);
  CHECK_STR(s.checks[0], "a.check"); /* ordered by check id */
  CHECK_STR(s.checks[1], "links.broken");
  gw_finding_clear(&s.first);
  int calls = 0;
  CHECK_INT(gw_store_finding_each(x.st, run1, NULL, stop_walk, &calls), 7);
  CHECK_INT(calls, 1);
  /* an empty replacement clears the check */
  CHECK_INT(gw_store_findings_replace(x.st, run1, "a.check", NULL, 0), GW_OK);
  memset(&s, 0, sizeof s);
  CHECK_INT(gw_store_finding_each(x.st, run1, "a.check", collect_rows, &s), GW_OK);
  CHECK_INT(s.n, 0);

  /* two findings with one identity: refused, nothing changed */
  struct gw_finding dup[2];
  finding(&dup[0], "links.broken", x.site_id, "same");
  finding(&dup[1], "links.broken", x.site_id, "same");
  CHECK_INT(gw_store_findings_replace(x.st, run1, "links.broken", dup, 2), GW_EEXIST);
  CHECK_CONTAINS(gw_err_msg(), "two findings with the key 'same'");
  memset(&s, 0, sizeof s);
  CHECK_INT(gw_store_finding_each(x.st, run1, "links.broken", collect_rows, &s), GW_OK);
  CHECK_INT(s.n, 1);
  CHECK_STR(s.keys[0], f[1].key);
  gw_finding_clear(&s.first);
  /* the same key on two sites is two identities */
  finding(&dup[1], "links.broken", other_site, "same");
  CHECK_INT(gw_store_findings_replace(x.st, run2, "links.broken", dup, 2), GW_OK);

  /* argument checks, each naming the problem */
  struct gw_finding bad;
  finding(&bad, "links.other", x.site_id, "k");
  CHECK_INT(gw_store_findings_replace(x.st, run1, "links.broken", &bad, 1), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "names check 'links.other'");
  finding(&bad, "links.broken", x.site_id, "k");
  bad.rule = NULL;
  CHECK_INT(gw_store_findings_replace(x.st, run1, "links.broken", &bad, 1), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "no rule");
  finding(&bad, "links.broken", x.site_id, "");
  CHECK_INT(gw_store_findings_replace(x.st, run1, "links.broken", &bad, 1), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "no key");
  finding(&bad, "links.broken", 0, "k");
  CHECK_INT(gw_store_findings_replace(x.st, run1, "links.broken", &bad, 1), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "exactly one of a site and an account");
  finding(&bad, "links.broken", x.site_id, "k");
  bad.severity = 9;
  CHECK_INT(gw_store_findings_replace(x.st, run1, "links.broken", &bad, 1), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "invalid severity 9");
  finding(&bad, "links.broken", 4242, "k");
  CHECK_INT(gw_store_findings_replace(x.st, run1, "links.broken", &bad, 1), GW_ENOTFOUND);
  CHECK_CONTAINS(gw_err_msg(), "no site with id 4242");
  finding(&bad, "links.broken", x.site_id, "k");
  CHECK_INT(gw_store_findings_replace(x.st, 5555, "links.broken", &bad, 1), GW_ENOTFOUND);
  CHECK_CONTAINS(gw_err_msg(), "no check run with id 5555");
  CHECK_INT(gw_store_findings_replace(x.st, run1, "a,b", &bad, 0), GW_EINVAL);

  /* finish, last, list */
  CHECK_INT(gw_store_check_run_last(x.st, x.site_id, &r), GW_ENOTFOUND);
  CHECK_CONTAINS(gw_err_msg(), "no finished check run");
  CHECK_INT(gw_store_check_run_finish(x.st, run2, x.as_of + 100), GW_OK);
  CHECK_INT(gw_store_check_run_finish(x.st, run1, x.as_of + 200), GW_OK);
  CHECK_INT(gw_store_check_run_last(x.st, x.site_id, &r), GW_OK);
  CHECK_INT(r.id, run1);
  CHECK_INT(r.finished_at, x.as_of + 200);
  CHECK_INT(r.crawl_id, x.crawl_id);
  gw_check_run_clear(&r);
  CHECK_INT(gw_store_check_run_finish(x.st, 8888, 1), GW_ENOTFOUND);
  struct gw_check_run_list rl = {0};
  CHECK_INT(gw_store_check_run_list(x.st, x.site_id, &rl), GW_OK);
  CHECK_INT(rl.n, 2);
  gw_check_run_list_free(&rl);
  CHECK_INT(gw_store_check_run_list(x.st, 0, &rl), GW_OK);
  CHECK_INT(rl.n, 2);
  gw_check_run_list_free(&rl);

  /* deleting a site deletes its runs and findings */
  CHECK_INT(gw_store_site_delete(x.st, other_site), GW_OK);
  memset(&s, 0, sizeof s);
  CHECK_INT(gw_store_finding_each(x.st, run2, NULL, collect_rows, &s), GW_OK);
  CHECK_INT(s.n, 1); /* the other site's finding went with it */
  gw_finding_clear(&s.first);
  CHECK_INT(gw_store_site_delete(x.st, x.site_id), GW_OK);
  CHECK_INT(gw_store_check_run_get(x.st, run1, &r), GW_ENOTFOUND);
  fx_close(&x);
}

static void test_readonly(void)
{
  char path[600];
  snprintf(path, sizeof path, "%s/ro.db", gw_test_tmpdir());
  struct fx x;
  fx_open(&x); /* for the as-of time */
  fx_close(&x);
  struct gw_store *st = NULL;
  CHECK_INT(gw_store_open(&st, path, 0), GW_OK);
  gw_store_close(&st);
  CHECK_INT(gw_store_open(&st, path, GW_STORE_READONLY), GW_OK);
  struct gw_check_run r;
  memset(&r, 0, sizeof r);
  r.site_id = 1;
  CHECK_INT(gw_store_check_run_start(st, &r), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "read-only");
  CHECK_INT(gw_store_findings_replace(st, 1, "links.broken", NULL, 0), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "read-only");
  gw_store_close(&st);
}

/* ---- the view ---- */

static int count_urls(void *ctx, const struct gw_crawl_url *u)
{
  (void)u;
  (*(int *)ctx)++;
  return 0;
}

static int count_links(void *ctx, const struct gw_link_row *l)
{
  (void)l;
  (*(int *)ctx)++;
  return 0;
}

static void test_view(void)
{
  struct fx x;
  fx_open(&x);
  char *home = fx_page("青溪县示例局", "<p>欢迎</p><a href=\"/a.html\">甲</a>");
  struct fx_row hr = {.url = "http://www.example.gov.cn/", .internal = true, .state = GW_URL_DONE, .status = 200,
                      .body = home, .title = "青溪县示例局"};
  int64_t h = fx_add(&x, x.crawl_id, &hr);
  struct fx_row ar = {.url = "http://www.example.gov.cn/a.html", .internal = true, .depth = 1, .state = GW_URL_DONE,
                      .status = 404, .error = GW_FE_HTTP};
  int64_t a = fx_add(&x, x.crawl_id, &ar);
  fx_link(&x, h, 0, a, "a", "甲", true, 1, 0);
  int64_t c2 = fx_crawl(&x, x.site_id, GW_CRAWL_DONE);
  struct fx_row br = {.url = "http://www.example.gov.cn/", .internal = true, .state = GW_URL_DONE, .status = 200};
  int64_t foreign = fx_add(&x, c2, &br);

  struct gw_check_view *v = NULL;
  CHECK_INT(gw_check_view_open(&v, x.st, 4040, 0), GW_ENOTFOUND);
  CHECK(v == NULL);
  CHECK_INT(gw_check_view_open(&v, x.st, x.crawl_id, 0), GW_OK);
  CHECK_INT(gw_check_view_crawl(v)->id, x.crawl_id);
  CHECK_INT(gw_check_view_as_of(v), x.as_of);
  int n = 0;
  CHECK_INT(gw_check_view_urls(v, 0, count_urls, &n), GW_OK);
  CHECK_INT(n, 2);
  n = 0;
  CHECK_INT(gw_check_view_urls(v, GW_URL_DONE, count_urls, &n), GW_OK);
  CHECK_INT(n, 2);
  n = 0;
  CHECK_INT(gw_check_view_links(v, 0, 0, count_links, &n), GW_OK);
  CHECK_INT(n, 1);
  n = 0;
  CHECK_INT(gw_check_view_links(v, 0, a, count_links, &n), GW_OK);
  CHECK_INT(n, 1);
  CHECK_INT(gw_check_view_links(v, h, a, count_links, &n), GW_EINVAL);
  struct gw_crawl_stats stats;
  CHECK_INT(gw_check_view_stats(v, &stats), GW_OK);
  CHECK_INT(stats.urls, 2);

  struct gw_crawl_url u;
  memset(&u, 0, sizeof u);
  CHECK_INT(gw_check_view_url(v, a, &u), GW_OK);
  CHECK_STR(u.url, "http://www.example.gov.cn/a.html");
  gw_crawl_url_clear(&u);
  CHECK_INT(gw_check_view_url(v, foreign, &u), GW_ENOTFOUND);
  CHECK_CONTAINS(gw_err_msg(), "belongs to crawl");
  CHECK_INT(gw_check_view_url_find(v, "http://www.example.gov.cn/", &u), GW_OK);
  CHECK_INT(u.id, h);
  gw_crawl_url_clear(&u);
  CHECK_INT(gw_check_view_url_find(v, "http://www.example.gov.cn/zz", &u), GW_ENOTFOUND);

  const struct gw_page *p = NULL, *p2 = NULL;
  CHECK_INT(gw_check_view_page(v, h, &p), GW_OK);
  CHECK_STR(p->title, "青溪县示例局");
  CHECK_INT(p->n_links, 4 + 1);
  CHECK_INT(gw_check_view_page(v, h, &p2), GW_OK);
  CHECK(p == p2); /* cached */
  CHECK_INT(gw_check_view_page(v, a, &p2), GW_ENOTFOUND);
  CHECK_CONTAINS(gw_err_msg(), "no body");
  char *data = NULL;
  size_t len = 0;
  CHECK_INT(gw_check_view_body(v, h, &data, &len), GW_OK);
  CHECK_INT(len, strlen(home));
  CHECK(memcmp(data, home, len) == 0);
  free(data);
  CHECK_INT(gw_check_view_body(v, a, &data, &len), GW_ENOTFOUND);
  gw_check_view_free(&v);
  CHECK(v == NULL);
  gw_check_view_free(&v);
  free(home);

  /* the cache keeps the last GW_CHECK_PAGE_CACHE pages, least recently used out */
  int64_t ids[GW_CHECK_PAGE_CACHE + 1];
  for (int i = 0; i <= GW_CHECK_PAGE_CACHE; i++) {
    char url[80], title[40];
    snprintf(url, sizeof url, "http://www.example.gov.cn/p%d.html", i);
    snprintf(title, sizeof title, "页面%d", i);
    char *body = fx_page(title, "<p>正文</p>");
    struct fx_row pr = {.url = url, .internal = true, .depth = 1, .state = GW_URL_DONE, .status = 200, .body = body};
    ids[i] = fx_add(&x, x.crawl_id, &pr);
    free(body);
  }
  CHECK_INT(gw_check_view_open(&v, x.st, x.crawl_id, x.as_of + 5), GW_OK);
  CHECK_INT(gw_check_view_as_of(v), x.as_of + 5);
  const struct gw_page *first = NULL;
  CHECK_INT(gw_check_view_page(v, ids[0], &first), GW_OK);
  for (int i = 1; i < GW_CHECK_PAGE_CACHE; i++) {
    CHECK_INT(gw_check_view_page(v, ids[i], &p), GW_OK);
    CHECK_INT(gw_check_view_page(v, ids[0], &p2), GW_OK); /* keep the first one fresh */
    CHECK(p2 == first);
  }
  CHECK_INT(gw_check_view_page(v, ids[GW_CHECK_PAGE_CACHE], &p), GW_OK);
  CHECK_INT(gw_check_view_page(v, ids[0], &p2), GW_OK);
  CHECK(p2 == first); /* still cached: ids[1] went instead */
  CHECK_STR(p2->title, "页面0");
  gw_check_view_free(&v);
  fx_close(&x);
}

/* ---- emit ---- */

static const char *const g_test_rules[] = {"rule.a", NULL};

static int never_run(struct gw_check_ctx *ctx)
{
  (void)ctx;
  return GW_OK;
}

static const struct gw_check g_test_check = {"test.check", "测试", "a test", g_test_rules, 0, never_run};

static int keep_one(void *ectx, const struct gw_finding *f)
{
  struct gw_finding_list *l = ectx;
  gw_finding_list_push(l, f);
  return GW_OK;
}

static void test_emit(void)
{
  struct gw_finding_list l = {0};
  struct gw_site site;
  memset(&site, 0, sizeof site);
  site.id = 12;
  struct gw_check_ctx ctx;
  memset(&ctx, 0, sizeof ctx);
  ctx.check = &g_test_check;
  ctx.site = &site;
  ctx.as_of = 1000;
  ctx.emit = keep_one;
  ctx.emit_ctx = &l;
  struct gw_finding f;
  memset(&f, 0, sizeof f);
  f.rule = (char *)"rule.a";
  f.severity = GW_SEV_WARN;
  f.key = (char *)"k1";
  f.title = (char *)"标题";
  CHECK_INT(gw_check_emit(&ctx, &f), GW_OK);
  CHECK_INT(l.n, 1);
  CHECK_STR(l.v[0].check, "test.check");
  CHECK_INT(l.v[0].site_id, 12);
  CHECK_INT(l.v[0].observed_at, 1000);
  CHECK_INT(l.v[0].crawl_id, 0);
  f.rule = (char *)"rule.b";
  CHECK_INT(gw_check_emit(&ctx, &f), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "rule 'rule.b' is not one of the check's rules");
  f.rule = (char *)"rule.a";
  f.key = NULL;
  CHECK_INT(gw_check_emit(&ctx, &f), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "without a key");
  f.key = (char *)"k2";
  f.title = (char *)"";
  CHECK_INT(gw_check_emit(&ctx, &f), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "no title");
  f.title = (char *)"标题";
  f.severity = 0;
  CHECK_INT(gw_check_emit(&ctx, &f), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "invalid severity");
  f.severity = GW_SEV_INFO;
  f.check = "other.check";
  CHECK_INT(gw_check_emit(&ctx, &f), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "names another check");
  CHECK_INT(l.n, 1);
  gw_finding_list_free(&l);

  struct gw_probe_req req;
  memset(&req, 0, sizeof req);
  req.url = "http://www.example.gov.cn/x";
  struct gw_probe_result res;
  CHECK_INT(gw_check_probe(&ctx, &req, &res), GW_ENOTFOUND);
  CHECK_CONTAINS(gw_err_msg(), "probing is off");
}

/* ---- the runner ---- */

struct fake_probe {
  int calls;
  int status;
  const char *body;
};

static int fake_probe(void *pctx, const struct gw_probe_req *req, struct gw_probe_result *out)
{
  struct fake_probe *fp = pctx;
  fp->calls++;
  memset(out, 0, sizeof *out);
  out->url = gw_strdup(req->url);
  out->status = fp->status;
  out->error = fp->status >= 400 ? GW_FE_HTTP : GW_FE_NONE;
  out->method = gw_strdup("GET");
  out->content_type = gw_strdup("text/html; charset=UTF-8");
  out->body = gw_strdup(fp->body ? fp->body : "");
  out->body_len = strlen(out->body);
  out->fetched_at = 1743393000;
  out->retry_after = -1;
  return GW_OK;
}

/* The links.broken findings of a run (the fixture's homepage shows no dated
 * item, so homepage.update has its own finding in runs of every check). */
static size_t count_findings(struct gw_store *st, int64_t run)
{
  struct seen s;
  memset(&s, 0, sizeof s);
  CHECK_INT(gw_store_finding_each(st, run, "links.broken", collect_rows, &s), GW_OK);
  gw_finding_clear(&s.first);
  return s.n;
}

/* Every finding of a run, all checks. */
static size_t count_all(struct gw_store *st, int64_t run)
{
  struct seen s;
  memset(&s, 0, sizeof s);
  CHECK_INT(gw_store_finding_each(st, run, NULL, collect_rows, &s), GW_OK);
  gw_finding_clear(&s.first);
  return s.n;
}

static void test_runner(void)
{
  struct fx x;
  fx_open(&x);
  struct gw_check_run_opts o;
  memset(&o, 0, sizeof o);
  struct gw_check_run_report rep;
  memset(&rep, 0, sizeof rep);

  /* no finished crawl: an error naming the site */
  int64_t bare = fx_site(&x, "青溪县空白局", "http://bare.example.gov.cn/", "3399229003");
  struct gw_site bs;
  memset(&bs, 0, sizeof bs);
  CHECK_INT(gw_store_site_get(x.st, bare, &bs), GW_OK);
  CHECK_INT(gw_check_run_site(x.st, &bs, &o, &rep), GW_ENOTFOUND);
  CHECK_CONTAINS(gw_err_msg(), "青溪县空白局");
  CHECK_CONTAINS(gw_err_msg(), "no finished crawl");
  int64_t running = fx_crawl(&x, bare, GW_CRAWL_RUNNING);
  CHECK_INT(gw_check_run_site(x.st, &bs, &o, &rep), GW_ENOTFOUND);
  o.crawl_id = running;
  CHECK_INT(gw_check_run_site(x.st, &bs, &o, &rep), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "is not finished");
  o.crawl_id = x.crawl_id; /* a crawl of another site */
  CHECK_INT(gw_check_run_site(x.st, &bs, &o, &rep), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "not of 青溪县空白局");
  o.crawl_id = 0;
  gw_site_clear(&bs);

  /* unknown --only id */
  const char *only_bad[] = {"links.nope"};
  o.only = only_bad;
  o.n_only = 1;
  CHECK_INT(gw_check_run_site(x.st, &x.site, &o, &rep), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "unknown check 'links.nope'");
  const char *only[] = {"links.broken"};
  o.only = only;

  /* a small crawl: the homepage links a missing page and a soft 404 */
  char *home = fx_page("青溪县示例局", "<a href=\"/gone.html\">旧通知</a><a href=\"/soft.html\">旧文章</a>");
  char *err = fx_page("提示信息", "<h2>页面不存在</h2><p>您访问的页面不存在或已被删除。</p>");
  struct fx_row hr = {.url = "http://www.example.gov.cn/", .internal = true, .state = GW_URL_DONE, .status = 200,
                      .body = home};
  int64_t h = fx_add(&x, x.crawl_id, &hr);
  struct fx_row gr = {.url = "http://www.example.gov.cn/gone.html", .internal = true, .depth = 1,
                      .state = GW_URL_DONE, .status = 404, .error = GW_FE_HTTP};
  int64_t g = fx_add(&x, x.crawl_id, &gr);
  struct fx_row sr = {.url = "http://www.example.gov.cn/soft.html", .internal = true, .depth = 1,
                      .state = GW_URL_DONE, .status = 200, .body = err, .title = "提示信息"};
  int64_t sp = fx_add(&x, x.crawl_id, &sr);
  fx_link(&x, h, 0, g, "a", "旧通知", true, 10, 0);
  fx_link(&x, h, 1, sp, "a", "旧文章", true, 11, 0);
  struct fake_probe fp = {0, 404, err};
  o.probe = fake_probe;
  o.probe_ctx = &fp;

  CHECK_INT(gw_check_run_site(x.st, &x.site, &o, &rep), GW_OK);
  CHECK(rep.run_id > 0);
  CHECK_INT(rep.crawl_id, x.crawl_id);
  CHECK_INT(rep.as_of, x.as_of); /* the crawl's as-of time */
  CHECK_INT(rep.n, 1);
  CHECK(rep.v[0].check == &gw_check_links_broken);
  CHECK_INT(rep.v[0].rc, GW_OK);
  CHECK_INT(rep.v[0].findings, 2);
  CHECK_INT(rep.v[0].by_severity[GW_SEV_DEDUCT], 2);
  CHECK_INT(rep.findings, 2);
  CHECK_INT(rep.failed, 0);
  CHECK_INT(fp.calls, 1);
  int64_t run = rep.run_id;
  CHECK_INT(count_findings(x.st, run), 2);
  gw_check_run_report_clear(&rep);

  /* again: the same run, the same findings, no duplicates */
  CHECK_INT(gw_check_run_site(x.st, &x.site, &o, &rep), GW_OK);
  CHECK_INT(rep.run_id, run);
  CHECK_INT(rep.findings, 2);
  CHECK_INT(count_findings(x.st, run), 2);
  gw_check_run_report_clear(&rep);
  struct gw_check_run last;
  memset(&last, 0, sizeof last);
  CHECK_INT(gw_store_check_run_last(x.st, x.site_id, &last), GW_OK);
  CHECK_INT(last.id, run);
  CHECK_STR(last.checks, "links.broken");
  gw_check_run_clear(&last);

  /* the page is fixed and the checks run again: its finding goes */
  struct gw_crawl_url u;
  memset(&u, 0, sizeof u);
  CHECK_INT(gw_store_crawl_url_get(x.st, g, &u), GW_OK);
  u.http_status = 200;
  u.error = GW_FE_NONE;
  CHECK_INT(gw_store_crawl_url_result(x.st, &u), GW_OK);
  gw_crawl_url_clear(&u);
  o.only = NULL; /* every check */
  o.n_only = 0;
  CHECK_INT(gw_check_run_site(x.st, &x.site, &o, &rep), GW_OK);
  CHECK_INT(rep.run_id, run);
  CHECK_INT(rep.findings, count_all(x.st, run)); /* every check's, stored */
  CHECK_INT(count_findings(x.st, run), 1);
  gw_check_run_report_clear(&rep);

  /* another as-of time is another run; the earlier one keeps its finding */
  o.as_of = x.as_of + 3600;
  CHECK_INT(gw_check_run_site(x.st, &x.site, &o, &rep), GW_OK);
  CHECK(rep.run_id != run);
  CHECK_INT(rep.as_of, x.as_of + 3600);
  CHECK_INT(count_findings(x.st, rep.run_id), 1);
  CHECK_INT(count_findings(x.st, run), 1);
  gw_check_run_report_clear(&rep);

  /* without a prober the soft 404 (not tiny) cannot be confirmed */
  o.as_of = x.as_of + 7200;
  o.probe = NULL;
  CHECK_INT(gw_check_run_site(x.st, &x.site, &o, &rep), GW_OK);
  CHECK_INT(count_findings(x.st, rep.run_id), 0);
  gw_check_run_report_clear(&rep);

  free(home);
  free(err);
  fx_close(&x);
}

int main(void)
{
  test_registry();
  test_store();
  test_readonly();
  test_view();
  test_emit();
  test_runner();
  return gw_test_done();
}
