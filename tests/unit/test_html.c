/* The page model: text, every link kind, every hiding technique with a
 * visible control, URL resolution, meta helpers, publish date sources,
 * footer identifiers, pagination patterns, list items, hostile input and
 * caps, the real list pages of $GW_TEST_SHARED/data/html/gerapy, and the
 * generated sample site family. */
#include <curl/curl.h>
#include <iconv.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/date.h"
#include "core/error.h"
#include "core/utf8.h"
#include "html/page.h"
#include "html/phrases.h"
#include "sample.h"
#include "tap.h"

#define PAGE_URL "http://www.qingxi.gov.cn/col/col1/index.html"

static int64_t at(const char *s)
{
  int64_t t = 0;
  gw_time_parse(s, &t);
  return t;
}

static struct gw_page *parse_full(const char *html, size_t len, const char *ct, const char *url)
{
  struct gw_page_input in = {.url = url ? url : PAGE_URL, .data = html, .len = len,
                             .content_type = ct, .as_of = at("2025-03-31 12:00:00")};
  struct gw_page *p = NULL;
  int rc = gw_page_parse(&p, &in);
  CHECK_MSG(rc == GW_OK && p, "parse: %s", rc ? gw_err_msg() : "ok");
  return p;
}

static struct gw_page *parse(const char *html)
{
  return parse_full(html, strlen(html), "text/html; charset=utf-8", NULL);
}

static const struct gw_link *find_link(const struct gw_page *p, const char *raw)
{
  for (size_t i = 0; p && i < p->n_links; i++)
    if (strcmp(p->links[i].raw, raw) == 0)
      return &p->links[i];
  return NULL;
}

static const struct gw_link *find_url(const struct gw_page *p, const char *url)
{
  for (size_t i = 0; p && i < p->n_links; i++)
    if (strcmp(p->links[i].url, url) == 0)
      return &p->links[i];
  return NULL;
}

/* ---- text --------------------------------------------------------------- */

static void test_text(void)
{
  const char *html =
      "<html><head><title>\n  青溪县   人民政府 \n</title><style>p{color:red}</style>"
      "<script>var s = '不可见脚本';</script></head><body>\n"
      "<div>第一段   文字\n跨行</div><p>第二段<b>加粗</b>结束</p>"
      "<noscript>请启用脚本</noscript><template><p>模板内容</p></template>"
      "<table><tr><td>单元一</td><td>单元二</td></tr></table>"
      "<span>行内</span><span>相连</span>&nbsp;&nbsp;实体&amp;<br>换行后"
      "<select><option>选项文字</option></select>"
      "</body></html>";
  struct gw_page *p = parse(html);
  if (!p)
    return;
  CHECK_STR(p->title, "青溪县 人民政府");
  CHECK_STR(p->text, "第一段 文字 跨行\n第二段加粗结束\n单元一 单元二\n行内相连 实体&\n换行后");
  CHECK_INT(p->text_len, strlen(p->text));
  CHECK(strstr(p->text, "不可见") == NULL);
  CHECK(strstr(p->text, "请启用") == NULL);
  CHECK(strstr(p->text, "模板") == NULL);
  CHECK(strstr(p->text, "选项") == NULL);
  CHECK_STR(p->charset.charset, "UTF-8");
  CHECK(!p->text_truncated && !p->input_truncated && !p->links_truncated);
  char buf[64];
  const char *s = strstr(p->text, "单元二");
  gw_page_snippet(p, (size_t)(s - p->text), strlen("单元二"), 6, buf, sizeof buf);
  CHECK_STR(buf, "元一 单元二 / 行内"); /* widened to whole characters */
  gw_page_snippet(p, 0, 3, 0, buf, sizeof buf);
  CHECK_STR(buf, "第");
  gw_page_snippet(p, p->text_len + 5, 3, 10, buf, sizeof buf);
  CHECK_STR(buf, "");
  char tiny[5];
  gw_page_snippet(p, 0, 9, 0, tiny, sizeof tiny);
  CHECK_STR(tiny, "第"); /* a character that does not fit whole is left out */
  gw_page_free(&p);
  CHECK(p == NULL);
  gw_page_free(&p);
  gw_page_free(NULL);
}

/* ---- links -------------------------------------------------------------- */

static void test_link_kinds(void)
{
  const char *html =
      "<html><head>\n"                                                       /* 1 */
      "<link rel=\"stylesheet\" href=\"/css/main.css\">\n"                   /* 2 */
      "<link rel=\"shortcut icon\" href=\"/favicon.ico\">\n"                 /* 3 */
      "<link rel=\"alternate\" href=\"/rss.xml\">\n"                         /* 4 */
      "<script src=\"js/app.js\"></script>\n"                                /* 5 */
      "<meta http-equiv=\"refresh\" content=\"300; url='/col/col1/index.html?r=1'\">\n" /* 6 */
      "<style>\nbody { background: url(\"/img/bg.png\") }\n@import \"/css/imp.css\";\n</style>\n" /* 7-10 */
      "</head><body>\n"                                                      /* 11 */
      "<a href=\"/a/1.html#frag\"> 关于 <b>青溪县</b>\n 通知 </a>\n"          /* 12-13 */
      "<img src=\"/img/logo.png\" alt=\"青溪县人民政府\">\n"                  /* 14 */
      "<img src=\"/img/t.png\" title=\"标题图\">\n"                           /* 15 */
      "<iframe src=\"/frame/inner.html\" title=\"内嵌\"></iframe>\n"         /* 16 */
      "<map name=m><area href=\"/area/1.html\" alt=\"区域一\"></map>\n"      /* 17 */
      "<form action=\"/search/do\"><input type=\"image\" src=\"/img/go.png\" alt=\"搜索\"></form>\n" /* 18 */
      "<div style=\"background-image:url('/img/div.png')\">背景</div>\n"     /* 19 */
      "<embed src=\"/media/a.swf\"><object data=\"/media/b.swf\"></object>\n" /* 20 */
      "<video src=\"/media/v.mp4\" poster=\"/media/p.jpg\"><source src=\"/media/v.webm\"></video>\n" /* 21 */
      "<audio src=\"/media/a.mp3\"></audio>\n"                               /* 22 */
      "<a href=\"/pic/1.html\"><img src=\"/img/news.jpg\" alt=\"图片新闻\"></a>\n" /* 23 */
      "<a href=\"javascript:void(0)\">js</a><a href=\"mailto:a@qingxi.gov.cn\">mail</a>"
      "<a href=\"tel:0571-1234\">tel</a><a href=\"data:text/html,x\">d</a><a href=\"#top\">top</a>"
      "<a href=\"\">self</a><a href=\"ftp://ftp.qingxi.gov.cn/\">ftp</a><a>no href</a>\n" /* 24-25 */
      "</body></html>\n";
  struct gw_page *p = parse(html);
  if (!p)
    return;
  static const struct {
    const char *raw;
    enum gw_link_kind kind;
    const char *url, *text;
    long line;
  } want[] = {
    {"/css/main.css", GW_LINK_STYLESHEET, "http://www.qingxi.gov.cn/css/main.css", "", 2},
    {"/favicon.ico", GW_LINK_ICON, "http://www.qingxi.gov.cn/favicon.ico", "", 3},
    {"/rss.xml", GW_LINK_LINK, "http://www.qingxi.gov.cn/rss.xml", "", 4},
    {"js/app.js", GW_LINK_SCRIPT, "http://www.qingxi.gov.cn/col/col1/js/app.js", "", 5},
    {"/col/col1/index.html?r=1", GW_LINK_REFRESH, "http://www.qingxi.gov.cn/col/col1/index.html?r=1", "", 6},
    {"/img/bg.png", GW_LINK_CSS, "http://www.qingxi.gov.cn/img/bg.png", "", 8},
    {"/css/imp.css", GW_LINK_CSS, "http://www.qingxi.gov.cn/css/imp.css", "", 9},
    {"/a/1.html#frag", GW_LINK_A, "http://www.qingxi.gov.cn/a/1.html", "关于 青溪县 通知", 12},
    {"/img/logo.png", GW_LINK_IMG, "http://www.qingxi.gov.cn/img/logo.png", "青溪县人民政府", 14},
    {"/img/t.png", GW_LINK_IMG, "http://www.qingxi.gov.cn/img/t.png", "标题图", 15},
    {"/frame/inner.html", GW_LINK_IFRAME, "http://www.qingxi.gov.cn/frame/inner.html", "内嵌", 16},
    {"/area/1.html", GW_LINK_AREA, "http://www.qingxi.gov.cn/area/1.html", "区域一", 17},
    {"/search/do", GW_LINK_FORM, "http://www.qingxi.gov.cn/search/do", "", 18},
    {"/img/go.png", GW_LINK_IMG, "http://www.qingxi.gov.cn/img/go.png", "搜索", 18},
    {"/img/div.png", GW_LINK_CSS, "http://www.qingxi.gov.cn/img/div.png", "", 19},
    {"/media/a.swf", GW_LINK_EMBED, "http://www.qingxi.gov.cn/media/a.swf", "", 20},
    {"/media/b.swf", GW_LINK_OBJECT, "http://www.qingxi.gov.cn/media/b.swf", "", 20},
    {"/media/v.mp4", GW_LINK_VIDEO, "http://www.qingxi.gov.cn/media/v.mp4", "", 21},
    {"/media/p.jpg", GW_LINK_VIDEO, "http://www.qingxi.gov.cn/media/p.jpg", "", 21},
    {"/media/v.webm", GW_LINK_SOURCE, "http://www.qingxi.gov.cn/media/v.webm", "", 21},
    {"/media/a.mp3", GW_LINK_AUDIO, "http://www.qingxi.gov.cn/media/a.mp3", "", 22},
    {"/pic/1.html", GW_LINK_A, "http://www.qingxi.gov.cn/pic/1.html", "图片新闻", 23},
    {"/img/news.jpg", GW_LINK_IMG, "http://www.qingxi.gov.cn/img/news.jpg", "图片新闻", 23},
  };
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    const struct gw_link *l = find_link(p, want[i].raw);
    CHECK_MSG(l != NULL, "link %s found", want[i].raw);
    if (!l)
      continue;
    CHECK_MSG(l->kind == want[i].kind, "%s: kind %s, want %s", want[i].raw, gw_link_kind_name(l->kind),
              gw_link_kind_name(want[i].kind));
    CHECK_STR(l->url, want[i].url);
    CHECK_STR(l->text, want[i].text);
    CHECK_MSG(l->line == want[i].line, "%s: line %ld, want %ld", want[i].raw, l->line, want[i].line);
    CHECK(!l->hidden && !l->in_footer);
  }
  CHECK_INT(p->n_links, sizeof want / sizeof want[0]);
  /* javascript:, mailto:, tel:, data:, ftp:, #top and "" are not kept */
  CHECK_INT(p->n_skipped, 7);
  CHECK(find_link(p, "javascript:void(0)") == NULL);
  /* the anchor text of a visible link points into the page text */
  const struct gw_link *a = find_link(p, "/a/1.html#frag");
  if (a) {
    CHECK(a->text_off != GW_PAGE_NOPOS);
    if (a->text_off != GW_PAGE_NOPOS)
      CHECK(strncmp(p->text + a->text_off, "关于 青溪县 通知", strlen("关于 青溪县 通知")) == 0);
  }
  CHECK_STR(gw_link_kind_name(GW_LINK_REFRESH), "refresh");
  CHECK_STR(gw_link_kind_name((enum gw_link_kind)99), "unknown");
  gw_page_free(&p);

  /* a frameset page */
  p = parse("<html><frameset cols=\"20%,80%\"><frame src=\"left.html\"><frame src=\"main.html\"></frameset></html>");
  if (p) {
    const struct gw_link *f = find_link(p, "main.html");
    CHECK(f && f->kind == GW_LINK_FRAME);
    if (f)
      CHECK_STR(f->url, "http://www.qingxi.gov.cn/col/col1/main.html");
    gw_page_free(&p);
  }
}

