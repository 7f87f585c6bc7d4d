/* Site search: the query word and URL helpers, the page model's forms,
 * and search.box over synthetic crawls: no entry (search.missing), a search
 * page link or a POST form (existence only), a GET form asked through a
 * fixture server on loopback that finds the article, finds nothing, or
 * fails; probing off. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "checks/check.h"
#include "checks/search.h"
#include "checks_fixture.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/str.h"
#include "fetch/probe.h"
#include "fixsrv.h"
#include "html/page.h"
#include "tap.h"

#define HOST "www.example.gov.cn"
#define ART1 "http://" HOST "/art/2025/3/30/1.html"
#define ART2 "http://" HOST "/art/2025/3/20/2.html"
#define TITLE1 "青溪县召开2025年春季森林防火工作会议"
#define TITLE2 "关于开展2025年度安全生产检查的通知"

static void test_helpers(void)
{
  char w[128];
  CHECK_INT(gw_search_word("【通知】关于开展2025年度安全生产检查的通知", 12, w, sizeof w), 12);
  CHECK_STR(w, "通知】关于开展2025年");
  CHECK_INT(gw_search_word("  “青溪”新闻", 12, w, sizeof w), 5);
  CHECK_STR(w, "青溪”新闻");
  CHECK_INT(gw_search_word("青溪县召开春季工作会…", 12, w, sizeof w), 10);
  CHECK_STR(w, "青溪县召开春季工作会");
  CHECK_INT(gw_search_word("Spring meeting...", 12, w, sizeof w), 12);
  CHECK_STR(w, "Spring meeti");
  CHECK_INT(gw_search_word("A b ...", 12, w, sizeof w), 3);
  CHECK_STR(w, "A b");
  CHECK_INT(gw_search_word("", 12, w, sizeof w), 0);
  CHECK_INT(gw_search_word(NULL, 12, w, sizeof w), 0);
  CHECK_INT(gw_search_word("青溪县召开", 12, w, 7), 2); /* two characters fit in 7 bytes */
  CHECK_STR(w, "青溪");

  char *u = gw_search_query_url("http://x.gov.cn/search", "q", "青溪 a&b");
  CHECK_STR(u, "http://x.gov.cn/search?q=%E9%9D%92%E6%BA%AA%20a%26b");
  free(u);
  u = gw_search_query_url("http://x.gov.cn/s.jsp?siteid=3#top", "searchword", "a-b_c.d~");
  CHECK_STR(u, "http://x.gov.cn/s.jsp?siteid=3&searchword=a-b_c.d~");
  free(u);
  u = gw_search_query_url("http://x.gov.cn/s?", "kw", "x");
  CHECK_STR(u, "http://x.gov.cn/s?kw=x");
  free(u);
}

static void test_forms(void)
{
  const char *html =
    "<html><body><form action=\"/search\" method=\"GET\"><input type=\"hidden\" name=\"siteid\" value=\"1\">"
    "<input type=\"submit\" name=\"go\"><input name=\"q\"><input type=\"text\" name=\"other\"></form>"
    "<form method=\"post\"><input type=\"search\" name=\"kw\"></form>"
    "<div style=\"display:none\"><form action=\"http://a.gov.cn/x\"><input type=\"password\" name=\"p\"></form></div>"
    "<input type=\"text\" name=\"outside\"></body></html>";
  struct gw_page_input in;
  memset(&in, 0, sizeof in);
  in.url = "http://" HOST "/dir/page.html";
  in.data = html;
  in.len = strlen(html);
  struct gw_page *p = NULL;
  CHECK_INT(gw_page_parse(&p, &in), GW_OK);
  CHECK_INT(p->n_forms, 3);
  CHECK_STR(p->forms[0].action, "http://" HOST "/search");
  CHECK_STR(p->forms[0].method, "get");
  CHECK_STR(p->forms[0].query, "q");
  CHECK_INT(p->forms[0].hidden, 0);
  CHECK_STR(p->forms[1].action, "http://" HOST "/dir/page.html");
  CHECK_STR(p->forms[1].method, "post");
  CHECK_STR(p->forms[1].query, "kw");
  CHECK(p->forms[2].query == NULL);
  CHECK(p->forms[2].hidden & GW_HIDE_DISPLAY_NONE);
  CHECK(p->forms[0].line > 0);
  gw_page_free(&p);
}

