/* Link availability: the classification of every outcome the crawler
 * records, not-found phrases, the soft-404 judgement, the canary URL, the
 * analysis of a crawl (sources, scopes, counts) and the findings of
 * links.broken (keys, scopes, evidence). */
#include <jansson.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "checks/check.h"
#include "checks/links.h"
#include "html/notfound.h"
#include "checks_fixture.h"
#include "core/alloc.h"
#include "core/error.h"
#include "core/str.h"
#include "store/store_impl.h"
#include "tap.h"

/* ---- classification ---- */

struct cls_case {
  enum gw_url_state state;
  enum gw_fetch_error error;
  int status;
  int redirects;
  int64_t reused;
  enum gw_link_class cls;
  enum gw_link_reason reason;
};

/* Findings of the checks other than links.broken in a run (they judge the
 * fixture sites too: no mailbox, no annual report). */
static size_t other_checks_findings(const struct gw_check_run_report *r)
{
  size_t n = 0;
  for (size_t i = 0; i < r->n; i++)
    if (strcmp(r->v[i].check->id, "links.broken") != 0)
      n += r->v[i].findings;
  return n;
}

static void test_classify(void)
{
  static const struct cls_case cases[] = {
    /* good answers */
    {GW_URL_DONE, GW_FE_NONE, 200, 0, 0, GW_LC_OK, GW_LR_OK},
    {GW_URL_DONE, GW_FE_NONE, 204, 0, 0, GW_LC_OK, GW_LR_OK},
    {GW_URL_DONE, GW_FE_NONE, 200, 2, 0, GW_LC_REDIRECTED, GW_LR_REDIRECTED},
    {GW_URL_DONE, GW_FE_NONE, 304, 0, 17, GW_LC_OK, GW_LR_NOT_MODIFIED},
    {GW_URL_DONE, GW_FE_TOO_LARGE, 200, 0, 0, GW_LC_OK, GW_LR_TOO_LARGE},
    {GW_URL_DONE, GW_FE_TOO_LARGE, 200, 1, 0, GW_LC_REDIRECTED, GW_LR_TOO_LARGE},
    /* HTTP errors */
    {GW_URL_DONE, GW_FE_HTTP, 404, 0, 0, GW_LC_BROKEN, GW_LR_HTTP_4XX},
    {GW_URL_DONE, GW_FE_HTTP, 410, 0, 0, GW_LC_BROKEN, GW_LR_HTTP_4XX},
    {GW_URL_DONE, GW_FE_HTTP, 400, 0, 0, GW_LC_BROKEN, GW_LR_HTTP_4XX},
    {GW_URL_DONE, GW_FE_HTTP, 405, 0, 0, GW_LC_BROKEN, GW_LR_HTTP_4XX},
    {GW_URL_DONE, GW_FE_HTTP, 404, 2, 0, GW_LC_BROKEN, GW_LR_HTTP_4XX}, /* a redirect that ends at a 404 */
    {GW_URL_DONE, GW_FE_HTTP, 500, 0, 0, GW_LC_BROKEN, GW_LR_HTTP_5XX},
    {GW_URL_DONE, GW_FE_HTTP, 503, 0, 0, GW_LC_BROKEN, GW_LR_HTTP_5XX},
    {GW_URL_DONE, GW_FE_HTTP, 401, 0, 0, GW_LC_UNKNOWN, GW_LR_AUTH},
    {GW_URL_DONE, GW_FE_HTTP, 407, 0, 0, GW_LC_UNKNOWN, GW_LR_AUTH},
    {GW_URL_DONE, GW_FE_BLOCKED, 403, 0, 0, GW_LC_UNKNOWN, GW_LR_BLOCKED},
    {GW_URL_DONE, GW_FE_BLOCKED, 429, 0, 0, GW_LC_UNKNOWN, GW_LR_BLOCKED},
    {GW_URL_DONE, GW_FE_BLOCKED, 403, 1, 0, GW_LC_UNKNOWN, GW_LR_BLOCKED},
    /* the status decides even if the error field were missing */
    {GW_URL_DONE, GW_FE_NONE, 403, 0, 0, GW_LC_UNKNOWN, GW_LR_BLOCKED},
    {GW_URL_DONE, GW_FE_NONE, 404, 0, 0, GW_LC_BROKEN, GW_LR_HTTP_4XX},
    /* answers that say nothing */
    {GW_URL_DONE, GW_FE_NONE, 304, 0, 0, GW_LC_UNKNOWN, GW_LR_ODD_STATUS},
    {GW_URL_DONE, GW_FE_NONE, 300, 0, 0, GW_LC_UNKNOWN, GW_LR_ODD_STATUS},
    {GW_URL_DONE, GW_FE_PROTOCOL, 101, 0, 0, GW_LC_BROKEN, GW_LR_PROTOCOL},
    /* failures of the transfer */
    {GW_URL_FAILED, GW_FE_DNS, 0, 0, 0, GW_LC_BROKEN, GW_LR_DNS},
    {GW_URL_FAILED, GW_FE_CONNECT, 0, 0, 0, GW_LC_BROKEN, GW_LR_CONNECT},
    {GW_URL_FAILED, GW_FE_TIMEOUT, 0, 0, 0, GW_LC_BROKEN, GW_LR_TIMEOUT},
    {GW_URL_FAILED, GW_FE_TIMEOUT, 200, 0, 0, GW_LC_BROKEN, GW_LR_TIMEOUT},
    {GW_URL_FAILED, GW_FE_RESET, 0, 0, 0, GW_LC_BROKEN, GW_LR_RESET},
    {GW_URL_FAILED, GW_FE_RESET, 200, 0, 0, GW_LC_UNKNOWN, GW_LR_PARTIAL},
    {GW_URL_FAILED, GW_FE_TLS, 0, 0, 0, GW_LC_BROKEN, GW_LR_TLS},
    {GW_URL_FAILED, GW_FE_REDIRECT_LOOP, 302, 2, 0, GW_LC_BROKEN, GW_LR_REDIRECT_LOOP},
    {GW_URL_FAILED, GW_FE_TOO_MANY_REDIRECTS, 302, 11, 0, GW_LC_BROKEN, GW_LR_TOO_MANY_REDIRECTS},
    {GW_URL_FAILED, GW_FE_BAD_REDIRECT, 301, 1, 0, GW_LC_BROKEN, GW_LR_BAD_REDIRECT},
    {GW_URL_FAILED, GW_FE_PROTOCOL, 0, 0, 0, GW_LC_BROKEN, GW_LR_PROTOCOL},
    {GW_URL_FAILED, GW_FE_OTHER, 0, 0, 0, GW_LC_UNKNOWN, GW_LR_OTHER},
    {GW_URL_FAILED, GW_FE_NONE, 0, 0, 0, GW_LC_UNKNOWN, GW_LR_ODD_STATUS},
    /* not fetched */
    {GW_URL_QUEUED, GW_FE_NONE, 0, 0, 0, GW_LC_UNCHECKED, GW_LR_NOT_FETCHED},
    {GW_URL_SKIPPED, GW_FE_NONE, 0, 0, 0, GW_LC_UNCHECKED, GW_LR_SKIPPED},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const struct cls_case *c = &cases[i];
    struct gw_crawl_url u;
    memset(&u, 0, sizeof u);
    u.state = c->state;
    u.error = c->error;
    u.http_status = c->status;
    u.redirects = c->redirects;
    u.reused_id = c->reused;
    enum gw_link_class cls;
    enum gw_link_reason reason;
    gw_links_classify(&u, &cls, &reason);
    CHECK_MSG(cls == c->cls && reason == c->reason, "case %zu (%s, %s, %d): got %s/%s, want %s/%s", i,
              gw_url_state_key(c->state), gw_fetch_error_key(c->error), c->status, gw_link_class_key(cls),
              gw_link_reason_key(reason), gw_link_class_key(c->cls), gw_link_reason_key(c->reason));
  }
  /* every fetch error kind has a class: none falls through to "ok" */
  for (int e = 1; e < GW_FE_COUNT_; e++) {
    struct gw_crawl_url u;
    memset(&u, 0, sizeof u);
    u.state = GW_URL_FAILED;
    u.error = (enum gw_fetch_error)e;
    enum gw_link_class cls;
    enum gw_link_reason reason;
    gw_links_classify(&u, &cls, &reason);
    CHECK_MSG(cls == GW_LC_BROKEN || cls == GW_LC_UNKNOWN, "error %s without a status: %s",
              gw_fetch_error_key((enum gw_fetch_error)e), gw_link_class_key(cls));
    if (e == GW_FE_BLOCKED)
      CHECK_INT(cls, GW_LC_UNKNOWN); /* never broken */
  }
  /* names */
  for (int c = 1; c < GW_LC_COUNT_; c++)
    CHECK(strcmp(gw_link_class_key((enum gw_link_class)c), "?") != 0);
  for (int r = 0; r < GW_LR_COUNT_; r++) {
    CHECK(strcmp(gw_link_reason_key((enum gw_link_reason)r), "?") != 0);
    CHECK(strcmp(gw_link_reason_label((enum gw_link_reason)r), "?") != 0);
  }
  CHECK_STR(gw_link_class_key(GW_LC_COUNT_), "?");
  CHECK_STR(gw_link_reason_key(GW_LR_COUNT_), "?");
  CHECK_STR(gw_link_class_label(GW_LC_BROKEN), "不可用");
  CHECK_STR(gw_link_class_label(GW_LC_UNKNOWN), "无法判断");
  CHECK_STR(gw_link_reason_label(GW_LR_SOFT_404), "软404：页面返回200但内容为错误页");
}