static void test_resolve(void)
{
  const char *html =
      "<a href=\"../col2/index.html\">1</a>"
      "<a href=\"./a.html\">2</a>"
      "<a href=\"?page=2\">3</a>"
      "<a href=\"//cdn.qingxi.gov.cn/x.js\">4</a>"
      "<a href=\"https://other.gov.cn/a?b=1#c\">5</a>"
      "<a href=\"/abs/path\">6</a>"
      "<a href=\"../../../../x.html\">7</a>"
      "<a href=\" \n /spaced.html \t\">8</a>"
      "<a href=\"a\\b.html\">9</a>"
      "<a href=\"/files/通知 附件.pdf\">10</a>"
      "<a href=\"HTTP://WWW.QINGXI.GOV.CN/Up?X=1\">11</a>"
      "<a href=\"http://\">12</a>";
  struct gw_page *p = parse(html);
  if (!p)
    return;
  static const char *const want[] = {
    "http://www.qingxi.gov.cn/col/col2/index.html",
    "http://www.qingxi.gov.cn/col/col1/a.html",
    "http://www.qingxi.gov.cn/col/col1/index.html?page=2",
    "http://cdn.qingxi.gov.cn/x.js",
    "https://other.gov.cn/a?b=1",
    "http://www.qingxi.gov.cn/abs/path",
    "http://www.qingxi.gov.cn/x.html",
    "http://www.qingxi.gov.cn/spaced.html",
    "http://www.qingxi.gov.cn/col/col1/a/b.html",
    "http://www.qingxi.gov.cn/files/%E9%80%9A%E7%9F%A5%20%E9%99%84%E4%BB%B6.pdf",
    "http://www.qingxi.gov.cn/Up?X=1",
  };
  CHECK_INT(p->n_links, 11);
  for (size_t i = 0; i < p->n_links && i < 11; i++)
    CHECK_STR(p->links[i].url, want[i]);
  CHECK_INT(p->n_skipped, 1); /* "http://" has no host */
  CHECK_STR(p->base, PAGE_URL);
  gw_page_free(&p);

  /* <base href>, absolute and relative; only the first counts */
  p = parse("<head><base href=\"http://www.qingxi.gov.cn/base/dir/\"><base href=\"/ignored/\"></head>"
            "<a href=\"x.html\">x</a><a href=\"../y.html\">y</a><a href=\"?q=1\">q</a>");
  if (p) {
    CHECK_STR(p->base, "http://www.qingxi.gov.cn/base/dir/");
    CHECK(find_url(p, "http://www.qingxi.gov.cn/base/dir/x.html") != NULL);
    CHECK(find_url(p, "http://www.qingxi.gov.cn/base/y.html") != NULL);
    CHECK(find_url(p, "http://www.qingxi.gov.cn/base/dir/?q=1") != NULL);
    gw_page_free(&p);
  }
  p = parse("<base href=\"/other/\"><a href=\"z.html\">z</a>");
  if (p) {
    CHECK_STR(p->base, "http://www.qingxi.gov.cn/other/");
    CHECK(find_url(p, "http://www.qingxi.gov.cn/other/z.html") != NULL);
    gw_page_free(&p);
  }
  /* a base that is not http(s) is ignored */
  p = parse("<base href=\"javascript:alert(1)\"><a href=\"z.html\">z</a>");
  if (p) {
    CHECK_STR(p->base, PAGE_URL);
    CHECK(find_url(p, "http://www.qingxi.gov.cn/col/col1/z.html") != NULL);
    gw_page_free(&p);
  }
  /* the page URL must be absolute http(s) */
  struct gw_page_input in = {.url = "ftp://www.qingxi.gov.cn/", .data = "x", .len = 1};
  struct gw_page *q = NULL;
  CHECK_INT(gw_page_parse(&q, &in), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "ftp://www.qingxi.gov.cn/");
  CHECK(q == NULL);
  in.url = "/relative/only";
  CHECK_INT(gw_page_parse(&q, &in), GW_EINVAL);
  in.url = NULL;
  CHECK_INT(gw_page_parse(&q, &in), GW_EINVAL);
  CHECK_INT(gw_page_parse(&q, NULL), GW_EINVAL);
  /* the page URL's fragment is dropped */
  in.url = "http://www.qingxi.gov.cn/a.html#x";
  CHECK_INT(gw_page_parse(&q, &in), GW_OK);
  if (q) {
    CHECK_STR(q->url, "http://www.qingxi.gov.cn/a.html");
    gw_page_free(&q);
  }
}

/* Resolved references are cached per thread by the part of the base they
 * depend on: the same references under bases that share a directory, an
 * origin or only a scheme must each resolve as libcurl resolves them. */
