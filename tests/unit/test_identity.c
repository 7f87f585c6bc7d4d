/* Site identity: the pure helpers (government domain, 找错 site_code,
 * conac record page) and the checks identity.footer and identity.domain
 * over synthetic crawls: a clean site, every footer problem, the page
 * sample and its cap, a wrong code shown only in the meta, a non-.gov.cn
 * domain and redirects that leave it. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "checks/check.h"
#include "checks/identity.h"
#include "checks_fixture.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/str.h"
#include "tap.h"

static void test_helpers(void)
{
  CHECK(gw_identity_domain_ok("www.qingxi.gov.cn"));
  CHECK(gw_identity_domain_ok("gov.cn"));
  CHECK(gw_identity_domain_ok("WWW.BEIJING.GOV.CN"));
  CHECK(gw_identity_domain_ok("www.qingxi.gov.cn."));
  CHECK(gw_identity_domain_ok("青溪县.政务"));
  CHECK(gw_identity_domain_ok("xn--abc.xn--zfr164b"));
  CHECK(!gw_identity_domain_ok("www.qingxi.com"));
  CHECK(!gw_identity_domain_ok("www.qingxigov.cn"));
  CHECK(!gw_identity_domain_ok("www.gov.cn.evil.com"));
  CHECK(!gw_identity_domain_ok("政务"));
  CHECK(!gw_identity_domain_ok("xn--zfr164b"));
  CHECK(!gw_identity_domain_ok(""));
  CHECK(!gw_identity_domain_ok(NULL));

  char c[32];
  CHECK(gw_identity_jiucuo_code("https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=3399220005&url=x", c,
                                sizeof c));
  CHECK_STR(c, "3399220005");
  CHECK(gw_identity_jiucuo_code("http://x/jiucuo.html?url=http%3A%2F%2Fa&SITE_CODE=bm64130001#top", c, sizeof c));
  CHECK_STR(c, "bm64130001");
  CHECK(gw_identity_jiucuo_code("http://x/jiucuo.html?sitecode=3399220001", c, sizeof c));
  CHECK_STR(c, "3399220001");
  CHECK(!gw_identity_jiucuo_code("http://x/jiucuo.html?site_code=&url=x", c, sizeof c));
  CHECK(!gw_identity_jiucuo_code("http://x/jiucuo.html?my_site_code=1", c, sizeof c));
  CHECK(!gw_identity_jiucuo_code("http://x/jiucuo.html", c, sizeof c));
  CHECK(!gw_identity_jiucuo_code("http://x/j?site_code=33992200051234567890", c, 8)); /* does not fit */

  CHECK(gw_identity_conac_record("http://bszs.conac.cn/sitename?method=show&id=0123"));
  CHECK(gw_identity_conac_record("https://bszs.conac.cn/"));
  CHECK(!gw_identity_conac_record("http://dcs.conac.cn/image/red.png"));
  CHECK(!gw_identity_conac_record("http://bszs.conac.cn.evil.com/"));
}

/* ---- synthetic crawls ---- */

#define CODE "3399229001"
#define CONAC "<a href=\"http://bszs.conac.cn/sitename?method=show&amp;id=ABC\"><img src=\"http://dcs.conac.cn/image/red.png\" alt=\"党政机关\"></a>"
#define JIUCUO(code) "<a href=\"https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=" code "&amp;url=x\">我为政府网站找错</a>"
#define IDS(code) "<p>网站标识码：" code "　浙ICP备05012345号-9　浙公网安备 33112302000109号</p>"

/* A page with `footer` as its footer and meta SiteIDCode `meta` (NULL none). */
static char *page(const char *title, const char *meta, const char *footer)
{
  struct gw_buf b = GW_BUF_INIT;
  gw_buf_printf(&b, "<html><head><meta charset=\"utf-8\"><title>%s</title>", title);
  if (meta)
    gw_buf_printf(&b, "<meta name=\"SiteIDCode\" content=\"%s\">", meta);
  gw_buf_printf(&b, "</head><body><div class=\"main\"><h1>%s</h1><p>正文内容。</p></div>"
                    "<div class=\"footer\"><p>主办单位：青溪县示例局　联系电话：0570-6012345</p>%s</div></body></html>",
                title, footer);
  return gw_buf_steal(&b);
}

static int64_t add_page(struct fx *x, const char *url, int depth, char *body)
{
  struct fx_row r = {0};
  r.url = url;
  r.internal = true;
  r.depth = depth;
  r.state = GW_URL_DONE;
  r.status = 200;
  r.body = body;
  int64_t id = fx_add(x, x->crawl_id, &r);
  free(body);
  return id;
}

struct got {
  size_t n;
  json_t *all; /* key -> finding */
};

