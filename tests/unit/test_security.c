/* Security checks: the page model's added hiding rules and their visible
 * look-alikes, document.write anchors, dict/security loading and errors,
 * keyword and host matching, homepage signatures and their differences,
 * the cloaking comparison, the baselines store, and the three checks run
 * over a stored crawl (hidden spam, look-alikes that are no finding, meta
 * refresh, scripts, cloaking through a fake probe, defacement against the
 * baseline and its acceptance). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "checks/check.h"
#include "checks/security.h"
#include "checks_fixture.h"
#include "core/alloc.h"
#include "core/error.h"
#include "core/str.h"
#include "html/page.h"
#include "store/baseline_store.h"
#include "tap.h"

static struct gw_page *parse(const char *url, const char *html)
{
  struct gw_page_input in;
  memset(&in, 0, sizeof in);
  in.url = url;
  in.data = html;
  in.len = strlen(html);
  in.content_type = "text/html; charset=UTF-8";
  in.as_of = 1743393600;
  struct gw_page *p = NULL;
  if (gw_page_parse(&p, &in) != GW_OK) {
    fprintf(stderr, "parse: %s\n", gw_err_msg());
    exit(1);
  }
  return p;
}

static const struct gw_link *link_to(const struct gw_page *p, const char *url)
{
  for (size_t i = 0; i < p->n_links; i++)
    if (strcmp(p->links[i].url, url) == 0)
      return &p->links[i];
  return NULL;
}

/* Every link whose path starts /h/ must be hidden, /v/ visible. */
static void check_hv(const struct gw_page *p, size_t want_h, size_t want_v)
{
  size_t h = 0, v = 0;
  for (size_t i = 0; i < p->n_links; i++) {
    const struct gw_link *l = &p->links[i];
    if (strstr(l->url, "/h/")) {
      h++;
      CHECK_MSG(l->hidden != 0, "%s (line %ld) should be hidden", l->url, l->line);
    } else if (strstr(l->url, "/v/")) {
      v++;
      CHECK_MSG(l->hidden == 0, "%s (line %ld) should be visible, hidden 0x%x", l->url, l->line, l->hidden);
    }
  }
  CHECK_INT(h, want_h);
  CHECK_INT(v, want_v);
}

static void test_hiding_rules(void)
{
  const char *html =
      "<html><head><style>\n"
      ".wt{color:#fff} .bgw{background:#ffffff} #bgb{background-color:black} .blk{color:#000}\n"
      ".menu .sub{display:block} .sub{display:none} .nav:hover .sub{display:block}\n"
      ".skip{position:absolute;left:-9999px} .skip:focus{left:0}\n"
      "</style></head><body>\n"
      "<iframe src=\"/h/frame1\" width=\"1\" height=\"1\"></iframe>\n"
      "<iframe src=\"/h/frame2\" style=\"width:2px;height:2px;border:0\"></iframe>\n"
      "<iframe src=\"/h/frame3\" width=\"0\" height=\"0\" frameborder=\"0\"></iframe>\n"
      "<iframe src=\"/v/frame\" width=\"300\" height=\"200\"></iframe>\n"
      "<div style=\"clip-path:inset(50%)\"><a href=\"/h/clippath\">x</a></div>\n"
      "<div style=\"clip-path: circle(0)\"><a href=\"/h/clippath2\">x</a></div>\n"
      "<div style=\"-webkit-clip-path:polygon(0 0)\"><a href=\"/h/clippath3\">x</a></div>\n"
      "<div style=\"clip-path:inset(10px)\"><a href=\"/v/clippath\">x</a></div>\n"
      "<div style=\"clip-path:circle(40%)\"><a href=\"/v/clippath2\">x</a></div>\n"
      "<div class=\"bgw\"><a class=\"wt\" href=\"/h/classcolor\">x</a></div>\n"
      "<div id=\"bgb\"><span class=\"blk\"><a href=\"/h/idcolor\">x</a></span></div>\n"
      "<div class=\"bgw\"><a class=\"wt\" style=\"color:red\" href=\"/v/classcolor\">x</a></div>\n"
      "<div class=\"top\"><a class=\"wt\" href=\"/v/classcolor2\">x</a></div>\n"
      "<div class=\"bgw\"><a class=\"blk\" href=\"/v/classcolor3\">x</a></div>\n"
      "<marquee width=\"1\" height=\"1\"><a href=\"/h/marquee\">x</a></marquee>\n"
      "<marquee style=\"position:absolute;left:-2000px\"><a href=\"/h/marquee2\">x</a></marquee>\n"
      "<marquee><a href=\"/v/marquee\">滚动公告</a></marquee>\n"
      "<div style=\"height:0\"><a href=\"/v/height0\">x</a></div>\n"
      "<div style=\"height:0;overflow:hidden\"><a href=\"/h/height0\">x</a></div>\n"
      "</body></html>\n";
  struct gw_page *p = parse("http://www.example.gov.cn/", html);
  check_hv(p, 11, 8);
  const struct gw_link *l = link_to(p, "http://www.example.gov.cn/h/frame1");
  CHECK(l && l->kind == GW_LINK_IFRAME && (l->hidden & GW_HIDE_TINY_FRAME) && l->hidden_line == 6);
  l = link_to(p, "http://www.example.gov.cn/h/clippath");
  CHECK(l && (l->hidden & GW_HIDE_CLIP));
  l = link_to(p, "http://www.example.gov.cn/h/classcolor");
  CHECK(l && l->hidden == GW_HIDE_SAME_COLOR);
  l = link_to(p, "http://www.example.gov.cn/h/idcolor");
  CHECK(l && l->hidden == GW_HIDE_SAME_COLOR);
  l = link_to(p, "http://www.example.gov.cn/h/marquee2");
  CHECK(l && (l->hidden & GW_HIDE_OFFSCREEN));
  char buf[256];
  CHECK_STR(gw_page_hide_describe(GW_HIDE_TINY_FRAME | GW_HIDE_SCRIPT_WRITE | GW_HIDE_CLIP, buf, sizeof buf),
            "clip,tiny iframe,document.write");
  gw_page_free(&p);
}