static void test_resolve_cache(void)
{
  const char *html =
      "<a href=\"../col2/index.html\">1</a>"
      "<a href=\"./a.html\">2</a>"
      "<a href=\"?page=2\">3</a>"
      "<a href=\"//cdn.qingxi.gov.cn/x.js\">4</a>"
      "<a href=\"https://other.gov.cn/a?b=1#c\">5</a>"
      "<a href=\"/abs/path\">6</a>"
      "<a href=\"a.html#frag\">7</a>"
      "<a href=\"HTTP://WWW.QINGXI.GOV.CN/Up\">8</a>";
  static const struct {
    const char *base;
    const char *want[8];
  } cases[] = {
    {"http://www.qingxi.gov.cn/col/col1/index.html",
     {"http://www.qingxi.gov.cn/col/col2/index.html", "http://www.qingxi.gov.cn/col/col1/a.html",
      "http://www.qingxi.gov.cn/col/col1/index.html?page=2", "http://cdn.qingxi.gov.cn/x.js",
      "https://other.gov.cn/a?b=1", "http://www.qingxi.gov.cn/abs/path",
      "http://www.qingxi.gov.cn/col/col1/a.html", "http://www.qingxi.gov.cn/Up"}},
    /* same directory, another file and a query */
    {"http://www.qingxi.gov.cn/col/col1/list.html?p=3",
     {"http://www.qingxi.gov.cn/col/col2/index.html", "http://www.qingxi.gov.cn/col/col1/a.html",
      "http://www.qingxi.gov.cn/col/col1/list.html?page=2", "http://cdn.qingxi.gov.cn/x.js",
      "https://other.gov.cn/a?b=1", "http://www.qingxi.gov.cn/abs/path",
      "http://www.qingxi.gov.cn/col/col1/a.html", "http://www.qingxi.gov.cn/Up"}},
    /* another directory one level down */
    {"http://www.qingxi.gov.cn/col/col1/sub/index.html",
     {"http://www.qingxi.gov.cn/col/col1/col2/index.html", "http://www.qingxi.gov.cn/col/col1/sub/a.html",
      "http://www.qingxi.gov.cn/col/col1/sub/index.html?page=2", "http://cdn.qingxi.gov.cn/x.js",
      "https://other.gov.cn/a?b=1", "http://www.qingxi.gov.cn/abs/path",
      "http://www.qingxi.gov.cn/col/col1/sub/a.html", "http://www.qingxi.gov.cn/Up"}},
    /* same path under https: scheme-relative and absolute-path references follow */
    {"https://www.qingxi.gov.cn/col/col1/index.html",
     {"https://www.qingxi.gov.cn/col/col2/index.html", "https://www.qingxi.gov.cn/col/col1/a.html",
      "https://www.qingxi.gov.cn/col/col1/index.html?page=2", "https://cdn.qingxi.gov.cn/x.js",
      "https://other.gov.cn/a?b=1", "https://www.qingxi.gov.cn/abs/path",
      "https://www.qingxi.gov.cn/col/col1/a.html", "http://www.qingxi.gov.cn/Up"}},
    /* another origin (host and port) with the same path */
    {"http://jyj.qingxi.gov.cn:8080/col/col1/index.html",
     {"http://jyj.qingxi.gov.cn:8080/col/col2/index.html", "http://jyj.qingxi.gov.cn:8080/col/col1/a.html",
      "http://jyj.qingxi.gov.cn:8080/col/col1/index.html?page=2", "http://cdn.qingxi.gov.cn/x.js",
      "https://other.gov.cn/a?b=1", "http://jyj.qingxi.gov.cn:8080/abs/path",
      "http://jyj.qingxi.gov.cn:8080/col/col1/a.html", "http://www.qingxi.gov.cn/Up"}},
    /* the first base again, after the others took the cache's slots */
    {"http://www.qingxi.gov.cn/col/col1/index.html",
     {"http://www.qingxi.gov.cn/col/col2/index.html", "http://www.qingxi.gov.cn/col/col1/a.html",
      "http://www.qingxi.gov.cn/col/col1/index.html?page=2", "http://cdn.qingxi.gov.cn/x.js",
      "https://other.gov.cn/a?b=1", "http://www.qingxi.gov.cn/abs/path",
      "http://www.qingxi.gov.cn/col/col1/a.html", "http://www.qingxi.gov.cn/Up"}},
  };
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    struct gw_page *p = parse_full(html, strlen(html), "text/html; charset=utf-8", cases[c].base);
    if (!p)
      continue;
    CHECK_INT(p->n_links, 8);
    for (size_t i = 0; i < p->n_links && i < 8; i++)
      CHECK_MSG(strcmp(p->links[i].url, cases[c].want[i]) == 0, "base %s, link %zu: %s, want %s",
                cases[c].base, i + 1, p->links[i].url, cases[c].want[i]);
    gw_page_free(&p);
  }
}

/* ---- hiding ------------------------------------------------------------- */

static void test_hidden(void)
{
  const char *html =
      "<html><head><style>\n"
      ".hide1{display:none} #hid2 { visibility : hidden } div.x3, .ok3 {color:red}\n"
      "/* .cm{display:none} */ @media print { .pr {display:none} }\n"
      "span.off, .a .nested {position:absolute; left:-10000px}\n"
      "</style></head><body bgcolor=\"#ffffff\">\n"
      "<a href=\"/v/plain\">可见</a>\n"
      "<div style=\"display:none\"><a href=\"/h/display\">隐藏</a></div>\n"
      "<div style=\"display:block\"><a href=\"/v/display\">可见</a></div>\n"
      "<a href=\"/h/visibility\" style=\"visibility:hidden\">x</a>\n"
      "<a href=\"/v/visibility\" style=\"visibility:visible\">x</a>\n"
      "<a href=\"/h/fontsize\" style=\"font-size:0\">x</a>\n"
      "<span style=\"font-size:1px\"><a href=\"/h/fontsize2\">x</a></span>\n"
      "<a href=\"/v/fontsize\" style=\"font-size:12px\">x</a>\n"
      "<div style=\"width:0;overflow:hidden\"><a href=\"/h/zerosize\">x</a></div>\n"
      "<div style=\"height:1px; overflow: hidden\"><a href=\"/h/zerosize2\">x</a></div>\n"
      "<div style=\"width:0\"><a href=\"/v/zerosize\">x</a></div>\n"
      "<div style=\"height:20px;overflow:hidden\"><a href=\"/v/zerosize2\">x</a></div>\n"
      "<div style=\"position:absolute;left:-9999px\"><a href=\"/h/offscreen\">x</a></div>\n"
      "<div style=\"position:fixed;top:-3000px\"><a href=\"/h/offscreen2\">x</a></div>\n"
      "<div style=\"position:absolute;left:10px\"><a href=\"/v/offscreen\">x</a></div>\n"
      "<div style=\"left:-9999px\"><a href=\"/v/offscreen2\">x</a></div>\n"
      "<p style=\"text-indent:-9999px\"><a href=\"/h/indent\">x</a></p>\n"
      "<p style=\"text-indent:2em\"><a href=\"/v/indent\">x</a></p>\n"
      "<div style=\"position:absolute;clip:rect(0 0 0 0)\"><a href=\"/h/clip\">x</a></div>\n"
      "<div style=\"position:absolute;clip:rect(0px,200px,30px,0px)\"><a href=\"/v/clip\">x</a></div>\n"
      "<div style=\"background:#fff url(/img/x.png) no-repeat\"><a href=\"/h/color\" style=\"color:#FFFFFF\">x</a></div>\n"
      "<div style=\"background-color:white\"><span style=\"color:rgb(255, 255, 255)\"><a href=\"/h/color2\">x</a></span></div>\n"
      "<font color=\"#ffffff\"><a href=\"/h/color3\">x</a></font>\n"
      "<div style=\"background:#fff\"><a href=\"/v/color\" style=\"color:#000\">x</a></div>\n"
      "<a href=\"/h/attr\" hidden>x</a>\n"
      "<a href=\"/v/aria\" aria-hidden=\"true\">x</a>\n"
      "<span type=\"hidden\"><a href=\"/h/type\">x</a></span>\n"
      "<marquee width=\"1\" height=\"1\"><a href=\"/h/marquee\">x</a></marquee>\n"
      "<marquee style=\"width:2px;height:2px\"><a href=\"/h/marquee2\">x</a></marquee>\n"
      "<marquee scrollamount=\"3\"><a href=\"/v/marquee\">x</a></marquee>\n"
      "<div class=\"a hide1 b\"><a href=\"/h/cssclass\">x</a></div>\n"
      "<div id=\"hid2\"><a href=\"/h/cssid\">x</a></div>\n"
      "<span class=\"off\"><a href=\"/h/csspos\">x</a></span>\n"
      "<div class=\"ok3\"><a href=\"/v/cssclass\">x</a></div>\n"
      "<div class=\"pr cm nested\"><a href=\"/v/media\">x</a></div>\n"
      "<div style=\"DISPLAY: NONE !important\"><a href=\"/h/important\">x</a></div>\n"
      "<div style=\"display:none\">\n<div><span><a href=\"/h/deep\">深层隐藏</a></span></div></div>\n"
      "<div style=\"visibility:hidden\"><img src=\"/h/img.png\" alt=\"图\"></div>\n"
      "</body></html>\n";
  struct gw_page *p = parse(html);
  if (!p)
    return;
  static const struct {
    const char *raw;
    unsigned hide;
  } want[] = {
    {"/v/plain", 0},
    {"/h/display", GW_HIDE_DISPLAY_NONE},
    {"/v/display", 0},
    {"/h/visibility", GW_HIDE_VISIBILITY},
    {"/v/visibility", 0},
    {"/h/fontsize", GW_HIDE_FONT_SIZE},
    {"/h/fontsize2", GW_HIDE_FONT_SIZE},
    {"/v/fontsize", 0},
    {"/h/zerosize", GW_HIDE_ZERO_SIZE},
    {"/h/zerosize2", GW_HIDE_ZERO_SIZE},
    {"/v/zerosize", 0},
    {"/v/zerosize2", 0},
    {"/h/offscreen", GW_HIDE_OFFSCREEN},
    {"/h/offscreen2", GW_HIDE_OFFSCREEN},
    {"/v/offscreen", 0},
    {"/v/offscreen2", 0},
    {"/h/indent", GW_HIDE_TEXT_INDENT},
    {"/v/indent", 0},
    {"/h/clip", GW_HIDE_CLIP},
    {"/v/clip", 0},
    {"/h/color", GW_HIDE_SAME_COLOR},
    {"/h/color2", GW_HIDE_SAME_COLOR},
    {"/h/color3", GW_HIDE_SAME_COLOR},
    {"/v/color", 0},
    {"/h/attr", GW_HIDE_ATTRIBUTE},
    {"/v/aria", 0},
    {"/h/type", GW_HIDE_INPUT_HIDDEN},
    {"/h/marquee", GW_HIDE_MARQUEE},
    {"/h/marquee2", GW_HIDE_MARQUEE},
    {"/v/marquee", 0},
    {"/h/cssclass", GW_HIDE_CSS_RULE},
    {"/h/cssid", GW_HIDE_CSS_RULE},
    {"/h/csspos", GW_HIDE_CSS_RULE},
    {"/v/cssclass", 0},
    {"/v/media", 0},
    {"/h/important", GW_HIDE_DISPLAY_NONE},
    {"/h/deep", GW_HIDE_DISPLAY_NONE},
    {"/h/img.png", GW_HIDE_VISIBILITY},
  };
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    const struct gw_link *l = find_link(p, want[i].raw);
    CHECK_MSG(l != NULL, "link %s found", want[i].raw);
    if (!l)
      continue;
    char got[256], exp[256];
    gw_page_hide_describe(l->hidden, got, sizeof got);
    gw_page_hide_describe(want[i].hide, exp, sizeof exp);
    CHECK_MSG(l->hidden == want[i].hide, "%s: hidden [%s], want [%s]", want[i].raw, got, exp);
    CHECK_MSG((l->hidden_line != 0) == (want[i].hide != 0), "%s: hidden_line %ld", want[i].raw,
              l->hidden_line);
    if (want[i].hide)
      CHECK_MSG(l->text_off == GW_PAGE_NOPOS, "%s: hidden text not in page text", want[i].raw);
  }
  /* the line is that of the element that hides, not of the link */
  const struct gw_link *deep = find_link(p, "/h/deep");
  if (deep) {
    CHECK_INT(deep->line, deep->hidden_line + 1);
    CHECK_STR(deep->text, "深层隐藏"); /* hidden links keep their text as evidence */
  }
  CHECK(strstr(p->text, "深层隐藏") == NULL);
  CHECK(strstr(p->text, "隐藏") == NULL);
  CHECK_CONTAINS(p->text, "可见");
  char buf[256];
  CHECK_STR(gw_page_hide_describe(GW_HIDE_DISPLAY_NONE | GW_HIDE_FONT_SIZE, buf, sizeof buf),
            "display:none,font-size:0");
  CHECK_STR(gw_page_hide_describe(0, buf, sizeof buf), "");
  char small[8];
  gw_page_hide_describe(GW_HIDE_DISPLAY_NONE | GW_HIDE_CLIP, small, sizeof small);
  CHECK_STR(small, "");
  gw_page_free(&p);
}