/* ---- the check ---- */

struct srv {
  int mode; /* 0 = lists what matches, 1 = finds nothing, 2 = 500 */
  int asked;
};

static int url_decode(const char *s, char *out, size_t size)
{
  size_t k = 0;
  for (; *s && *s != '&' && k + 1 < size; s++) {
    if (*s == '%' && s[1] && s[2]) {
      char hex[3] = {s[1], s[2], 0};
      out[k++] = (char)strtol(hex, NULL, 16);
      s += 2;
    } else {
      out[k++] = *s;
    }
  }
  out[k] = 0;
  return 0;
}

static int handler(void *ctx, const char *host, const char *path, const char *ua, struct gw_sample_resp *out)
{
  (void)ua;
  (void)host;
  struct srv *s = ctx;
  memset(out, 0, sizeof *out);
  gw_strlcpy(out->content_type, "text/html; charset=UTF-8", sizeof out->content_type);
  struct gw_buf b = GW_BUF_INIT;
  out->status = 200;
  if (strncmp(path, "/search?q=", 10) == 0) {
    s->asked++;
    char w[256];
    url_decode(path + 10, w, sizeof w);
    if (s->mode == 2) {
      out->status = 500;
      gw_buf_puts(&b, "<html><body>服务器错误</body></html>");
    } else {
      gw_buf_puts(&b, "<html><head><title>搜索结果</title></head><body><a href=\"/\">首页</a><ul>");
      if (s->mode == 0 && strstr(TITLE1, w))
        gw_buf_printf(&b, "<li><a href=\"%s\">%s</a></li>", ART1, TITLE1);
      if (s->mode == 0 && strstr(TITLE2, w))
        gw_buf_printf(&b, "<li><a href=\"%s\">%s</a></li>", ART2, TITLE2);
      gw_buf_puts(&b, "</ul></body></html>");
    }
  } else {
    out->status = 404;
    gw_buf_puts(&b, "<html><body>页面不存在</body></html>");
  }
  out->len = b.len;
  out->body = gw_buf_steal(&b);
  return 0;
}

static char *article(const char *title, const char *date)
{
  struct gw_buf b = GW_BUF_INIT;
  gw_buf_printf(&b, "<html><head><title>%s_青溪县示例局</title><meta name=\"ArticleTitle\" content=\"%s\">"
                    "<meta name=\"PubDate\" content=\"%s\"></head><body><h1>%s</h1><p>正文。</p></body></html>",
                title, title, date, title);
  return gw_buf_steal(&b);
}

/* A crawl: the homepage with `entry` and links to a list page and the two
 * articles. */
static void crawl(struct fx *x, const char *entry)
{
  struct gw_buf h = GW_BUF_INIT;
  gw_buf_printf(&h, "<html><head><title>青溪县示例局</title></head><body>%s<div class=\"news\">"
                    "<a href=\"/col/1/\">通知公告通知公告</a><a href=\"%s\">%s</a><a href=\"%s\">%s</a></div></body></html>",
                entry, ART2, TITLE2, ART1, TITLE1);
  struct fx_row r = {0};
  r.url = "http://" HOST "/";
  r.internal = true;
  r.state = GW_URL_DONE;
  r.status = 200;
  r.body = gw_buf_cstr(&h);
  fx_add(x, x->crawl_id, &r);
  r.depth = 1;
  r.url = "http://" HOST "/col/1/";
  r.body = "<html><head><title>通知公告</title></head><body><ul><li><a href=\"/a.html\">某通知</a>2025-03-30</li></ul></body></html>";
  fx_add(x, x->crawl_id, &r);
  char *a1 = article(TITLE1, "2025-03-30 09:00"), *a2 = article(TITLE2, "2025-03-20 09:00");
  r.url = ART1;
  r.body = a1;
  fx_add(x, x->crawl_id, &r);
  r.url = ART2;
  r.body = a2;
  fx_add(x, x->crawl_id, &r);
  free(a1);
  free(a2);
  gw_buf_free(&h);
}