/* The look-alikes of a real site: a drop-down menu hidden by a class and
 * shown on hover, a skip link, a display:none mobile menu of own links. The
 * model marks them hidden (they are); the checks decide they are no
 * finding (test_checks_run). */
static void test_lookalikes_model(void)
{
  const char *html = "<html><head><style>.sub{display:none} .nav li:hover .sub{display:block}"
                     ".skip{position:absolute;left:-9999px}</style></head><body>\n"
                     "<a class=\"skip\" href=\"#main\">跳到主要内容</a>\n"
                     "<ul class=\"nav\"><li><a href=\"/col/1/\">政务公开</a><ul class=\"sub\"><li><a href=\"/col/1/a/\">"
                     "通知公告</a></li></ul></li></ul>\n"
                     "<div class=\"m-menu\" style=\"display:none\"><a href=\"/col/2/\">政务服务</a></div>\n"
                     "</body></html>";
  struct gw_page *p = parse("http://www.example.gov.cn/", html);
  const struct gw_link *l = link_to(p, "http://www.example.gov.cn/col/1/a/");
  CHECK(l && (l->hidden & GW_HIDE_CSS_RULE));
  l = link_to(p, "http://www.example.gov.cn/col/1/");
  CHECK(l && l->hidden == 0);
  l = link_to(p, "http://www.example.gov.cn/col/2/");
  CHECK(l && (l->hidden & GW_HIDE_DISPLAY_NONE));
  gw_page_free(&p);
}

static void test_document_write(void)
{
  const char *html =
      "<html><head><title>t</title></head><body>\n"
      "<p>正文</p>\n"
      "<script type=\"text/javascript\">\n"
      "var x = 1;\n"
      "document.write('<a href=\"http://spam.example.com/\">澳门' + \"博彩</a>\");\n"
      "</script>\n"
      "<script>document.write('<div style=\"display:none\"><a hr');\n"
      "document.writeln('ef=\"http://spam2.example.com/a\">在线赌场</a></div>');</script>\n"
      "<script>document.write(\"\\x3ca href=\\x22http://spam3.example.com/\\x22\\x3e\\u5f69\\u91d1\\x3c/a\\x3e\");"
      "</script>\n"
      "<script>document.write(x); document.write(\"<b>\" + name + \"</b>\");</script>\n"
      "<script>var s = 'document.write is not called here';</script>\n"
      "<div style=\"display:none\"><script>document.write('<a href=\"/own/\">x</a>');</script></div>\n"
      "</body></html>";
  struct gw_page *p = parse("http://www.example.gov.cn/", html);
  const struct gw_link *l = link_to(p, "http://spam.example.com/");
  CHECK(l != NULL);
  if (l) {
    CHECK_INT(l->kind, GW_LINK_A);
    CHECK_STR(l->text, "澳门博彩");
    CHECK_INT(l->hidden, GW_HIDE_SCRIPT_WRITE);
    CHECK_INT(l->line, 5);
    CHECK_INT(l->hidden_line, 5);
    CHECK(l->text_off == GW_PAGE_NOPOS);
  }
  l = link_to(p, "http://spam2.example.com/a");
  CHECK(l && l->hidden == (GW_HIDE_SCRIPT_WRITE | GW_HIDE_DISPLAY_NONE) && strcmp(l->text, "在线赌场") == 0 &&
        l->line == 7);
  l = link_to(p, "http://spam3.example.com/");
  CHECK(l && strcmp(l->text, "彩金") == 0);
  l = link_to(p, "http://www.example.gov.cn/own/");
  CHECK(l && (l->hidden & GW_HIDE_SCRIPT_WRITE) && (l->hidden & GW_HIDE_DISPLAY_NONE));
  size_t written = 0;
  for (size_t i = 0; i < p->n_links; i++)
    if (p->links[i].hidden & GW_HIDE_SCRIPT_WRITE)
      written++;
  CHECK_INT(written, 4);
  CHECK(strstr(p->text, "博彩") == NULL); /* the visible text is the markup's */
  gw_page_free(&p);
}