/* ---- meta --------------------------------------------------------------- */

static void test_meta(void)
{
  const char *html =
      "<html><head>\n"
      "<meta name=\"ArticleTitle\" content=\"关于做好2025年政务公开工作的通知\">\n"
      "<meta name=\"PubDate\" content=\"2025-03-20 09:30\">\n"
      "<meta name=\"ContentSource\" content=\"青溪县人民政府办公室\">\n"
      "<meta name=\"SiteName\" content=\"青溪县人民政府\">\n"
      "<meta name=\"SiteDomain\" content=\"www.qingxi.gov.cn\">\n"
      "<meta name=\"SiteIDCode\" content=\"3301000001\">\n"
      "<meta name=\"ColumnName\" content=\"通知公告\">\n"
      "<meta name=\"ColumnType\" content=\"通知公告类\">\n"
      "<meta name=\"Keywords\" content=\"政务公开,通知\">\n"
      "<meta property=\"og:description\" content=\"描述文字\">\n"
      "<meta http-equiv=\"X-UA-Compatible\" content=\"IE=edge\">\n"
      "<meta name=\"empty\">\n"
      "<meta content=\"no name\">\n"
      "</head><body><h1>关于做好2025年政务公开工作的通知</h1><p>发布时间：2025-03-18</p></body></html>";
  struct gw_page *p = parse(html);
  if (!p)
    return;
  CHECK_INT(p->n_metas, 12);
  CHECK_STR(gw_page_meta(p, "pubdate"), "2025-03-20 09:30");
  CHECK_STR(gw_page_meta(p, "x-ua-compatible"), "IE=edge");
  CHECK_STR(gw_page_meta(p, "empty"), "");
  CHECK(gw_page_meta(p, "nothere") == NULL);
  CHECK(gw_page_meta(NULL, "x") == NULL);
  CHECK_STR(gw_page_meta_field(p, GW_MF_ARTICLE_TITLE), "关于做好2025年政务公开工作的通知");
  CHECK_STR(gw_page_meta_field(p, GW_MF_PUBDATE), "2025-03-20 09:30");
  CHECK_STR(gw_page_meta_field(p, GW_MF_CONTENT_SOURCE), "青溪县人民政府办公室");
  CHECK_STR(gw_page_meta_field(p, GW_MF_SITE_NAME), "青溪县人民政府");
  CHECK_STR(gw_page_meta_field(p, GW_MF_SITE_DOMAIN), "www.qingxi.gov.cn");
  CHECK_STR(gw_page_meta_field(p, GW_MF_SITE_ID_CODE), "3301000001");
  CHECK_STR(gw_page_meta_field(p, GW_MF_COLUMN_NAME), "通知公告");
  CHECK_STR(gw_page_meta_field(p, GW_MF_COLUMN_TYPE), "通知公告类");
  CHECK_STR(gw_page_meta_field(p, GW_MF_KEYWORDS), "政务公开,通知");
  CHECK_STR(gw_page_meta_field(p, GW_MF_DESCRIPTION), "描述文字");
  CHECK(gw_page_meta_field(p, GW_MF_COUNT_) == NULL);
  CHECK_INT(p->metas[0].attr, GW_META_NAME);
  CHECK_INT(p->metas[9].attr, GW_META_PROPERTY);
  CHECK_INT(p->metas[10].attr, GW_META_HTTP_EQUIV);
  CHECK_INT(p->metas[1].line, 3);
  /* the meta publish date wins over the labelled one */
  CHECK_INT(p->pubdate_source, GW_PUBDATE_META);
  CHECK_INT(p->pubdate, at("2025-03-20 09:30:00"));
  gw_page_free(&p);
}

/* ---- publish date ------------------------------------------------------- */

static void test_pubdate(void)
{
  /* labelled, after a navigation list with dates and a hidden date */
  const char *label =
      "<html><head><title>关于做好政务公开工作的通知_青溪县人民政府</title></head><body>"
      "<ul class=\"nav\"><li><a href=\"/1\">要闻一</a>[03-01]</li></ul>"
      "<div style=\"display:none\">发布时间：2020-01-01</div>"
      "<h1>关于做好政务公开工作的通知</h1>"
      "<div class=\"info\">发布时间：2025-03-18 10:05　来源：县政府办　浏览次数：12</div>"
      "<p>各乡镇：2024年12月1日召开的会议要求……</p></body></html>";
  struct gw_page *p = parse(label);
  if (p) {
    CHECK_INT(p->pubdate_source, GW_PUBDATE_LABEL);
    CHECK_INT(p->pubdate, at("2025-03-18 10:05:00"));
    CHECK_STR(p->pubdate_hit.label, "发布时间");
    CHECK(strncmp(p->text + p->pubdate_hit.offset, "2025-03-18 10:05", 16) == 0);
    CHECK_STR(gw_pubdate_source_name(p->pubdate_source), "label");
    gw_page_free(&p);
  }
  /* 成文日期 in a 公文 block, Chinese numerals */
  p = parse("<h1>青溪县人民政府关于印发实施方案的通知</h1><p>成文日期：二〇二五年三月十日</p><p>正文</p>");
  if (p) {
    CHECK_INT(p->pubdate_source, GW_PUBDATE_LABEL);
    CHECK_INT(p->pubdate, at("2025-03-10"));
    gw_page_free(&p);
  }
  /* unlabelled date line under the headline; future dates and years are skipped */
  p = parse("<p>2030-01-01 预告</p><h1>青溪县召开专题会议部署工作</h1>"
            "<div>2025年03月17日 10:00 来源：青溪新闻网</div><p>会议指出……</p>");
  if (p) {
    CHECK_INT(p->pubdate_source, GW_PUBDATE_TEXT);
    CHECK_INT(p->pubdate, at("2025-03-17 10:00:00"));
    CHECK_STR(gw_pubdate_source_name(p->pubdate_source), "text");
    gw_page_free(&p);
  }
  /* an effective date is no publish date; a meta in RFC 3339 */
  p = parse("<meta property=\"article:published_time\" content=\"2025-03-16T02:00:00Z\">"
            "<h1>标题标题标题</h1><p>施行日期：2025-03-01</p>");
  if (p) {
    CHECK_INT(p->pubdate_source, GW_PUBDATE_META);
    CHECK_INT(p->pubdate, at("2025-03-16 10:00:00"));
    gw_page_free(&p);
  }
  p = parse("<h1>标题标题标题</h1><p>施行日期：2025-06-01</p>");
  if (p) {
    CHECK_INT(p->pubdate_source, GW_PUBDATE_NONE); /* not a label, and after as_of + 1 day */
    gw_page_free(&p);
  }
  /* a footer date is not the publish date */
  p = parse("<h1>标题标题标题</h1><p>正文没有日期</p>"
            "<div class=\"footer\">版权所有 更新时间：2025-03-01 网站标识码3301000001</div>");
  if (p) {
    CHECK_INT(p->pubdate_source, GW_PUBDATE_NONE);
    CHECK_STR(gw_pubdate_source_name(p->pubdate_source), "none");
    gw_page_free(&p);
  }
  /* the real article page: the date line under the headline (the hidden
   * Baidu block before it says 12:10:24) */
  const char *shared = getenv("GW_TEST_SHARED");
  if (!shared)
    return;
  char path[1024];
  snprintf(path, sizeof path, "%s/data/html/gerapy/detail/china_news1.html", shared);
  size_t len;
  char *data = gw_test_slurp(path, &len);
  CHECK_MSG(data != NULL, "read %s", path);
  if (!data)
    return;
  p = parse_full(data, len, NULL, "http://www.chinanews.com/ll/2020/07-04/9229287.shtml");
  if (p) {
    CHECK_INT(p->pubdate_source, GW_PUBDATE_TEXT);
    CHECK_INT(p->pubdate, at("2020-07-04 12:10:00"));
    CHECK_CONTAINS(p->title, "坚定实施扩大内需战略");
    gw_page_free(&p);
  }
  free(data);
}