struct got {
  size_t n;
  struct gw_finding f;
  json_t *obs;
};

static int got_row(void *ctx, const struct gw_finding_row *r)
{
  struct got *g = ctx;
  if (g->n++)
    return 0;
  g->f.rule = gw_strdup(r->f.rule);
  g->f.key = gw_strdup(r->f.key);
  g->f.title = gw_strdup(r->f.title);
  g->f.detail = gw_strdup(r->f.detail);
  g->f.url = gw_strdup(r->f.url);
  g->f.target = r->f.target ? gw_strdup(r->f.target) : NULL;
  g->f.locator = r->f.locator ? gw_strdup(r->f.locator) : NULL;
  g->f.needs_review = r->f.needs_review;
  json_error_t je;
  g->obs = json_loads(r->f.observed_json, 0, &je);
  return 0;
}

static void got_clear(struct got *g)
{
  gw_finding_clear(&g->f);
  json_decref(g->obs);
  memset(g, 0, sizeof *g);
}

/* Run search.box with the probe of po (NULL = probing off). */
static void run(struct fx *x, struct gw_probe_opts *po, struct got *g)
{
  const char *only[1] = {"search.box"};
  struct gw_check_run_opts o;
  memset(&o, 0, sizeof o);
  o.only = only;
  o.n_only = 1;
  o.probe = po ? gw_check_probe_network : NULL;
  o.probe_ctx = po;
  struct gw_check_run_report rep;
  memset(g, 0, sizeof *g);
  CHECK_INT(gw_check_run_site(x->st, &x->site, &o, &rep), GW_OK);
  CHECK_INT(rep.failed, 0);
  CHECK_INT(gw_store_finding_each(x->st, rep.run_id, "search.box", got_row, g), GW_OK);
  gw_check_run_report_clear(&rep);
}

static const char *jattempt(json_t *obs, size_t i, const char *k)
{
  static char buf[32];
  json_t *v = json_object_get(json_array_get(json_object_get(obs, "attempts"), i), k);
  if (json_is_integer(v)) {
    snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
    return buf;
  }
  if (json_is_boolean(v))
    return json_is_true(v) ? "true" : "false";
  return json_is_string(v) ? json_string_value(v) : "null";
}

static void test_missing(void)
{
  struct fx x;
  fx_open(&x);
  crawl(&x, "<form action=\"/login\" method=\"post\"><input type=\"password\" name=\"pw\"></form>");
  struct got g;
  run(&x, NULL, &g);
  CHECK_INT(g.n, 1);
  CHECK_STR(g.f.rule, "search.missing");
  CHECK_STR(g.f.key, "missing");
  CHECK_STR(g.f.title, "首页未提供站内搜索");
  CHECK_STR(g.f.url, "http://" HOST "/");
  CHECK_CONTAINS(g.f.detail, "没有带文本输入框的表单（共 1 个表单），也没有指向搜索页面的链接");
  CHECK_INT(json_integer_value(json_object_get(g.obs, "forms")), 1);
  got_clear(&g);
  fx_close(&x);

  /* a hidden search form does not count */
  fx_open(&x);
  crawl(&x, "<div style=\"display:none\"><form action=\"/search\"><input name=\"q\"></form></div>");
  run(&x, NULL, &g);
  CHECK_INT(g.n, 1);
  CHECK_STR(g.f.rule, "search.missing");
  got_clear(&g);
  fx_close(&x);
}

static void test_existence_only(void)
{
  const char *entries[] = {
    "<a href=\"/jsearch/index.html\">高级检索</a>",
    "<a href=\"/s/\">站内搜索</a>",
    "<form action=\"/search\" method=\"post\"><input name=\"q\"></form>",
  };
  for (size_t i = 0; i < 3; i++) {
    struct fx x;
    fx_open(&x);
    crawl(&x, entries[i]);
    struct gw_probe_opts po;
    gw_probe_opts_default(&po);
    po.mapped_only = true; /* nothing mapped: any probe would fail */
    struct got g;
    run(&x, &po, &g);
    CHECK_MSG(g.n == 0, "entry %zu: %zu findings", i, g.n);
    got_clear(&g);
    fx_close(&x);
  }
}