/* ---- the dictionary ---- */

static char *write_dict(const char *name, const char *keywords, const char *hosts)
{
  char *dir = gw_calloc(1, 1024);
  snprintf(dir, 1024, "%s/%s", gw_test_tmpdir(), name);
  mkdir(dir, 0755);
  char path[1100];
  if (keywords) {
    snprintf(path, sizeof path, "%s/keywords.txt", dir);
    FILE *f = fopen(path, "w");
    fputs(keywords, f);
    fclose(f);
  }
  if (hosts) {
    snprintf(path, sizeof path, "%s/script-hosts.txt", dir);
    FILE *f = fopen(path, "w");
    fputs(hosts, f);
    fclose(f);
  }
  return dir;
}

static void expect_load_error(const char *name, const char *kw, const char *hosts, int code, const char *msg)
{
  char *dir = write_dict(name, kw, hosts);
  struct gw_security_dict *d = NULL;
  CHECK_INT(gw_security_dict_load(&d, dir), code);
  CHECK(d == NULL);
  CHECK_CONTAINS(gw_err_msg(), msg);
  free(dir);
}

static void test_dict(void)
{
  char dir[1024];
  struct gw_security_dict *d = NULL;
  CHECK_INT(gw_security_dict_load(&d, gw_security_dict_dir(dir, sizeof dir)), GW_OK);
  CHECK(d != NULL);
  struct gw_spam_hit h;
  CHECK(gw_security_match(d, "澳门博彩", NULL, &h));
  CHECK_STR(h.word, "博彩");
  CHECK_INT(h.cat, GW_SPAM_GAMBLING);
  CHECK(gw_security_match(d, "", "http://www.xx-bet-casino.com/", &h));
  CHECK(strcmp(h.word, "casino") == 0 || strcmp(h.word, "bet") == 0);
  CHECK(gw_security_match(d, "重庆时时彩开奖", NULL, &h) && h.cat == GW_SPAM_LOTTERY);
  CHECK(!gw_security_match(d, "福利彩票公益金使用情况公告", "http://www.alphabet.gov.cn/better/", NULL));
  CHECK(!gw_security_match(d, "关于开展扫黄打非工作的通知", "http://www.example.gov.cn/betting-law", NULL));
  CHECK(!gw_security_match(d, "", "http://www.example.gov.cn/alphabet/", NULL));
  CHECK(gw_security_match(d, "CASINO online", NULL, NULL)); /* ASCII words are tokens in text too */
  struct gw_strv w = {0};
  gw_security_words(d, "澳门博彩，在线赌场，百家乐", &w);
  CHECK_INT(w.n, 4); /* 博彩 赌场 在线赌 百家乐 */
  gw_strv_free(&w);
  CHECK(gw_security_script_host_allowed(d, "hm.baidu.com"));
  CHECK(gw_security_script_host_allowed(d, "dcs.conac.cn"));
  CHECK(!gw_security_script_host_allowed(d, "conac.cn"));
  CHECK(!gw_security_script_host_allowed(d, "evil.example.com"));
  gw_security_dict_free(&d);
  CHECK(d == NULL);

  expect_load_error("d1", "# c\ngambling 博彩\nsports 足球\n", "", GW_EINVAL, "d1/keywords.txt:3: unknown category 'sports'");
  expect_load_error("d2", "gambling\n", "", GW_EINVAL, "d2/keywords.txt:1: 'gambling': expected CATEGORY WORD");
  expect_load_error("d3", "porn 裸聊\n\nporn 裸聊\n", "", GW_EINVAL, "d3/keywords.txt:3: '裸聊' is listed twice");
  expect_load_error("d4", "porn ABC\nporn abc\n", "", GW_EINVAL, "d4/keywords.txt:2: 'abc' is listed twice");
  expect_load_error("d5", "# nothing\n", "", GW_EINVAL, "d5/keywords.txt: no keywords");
  expect_load_error("d6", "gambling 博彩\n", "ok.example.com\nbad host!\n", GW_EINVAL,
                    "d6/script-hosts.txt:2: 'bad host!' is not a host name");
  expect_load_error("d7", "gambling 博彩\n", "a.*.example.com\n", GW_EINVAL, "d7/script-hosts.txt:1:");
  expect_load_error("d8", "gambling 博彩\n", NULL, GW_EIO, "d8/script-hosts.txt: cannot open");
  expect_load_error("d9", NULL, NULL, GW_EIO, "d9/keywords.txt: cannot open");
  char longline[1200];
  memset(longline, 'a', sizeof longline - 2);
  longline[sizeof longline - 2] = '\n';
  longline[sizeof longline - 1] = '\0';
  expect_load_error("d10", longline, "", GW_ELIMIT, "d10/keywords.txt:1: line longer than 1000 bytes");
  /* a BOM, CRLF, tabs and comments are fine */
  char *ok = write_dict("d11", "\xEF\xBB\xBFgambling\t博彩\r\n# x\r\nlottery  PK10\r\n", "*.example.com\r\n");
  CHECK_INT(gw_security_dict_load(&d, ok), GW_OK);
  CHECK(gw_security_match(d, "", "http://pk10.example.net/", &h) && strcmp(h.word, "pk10") == 0);
  CHECK(gw_security_script_host_allowed(d, "a.example.com"));
  gw_security_dict_free(&d);
  free(ok);
}