/* ---- footer ------------------------------------------------------------- */

static const char *FOOTER_PAGE =
    "<html><body>\n"
    "<div class=\"top\"><a href=\"/sitemap.html\">网站地图</a></div>\n"
    "<div class=\"main\"><h1>青溪县人民政府</h1><p>正文内容正文内容正文内容</p>"
    "<a href=\"/main/1.html\">正文链接</a></div>\n"
    "<div class=\"footer\">\n"
    " <div class=\"links\"><a href=\"/sitemap.html\">网站地图</a> | <a href=\"/contact.html\">联系我们</a></div>\n"
    " <p>主办单位：青溪县人民政府办公室　版权所有</p>\n"
    " <p>网站标识码：3301000001　<a href=\"https://beian.miit.gov.cn/\">浙ICP备05012345号-1</a>"
    "   <img src=\"/img/ga.png\">浙公网安备 33012202000123号</p>\n"
    " <p><a href=\"https://bszs.conac.cn/sitename?method=show&amp;id=123\"><img src=\"/img/red.png\"></a>"
    "  <a href=\"https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=3301000001\">"
    "<img src=\"/img/jiucuo.png\" alt=\"我为政府网站找错\"></a></p>\n"
    "</div>\n"
    "</body></html>\n";

static void test_footer(void)
{
  struct gw_page *p = parse(FOOTER_PAGE);
  if (!p)
    return;
  const struct gw_footer *f = &p->footer;
  CHECK(f->found);
  CHECK_INT(f->line, 4);
  CHECK_CONTAINS(f->text, "主办单位：青溪县人民政府办公室");
  CHECK_CONTAINS(f->text, "网站地图 | 联系我们");
  CHECK(strstr(f->text, "正文") == NULL);
  CHECK(strncmp(p->text + f->text_off, f->text, strlen(f->text)) == 0);
  CHECK_STR(f->site_code, "3301000001");
  CHECK_STR(f->icp, "浙ICP备05012345号-1");
  CHECK_STR(f->psb, "浙公网安备33012202000123号");
  CHECK(f->has_conac);
  CHECK(f->has_jiucuo);
  const struct gw_link *l = find_link(p, "/contact.html");
  CHECK(l && l->in_footer);
  l = find_link(p, "/main/1.html");
  CHECK(l && !l->in_footer);
  l = find_link(p, "/img/red.png");
  CHECK(l && l->in_footer);
  /* the top-bar 网站地图 is not the footer */
  CHECK(!p->links[0].in_footer);
  gw_page_free(&p);

  /* no badge, no 找错 (a hidden one does not count), bm code, ICP证 */
  p = parse("<div class=\"main\"><p>正文正文</p></div>"
            "<div id=\"bottom\"><p>版权所有：青溪县教育局 网站标识码bm12000001 京ICP证030173号</p>"
            "<div style=\"display:none\"><a href=\"https://bszs.conac.cn/x\">党政机关</a></div></div>");
  if (p) {
    CHECK(p->footer.found);
    CHECK_STR(p->footer.site_code, "bm12000001");
    CHECK_STR(p->footer.icp, "京ICP证030173号");
    CHECK(p->footer.psb == NULL);
    CHECK(!p->footer.has_conac);
    CHECK(!p->footer.has_jiucuo);
    gw_page_free(&p);
  }
  /* the badge drawn by the conac script; 找错 by its text */
  p = parse("<div class=\"foot\">主办单位：青溪县 <a href=\"/jc\">我为政府网站找错</a>"
            "<script>document.write(unescape(\"%3Cspan id='_ideConac' %3E%3C/span%3E%3Cscript src='https://dcs.conac.cn/js/33/000/0000/60429971/CA330000000604299710001.js'%3E%3C/script%3E\"));</script>"
            "</div>");
  if (p) {
    CHECK(p->footer.has_conac);
    CHECK(p->footer.has_jiucuo);
    CHECK(p->footer.site_code == NULL);
    gw_page_free(&p);
  }
  /* 11 digits are no site code; no footer at all */
  p = parse("<p>网站标识码：33010000011</p>");
  if (p) {
    CHECK(p->footer.site_code == NULL);
    gw_page_free(&p);
  }
  p = parse("<p>只有正文</p>");
  if (p) {
    CHECK(!p->footer.found);
    CHECK_STR(p->footer.text, "");
    gw_page_free(&p);
  }
}

/* ---- pagination --------------------------------------------------------- */

static void test_pagination(void)
{
  struct gw_page *p = parse(
      "<ul><li><a href=\"/a/1.html\">青溪县召开会议部署工作</a></li></ul>"
      "<div class=\"page\">共5页 当前第1页 <a href=\"index.html\">首页</a> <a href=\"index_1.html\">下一页</a>"
      " <a href=\"index_4.html\">尾页</a></div>");
  if (p) {
    CHECK_INT(p->pages.total, 5);
    CHECK_INT(p->pages.current, 1);
    CHECK_STR(p->pages.next, "http://www.qingxi.gov.cn/col/col1/index_1.html");
    CHECK_INT(p->pages.n_urls, 3);
    gw_page_free(&p);
  }
  /* TRS WCM pager script */
  p = parse("<div id=\"page\"><script>createPageHTML(6, 0, \"index\", \"shtml\");</script></div>");
  if (p) {
    CHECK_INT(p->pages.total, 6);
    CHECK_INT(p->pages.current, 1);
    CHECK_STR(p->pages.next, "http://www.qingxi.gov.cn/col/col1/index_1.shtml");
    CHECK_INT(p->pages.n_urls, 6);
    if (p->pages.n_urls == 6) {
      CHECK_STR(p->pages.urls[0], "http://www.qingxi.gov.cn/col/col1/index.shtml");
      CHECK_STR(p->pages.urls[5], "http://www.qingxi.gov.cn/col/col1/index_5.shtml");
    }
    gw_page_free(&p);
  }
  p = parse_full("<script>createPageHTML(3,2,'list','html')</script>",
                 strlen("<script>createPageHTML(3,2,'list','html')</script>"), NULL,
                 "http://www.qingxi.gov.cn/col/col1/list_2.html");
  if (p) {
    CHECK_INT(p->pages.total, 3);
    CHECK_INT(p->pages.current, 3);
    CHECK(p->pages.next == NULL); /* the last page */
    gw_page_free(&p);
  }
  /* Hanweb-style: 第1/7页 with pageNum links */
  p = parse("<div class=\"fy\">第1/7页 <a href=\"?uid=1&amp;pageNum=2\">下一页</a>"
            " <a href=\"?uid=1&amp;pageNum=7\">尾页</a></div>");
  if (p) {
    CHECK_INT(p->pages.total, 7);
    CHECK_INT(p->pages.current, 1);
    CHECK_STR(p->pages.next, "http://www.qingxi.gov.cn/col/col1/index.html?uid=1&pageNum=2");
    gw_page_free(&p);
  }
  /* only a 尾页 link tells the total */
  p = parse("<div class=\"pages\"><a href=\"index_1.html\">2</a> <a href=\"index_2.html\">3</a>"
            " <a href=\"index_11.html\">尾页</a></div>");
  if (p) {
    CHECK_INT(p->pages.total, 12);
    CHECK(p->pages.next == NULL);
    CHECK_INT(p->pages.n_urls, 3);
    gw_page_free(&p);
  }
  /* numeric links: 1 2 3 > */
  p = parse("<div><a href=\"?page=1\">1</a><a href=\"?page=2\">2</a><a href=\"?page=3\">3</a>"
            "<a href=\"?page=2\">&gt;</a></div>");
  if (p) {
    CHECK_STR(p->pages.next, "http://www.qingxi.gov.cn/col/col1/index.html?page=2");
    CHECK_INT(p->pages.n_urls, 3);
    gw_page_free(&p);
  }
  /* TRS WCM tables: 共 X 条记录 分 N 页 当前第 p 页 */
  p = parse("<div class=\"pagination\">共 16 条记录 分 2 页 当前第 1 页 首页 上一页 "
            "<a href=\"index_1.html\">下一页</a> <a href=\"index_1.html\">末页</a></div>");
  if (p) {
    CHECK_INT(p->pages.total, 2);
    CHECK_INT(p->pages.current, 1);
    CHECK_STR(p->pages.next, "http://www.qingxi.gov.cn/col/col1/index_1.html");
    gw_page_free(&p);
  }
  p = parse("<div class=\"pagination\">共 1 条记录 分 1 页 当前第 1 页 首页 上一页 下一页 末页</div>");
  if (p) {
    CHECK_INT(p->pages.total, 1);
    CHECK_INT(p->pages.current, 1);
    CHECK(p->pages.next == NULL);
    gw_page_free(&p);
  }
  /* none */
  p = parse("<p>正文</p>");
  if (p) {
    CHECK_INT(p->pages.total, 0);
    CHECK(p->pages.next == NULL);
    CHECK_INT(p->pages.n_urls, 0);
    gw_page_free(&p);
  }
}

/* ---- list items --------------------------------------------------------- */