static void test_asked(void)
{
  struct srv s = {0, 0};
  struct gw_fixsrv_opts so;
  gw_fixsrv_opts_default(&so);
  so.handler = handler;
  so.ctx = &s;
  struct gw_fixsrv *srv = NULL;
  if (gw_fixsrv_start(&srv, &so))
    fx_die("fixsrv");
  char rule[128];
  snprintf(rule, sizeof rule, HOST ":80:127.0.0.1:%u", (unsigned)gw_fixsrv_port(srv));
  char *rules[1] = {rule};
  struct gw_probe_opts po;
  gw_probe_opts_default(&po);
  po.connect_to = rules;
  po.n_connect_to = 1;
  po.mapped_only = true;
  po.attempts = 1;

  struct fx x;
  fx_open(&x);
  crawl(&x, "<div class=\"search\"><form action=\"/search\" method=\"get\"><input type=\"text\" name=\"q\">"
            "<input type=\"submit\" value=\"搜索\"></form></div>");
  /* a working search: the newest article is found at once */
  struct got g;
  run(&x, &po, &g);
  CHECK_INT(g.n, 0);
  CHECK_INT(s.asked, 1);
  got_clear(&g);

  /* a search that finds nothing: every article tried (2), one finding */
  s.mode = 1;
  s.asked = 0;
  run(&x, &po, &g);
  CHECK_INT(g.n, 1);
  CHECK_INT(s.asked, 2);
  CHECK_STR(g.f.rule, "search.broken");
  CHECK_STR(g.f.key, "broken");
  CHECK_STR(g.f.title, "站内搜索不可用或检索不到近期文章");
  CHECK_STR(g.f.target, "http://" HOST "/search");
  CHECK_CONTAINS(g.f.locator, "首页搜索框（第 1 行 <form>）");
  CHECK(g.f.needs_review); /* an answer without the article: a person confirms */
  CHECK_CONTAINS(g.f.detail, "用首页最新 2 篇文章标题中的词语检索站内搜索，结果均未列出对应文章");
  CHECK_CONTAINS(g.f.detail, "检索“青溪县召开2025年春季”");
  CHECK_CONTAINS(g.f.detail, "返回 HTTP 200，结果页中标题含检索词的链接 0 个，未包含文章 " ART1);
  CHECK_STR(jattempt(g.obs, 0, "article"), ART1); /* the newest first */
  CHECK_STR(jattempt(g.obs, 0, "word"), "青溪县召开2025年春季");
  CHECK_STR(jattempt(g.obs, 0, "status"), "200");
  CHECK_STR(jattempt(g.obs, 0, "result_links"), "0");
  CHECK_STR(jattempt(g.obs, 0, "found"), "false");
  CHECK_STR(jattempt(g.obs, 1, "article"), ART2);
  CHECK_STR(json_string_value(json_object_get(g.obs, "form_input")), "q");
  got_clear(&g);

  /* a failing search: plain, no review */
  s.mode = 2;
  run(&x, &po, &g);
  CHECK_INT(g.n, 1);
  CHECK(!g.f.needs_review);
  CHECK_CONTAINS(g.f.detail, "（其中 2 次检索未正常返回结果页）");
  CHECK_STR(jattempt(g.obs, 0, "status"), "500");
  got_clear(&g);

  /* probing off: the box exists, nothing is asked, nothing claimed */
  s.asked = 0;
  run(&x, NULL, &g);
  CHECK_INT(g.n, 0);
  CHECK_INT(s.asked, 0);
  got_clear(&g);
  fx_close(&x);
  gw_fixsrv_stop(&srv);
}

int main(void)
{
  test_helpers();
  test_forms();
  test_missing();
  test_existence_only();
  test_asked();
  return gw_test_done();
}