static void test_hosts(void)
{
  char b[256];
  CHECK_STR(gw_security_url_host("http://User@WWW.Example.gov.cn:8080/x?y#z", b, sizeof b), "www.example.gov.cn");
  CHECK_STR(gw_security_url_host("mailto:x", b, sizeof b), "");
  CHECK(gw_security_same_site("www.qingxi.gov.cn", "zrzyj.qingxi.gov.cn"));
  CHECK(gw_security_same_site("www.qingxi.gov.cn", "WWW.QINGXI.GOV.CN"));
  CHECK(!gw_security_same_site("www.qingxi.gov.cn", "www.gov.cn"));
  CHECK(!gw_security_same_site("www.qingxi.gov.cn", "www.xx-bet-casino.com"));
  CHECK(gw_security_same_site("www.example.com", "cdn.example.com"));
  CHECK(!gw_security_same_site("www.example.com", ""));
  CHECK(gw_security_gov_host("www.gov.cn"));
  CHECK(gw_security_gov_host("zfwzgl.www.gov.cn"));
  CHECK(!gw_security_gov_host("www.gov.cn.evil.com"));
}

static void test_signatures(void)
{
  char dir[1024];
  struct gw_security_dict *d = NULL;
  CHECK_INT(gw_security_dict_load(&d, gw_security_dict_dir(dir, sizeof dir)), GW_OK);
  const char *a = "<html><head><title>青溪县</title></head><body><h1>青溪县人民政府</h1>\n"
                  "<p>第一行</p><p>第二行</p><p>第三行</p><p>第四行</p>\n"
                  "<a href=\"/a\">A</a><a href=\"/b\">B</a><a href=\"/c\">C</a><a href=\"/d\">D</a></body></html>";
  const char *b = "<html><head><title>青溪县</title></head><body><h1>青溪县人民政府</h1>\n"
                  "<p>第一行</p><p>第二行</p><p>第三行</p><p>新的一行</p>\n"
                  "<a href=\"/a\">A</a><a href=\"/b\">B</a><a href=\"/c\">C</a><a href=\"/e\">E</a></body></html>";
  const char *c = "<html><head><title>澳门博彩</title></head><body><h1>青溪县人民政府</h1>\n"
                  "<p>第一行</p><p>第二行</p><p>第三行</p><p>第四行</p>\n"
                  "<a href=\"/a\">A</a><a href=\"/b\">B</a><a href=\"/c\">C</a><a href=\"/d\">D</a>"
                  "<div style=\"display:none\"><a href=\"http://x.com/\">百家乐</a></div></body></html>";
  struct gw_page *pa = parse("http://www.example.gov.cn/", a), *pb = parse("http://www.example.gov.cn/", b),
                 *pc = parse("http://www.example.gov.cn/", c);
  struct gw_home_sig sa, sb, sc, back;
  gw_home_sig_build(d, pa, &sa);
  gw_home_sig_build(d, pb, &sb);
  gw_home_sig_build(d, pc, &sc);
  CHECK_INT(sa.lines.n, 6); /* 青溪县人民政府, four paragraphs, the anchors' "ABCD" */
  CHECK_INT(sa.links.n, 4);
  CHECK_INT(sa.spam.n, 0);
  struct gw_home_diff df;
  gw_home_diff(&sa, &sa, &df);
  CHECK(df.text_change == 0.0 && df.link_change == 0.0 && !gw_home_diff_alarm(&df, 0.5));
  gw_home_diff_free(&df);
  gw_home_diff(&sa, &sb, &df);
  CHECK_INT(df.added_links.n, 1);
  CHECK_STR(df.added_links.v[0], "http://www.example.gov.cn/e");
  CHECK_INT(df.removed_links.n, 1);
  CHECK(df.link_change > 0.39 && df.link_change < 0.41); /* 3 common of 5 */
  CHECK_INT(df.added_lines.n, 2);
  CHECK_STR(df.added_lines.v[0], "ABCE");
  CHECK_STR(df.added_lines.v[1], "新的一行");
  CHECK(!gw_home_diff_alarm(&df, 0.5));
  CHECK(gw_home_diff_alarm(&df, 0.3));
  gw_home_diff_free(&df);
  gw_home_diff(&sa, &sc, &df);
  CHECK_INT(df.new_spam.n, 2); /* 博彩 in the title, 百家乐 in a hidden anchor */
  CHECK(gw_home_diff_alarm(&df, 1.0));
  gw_home_diff_free(&df);
  char *js = gw_home_sig_json(&sc);
  CHECK_INT(gw_home_sig_parse(js, &back), GW_OK);
  CHECK_INT(back.lines.n, sc.lines.n);
  CHECK_INT(back.links.n, sc.links.n);
  CHECK_INT(back.spam.n, 2);
  gw_home_sig_free(&back);
  free(js);
  CHECK_INT(gw_home_sig_parse("[1]", &back), GW_EINVAL);
  CHECK_INT(gw_home_sig_parse("{\"lines\":[],\"links\":[1],\"spam\":[]}", &back), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "\"links\"[0] is not a string");
  CHECK_INT(gw_home_sig_parse("{\"lines\":[]}", &back), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "\"links\" is not an array");

  /* cloaking: the crawler gets spam links the browser does not */
  const char *crawler = "<html><body><p>正文</p><a href=\"/a\">A</a><a href=\"http://www.ssc.com/\">时时彩平台</a>"
                        "<a href=\"http://www.gov.cn/\">中国政府网</a></body></html>";
  const char *browser = "<html><body><p>正文</p><a href=\"/a\">A</a><a href=\"http://www.gov.cn/\">中国政府网</a>"
                        "</body></html>";
  struct gw_page *pcr = parse("http://www.example.gov.cn/", crawler), *pbr = parse("http://www.example.gov.cn/", browser);
  struct gw_cloak_diff cd;
  gw_cloak_compare(d, "www.example.gov.cn", pcr, pbr, &cd);
  CHECK_INT(cd.crawler_only_links.n, 1);
  CHECK_INT(cd.crawler_only_spam.n, 2); /* 时时彩, 时时彩平台 */
  CHECK(gw_cloak_alarm(&cd));
  gw_cloak_diff_free(&cd);
  gw_cloak_compare(d, "www.example.gov.cn", pbr, pbr, &cd);
  CHECK(!gw_cloak_alarm(&cd) && cd.link_change == 0.0);
  gw_cloak_diff_free(&cd);
  gw_page_free(&pcr);
  gw_page_free(&pbr);
  gw_home_sig_free(&sa);
  gw_home_sig_free(&sb);
  gw_home_sig_free(&sc);
  gw_page_free(&pa);
  gw_page_free(&pb);
  gw_page_free(&pc);
  gw_security_dict_free(&d);
}