static int got_row(void *ctx, const struct gw_finding_row *r)
{
  struct got *g = ctx;
  json_t *o = json_object();
  json_object_set_new(o, "rule", json_string(r->f.rule));
  json_object_set_new(o, "check", json_string(r->f.check));
  json_object_set_new(o, "url", json_string(r->f.url));
  json_object_set_new(o, "target", r->f.target ? json_string(r->f.target) : json_null());
  json_object_set_new(o, "locator", r->f.locator ? json_string(r->f.locator) : json_null());
  json_object_set_new(o, "title", json_string(r->f.title));
  json_object_set_new(o, "detail", json_string(r->f.detail));
  json_object_set_new(o, "severity", json_integer(r->f.severity));
  json_error_t je;
  json_object_set_new(o, "observed", json_loads(r->f.observed_json, 0, &je));
  json_object_set_new(g->all, r->f.key, o);
  g->n++;
  return 0;
}

/* Run the checks `only` on fx's site; the findings by key into g. */
static void run(struct fx *x, const char *only, struct got *g)
{
  const char *ids[1] = {only};
  struct gw_check_run_opts o;
  memset(&o, 0, sizeof o);
  o.only = ids;
  o.n_only = 1;
  struct gw_check_run_report rep;
  g->n = 0;
  g->all = json_object();
  CHECK_INT(gw_check_run_site(x->st, &x->site, &o, &rep), GW_OK);
  CHECK_INT(rep.failed, 0);
  CHECK_INT(gw_store_finding_each(x->st, rep.run_id, only, got_row, g), GW_OK);
  CHECK_INT(rep.findings, g->n);
  gw_check_run_report_clear(&rep);
}

static void test_footer_clean(void)
{
  struct fx x;
  fx_open(&x);
  const char *foot = CONAC JIUCUO(CODE) IDS(CODE);
  add_page(&x, "http://www.example.gov.cn/", 0, page("首页", NULL, foot));
  add_page(&x, "http://www.example.gov.cn/a.html", 1, page("文章", CODE, foot));
  struct got g;
  run(&x, "identity.footer", &g);
  CHECK_INT(g.n, 0);
  json_decref(g.all);
  fx_close(&x);
}

static void test_footer_missing(void)
{
  struct fx x;
  fx_open(&x);
  /* fx_page: code, ICP and 公安备案, but neither badge nor 找错 */
  char *home = fx_page("首页", "<p>欢迎</p>");
  add_page(&x, "http://www.example.gov.cn/", 0, home);
  add_page(&x, "http://www.example.gov.cn/a.html", 1, fx_page("文章", "<p>正文</p>"));
  struct got g;
  run(&x, "identity.footer", &g);
  CHECK_INT(g.n, 2);
  json_t *f = json_object_get(g.all, "conac.missing");
  CHECK(f != NULL);
  CHECK_STR(fx_jget(f, "rule"), "identity.footer");
  CHECK_STR(fx_jget(f, "check"), "identity.footer");
  CHECK_STR(fx_jget(f, "title"), "页面底部缺少党政机关网站标识");
  CHECK_STR(fx_jget(f, "url"), "http://www.example.gov.cn/");
  CHECK_STR(fx_jget(f, "severity"), "2");
  CHECK_STR(fx_jget(f, "observed.pages_sampled"), "2");
  CHECK_STR(fx_jget(f, "observed.pages_affected"), "2");
  CHECK_STR(fx_jget(f, "observed.homepage_affected"), "true");
  CHECK_STR(fx_jget(f, "observed.pages.1.url"), "http://www.example.gov.cn/a.html");
  CHECK_CONTAINS(fx_jget(f, "detail"), "抽查本网站 2 个页面（含首页），其中 2 个页面未发现党政机关网站标识");
  CHECK_CONTAINS(fx_jget(f, "locator"), "页面底部");
  f = json_object_get(g.all, "jiucuo.missing");
  CHECK(f != NULL);
  CHECK_STR(fx_jget(f, "rule"), "jiucuo.missing");
  CHECK_STR(fx_jget(f, "title"), "未放置“我为政府网站找错”入口");
  json_decref(g.all);
  fx_close(&x);
}