static void test_list(void)
{
  const char *html =
      "<html><head><title>通知公告_青溪县人民政府</title></head><body>\n"
      "<ul class=\"nav\"><li><a href=\"/\">首页</a></li><li><a href=\"/zwgk/\">政务公开</a></li>"
      "<li><a href=\"/hd/\">互动交流</a></li><li><a href=\"/fw/\">政务服务</a></li></ul>\n"
      "<div class=\"list\"><ul>\n"
      "<li><a href=\"/art/2025/3/20/art_1_101.html\" title=\"关于做好2025年政务公开工作的通知全文标题\">关于做好2025年政务公开工作的...</a><span>2025-03-20</span></li>\n"
      "<li><a href=\"/art/2025/3/18/art_1_100.html\">青溪县人民政府关于调整部分行政事业性收费的通告</a><span>2025-03-18</span></li>\n"
      "<li class=\"line\"></li>\n"
      "<li><a href=\"/art/2025/3/1/art_1_99.html\">青溪县2024年国民经济和社会发展统计公报</a><span>[03-01]</span></li>\n"
      "<li><a href=\"/art/2024/12/30/art_1_98.html\">关于2025年元旦放假安排的通知</a><span>2024年12月30日</span></li>\n"
      "</ul></div>\n"
      "<div class=\"xglj\"><ul><li><a href=\"http://www.gov.cn/\">中国政府网</a></li>"
      "<li><a href=\"http://www.zj.gov.cn/\">浙江省人民政府</a></li></ul></div>\n"
      "<div class=\"footer\"><ul><li><a href=\"/about\">关于本网站的说明文字</a></li>"
      "<li><a href=\"/contact\">联系我们的方式说明</a></li><li><a href=\"/map\">网站地图导航说明</a></li></ul>"
      "版权所有：青溪县人民政府</div>\n"
      "</body></html>\n";
  struct gw_page *p = parse(html);
  if (!p)
    return;
  CHECK_INT(p->n_items, 4);
  if (p->n_items == 4) {
    CHECK_STR(p->items[0].title, "关于做好2025年政务公开工作的通知全文标题");
    CHECK_STR(p->items[0].url, "http://www.qingxi.gov.cn/art/2025/3/20/art_1_101.html");
    CHECK(p->items[0].has_date);
    CHECK_INT(p->items[0].date.time, at("2025-03-20"));
    CHECK_INT(p->items[0].line, 4);
    CHECK_STR(p->items[1].title, "青溪县人民政府关于调整部分行政事业性收费的通告");
    CHECK_INT(p->items[2].date.time, at("2025-03-01"));
    CHECK(p->items[2].date.year_inferred);
    CHECK_INT(p->items[3].date.time, at("2024-12-30"));
    /* the 2025 in a title is not the item's date */
    CHECK(strncmp(p->text + p->items[0].date.offset, "2025-03-20", 10) == 0);
    CHECK_STR(p->links[p->items[1].link].url, p->items[1].url);
  }
  gw_page_free(&p);

  /* a table list with a header row; dates in their own cells */
  p = parse("<table class=\"tab\"><tr><th>标题</th><th>日期</th></tr>"
            "<tr><td><a href=\"t1.html\">青溪县教育局2025年部门预算公开</a></td><td>2025/03/01</td></tr>"
            "<tr><td><a href=\"t2.html\">青溪县教育局2024年部门决算公开</a></td><td>2024/09/01</td></tr>"
            "<tr><td><a href=\"t3.html\">青溪县教育局2024年部门预算公开</a></td><td>2024/03/01</td></tr>"
            "</table>");
  if (p) {
    CHECK_INT(p->n_items, 3);
    if (p->n_items == 3) {
      CHECK_STR(p->items[2].url, "http://www.qingxi.gov.cn/col/col1/t3.html");
      CHECK_INT(p->items[1].date.time, at("2024-09-01"));
    }
    gw_page_free(&p);
  }
  /* a flat list: anchors and date spans as siblings */
  p = parse("<div class=\"news\"><a href=\"n1.html\">乡村振兴工作推进会召开</a><span>2025-03-10</span><br>"
            "<a href=\"n2.html\">全县安全生产工作会议召开</a><span>2025-03-05</span><br>"
            "<a href=\"n3.html\">县领导调研重点项目建设</a><span>2025-02-28</span><br></div>");
  if (p) {
    CHECK_INT(p->n_items, 3);
    if (p->n_items == 3) {
      CHECK(p->items[1].has_date);
      CHECK_INT(p->items[1].date.time, at("2025-03-05"));
      CHECK_INT(p->items[2].date.time, at("2025-02-28"));
    }
    gw_page_free(&p);
  }
  /* a date element glued to a title that starts with a year (no blank
   * between inline elements in the text) */
  p = parse("<ul class=\"news-list\"><li><span class=\"date\">2024/12/15</span>"
            "<a href=\"/a/1.html\">2024年森林防火资金分配情况公开</a></li>"
            "<li><span class=\"date\">2024/12/24</span><a href=\"/a/2.html\">2024年部门预算</a></li></ul>");
  if (p) {
    CHECK_INT(p->n_items, 2);
    if (p->n_items == 2) {
      CHECK(p->items[0].has_date);
      CHECK_INT(p->items[0].date.time, at("2024-12-15"));
      CHECK_INT(p->items[1].date.time, at("2024-12-24"));
    }
    gw_page_free(&p);
  }
  /* a menu alone is no list */
  p = parse("<ul><li><a href=\"/\">首页</a></li><li><a href=\"/a\">概况</a></li><li><a href=\"/b\">公开</a></li></ul>");
  if (p) {
    CHECK_INT(p->n_items, 0);
    gw_page_free(&p);
  }
}

/* The real list pages: item counts from SOURCE.md (upstream's regression
 * expectations). */
static void test_real_lists(void)
{
  const char *shared = getenv("GW_TEST_SHARED");
  if (!shared) {
    CHECK_MSG(0, "GW_TEST_SHARED is not set (run under ctest)");
    return;
  }
  static const struct {
    const char *file;
    size_t items, dated;
    const char *first_title;
  } lists[] = {
    {"hrfund_announcement.html", 10, 10, "华融基金管理有限公司关于旗下基金参加南京苏宁基金销售有限公司申购补差费费率优惠活动的公告"},
    {"dfa66_announcement.html", 10, 10, "东方阿尔法优势产业混合型发起式证券投资基金可投资于科创板股票的公告"},
    {"hsqhfunds_announcement.html", 20, 20, NULL},
    {"rtfund_xxpl.html", 15, 15, NULL},
    {"tencent_important_news.html", 10, 0, NULL},
    {"netease_rolling_news.html", 40, 40, "一图读懂 | 深圳盒马员工确诊，2地6人感染始末"},
  };
  for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
    char path[1024];
    snprintf(path, sizeof path, "%s/data/html/gerapy/list/%s", shared, lists[i].file);
    size_t len;
    char *data = gw_test_slurp(path, &len);
    CHECK_MSG(data != NULL, "read %s", path);
    if (!data)
      continue;
    struct gw_page *p = parse_full(data, len, NULL, "http://www.example.com/list/index.html");
    free(data);
    if (!p)
      continue;
    CHECK_MSG(p->n_items == lists[i].items, "%s: %zu items, want %zu", lists[i].file, p->n_items,
              lists[i].items);
    size_t dated = 0;
    for (size_t k = 0; k < p->n_items; k++) {
      dated += p->items[k].has_date;
      CHECK(strncmp(p->items[k].url, "http", 4) == 0);
      CHECK(gw_utf8_len(p->items[k].title) >= 4);
    }
    CHECK_MSG(dated == lists[i].dated, "%s: %zu dated items, want %zu", lists[i].file, dated,
              lists[i].dated);
    if (lists[i].first_title && p->n_items)
      CHECK_STR(p->items[0].title, lists[i].first_title);
    gw_page_free(&p);
  }
}

/* ---- encodings through the model ---------------------------------------- */

static void test_gbk_page(void)
{
  const char *utf8 = "<html><head><meta charset=\"gb2312\"><title>青溪县教育局</title></head>"
                     "<body><a href=\"/x.html\">朱镕基同志视察青溪县教育工作</a></body></html>";
  iconv_t cd = iconv_open("GBK", "UTF-8");
  char out[1024], *op = out, *ip = (char *)utf8;
  size_t il = strlen(utf8), ol = sizeof out;
  iconv(cd, &ip, &il, &op, &ol);
  iconv_close(cd);
  struct gw_page *p = parse_full(out, (size_t)(op - out), "text/html", NULL);
  if (!p)
    return;
  CHECK_STR(p->charset.charset, "GB18030");
  CHECK_INT(p->charset.source, GW_CHARSET_SRC_META);
  CHECK_STR(p->title, "青溪县教育局");
  CHECK(p->n_links == 1 && strcmp(p->links[0].text, "朱镕基同志视察青溪县教育工作") == 0);
  gw_page_free(&p);
}

/* ---- hostile input and caps --------------------------------------------- */