static void test_baseline_store(void)
{
  struct fx x;
  fx_open(&x);
  struct gw_baseline b;
  CHECK_INT(gw_store_baseline_get(x.st, x.site_id, "homepage", &b), GW_ENOTFOUND);
  CHECK_CONTAINS(gw_err_msg(), "has no homepage baseline");
  struct gw_baseline nb = {x.site_id, (char *)"homepage", x.crawl_id, 1000, 0.5, (char *)"{\"a\":1}"};
  CHECK_INT(gw_store_baseline_put(x.st, &nb), GW_OK);
  CHECK_INT(gw_store_baseline_get(x.st, x.site_id, "homepage", &b), GW_OK);
  CHECK_INT(b.crawl_id, x.crawl_id);
  CHECK_INT(b.set_at, 1000);
  CHECK(b.threshold == 0.5);
  CHECK_STR(b.data, "{\"a\":1}");
  gw_baseline_clear(&b);
  nb.threshold = 0.25;
  nb.set_at = 2000;
  CHECK_INT(gw_store_baseline_put(x.st, &nb), GW_OK); /* replaces */
  CHECK_INT(gw_store_baseline_get(x.st, x.site_id, "homepage", &b), GW_OK);
  CHECK(b.threshold == 0.25 && b.set_at == 2000);
  gw_baseline_clear(&b);
  nb.threshold = 1.5;
  CHECK_INT(gw_store_baseline_put(x.st, &nb), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "threshold 1.5 is outside (0, 1]");
  nb.threshold = 0.5;
  nb.data = (char *)"";
  CHECK_INT(gw_store_baseline_put(x.st, &nb), GW_EINVAL);
  nb.data = (char *)"{}";
  nb.site_id = 999;
  CHECK_INT(gw_store_baseline_put(x.st, &nb), GW_ENOTFOUND);
  CHECK_CONTAINS(gw_err_msg(), "no site with id 999");
  fx_close(&x);
}

/* ---- the checks over a stored crawl ---- */

struct fake {
  int calls;
  const char *crawler_body, *browser_body;
};