static void test_footer_wrong(void)
{
  struct fx x;
  fx_open(&x);
  /* homepage: a badge image that opens nothing, the 找错 entry with another
   * site's code, no ICP or 公安备案 */
  add_page(&x, "http://www.example.gov.cn/", 0,
           page("首页", NULL,
                "<img src=\"http://dcs.conac.cn/image/red.png\" alt=\"党政机关\">" JIUCUO("3399229002")
                "<p>网站标识码：" CODE "</p>"));
  /* a page that shows a wrong code */
  add_page(&x, "http://www.example.gov.cn/b.html", 1, page("文章乙", NULL, CONAC JIUCUO(CODE) IDS("3399229009")));
  /* a page whose footer is right and whose meta is wrong */
  add_page(&x, "http://www.example.gov.cn/c.html", 1, page("文章丙", "3399229008", CONAC JIUCUO(CODE) IDS(CODE)));
  /* a page without a code at all */
  add_page(&x, "http://www.example.gov.cn/d.html", 2,
           page("文章丁", NULL, CONAC JIUCUO(CODE) "<p>浙ICP备05012345号-9　浙公网安备 33112302000109号</p>"));
  struct got g;
  run(&x, "identity.footer", &g);
  CHECK_INT(g.n, 6);
  json_t *f = json_object_get(g.all, "conac.unlinked");
  CHECK(f != NULL);
  CHECK_STR(fx_jget(f, "observed.pages_affected"), "1");
  CHECK_STR(fx_jget(f, "observed.pages_sampled"), "4");
  f = json_object_get(g.all, "code.wrong");
  CHECK(f != NULL);
  CHECK_STR(fx_jget(f, "rule"), "identity.code");
  CHECK_STR(fx_jget(f, "title"), "网站标识码与登记信息不符");
  CHECK_STR(fx_jget(f, "observed.pages_affected"), "2");
  CHECK_STR(fx_jget(f, "observed.homepage_affected"), "false");
  CHECK_STR(fx_jget(f, "observed.register_code"), CODE);
  CHECK_STR(fx_jget(f, "observed.pages.0.url"), "http://www.example.gov.cn/b.html");
  CHECK_STR(fx_jget(f, "observed.pages.0.seen"), "3399229009");
  CHECK_STR(fx_jget(f, "observed.pages.1.seen"), "meta SiteIDCode 3399229008");
  CHECK_STR(fx_jget(f, "target"), "3399229009");
  CHECK_STR(fx_jget(f, "url"), "http://www.example.gov.cn/");
  CHECK_CONTAINS(fx_jget(f, "detail"), "登记的网站标识码为 3399229001，页面展示为 3399229009");
  f = json_object_get(g.all, "code.missing");
  CHECK(f != NULL);
  CHECK_STR(fx_jget(f, "rule"), "identity.code");
  CHECK_STR(fx_jget(f, "observed.pages.0.url"), "http://www.example.gov.cn/d.html");
  f = json_object_get(g.all, "icp.missing");
  CHECK(f != NULL);
  CHECK_STR(fx_jget(f, "observed.pages_affected"), "1");
  CHECK_STR(fx_jget(f, "observed.homepage_affected"), "true");
  CHECK(json_object_get(g.all, "psb.missing") != NULL);
  f = json_object_get(g.all, "jiucuo.code");
  CHECK(f != NULL);
  CHECK_STR(fx_jget(f, "rule"), "jiucuo.missing");
  CHECK_STR(fx_jget(f, "observed.pages.0.seen"), "3399229002");
  CHECK_CONTAINS(fx_jget(f, "detail"), "页面展示为 3399229002");
  json_decref(g.all);
  fx_close(&x);
}

static void test_footer_sample(void)
{
  struct fx x;
  fx_open(&x);
  add_page(&x, "http://www.example.gov.cn/", 0, fx_page("首页", "<p>欢迎</p>"));
  char url[64];
  for (int i = 0; i < 45; i++) {
    snprintf(url, sizeof url, "http://www.example.gov.cn/p%02d.html", i);
    add_page(&x, url, 1 + i % 3, fx_page("文章", "<p>正文</p>"));
  }
  /* an error page, a resource and an external page are never sampled */
  struct fx_row r = {0};
  r.url = "http://www.example.gov.cn/gone.html";
  r.internal = true;
  r.depth = 1;
  r.state = GW_URL_DONE;
  r.status = 404;
  r.error = GW_FE_HTTP;
  r.body = "<html><body>页面不存在</body></html>";
  fx_add(&x, x.crawl_id, &r);
  struct got g;
  run(&x, "identity.footer", &g);
  json_t *f = json_object_get(g.all, "conac.missing");
  CHECK(f != NULL);
  CHECK_STR(fx_jget(f, "observed.pages_sampled"), "21");
  CHECK_STR(fx_jget(f, "observed.pages_affected"), "21");
  CHECK_INT(json_array_size(json_object_get(json_object_get(f, "observed"), "pages")), GW_IDENTITY_EVIDENCE_PAGES);
  CHECK_CONTAINS(fx_jget(f, "detail"), "等 21 个页面");
  /* spread evenly: the first and the 45 * 19 / 20 = 42nd page */
  CHECK_STR(fx_jget(f, "observed.pages.1.url"), "http://www.example.gov.cn/p00.html");
  CHECK_STR(fx_jget(f, "observed.pages.2.url"), "http://www.example.gov.cn/p02.html");
  json_decref(g.all);
  fx_close(&x);
}