static void test_hostile(void)
{
  /* 100,000 nested divs */
  size_t depth = 100000;
  size_t cap = depth * 11 + 256;
  char *deep = malloc(cap);
  size_t n = 0;
  for (size_t i = 0; i < depth; i++) {
    memcpy(deep + n, "<div>", 5);
    n += 5;
  }
  n += (size_t)snprintf(deep + n, cap - n, "<a href=\"/deep\">最深处</a>");
  for (size_t i = 0; i < depth; i++) {
    memcpy(deep + n, "</div>", 6);
    n += 6;
  }
  struct gw_page *p = parse_full(deep, n, NULL, NULL);
  if (p) {
    CHECK(gw_utf8_valid(p->text, p->text_len));
    /* libxml2 would stop at depth 256 and drop the rest of the page */
    CHECK(find_link(p, "/deep") != NULL);
    CHECK_STR(p->text, "最深处");
    gw_page_free(&p);
  }
  /* the same nesting with hiding at the top */
  memcpy(deep, "<p hidden>", 10);
  p = parse_full(deep, n, NULL, NULL);
  if (p)
    gw_page_free(&p);
  free(deep);

  /* content after a deep nest is kept */
  struct gw_buf b;
  gw_buf_init(&b, 0);
  gw_buf_puts(&b, "<p><a href=\"/before\">前</a></p>");
  for (int i = 0; i < 1000; i++)
    gw_buf_puts(&b, "<div><span>");
  gw_buf_puts(&b, "<a href=\"/mid\">中</a>");
  gw_buf_puts(&b, "<p><a href=\"/after\">后</a></p>");
  p = parse_full(b.data, b.len, NULL, NULL);
  if (p) {
    CHECK(find_link(p, "/before") && find_link(p, "/mid") && find_link(p, "/after"));
    gw_page_free(&p);
  }
  /* a huge flat page of small lists (the list finder must not go quadratic) */
  gw_buf_reset(&b);
  for (int i = 0; i < 20000; i++)
    gw_buf_printf(&b, "<ul class=\"c\"><li><a href=\"/w/%d/a\">第%d条新闻标题甲</a>2025-03-01</li>"
                      "<li><a href=\"/w/%d/b\">第%d条新闻标题乙</a>2025-03-02</li></ul>", i, i, i, i);
  p = parse_full(b.data, b.len, NULL, NULL);
  if (p) {
    CHECK_INT(p->n_links, 20000); /* the default link cap */
    CHECK(p->links_truncated);
    CHECK(p->n_items >= 2);
    gw_page_free(&p);
  }

  /* line numbers past 65535 */
  gw_buf_reset(&b);
  for (int i = 0; i < 70000; i++)
    gw_buf_puts(&b, "<p>x</p>\n");
  gw_buf_puts(&b, "<a href=\"/far\">远</a>\n");
  p = parse_full(b.data, b.len, NULL, NULL);
  if (p) {
    const struct gw_link *far = find_link(p, "/far");
    CHECK(far && far->line == 70001);
    gw_page_free(&p);
  }
  gw_buf_free(&b);

  /* a 1 MB attribute */
  size_t big = 1u << 20;
  char *attr = malloc(big + 256);
  n = (size_t)snprintf(attr, 64, "<a href=\"/x\" title=\"");
  memset(attr + n, 'A', big);
  n += big;
  n += (size_t)snprintf(attr + n, 128, "\">标题</a><a href=\"/y\">第二个</a>");
  p = parse_full(attr, n, NULL, NULL);
  if (p) {
    CHECK(find_link(p, "/x") != NULL);
    CHECK(find_link(p, "/y") != NULL);
    gw_page_free(&p);
  }
  /* a 1 MB URL is not kept */
  n = (size_t)snprintf(attr, 64, "<a href=\"/");
  memset(attr + n, 'b', big);
  n += big;
  n += (size_t)snprintf(attr + n, 128, "\">长</a><a href=\"/y\">短</a>");
  p = parse_full(attr, n, NULL, NULL);
  if (p) {
    CHECK_INT(p->n_links, 1);
    CHECK_INT(p->n_skipped, 1);
    gw_page_free(&p);
  }
  free(attr);

  /* NUL bytes */
  const char nul[] = "<p>前\0后</p><a href=\"/z\0q\">z</a><a href=/ok>ok</a>";
  p = parse_full(nul, sizeof nul - 1, "text/html; charset=utf-8", NULL);
  if (p) {
    CHECK_CONTAINS(p->text, "前\xEF\xBF\xBD后");
    CHECK_INT(p->charset.replacements, 2);
    CHECK(find_url(p, "http://www.qingxi.gov.cn/ok") != NULL);
    for (size_t i = 0; i < p->n_links; i++)
      CHECK(strncmp(p->links[i].url, "http", 4) == 0);
    gw_page_free(&p);
  }
  /* truncated tags and garbage */
  static const char *const broken[] = {
    "<html><body><a href=\"/t1\">one</a><div class=\"x",
    "<a href=\"/u",
    "<a href='/v'>v</a><",
    "</div></div></body><a href=/w>w",
    "<<<>>><a<a<a href=>",
    "<!-- unterminated comment <a href=/c>c</a>",
    "<script>document.write('<a href=/s>')",
    "<style>.x{display:none",
    "\xFF\xFE\x00<\x00a\x00",
    "",
  };
  for (size_t i = 0; i < sizeof broken / sizeof broken[0]; i++) {
    p = parse_full(broken[i], strlen(broken[i]), NULL, NULL);
    if (!p)
      continue;
    CHECK(gw_utf8_valid(p->text, p->text_len));
    gw_page_free(&p);
  }
  p = parse_full("<a href=/t1>one</a><div", strlen("<a href=/t1>one</a><div"), NULL, NULL);
  if (p) {
    CHECK(find_link(p, "/t1") != NULL);
    gw_page_free(&p);
  }
  /* an empty body: an empty model */
  p = parse_full(NULL, 0, NULL, NULL);
  if (p) {
    CHECK_STR(p->text, "");
    CHECK_STR(p->title, "");
    CHECK_INT(p->n_links, 0);
    CHECK(!p->footer.found);
    CHECK_STR(p->footer.text, "");
    gw_page_free(&p);
  }
}

static void test_caps(void)
{
  char *html = malloc(200000);
  size_t n = 0;
  for (int i = 0; i < 50; i++)
    n += (size_t)snprintf(html + n, 200000 - n, "<p><a href=\"/l/%d.html\">链接%d</a></p>", i, i);
  struct gw_page_input in = {.url = PAGE_URL, .data = html, .len = n, .max_links = 10};
  struct gw_page *p = NULL;
  CHECK_INT(gw_page_parse(&p, &in), GW_OK);
  if (p) {
    CHECK_INT(p->n_links, 10);
    CHECK(p->links_truncated);
    CHECK_STR(p->links[9].raw, "/l/9.html");
    CHECK(!p->text_truncated);
    gw_page_free(&p);
  }
  in.max_links = 0;
  in.max_text = 100;
  CHECK_INT(gw_page_parse(&p, &in), GW_OK);
  if (p) {
    CHECK(p->text_truncated);
    CHECK(p->text_len <= 100);
    CHECK(gw_utf8_valid(p->text, p->text_len));
    CHECK_INT(p->n_links, 50); /* links are still all there */
    gw_page_free(&p);
  }
  in.max_text = 0;
  in.max_bytes = 1000;
  CHECK_INT(gw_page_parse(&p, &in), GW_OK);
  if (p) {
    CHECK(p->input_truncated);
    CHECK(p->n_links < 50 && p->n_links > 0);
    gw_page_free(&p);
  }
  free(html);
}


/* ---- the generated sample family ----------------------------------------- */

/* Fetch an absolute URL from the generator and parse it; NULL (with
 * *status set) for anything but a 200 text/html answer. */