static int fake_probe(void *pctx, const struct gw_probe_req *req, struct gw_probe_result *out)
{
  struct fake *f = pctx;
  f->calls++;
  memset(out, 0, sizeof *out);
  bool spider = req->user_agent && strstr(req->user_agent, "Baiduspider");
  const char *body = strcmp(req->url, "http://www.example.gov.cn/") == 0 && spider ? f->crawler_body : f->browser_body;
  out->url = gw_strdup(req->url);
  out->status = 200;
  out->error = GW_FE_NONE;
  out->method = gw_strdup("GET");
  out->content_type = gw_strdup("text/html; charset=UTF-8");
  out->body = gw_strdup(body);
  out->body_len = strlen(body);
  out->retry_after = -1;
  return GW_OK;
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
  json_object_set_new(o, "url", json_string(r->f.url));
  json_object_set_new(o, "target", r->f.target ? json_string(r->f.target) : json_null());
  json_object_set_new(o, "locator", r->f.locator ? json_string(r->f.locator) : json_null());
  json_object_set_new(o, "snippet", r->f.snippet ? json_string(r->f.snippet) : json_null());
  json_object_set_new(o, "title", json_string(r->f.title));
  json_object_set_new(o, "detail", json_string(r->f.detail));
  json_object_set_new(o, "needs_review", json_boolean(r->f.needs_review));
  json_object_set_new(o, "severity", json_integer(r->f.severity));
  json_error_t je;
  json_t *obs = r->f.observed_json ? json_loads(r->f.observed_json, 0, &je) : NULL;
  json_object_set_new(o, "observed", obs ? obs : json_null());
  json_object_set_new(g->all, r->f.key, o);
  g->n++;
  return 0;
}

static const char *jstr(json_t *o, const char *k1, const char *k2)
{
  json_t *j = json_object_get(o, k1);
  if (k2)
    j = json_object_get(j, k2);
  if (json_is_string(j))
    return json_string_value(j);
  if (json_is_true(j))
    return "true";
  if (json_is_false(j))
    return "false";
  if (json_is_integer(j)) {
    static char buf[32];
    snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(j));
    return buf;
  }
  return json_is_null(j) ? "null" : "(missing)";
}

static int64_t run_checks(struct fx *x, int64_t crawl_id, struct fake *probe, struct got *g)
{
  static const char *const only[] = {"security.bad_link", "security.defacement", "security.hidden_link"};
  struct gw_check_run_opts o;
  memset(&o, 0, sizeof o);
  o.crawl_id = crawl_id;
  o.only = only;
  o.n_only = 3;
  if (probe) {
    o.probe = fake_probe;
    o.probe_ctx = probe;
  }
  struct gw_check_run_report rep;
  CHECK_INT(gw_check_run_site(x->st, &x->site, &o, &rep), GW_OK);
  CHECK_INT(rep.failed, 0);
  for (size_t i = 0; i < rep.n; i++)
    if (rep.v[i].rc)
      fprintf(stderr, "# %s: %s\n", rep.v[i].check->id, rep.v[i].error);
  g->n = 0;
  g->all = json_object();
  CHECK_INT(gw_store_finding_each(x->st, rep.run_id, NULL, got_row, g), GW_OK);
  int64_t id = rep.run_id;
  gw_check_run_report_clear(&rep);
  return id;
}

static const char HOME_MIDDLE[] =
    "<p>欢迎访问</p>\n"
    "<a class=\"skip\" href=\"#main\">跳到主要内容</a>\n"
    "<ul class=\"nav\"><li><a href=\"/col/1/\">政务公开</a><ul class=\"sub\"><li><a href=\"/col/1/a/\">通知公告</a></li>"
    "</ul></li></ul>\n"
    "<div class=\"m-menu\" style=\"display:none\"><a href=\"/col/2/\">政务服务</a>"
    "<a href=\"http://www.gov.cn/\">中国政府网</a><a href=\"http://jyj.example.gov.cn/\">教育局</a></div>\n"
    "<div style=\"position:absolute;left:-9999px\"><a href=\"http://www.bet-spam.com/\">澳门博彩</a>"
    "<a href=\"http://seo-links.example.com/\">友情链接</a></div>\n"
    "<a href=\"http://www.casino-visible.com/\">在线娱乐</a>\n"
    "<a href=\"/search?q=casino\">站内搜索</a>\n"
    "<iframe src=\"http://ads.example.net/\" width=\"1\" height=\"1\"></iframe>\n"
    "<script src=\"http://hm.baidu.com/hm.js\"></script><script src=\"http://evil-cdn.example.org/x.js\"></script>\n"
    "<script src=\"/js/site.js\"></script><script src=\"http://static.example.gov.cn/a.js\"></script>\n"
    "<style>.sub{display:none} .nav li:hover .sub{display:block} .skip{position:absolute;left:-9999px}</style>\n";