/* ---- phrases and the judgement ---- */

static size_t phrase_index(const char *p)
{
  for (size_t i = 0; i < gw_notfound_phrase_count(); i++)
    if (strcmp(gw_notfound_phrase(i), p) == 0)
      return i;
  return SIZE_MAX;
}

static bool has_phrase(uint64_t m, const char *p)
{
  size_t i = phrase_index(p);
  return i != SIZE_MAX && (m & ((uint64_t)1 << i));
}

static void test_phrases(void)
{
  CHECK(gw_notfound_phrase_count() <= 64);
  CHECK(gw_notfound_phrase(gw_notfound_phrase_count()) == NULL);
  uint64_t m = gw_notfound_phrases("对不起，您访问的页面不存在或已被删除。", strlen("对不起，您访问的页面不存在或已被删除。"));
  CHECK(has_phrase(m, "页面不存在"));
  CHECK(has_phrase(m, "您访问的页面不存在"));
  CHECK(has_phrase(m, "已被删除"));
  CHECK(has_phrase(m, "不存在或已"));
  CHECK(!has_phrase(m, "404"));
  CHECK(has_phrase(gw_notfound_phrases("404 Not Found", 13), "404"));
  CHECK(has_phrase(gw_notfound_phrases("404 Not Found", 13), "not found"));
  CHECK(has_phrase(gw_notfound_phrases("HTTP ERROR 404", 14), "404"));
  CHECK(has_phrase(gw_notfound_phrases("错误404：", strlen("错误404：")), "404"));
  /* a number that merely contains 404 is not the status */
  CHECK(!has_phrase(gw_notfound_phrases("电话：0570-6404123", strlen("电话：0570-6404123")), "404"));
  CHECK(!has_phrase(gw_notfound_phrases("文号4045", 10), "404"));
  CHECK(has_phrase(gw_notfound_phrases("x 4045 y 404", 12), "404")); /* a later standalone one counts */
  CHECK_INT(gw_notfound_phrases("青溪县人民政府 今日青溪", strlen("青溪县人民政府 今日青溪")), 0);
  CHECK_INT(gw_notfound_phrases(NULL, 0), 0);
  CHECK_INT(gw_notfound_phrases("404", 0), 0);
  /* case-blind for ASCII, NUL bytes inside are text like any other */
  CHECK(has_phrase(gw_notfound_phrases("PAGE NOT FOUND", 14), "page not found"));
  CHECK(has_phrase(gw_notfound_phrases("Does Not Exist", 14), "does not exist"));
  CHECK(has_phrase(gw_notfound_phrases("a\0b not found", 13), "not found"));
  CHECK(has_phrase(gw_notfound_phrases("404", 3), "404"));
  CHECK(!has_phrase(gw_notfound_phrases("not foun", 8), "not found"));
  CHECK(!has_phrase(gw_notfound_phrases("页面不存", strlen("页面不存")), "页面不存在")); /* cut at the end */
  CHECK_INT(gw_notfound_page("404 Not Found", NULL, 0), gw_notfound_phrases("404 Not Found", 13));
  CHECK_INT(gw_notfound_page(NULL, "找不到", strlen("找不到")), gw_notfound_phrases("找不到", strlen("找不到")));

  /* the scanner itself is checked against the plain definition in
   * test_html.c (test_phrase_sets) */
}