static struct gw_page *sample_page(const struct gw_sample *s, const char *url, int64_t as_of,
                                   int *status)
{
  CURLU *h = curl_url();
  char *host = NULL, *path = NULL, *query = NULL;
  *status = 0;
  if (curl_url_set(h, CURLUPART_URL, url, 0) != CURLUE_OK ||
      curl_url_get(h, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
      curl_url_get(h, CURLUPART_PATH, &path, 0) != CURLUE_OK) {
    curl_url_cleanup(h);
    return NULL;
  }
  curl_url_get(h, CURLUPART_QUERY, &query, 0);
  char pq[2048];
  snprintf(pq, sizeof pq, "%s%s%s", path, query ? "?" : "", query ? query : "");
  struct gw_sample_resp r;
  memset(&r, 0, sizeof r);
  struct gw_page *p = NULL;
  if (gw_sample_get(s, host, pq, NULL, &r) == GW_OK) {
    *status = r.status;
    if (r.status == 200 && strncmp(r.content_type, "text/html", 9) == 0) {
      struct gw_page_input in = {.url = url, .data = r.body, .len = r.len,
                                 .content_type = r.content_type, .as_of = as_of};
      if (gw_page_parse(&p, &in) != GW_OK)
        p = NULL;
    }
  }
  gw_sample_resp_clear(&r);
  curl_free(host);
  curl_free(path);
  curl_free(query);
  curl_url_cleanup(h);
  return p;
}

/* The footer identifiers the manifest says a site shows. */
struct site_truth {
  const char *host, *code, *icp, *psb;
  bool badge;
};

static size_t footer_checks, footer_fail;

static void check_footer(const struct gw_page *p, const struct site_truth *t)
{
  footer_checks++;
  char psb[128];
  size_t k = 0;
  for (const char *c = t->psb; *c && k + 1 < sizeof psb; c++)
    if (*c != ' ')
      psb[k++] = *c;
  psb[k] = '\0';
  bool ok = p->footer.found && p->footer.site_code && strcmp(p->footer.site_code, t->code) == 0 &&
            p->footer.icp && strcmp(p->footer.icp, t->icp) == 0 && p->footer.psb &&
            strcmp(p->footer.psb, psb) == 0 && p->footer.has_conac == t->badge &&
            p->footer.has_jiucuo;
  if (!ok) {
    footer_fail++;
    CHECK_MSG(0, "%s: footer code %s icp %s psb %s conac %d jiucuo %d; want %s %s %s %d", p->url,
              p->footer.site_code ? p->footer.site_code : "-", p->footer.icp ? p->footer.icp : "-",
              p->footer.psb ? p->footer.psb : "-", p->footer.has_conac, p->footer.has_jiucuo,
              t->code, t->icp, psb, t->badge);
  }
}

static void test_sample_family(void)
{
  struct gw_sample_opts o;
  gw_sample_opts_default(&o);
  struct gw_sample *s = NULL;
  CHECK_INT(gw_sample_new(&s, &o), GW_OK);
  if (!s)
    return;
  char *mjson = gw_sample_manifest_json(s);
  json_error_t jerr;
  json_t *m = json_loads(mjson, 0, &jerr);
  free(mjson);
  CHECK_MSG(m != NULL, "manifest JSON: %s", jerr.text);
  if (!m) {
    gw_sample_free(&s);
    return;
  }
  size_t columns = 0, list_pages = 0, items = 0, articles = 0, pubdates = 0;
  json_t *sites = json_object_get(m, "sites");
  size_t si;
  json_t *site;
  json_array_foreach(sites, si, site) {
    struct site_truth t = {
      json_string_value(json_object_get(site, "host")),
      json_string_value(json_object_get(site, "footer_code")),
      json_string_value(json_object_get(site, "icp")),
      json_string_value(json_object_get(site, "public_security_record")),
      json_is_true(json_object_get(site, "footer_badge")),
    };
    int status;
    struct gw_page *home = sample_page(s, json_string_value(json_object_get(site, "url")), o.as_of, &status);
    CHECK_MSG(home != NULL, "%s homepage (status %d)", t.host, status);
    if (home) {
      check_footer(home, &t);
      gw_page_free(&home);
    }
    size_t ci;
    json_t *col;
    json_array_foreach(json_object_get(site, "columns"), ci, col) {
      const char *name = json_string_value(json_object_get(col, "name"));
      size_t want_items = (size_t)json_integer_value(json_object_get(col, "items"));
      size_t want_pages = (size_t)json_integer_value(json_object_get(col, "list_pages"));
      const char *want_latest = json_string_value(json_object_get(col, "latest"));
      char url[1024];
      snprintf(url, sizeof url, "%s", json_string_value(json_object_get(col, "url")));
      size_t got_items = 0, got_pages = 0, undated = 0;
      int64_t latest = 0;
      int shown_total = -1;
      columns++;
      while (url[0] && got_pages < 1000) {
        struct gw_page *p = sample_page(s, url, o.as_of, &status);
        CHECK_MSG(p != NULL, "%s %s: list page %s (status %d)", t.host, name, url, status);
        if (!p)
          break;
        got_pages++;
        list_pages++;
        if (got_pages == 1)
          shown_total = p->pages.total;
        CHECK_MSG(p->pages.current == (int)got_pages || (p->pages.total == 0 && want_items == 0),
                  "%s: current page %d, want %zu", url, p->pages.current, got_pages);
        check_footer(p, &t);
        for (size_t k = 0; k < p->n_items; k++) {
          const struct gw_list_item *it = &p->items[k];
          got_items++;
          if (!it->has_date) {
            undated++;
            continue;
          }
          if (it->date.time > latest)
            latest = it->date.time;
          /* the article's publish date is the listed day */
          struct gw_page *a = sample_page(s, it->url, o.as_of, &status);
          if (!a)
            continue; /* attachments (PDF, DOCX, XLSX) */
          articles++;
          char d1[32], d2[32] = "none";
          gw_date_format(it->date.time, d1, sizeof d1);
          if (a->pubdate_source != GW_PUBDATE_NONE)
            gw_date_format(a->pubdate, d2, sizeof d2);
          pubdates += strcmp(d1, d2) == 0;
          CHECK_MSG(strcmp(d1, d2) == 0, "%s: listed %s, publish date %s (%s)", it->url, d1, d2,
                    gw_pubdate_source_name(a->pubdate_source));
          check_footer(a, &t);
          gw_page_free(&a);
        }
        const char *next = p->pages.next;
        if (next && strcmp(next, url) != 0)
          snprintf(url, sizeof url, "%s", next);
        else
          url[0] = '\0';
        gw_page_free(&p);
      }
      items += got_items;
      CHECK_MSG(got_items == want_items, "%s %s: %zu items, manifest %zu", t.host, name, got_items,
                want_items);
      CHECK_MSG(undated == 0, "%s %s: %zu items without a date", t.host, name, undated);
      CHECK_MSG(got_pages == want_pages, "%s %s: %zu list pages, manifest %zu", t.host, name,
                got_pages, want_pages);
      /* every pager shows its total; an empty column may show no pager */
      CHECK_MSG(shown_total == (int)want_pages || (shown_total == 0 && want_items == 0),
                "%s %s: pager shows %d pages, manifest %zu",
                t.host, name, shown_total, want_pages);
      char got_latest[32] = "";
      if (latest)
        gw_date_format(latest, got_latest, sizeof got_latest);
      CHECK_MSG(want_latest ? strcmp(got_latest, want_latest) == 0 : latest == 0,
                "%s %s: latest %s, manifest %s", t.host, name, latest ? got_latest : "none",
                want_latest ? want_latest : "null");
    }
  }
  /* the planted hidden spam links are seen as hidden */
  size_t di;
  json_t *d;
  size_t spam = 0;
  json_array_foreach(json_object_get(m, "defects"), di, d) {
    const char *kind = json_string_value(json_object_get(d, "kind"));
    if (!kind || strcmp(kind, "hidden_spam_link") != 0)
      continue;
    int status;
    struct gw_page *p = sample_page(s, json_string_value(json_object_get(d, "url")), o.as_of, &status);
    const char *target = json_string_value(json_object_get(d, "target"));
    const struct gw_link *l = p && target ? find_url(p, target) : NULL;
    CHECK_MSG(l && (l->hidden & GW_HIDE_DISPLAY_NONE) && !l->in_footer, "hidden spam link %s",
              target ? target : "?");
    spam += l != NULL;
    gw_page_free(&p);
  }
  CHECK_INT(spam, 1);
  fprintf(stderr, "sample family: %zu columns, %zu list pages, %zu items, %zu articles "
                  "(%zu publish dates match), %zu footers checked (%zu wrong)\n",
          columns, list_pages, items, articles, pubdates, footer_checks, footer_fail);
  CHECK(columns >= 80 && articles >= 100);
  json_decref(m);
  gw_sample_free(&s);
}

/* Phrase sets against the plain definition: every phrase searched for on
 * its own, occurrences counted with overlaps. */
static void test_phrase_sets(void)
{
  static const char *const list[] = {"版权所有", "主办单位", "ICP备", "icp", "aa", "404", "页面", NULL};
  static struct gw_phrases plain = GW_PHRASES_INIT(list, 0);
  static struct gw_phrases folded = GW_PHRASES_INIT(list, GW_PHRASES_FOLD | GW_PHRASES_DIGITS);
  static const char *const bits[] = {"版权", "所有", "主办", "单位", "ICP", "备", "icp", "Icp", "a", "A", "4",
                                     "04", "0", "页", "面", "x", "\0"};
  uint32_t seed = 7;
  int bad = 0;
  for (int round = 0; round < 4000; round++) {
    char t[200];
    size_t n = 0;
    int parts = 1 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 10;
    for (int i = 0; i < parts; i++) {
      const char *b = bits[((seed = seed * 1103515245u + 12345u) >> 16) % (sizeof bits / sizeof bits[0])];
      size_t bl = strcmp(b, "\0") == 0 ? 1 : strlen(b);
      memcpy(t + n, b, bl);
      n += bl;
    }
    for (int mode = 0; mode < 2; mode++) {
      uint64_t want = 0;
      size_t count = 0;
      for (size_t k = 0; list[k]; k++) {
        size_t pl = strlen(list[k]);
        for (size_t i = 0; i + pl <= n; i++) {
          size_t j = 0;
          while (j < pl && (mode && t[i + j] >= 'A' && t[i + j] <= 'Z' ? t[i + j] - 'A' + 'a' : t[i + j]) == list[k][j])
            j++;
          if (j < pl)
            continue;
          if (mode && list[k][0] >= '0' && list[k][0] <= '9' &&
              ((i > 0 && t[i - 1] >= '0' && t[i - 1] <= '9') || (i + pl < n && t[i + pl] >= '0' && t[i + pl] <= '9')))
            continue;
          want |= (uint64_t)1 << k;
          count++;
        }
      }
      struct gw_phrases *set = mode ? &folded : &plain;
      bad += gw_phrases_find(set, t, n) != want;
      bad += gw_phrases_count(set, t, n) != count;
    }
  }
  CHECK_INT(bad, 0);
  CHECK_INT(gw_phrases_count(&plain, "aaaa", 4), 3); /* overlapping */
  CHECK_INT(gw_phrases_find(&folded, "ICP", 3), (uint64_t)1 << 3);
  CHECK_INT(gw_phrases_find(&plain, NULL, 0), 0);
}

int main(void)
{
  test_phrase_sets();
  test_text();
  test_link_kinds();
  test_resolve();
  test_resolve_cache();
  test_hidden();
  test_meta();
  test_pubdate();
  test_footer();
  test_pagination();
  test_list();
  test_real_lists();
  test_gbk_page();
  test_hostile();
  test_caps();
  test_sample_family();
  return gw_test_done();
}