static void test_checks_run(void)
{
  struct fx x;
  fx_open(&x);
  char *home = fx_page("青溪县示例局", HOME_MIDDLE);
  char *other = fx_page("通知", "<p>通知正文</p><script>document.write('<a href=\"http://dw-spam.example.com/\" "
                                "style=\"font-size:0\">时时彩</a>');</script>");
  char *refresh = gw_strdup("<html><head><meta http-equiv=\"refresh\" content=\"0; url=http://jump.example.com/\">"
                            "</head><body>跳转中</body></html>");
  struct fx_row r = {0};
  r.url = "http://www.example.gov.cn/";
  r.internal = true;
  r.state = GW_URL_DONE;
  r.status = 200;
  r.body = home;
  fx_add(&x, x.crawl_id, &r);
  r.url = "http://www.example.gov.cn/col/1/";
  r.depth = 1;
  r.body = other;
  fx_add(&x, x.crawl_id, &r);
  r.url = "http://www.example.gov.cn/old/";
  r.body = refresh;
  fx_add(&x, x.crawl_id, &r);

  char *crawler = fx_page("青溪县示例局", "<p>欢迎访问</p><a href=\"http://www.ssc-cloak.com/\">时时彩平台</a>");
  char *browser = fx_page("青溪县示例局", "<p>欢迎访问</p>");
  struct fake fk = {0, crawler, browser};
  struct got g;
  run_checks(&x, x.crawl_id, &fk, &g);
  CHECK_INT(fk.calls, 6); /* three pages, two fetches each */
  /* hidden: the off-screen spam (veto), the off-screen link to another host
   * (veto, to review), the tiny iframe, the document.write anchor; not the
   * hover menu, the skip link, the mobile menu of own and gov links */
  json_t *f = json_object_get(g.all, "hidden|http://www.bet-spam.com/");
  CHECK(f != NULL);
  CHECK_STR(jstr(f, "rule", NULL), "security.hidden_link");
  CHECK_STR(jstr(f, "severity", NULL), "1");
  CHECK_STR(jstr(f, "needs_review", NULL), "false");
  CHECK_STR(jstr(f, "observed", "hidden_by"), "off-screen position");
  CHECK_STR(jstr(f, "observed", "keyword"), "博彩");
  CHECK_STR(jstr(f, "observed", "tag"), "a");
  CHECK_STR(jstr(f, "locator", NULL), "第 5 行 <a>");
  CHECK_CONTAINS(jstr(f, "snippet", NULL), "left:-9999px");
  CHECK_CONTAINS(jstr(f, "detail", NULL), "锚文本：“澳门博彩”");
  f = json_object_get(g.all, "hidden|http://seo-links.example.com/");
  CHECK(f != NULL);
  CHECK_STR(jstr(f, "needs_review", NULL), "true");
  CHECK_STR(jstr(f, "observed", "keyword"), "null");
  f = json_object_get(g.all, "hidden|http://ads.example.net/");
  CHECK(f != NULL);
  CHECK_STR(jstr(f, "observed", "hidden_by"), "tiny iframe");
  CHECK_STR(jstr(f, "observed", "tag"), "iframe");
  f = json_object_get(g.all, "hidden|http://dw-spam.example.com/");
  CHECK(f != NULL);
  CHECK_STR(jstr(f, "observed", "hidden_by"), "font-size:0,document.write");
  CHECK_STR(jstr(f, "url", NULL), "http://www.example.gov.cn/col/1/");
  f = json_object_get(g.all, "refresh|http://jump.example.com/");
  CHECK(f != NULL);
  CHECK_STR(jstr(f, "title", NULL), "页面自动跳转到站外网站");
  CHECK_STR(jstr(f, "url", NULL), "http://www.example.gov.cn/old/");
  f = json_object_get(g.all, "cloak|http://www.example.gov.cn/");
  CHECK(f != NULL);
  CHECK_STR(jstr(f, "severity", NULL), "1");
  CHECK_CONTAINS(jstr(f, "detail", NULL), "仅爬虫可见的违规关键词：“时时彩”");
  CHECK_STR(jstr(f, "target", NULL), "http://www.ssc-cloak.com/");
  /* bad content: the hidden spam, the visible casino link (its host), the
   * written lottery link; not the site's own search link with the word */
  f = json_object_get(g.all, "bad|http://www.bet-spam.com/");
  CHECK(f != NULL);
  CHECK_STR(jstr(f, "rule", NULL), "security.bad_content");
  f = json_object_get(g.all, "bad|http://www.casino-visible.com/");
  CHECK(f != NULL);
  CHECK_STR(jstr(f, "observed", "hidden_by"), "null");
  CHECK_STR(jstr(f, "observed", "keyword"), "casino");
  CHECK_CONTAINS(jstr(f, "detail", NULL), "页面链接指向赌博类内容");
  CHECK(json_object_get(g.all, "bad|http://dw-spam.example.com/") != NULL);
  /* scripts: only the one from outside the allow list and the site's domain */
  f = json_object_get(g.all, "script|evil-cdn.example.org");
  CHECK(f != NULL);
  CHECK_STR(jstr(f, "severity", NULL), "4");
  CHECK_STR(jstr(f, "needs_review", NULL), "true");
  CHECK_STR(jstr(f, "target", NULL), "http://evil-cdn.example.org/x.js");
  CHECK_INT(g.n, 10);
  if (g.n != 10) {
    const char *k;
    json_t *v;
    json_object_foreach(g.all, k, v) fprintf(stderr, "# finding %s\n", k);
  }
  /* the first defacement run set the baseline and found nothing */
  struct gw_baseline b;
  CHECK_INT(gw_store_baseline_get(x.st, x.site_id, "homepage", &b), GW_OK);
  CHECK_INT(b.crawl_id, x.crawl_id);
  gw_baseline_clear(&b);
  json_decref(g.all);

  /* without a probe: no cloaking, the rest unchanged */
  run_checks(&x, x.crawl_id, NULL, &g);
  CHECK_INT(g.n, 9);
  CHECK(json_object_get(g.all, "cloak|http://www.example.gov.cn/") == NULL);
  json_decref(g.all);

  /* a second crawl with a tampered homepage */
  int64_t c2 = fx_crawl(&x, x.site_id, GW_CRAWL_DONE);
  char *tampered = fx_page("澳门新葡京", "<h1>线上博彩 首存送彩金</h1><a href=\"http://www.xpj.com/\">立即注册</a>");
  r.url = "http://www.example.gov.cn/";
  r.depth = 0;
  r.body = tampered;
  fx_add(&x, c2, &r);
  run_checks(&x, c2, NULL, &g);
  f = json_object_get(g.all, "homepage|http://www.example.gov.cn/");
  CHECK(f != NULL);
  CHECK_STR(jstr(f, "rule", NULL), "security.defacement");
  CHECK_STR(jstr(f, "title", NULL), "首页疑被篡改（出现违规内容）");
  CHECK_STR(jstr(f, "needs_review", NULL), "false");
  CHECK_CONTAINS(jstr(f, "detail", NULL), "新增链接 1 个（“http://www.xpj.com/”）");
  CHECK_CONTAINS(jstr(f, "detail", NULL), "govwatch baseline 3399229001 --accept");
  json_t *ns = json_object_get(json_object_get(f, "observed"), "new_spam");
  CHECK(json_array_size(ns) >= 3);
  json_decref(g.all);
  /* accepting it as the baseline: no finding; the threshold is kept */
  CHECK_INT(gw_security_baseline_accept(x.st, &x.site, c2, 0), GW_OK);
  CHECK_INT(gw_store_baseline_get(x.st, x.site_id, "homepage", &b), GW_OK);
  CHECK_INT(b.crawl_id, c2);
  CHECK(b.threshold == GW_DEFACE_THRESHOLD);
  gw_baseline_clear(&b);
  run_checks(&x, c2, NULL, &g);
  CHECK(json_object_get(g.all, "homepage|http://www.example.gov.cn/") == NULL);
  json_decref(g.all);
  /* a crawl without a homepage: accepting is refused */
  int64_t c3 = fx_crawl(&x, x.site_id, GW_CRAWL_DONE);
  CHECK_INT(gw_security_baseline_accept(x.st, &x.site, c3, 0.4), GW_ENOTFOUND);
  CHECK_CONTAINS(gw_err_msg(), "has no parsed homepage");

  free(home);
  free(other);
  free(refresh);
  free(crawler);
  free(browser);
  free(tampered);
  fx_close(&x);
}