static void test_domain(void)
{
  struct fx x;
  fx_open(&x);
  /* a clean .gov.cn site with an internal redirect that stays inside */
  struct fx_row r = {0};
  r.url = "http://www.example.gov.cn/";
  r.internal = true;
  r.state = GW_URL_DONE;
  r.status = 200;
  r.body = "<html><body>首页</body></html>";
  fx_add(&x, x.crawl_id, &r);
  r.url = "http://www.example.gov.cn/old/";
  r.depth = 1;
  r.redirects = 1;
  r.final_url = "http://new.example.gov.cn/";
  r.chain = "[{\"url\":\"http://www.example.gov.cn/old/\",\"status\":301,\"location\":\"http://new.example.gov.cn/\"}]";
  fx_add(&x, x.crawl_id, &r);
  /* an external link that redirects anywhere is not the site's business */
  memset(&r, 0, sizeof r);
  r.url = "http://www.partner.com/";
  r.kind = GW_URL_EXTERNAL;
  r.depth = 1;
  r.state = GW_URL_DONE;
  r.status = 200;
  r.redirects = 1;
  r.final_url = "http://www.other.com/";
  fx_add(&x, x.crawl_id, &r);
  struct got g;
  run(&x, "identity.domain", &g);
  CHECK_INT(g.n, 0);
  json_decref(g.all);

  /* an internal page that redirects out, and then the homepage too */
  memset(&r, 0, sizeof r);
  r.url = "http://www.example.gov.cn/ad.html";
  r.internal = true;
  r.depth = 2;
  r.state = GW_URL_DONE;
  r.status = 200;
  r.redirects = 2;
  r.final_url = "http://www.example-ads.com/land.html";
  r.chain = "[{\"url\":\"http://www.example.gov.cn/ad.html\",\"status\":302,\"location\":\"http://a.cn/\"},"
            "{\"url\":\"http://a.cn/\",\"status\":302,\"location\":\"http://www.example-ads.com/land.html\"}]";
  fx_add(&x, x.crawl_id, &r);
  run(&x, "identity.domain", &g);
  CHECK_INT(g.n, 1);
  json_t *f = json_object_get(g.all, "redirect");
  CHECK(f != NULL);
  CHECK_STR(fx_jget(f, "rule"), "identity.domain");
  CHECK_STR(fx_jget(f, "title"), "网站页面重定向到非政府网站域名");
  CHECK_STR(fx_jget(f, "target"), "http://www.example-ads.com/land.html");
  CHECK_STR(fx_jget(f, "observed.urls_affected"), "1");
  CHECK_STR(fx_jget(f, "observed.urls.0.final_host"), "www.example-ads.com");
  CHECK_STR(fx_jget(f, "observed.urls.0.redirect_chain.1.status"), "302");
  CHECK_CONTAINS(fx_jget(f, "detail"), "http://www.example.gov.cn/ad.html → http://www.example-ads.com/land.html");
  json_decref(g.all);
  fx_close(&x);

  /* a site registered under a .com domain whose homepage redirects to another .com */
  fx_open(&x);
  int64_t sid = fx_site(&x, "某单位网站", "http://www.example.com/", "3399229005");
  gw_site_clear(&x.site);
  CHECK_INT(gw_store_site_get(x.st, sid, &x.site), GW_OK);
  x.crawl_id = fx_crawl(&x, sid, GW_CRAWL_DONE);
  memset(&r, 0, sizeof r);
  r.url = "http://www.example.com/";
  r.internal = true;
  r.state = GW_URL_DONE;
  r.status = 200;
  r.redirects = 1;
  r.final_url = "http://portal.example.com/";
  r.body = "<html><body>首页</body></html>";
  fx_add(&x, x.crawl_id, &r);
  run(&x, "identity.domain", &g);
  CHECK_INT(g.n, 2);
  f = json_object_get(g.all, "suffix");
  CHECK(f != NULL);
  CHECK_STR(fx_jget(f, "title"), "网站域名不以 .gov.cn 结尾");
  CHECK_STR(fx_jget(f, "target"), "www.example.com");
  CHECK_CONTAINS(fx_jget(f, "detail"), "域名 www.example.com 不以 .gov.cn 或 .政务 结尾");
  f = json_object_get(g.all, "redirect");
  CHECK(f != NULL);
  CHECK_STR(fx_jget(f, "title"), "首页重定向到非政府网站域名");
  CHECK_STR(fx_jget(f, "observed.homepage_affected"), "true");
  json_decref(g.all);
  fx_close(&x);
}

int main(void)
{
  test_helpers();
  test_footer_clean();
  test_footer_missing();
  test_footer_wrong();
  test_footer_sample();
  test_domain();
  return gw_test_done();
}