static void test_judge(void)
{
  char *err = fx_page("提示信息", "<h2>页面不存在</h2><p>对不起，您访问的页面不存在或已被删除。</p>");
  /* texts as the page model gives them are what the judgement reads; the
   * raw template is close enough for these comparisons */
  struct gw_soft404_page canary = {"提示信息", err, strlen(err)};
  struct gw_soft404_page same = {"提示信息", err, strlen(err)};
  struct gw_soft404_verdict v;
  gw_links_soft404_judge(&same, &canary, &v);
  CHECK(v.soft);
  CHECK(!v.weak);
  CHECK(v.similarity > 0.999);
  CHECK(has_phrase(v.shared, "页面不存在"));

  /* the error page echoing the URL asked: still the same page */
  char *echo = fx_page("提示信息", "<h2>页面不存在</h2><p>对不起，您访问的页面不存在或已被删除。</p><p>/art/2021/5/8/x.html</p>");
  struct gw_soft404_page e = {"提示信息", echo, strlen(echo)};
  gw_links_soft404_judge(&e, &canary, &v);
  CHECK_MSG(v.soft && !v.weak, "echo: similarity %.3f", v.similarity);

  /* an article of the same template that mentions a not-found phrase */
  char *article = fx_page("关于调整办事指南的通知",
                          "<h1>关于调整办事指南的通知</h1><p>部分群众反映在网站上找不到不动产登记的办事指南。经研究，现将"
                          "不动产登记、户籍办理、社会保障等事项的办事指南统一调整到“政务服务”栏目，请各单位做好衔接，"
                          "确保群众能够方便查询。调整后原有链接将继续保留三个月。</p><p>特此通知。</p>");
  struct gw_soft404_page a = {"关于调整办事指南的通知", article, strlen(article)};
  gw_links_soft404_judge(&a, &canary, &v);
  CHECK(!v.soft);
  CHECK(has_phrase(v.phrases, "找不到"));
  CHECK(v.similarity < GW_SOFT404_SIMILAR);

  /* a page of the template without any phrase */
  char *plain = fx_page("今日青溪", "<ul><li>我县召开全县安全生产工作会议</li></ul>");
  struct gw_soft404_page pl = {"今日青溪", plain, strlen(plain)};
  gw_links_soft404_judge(&pl, &canary, &v);
  CHECK(!v.soft);
  CHECK_INT(v.phrases, 0);

  /* a tiny page with a phrase: a soft 404 even without a canary, but weak */
  struct gw_soft404_page tiny = {"404 Not Found", "404 Not Found\nnginx", 19};
  gw_links_soft404_judge(&tiny, NULL, &v);
  CHECK(v.soft && v.weak);
  CHECK_INT(v.chars, 16);
  struct gw_soft404_page tiny_ok = {"跳转中", "正在跳转，请稍候……", strlen("正在跳转，请稍候……")};
  gw_links_soft404_judge(&tiny_ok, NULL, &v);
  CHECK(!v.soft);
  /* the canary's own page (a soft-404 site answers 200) judged alike */
  gw_links_soft404_judge(&same, NULL, &v);
  CHECK(!v.soft); /* not tiny, and no canary to compare with */

  /* a canary that does not show a phrase (it redirected home) proves nothing */
  struct gw_soft404_page homepage = {"今日青溪", plain, strlen(plain)};
  gw_links_soft404_judge(&same, &homepage, &v);
  CHECK(!v.soft);
  CHECK_INT(v.shared, 0);

  free(err);
  free(echo);
  free(article);
  free(plain);
}