/* A broken dictionary fails the checks with its file:line message. */
static void test_dict_error_fails_check(void)
{
  struct fx x;
  fx_open(&x);
  char *dir = write_dict("bad", NULL, NULL);
  char sub[1100];
  snprintf(sub, sizeof sub, "%s/security", dir);
  mkdir(sub, 0755);
  char path[1200];
  snprintf(path, sizeof path, "%s/keywords.txt", sub);
  FILE *fp = fopen(path, "w");
  fputs("gambling 博彩\nlottery\n", fp);
  fclose(fp);
  setenv("GW_DICT_DIR", dir, 1);
  static const char *const only[] = {"security.bad_link"};
  struct gw_check_run_opts o;
  memset(&o, 0, sizeof o);
  o.only = only;
  o.n_only = 1;
  struct gw_check_run_report rep;
  CHECK_INT(gw_check_run_site(x.st, &x.site, &o, &rep), GW_OK);
  CHECK_INT(rep.failed, 1);
  CHECK(rep.n == 1 && rep.v[0].error && strstr(rep.v[0].error, "security/keywords.txt:2: 'lottery'") != NULL);
  gw_check_run_report_clear(&rep);
  unsetenv("GW_DICT_DIR");
  free(dir);
  fx_close(&x);
}

int main(void)
{
  test_hiding_rules();
  test_lookalikes_model();
  test_document_write();
  test_dict();
  test_hosts();
  test_signatures();
  test_baseline_store();
  test_checks_run();
  test_dict_error_fails_check();
  return gw_test_done();
}