static void test_canary_url(void)
{
  char *a = gw_links_canary_url("http://www.example.gov.cn", 7);
  char *b = gw_links_canary_url("http://www.example.gov.cn", 7);
  char *c = gw_links_canary_url("http://www.example.gov.cn", 8);
  char *d = gw_links_canary_url("https://www.example.gov.cn", 7);
  CHECK_STR(a, b);
  CHECK(strcmp(a, c) != 0);
  CHECK(strcmp(a, d) != 0);
  CHECK(gw_str_starts(a, "http://www.example.gov.cn/govwatch-404-check-"));
  CHECK(gw_str_ends(a, ".html"));
  CHECK_INT(strlen(a), strlen("http://www.example.gov.cn/govwatch-404-check-") + 16 + 5);
  free(a);
  free(b);
  free(c);
  free(d);
}

/* ---- analysis and findings over a synthetic crawl ---- */

static const char *const g_only[] = {"links.broken"};

struct probe_log {
  int calls;
  char last[256];
  int status;
  const char *body;
  bool fail;
};

static int fake_probe(void *pctx, const struct gw_probe_req *req, struct gw_probe_result *out)
{
  struct probe_log *p = pctx;
  p->calls++;
  gw_strlcpy(p->last, req->url, sizeof p->last);
  if (p->fail)
    return gw_err_set(GW_ENET, "probe of %s failed for the test", req->url);
  memset(out, 0, sizeof *out);
  out->url = gw_strdup(req->url);
  out->status = p->status;
  out->error = p->status >= 400 ? GW_FE_HTTP : GW_FE_NONE;
  out->method = gw_strdup("GET");
  out->content_type = gw_strdup("text/html; charset=UTF-8");
  out->body = gw_strdup(p->body);
  out->body_len = strlen(p->body);
  out->fetched_at = 1743393000;
  out->retry_after = -1;
  return GW_OK;
}

struct site_rows {
  int64_t home, page2, ok, missing, soft, dns, blocked, auth, loop, redirected, trap, five, article;
};

/* A crawl as the crawler would record it: the homepage and one other page
 * link targets of every kind. */
static void build(struct fx *x, struct site_rows *r, char **bodies)
{
  bodies[0] = fx_page("青溪县示例局", "<p>首页</p>");
  bodies[1] = fx_page("提示信息", "<h2>页面不存在</h2><p>对不起，您访问的页面不存在或已被删除。</p>");
  bodies[2] = fx_page("关于调整办事指南的通知",
                      "<h1>关于调整办事指南的通知</h1><p>部分群众反映在网站上找不到不动产登记的办事指南。经研究，"
                      "现将不动产登记、户籍办理、社会保障等事项的办事指南统一调整到“政务服务”栏目。</p>");
  bodies[3] = fx_page("今日青溪", "<p>列表</p>");
  struct fx_row rows[] = {
    {.url = "http://www.example.gov.cn/", .internal = true, .state = GW_URL_DONE, .status = 200, .body = bodies[0]},
    {.url = "http://www.example.gov.cn/col/1/", .internal = true, .depth = 1, .state = GW_URL_DONE, .status = 200,
     .body = bodies[3]},
    {.url = "http://www.example.gov.cn/ok.html", .internal = true, .depth = 1, .state = GW_URL_DONE, .status = 200,
     .body = bodies[3]},
    {.url = "http://www.example.gov.cn/gone.html", .internal = true, .depth = 1, .state = GW_URL_DONE,
     .status = 404, .error = GW_FE_HTTP, .error_text = "HTTP 404"},
    {.url = "http://www.example.gov.cn/art/2021/1.html", .internal = true, .depth = 2, .state = GW_URL_DONE,
     .status = 200, .body = bodies[1], .title = "提示信息"},
    {.url = "http://www.old.example.gov.cn/", .kind = GW_URL_EXTERNAL, .depth = 1, .state = GW_URL_FAILED,
     .error = GW_FE_DNS, .error_text = "Could not resolve host", .attempts = 1},
    {.url = "http://www.waf.example.cn/a", .kind = GW_URL_EXTERNAL, .depth = 1, .state = GW_URL_DONE,
     .status = 403, .error = GW_FE_BLOCKED},
    {.url = "http://www.example.gov.cn/admin/", .internal = true, .depth = 1, .state = GW_URL_DONE, .status = 401,
     .error = GW_FE_HTTP},
    {.url = "http://www.example.gov.cn/loop/a", .internal = true, .depth = 2, .state = GW_URL_FAILED, .status = 302,
     .error = GW_FE_REDIRECT_LOOP, .redirects = 2,
     .chain = "[{\"url\":\"http://www.example.gov.cn/loop/a\",\"status\":302,\"location\":\"/loop/b\"},"
              "{\"url\":\"http://www.example.gov.cn/loop/b\",\"status\":302,\"location\":\"/loop/a\"}]",
     .final_url = "http://www.example.gov.cn/loop/a", .error_text = "redirect loop"},
    {.url = "http://www.example.gov.cn/old/", .internal = true, .depth = 1, .state = GW_URL_DONE, .status = 200,
     .redirects = 1, .final_url = "http://www.example.gov.cn/col/1/",
     .chain = "[{\"url\":\"http://www.example.gov.cn/old/\",\"status\":301,\"location\":\"/col/1/\"}]"},
    {.url = "http://www.example.gov.cn/cal/?m=2025-04", .internal = true, .depth = 2, .state = GW_URL_SKIPPED,
     .skip = GW_SKIP_TRAP},
    {.url = "http://www.example.gov.cn/api/", .internal = true, .depth = 1, .kind = GW_URL_RESOURCE,
     .state = GW_URL_DONE, .status = 503, .error = GW_FE_HTTP, .attempts = 3},
    {.url = "http://www.example.gov.cn/art/2025/2.html", .internal = true, .depth = 2, .state = GW_URL_DONE,
     .status = 200, .body = bodies[2]},
  };
  int64_t ids[sizeof rows / sizeof rows[0]];
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
    ids[i] = fx_add(x, x->crawl_id, &rows[i]);
  r->home = ids[0];
  r->page2 = ids[1];
  r->ok = ids[2];
  r->missing = ids[3];
  r->soft = ids[4];
  r->dns = ids[5];
  r->blocked = ids[6];
  r->auth = ids[7];
  r->loop = ids[8];
  r->redirected = ids[9];
  r->trap = ids[10];
  r->five = ids[11];
  r->article = ids[12];
  /* homepage */
  int s = 0;
  fx_link(x, r->home, s++, r->page2, "a", "政务公开", true, 5, 0);
  fx_link(x, r->home, s++, r->ok, "a", "正常页面", true, 6, 0);
  fx_link(x, r->home, s++, r->missing, "a", "旧通知", true, 7, 0);
  fx_link(x, r->home, s++, r->missing, "a", "旧通知（更多）", true, 8, 0);
  fx_link(x, r->home, s++, r->dns, "a", "旧版网站", true, 9, 0);
  fx_link(x, r->home, s++, r->dns, "a", "澳门博彩", true, 90, 1u /* display:none */);
  fx_link(x, r->home, s++, r->blocked, "a", "防火墙后的页面", true, 10, 0);
  fx_link(x, r->home, s++, r->redirected, "a", "旧栏目", true, 11, 0);
  fx_link(x, r->home, s++, r->trap, "a", "日历", true, 12, 0);
  fx_link(x, r->home, s++, r->five, "script", "", true, 3, 0);
  /* another page */
  s = 0;
  fx_link(x, r->page2, s++, r->missing, "a", "旧通知", false, 20, 0);
  fx_link(x, r->page2, s++, r->soft, "a", "我县召开2021年一季度经济形势分析会", false, 21, 0);
  fx_link(x, r->page2, s++, r->auth, "a", "后台", false, 22, 0);
  fx_link(x, r->page2, s++, r->loop, "a", "办事指南", false, 23, 0);
  fx_link(x, r->page2, s++, r->article, "a", "通知", false, 24, 0);
  fx_link(x, r->ok, 0, r->missing, "img", "示意图", false, 30, 0);
}

static const struct gw_link_target *target(const struct gw_link_report *r, int64_t id)
{
  for (size_t i = 0; i < r->n; i++)
    if (r->v[i].id == id)
      return &r->v[i];
  return NULL;
}

static void test_analyze(void)
{
  struct fx x;
  fx_open(&x);
  struct site_rows rows;
  char *bodies[4];
  build(&x, &rows, bodies);
  struct gw_check_view *v = NULL;
  CHECK_INT(gw_check_view_open(&v, x.st, x.crawl_id, 0), GW_OK);
  struct probe_log pl;
  memset(&pl, 0, sizeof pl);
  pl.status = 404;
  pl.body = bodies[1];
  struct gw_links_opts o;
  memset(&o, 0, sizeof o);
  o.probe = fake_probe;
  o.probe_ctx = &pl;
  struct gw_link_report r;
  CHECK_INT(gw_links_analyze(v, &o, &r), GW_OK);
  CHECK_INT(pl.calls, 1); /* one canary for the one internal origin */
  CHECK(gw_str_starts(pl.last, "http://www.example.gov.cn/govwatch-404-check-"));
  CHECK_STR(r.homepage, "http://www.example.gov.cn/");
  CHECK_INT(r.n, 13);
  CHECK_INT(r.linked, 12); /* all but the homepage */
  CHECK_INT(r.n_canaries, 1);
  CHECK(r.canaries[0].asked);
  CHECK_INT(r.canaries[0].status, 404);
  CHECK_INT(r.canaries[0].soft404s, 1);
  CHECK_STR(r.canaries[0].title, "提示信息");

  const struct gw_link_target *t = target(&r, rows.missing);
  CHECK_INT(t->cls, GW_LC_BROKEN);
  CHECK_INT(t->reason, GW_LR_HTTP_4XX);
  CHECK_INT(t->occurrences, 4);
  CHECK_INT(t->pages, 3);
  CHECK_INT(t->home_occurrences, 2);
  CHECK_INT(t->other_occurrences, 2);
  CHECK_INT(t->other_pages, 2);
  CHECK_INT(t->n_src, 4);
  CHECK(!t->src_truncated);
  CHECK_STR(t->src[0].page, "http://www.example.gov.cn/");
  CHECK_STR(t->src[0].anchor, "旧通知");
  CHECK_INT(t->src[0].line, 7);
  CHECK(t->src[0].on_homepage);
  CHECK_STR(t->src[3].tag, "img");
  char buf[512];
  CHECK_STR(gw_links_describe(t, buf, sizeof buf), "返回 HTTP 404");

  t = target(&r, rows.soft);
  CHECK_INT(t->cls, GW_LC_BROKEN);
  CHECK_INT(t->reason, GW_LR_SOFT_404);
  CHECK(!t->soft404.weak);
  CHECK(t->canary == 0);
  CHECK_STR(gw_links_describe(t, buf, sizeof buf), "软404：页面返回200但内容为错误页");

  t = target(&r, rows.article);
  CHECK_INT(t->cls, GW_LC_OK); /* mentions 找不到, but is no error page */
  t = target(&r, rows.ok);
  CHECK_INT(t->cls, GW_LC_OK);
  t = target(&r, rows.dns);
  CHECK_INT(t->cls, GW_LC_BROKEN);
  CHECK_INT(t->reason, GW_LR_DNS);
  CHECK_INT(t->home_occurrences, 2);
  CHECK_STR(gw_links_describe(t, buf, sizeof buf), "域名 www.old.example.gov.cn 无法解析");
  t = target(&r, rows.blocked);
  CHECK_INT(t->cls, GW_LC_UNKNOWN);
  CHECK_CONTAINS(gw_links_describe(t, buf, sizeof buf), "返回 HTTP 403");
  t = target(&r, rows.auth);
  CHECK_INT(t->cls, GW_LC_UNKNOWN);
  CHECK_INT(t->reason, GW_LR_AUTH);
  t = target(&r, rows.loop);
  CHECK_INT(t->cls, GW_LC_BROKEN);
  CHECK_STR(gw_links_describe(t, buf, sizeof buf),
            "重定向循环：http://www.example.gov.cn/loop/a → http://www.example.gov.cn/loop/b → "
            "http://www.example.gov.cn/loop/a");
  t = target(&r, rows.redirected);
  CHECK_INT(t->cls, GW_LC_REDIRECTED);
  CHECK_CONTAINS(gw_links_describe(t, buf, sizeof buf), "经 1 次重定向到 http://www.example.gov.cn/col/1/");
  t = target(&r, rows.trap);
  CHECK_INT(t->cls, GW_LC_UNCHECKED);
  CHECK_CONTAINS(gw_links_describe(t, buf, sizeof buf), "未检查");
  t = target(&r, rows.five);
  CHECK_INT(t->cls, GW_LC_BROKEN);
  CHECK_STR(gw_links_describe(t, buf, sizeof buf), "返回 HTTP 503，共尝试 3 次");
  t = target(&r, rows.home);
  CHECK_INT(t->occurrences, 0);

  CHECK_INT(r.by_class[GW_LC_BROKEN], 5); /* missing, soft, dns, loop, 503 */
  CHECK_INT(r.by_class[GW_LC_UNKNOWN], 2);
  CHECK_INT(r.by_class[GW_LC_OK], 3);
  CHECK_INT(r.by_class[GW_LC_REDIRECTED], 1);
  CHECK_INT(r.by_class[GW_LC_UNCHECKED], 1);
  gw_link_report_free(&r);

  /* a failing canary: recorded, and the soft 404 (not tiny) is not claimed */
  pl.fail = true;
  CHECK_INT(gw_links_analyze(v, &o, &r), GW_OK);
  CHECK_INT(r.n_canaries, 1);
  CHECK(r.canaries[0].asked);
  CHECK_CONTAINS(r.canaries[0].error_text, "failed for the test");
  CHECK_INT(target(&r, rows.soft)->cls, GW_LC_OK);
  gw_link_report_free(&r);

  /* a site that never says 404: the canary answers 200 with the error page */
  pl.fail = false;
  pl.status = 200;
  CHECK_INT(gw_links_analyze(v, &o, &r), GW_OK);
  CHECK_INT(target(&r, rows.soft)->reason, GW_LR_SOFT_404);
  CHECK_INT(target(&r, rows.article)->cls, GW_LC_OK);
  gw_link_report_free(&r);

  /* sources are capped for other pages, never for the homepage */
  o.max_sources = 1;
  CHECK_INT(gw_links_analyze(v, &o, &r), GW_OK);
  t = target(&r, rows.missing);
  CHECK_INT(t->n_src, 3); /* two homepage occurrences + one other */
  CHECK(t->src_truncated);
  CHECK_INT(t->other_occurrences, 2);
  gw_link_report_free(&r);
  o.max_sources = 0;

  /* The rows above are as an older crawler wrote them (no not-found
   * phrases kept): the bodies were looked at. A crawl since migration 10
   * keeps each parsed page's phrases, and only those pages are judged. */
  sqlite3 *db = gw_store_sqlite_db(x.st);
  char sql[160];
  snprintf(sql, sizeof sql, "UPDATE crawl_urls SET notfound = 0 WHERE crawl_id = %lld AND parsed = 1",
           (long long)x.crawl_id);
  CHECK_INT(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
  CHECK_INT(gw_links_analyze(v, &o, &r), GW_OK);
  CHECK(target(&r, rows.soft)->notfound_known);
  CHECK_INT(target(&r, rows.soft)->cls, GW_LC_OK); /* its text says nothing of the kind, as recorded */
  gw_link_report_free(&r);
  uint64_t soft_mask = gw_notfound_page("提示信息", "页面不存在 对不起，您访问的页面不存在或已被删除。",
                                        strlen("页面不存在 对不起，您访问的页面不存在或已被删除。"));
  CHECK(soft_mask != 0);
  snprintf(sql, sizeof sql, "UPDATE crawl_urls SET notfound = %lld WHERE id = %lld", (long long)soft_mask,
           (long long)rows.soft);
  CHECK_INT(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
  /* the article mentions 找不到: judged in full, and still no error page */
  snprintf(sql, sizeof sql, "UPDATE crawl_urls SET notfound = %lld WHERE id = %lld",
           (long long)gw_notfound_phrases("找不到", strlen("找不到")), (long long)rows.article);
  CHECK_INT(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
  CHECK_INT(gw_links_analyze(v, &o, &r), GW_OK);
  CHECK_INT(target(&r, rows.soft)->reason, GW_LR_SOFT_404);
  CHECK_INT(target(&r, rows.article)->cls, GW_LC_OK);
  gw_link_report_free(&r);

  gw_check_view_free(&v);
  for (int i = 0; i < 4; i++)
    free(bodies[i]);
  fx_close(&x);
}

struct got {
  size_t n;
  json_t *all; /* key -> {rule, url, target, locator, snippet, title, detail, observed, needs_review} */
};

static int got_row(void *ctx, const struct gw_finding_row *r)
{
  struct got *g = ctx;
  json_t *o = json_object();
  json_object_set_new(o, "rule", json_string(r->f.rule));
  json_object_set_new(o, "url", json_string(r->f.url));
  json_object_set_new(o, "target", json_string(r->f.target));
  json_object_set_new(o, "locator", r->f.locator ? json_string(r->f.locator) : json_null());
  json_object_set_new(o, "snippet", r->f.snippet ? json_string(r->f.snippet) : json_null());
  json_object_set_new(o, "title", json_string(r->f.title));
  json_object_set_new(o, "detail", json_string(r->f.detail));
  json_object_set_new(o, "needs_review", json_boolean(r->f.needs_review));
  json_object_set_new(o, "severity", json_integer(r->f.severity));
  json_object_set_new(o, "fingerprint", json_string(r->fingerprint));
  json_error_t je;
  json_object_set_new(o, "observed", json_loads(r->f.observed_json, 0, &je));
  json_object_set_new(g->all, r->f.key, o);
  g->n++;
  return 0;
}

static void test_findings(void)
{
  struct fx x;
  fx_open(&x);
  struct site_rows rows;
  char *bodies[4];
  build(&x, &rows, bodies);
  struct probe_log pl;
  memset(&pl, 0, sizeof pl);
  pl.status = 404;
  pl.body = bodies[1];
  struct gw_check_run_opts o;
  memset(&o, 0, sizeof o);
  o.only = g_only; /* other checks of the registry find other things in this fixture */
  o.n_only = 1;
  o.probe = fake_probe;
  o.probe_ctx = &pl;
  struct gw_check_run_report rep;
  CHECK_INT(gw_check_run_site(x.st, &x.site, &o, &rep), GW_OK);
  CHECK_INT(rep.failed, 0);
  struct got g = {0, json_object()};
  CHECK_INT(gw_store_finding_each(x.st, rep.run_id, "links.broken", got_row, &g), GW_OK);
  /* homepage: the 404 (two occurrences: one finding), the DNS failure, the
   * 503 script; other pages: the 404 (two pages), the soft 404, the loop */
  CHECK_INT(g.n, 6);
  CHECK_INT(rep.findings, 6 + other_checks_findings(&rep));
  const char *home_missing = "homepage|http://www.example.gov.cn/gone.html";
  const char *other_missing = "other|http://www.example.gov.cn/gone.html";
  json_t *f = json_object_get(g.all, home_missing);
  CHECK(f != NULL);
  CHECK_STR(fx_jget(f, "rule"), "link.broken.homepage");
  CHECK_STR(fx_jget(f, "title"), "首页链接不可用");
  CHECK_STR(fx_jget(f, "url"), "http://www.example.gov.cn/");
  CHECK_STR(fx_jget(f, "target"), "http://www.example.gov.cn/gone.html");
  CHECK_STR(fx_jget(f, "locator"), "第 7 行 <a>");
  CHECK_STR(fx_jget(f, "snippet"), "旧通知");
  CHECK_STR(fx_jget(f, "needs_review"), "false");
  CHECK_CONTAINS(fx_jget(f, "detail"), "首页（第 7 行 <a>）的链接“旧通知”指向 http://www.example.gov.cn/gone.html，返回 HTTP 404");
  CHECK_CONTAINS(fx_jget(f, "detail"), "首页共 2 处链接指向该地址");
  CHECK_CONTAINS(fx_jget(f, "detail"), "检测时间 2025-03-31 11:58:00");
  CHECK_STR(fx_jget(f, "observed.status"), "404");
  CHECK_STR(fx_jget(f, "observed.scope"), "homepage");
  CHECK_STR(fx_jget(f, "observed.class"), "broken");
  CHECK_STR(fx_jget(f, "observed.reason"), "http_4xx");
  CHECK_STR(fx_jget(f, "observed.occurrences"), "2");
  CHECK_STR(fx_jget(f, "observed.sources.1.anchor"), "旧通知（更多）");
  CHECK_STR(fx_jget(f, "observed.fetched_at"), "2025-03-31T11:58:00+08:00");
  f = json_object_get(g.all, other_missing);
  CHECK(f != NULL);
  CHECK_STR(fx_jget(f, "rule"), "link.broken.other");
  CHECK_STR(fx_jget(f, "title"), "其他页面链接不可用");
  CHECK_STR(fx_jget(f, "url"), "http://www.example.gov.cn/col/1/");
  CHECK_STR(fx_jget(f, "observed.pages"), "2");
  CHECK_STR(fx_jget(f, "observed.sources.1.page"), "http://www.example.gov.cn/ok.html");
  CHECK_STR(fx_jget(f, "observed.sources.1.tag"), "img");
  CHECK_CONTAINS(fx_jget(f, "detail"), "2 个页面共 2 处链接指向 http://www.example.gov.cn/gone.html");
  CHECK_CONTAINS(fx_jget(f, "detail"), "http://www.example.gov.cn/ok.html（第 30 行 <img>“示意图”）");
  /* the two scopes share the object (target), so the rule set's
   * `supersedes` can drop the other-page deduction */
  CHECK_STR(fx_jget(json_object_get(g.all, home_missing), "target"), fx_jget(f, "target"));

  f = json_object_get(g.all, "other|http://www.example.gov.cn/art/2021/1.html");
  CHECK(f != NULL);
  CHECK_CONTAINS(fx_jget(f, "detail"), "软404：页面返回200但内容为错误页");
  CHECK_STR(fx_jget(f, "observed.reason"), "soft_404");
  CHECK_STR(fx_jget(f, "observed.soft_404.canary_status"), "404");
  CHECK_STR(fx_jget(f, "observed.soft_404.server_distinguishes"), "true");
  CHECK_STR(fx_jget(f, "observed.soft_404.weak"), "false");
  CHECK_STR(fx_jget(f, "observed.soft_404.page_title"), "提示信息");
  CHECK_STR(fx_jget(f, "needs_review"), "false");

  f = json_object_get(g.all, "homepage|http://www.old.example.gov.cn/");
  CHECK(f != NULL);
  CHECK_CONTAINS(fx_jget(f, "detail"), "域名 www.old.example.gov.cn 无法解析");
  CHECK_STR(fx_jget(f, "observed.sources.1.hidden"), "display:none");
  CHECK_STR(fx_jget(f, "observed.error"), "dns");

  f = json_object_get(g.all, "other|http://www.example.gov.cn/loop/a");
  CHECK(f != NULL);
  CHECK_CONTAINS(fx_jget(f, "detail"), "重定向循环");
  CHECK_STR(fx_jget(f, "observed.redirect_chain.1.location"), "/loop/a");

  f = json_object_get(g.all, "homepage|http://www.example.gov.cn/api/");
  CHECK(f != NULL);
  CHECK_STR(fx_jget(f, "observed.status"), "503");

  /* never findings: 403 blocked, 401, redirected, the trap, the article */
  CHECK(json_object_get(g.all, "homepage|http://www.waf.example.cn/a") == NULL);
  CHECK(json_object_get(g.all, "other|http://www.example.gov.cn/admin/") == NULL);
  CHECK(json_object_get(g.all, "homepage|http://www.example.gov.cn/old/") == NULL);
  CHECK(json_object_get(g.all, "homepage|http://www.example.gov.cn/cal/?m=2025-04") == NULL);
  CHECK(json_object_get(g.all, "other|http://www.example.gov.cn/art/2025/2.html") == NULL);

  /* a second run on the same crawl: the same identities and fingerprints */
  int64_t run = rep.run_id;
  gw_check_run_report_clear(&rep);
  CHECK_INT(gw_check_run_site(x.st, &x.site, &o, &rep), GW_OK);
  CHECK_INT(rep.run_id, run);
  struct got g2 = {0, json_object()};
  CHECK_INT(gw_store_finding_each(x.st, rep.run_id, "links.broken", got_row, &g2), GW_OK);
  CHECK_INT(g2.n, 6);
  const char *key;
  json_t *val;
  json_object_foreach(g.all, key, val) {
    json_t *other = json_object_get(g2.all, key);
    CHECK_MSG(other != NULL, "key %s in both runs", key);
    if (other)
      CHECK_STR(fx_jget(val, "fingerprint"), fx_jget(other, "fingerprint"));
  }
  gw_check_run_report_clear(&rep);
  json_decref(g.all);
  json_decref(g2.all);
  for (int i = 0; i < 4; i++)
    free(bodies[i]);
  fx_close(&x);
}

/* A tiny error page is a soft 404 without any canary, flagged for review. */
static void test_tiny_without_probe(void)
{
  struct fx x;
  fx_open(&x);
  char *home = fx_page("青溪县示例局", "<p>首页</p>");
  struct fx_row hr = {.url = "http://www.example.gov.cn/", .internal = true, .state = GW_URL_DONE, .status = 200,
                      .body = home};
  int64_t h = fx_add(&x, x.crawl_id, &hr);
  struct fx_row tr = {.url = "http://www.example.gov.cn/x.html", .internal = true, .depth = 1,
                      .state = GW_URL_DONE, .status = 200,
                      .body = "<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1>"
                              "<hr><center>nginx</center></body></html>"};
  int64_t t = fx_add(&x, x.crawl_id, &tr);
  fx_link(&x, h, 0, t, "a", "某页", true, 4, 0);
  struct gw_check_run_opts o;
  memset(&o, 0, sizeof o);
  o.only = g_only; /* other checks of the registry find other things in this fixture */
  o.n_only = 1;
  struct gw_check_run_report rep;
  CHECK_INT(gw_check_run_site(x.st, &x.site, &o, &rep), GW_OK);
  struct got g = {0, json_object()};
  CHECK_INT(gw_store_finding_each(x.st, rep.run_id, "links.broken", got_row, &g), GW_OK);
  CHECK_INT(g.n, 1);
  json_t *f = json_object_get(g.all, "homepage|http://www.example.gov.cn/x.html");
  CHECK(f != NULL);
  CHECK_STR(fx_jget(f, "needs_review"), "true");
  CHECK_STR(fx_jget(f, "observed.soft_404.weak"), "true");
  CHECK_STR(fx_jget(f, "observed.soft_404.canary_asked"), "false");
  json_decref(g.all);
  gw_check_run_report_clear(&rep);
  free(home);
  fx_close(&x);
}

int main(void)
{
  test_classify();
  test_phrases();
  test_judge();
  test_canary_url();
  test_analyze();
  test_findings();
  test_tiny_without_probe();
  return gw_test_done();
}
