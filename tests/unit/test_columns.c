/* Columns: the keyword dictionary and its errors, classification (and a
 * misleading title overridden by an inspector), update windows at their
 * edges (exactly 14 days, exactly 6 months, month-end clamping), column
 * discovery from a crawl (paginated lists, levels from the breadcrumb,
 * empty columns, undated items, pages that are no column), the homepage
 * judgement (dated items, a navigation-only homepage), the two checks
 * through the runner, and the override store. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checks/columns.h"
#include "checks_fixture.h"
#include "core/buf.h"
#include "store/column_store.h"

static char g_dict[4096];

static void find_dict(void)
{
  const char *src = getenv("GW_SRC");
  char buf[4096];
  if (src && *src) {
    snprintf(buf, sizeof buf, "%s/dict", src);
  } else {
    snprintf(buf, sizeof buf, "%s", __FILE__);
    char *slash = strstr(buf, "/tests/unit/");
    if (slash)
      snprintf(slash, sizeof buf - (size_t)(slash - buf), "/dict");
  }
  snprintf(g_dict, sizeof g_dict, "%s/columns", buf);
  setenv("GW_DICT_DIR", buf, 1); /* for the checks run by the runner */
}

static int64_t day(const char *s)
{
  int64_t t;
  if (gw_time_parse(s, &t))
    fx_die(s);
  struct gw_civil c;
  gw_civil_from_time(t, &c);
  return gw_days_from_civil(c.year, c.month, c.day);
}

static int64_t at(const char *s)
{
  int64_t t;
  if (gw_time_parse(s, &t))
    fx_die(s);
  return t;
}

/* ---- dictionary and classification ---- */

static void write_file(const char *path, const char *text)
{
  FILE *f = fopen(path, "w");
  if (!f)
    fx_die(path);
  fputs(text, f);
  fclose(f);
}

static const char *g_windows_ok = "news\t14d\nnotice\t6m\npolicy\t6m\npersonnel\t1y\nplan\t1y\nfinance\t1y\n"
                                  "leaders\t1y\norganization\t1y\ninterpretation\t-\nannual_report\t-\n"
                                  "site_report\t-\nmailbox\t-\ninterview\t-\nsurvey\t-\ntopic\t-\nother\t1y\n"
                                  "homepage\t14d\n";

/* Load a dictionary made of these two files; returns the code. */
static int load_pair(const char *windows, const char *keywords)
{
  char dir[] = "/tmp/gw-coldict.XXXXXX";
  if (!mkdtemp(dir))
    fx_die("mkdtemp");
  char p1[512], p2[512];
  snprintf(p1, sizeof p1, "%s/windows.tsv", dir);
  snprintf(p2, sizeof p2, "%s/keywords.tsv", dir);
  if (windows)
    write_file(p1, windows);
  if (keywords)
    write_file(p2, keywords);
  struct gw_col_dict *d = NULL;
  int rc = gw_col_dict_load(dir, &d);
  gw_col_dict_free(&d);
  unlink(p1);
  unlink(p2);
  rmdir(dir);
  return rc;
}

static void test_dict(void)
{
  struct gw_col_dict *d = NULL;
  CHECK_INT(gw_col_dict_load(g_dict, &d), GW_OK);
  static const struct {
    const char *title;
    enum gw_col_class cls;
  } cases[] = {
      {"今日青溪", GW_COL_NEWS},           {"部门动态", GW_COL_NEWS},          {"卫健要闻", GW_COL_NEWS},
      {"通知公告", GW_COL_NOTICE},         {"公示公告", GW_COL_NOTICE},        {"政策文件", GW_COL_POLICY},
      {"规范性文件", GW_COL_POLICY},       {"政策解读", GW_COL_INTERPRETATION}, {"人事信息", GW_COL_PERSONNEL},
      {"规划计划", GW_COL_PLAN},           {"财政信息", GW_COL_FINANCE},       {"领导信息", GW_COL_LEADERS},
      {"机构职能", GW_COL_ORGANIZATION},   {"政府信息公开年报", GW_COL_ANNUAL_REPORT},
      {"网站工作年度报表", GW_COL_SITE_REPORT}, {"县长信箱", GW_COL_MAILBOX},   {"在线访谈", GW_COL_INTERVIEW},
      {"调查征集", GW_COL_SURVEY},         {"专题专栏", GW_COL_TOPIC},         {"联系我们", GW_COL_OTHER},
      {"教育资讯", GW_COL_NEWS},           /* X$ anchored */
      {"资讯中心", GW_COL_OTHER},          /* ... only at the end */
      {"我的今日", GW_COL_OTHER},          /* ^今日 only at the start */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    enum gw_col_class c = gw_col_classify(d, cases[i].title, NULL);
    CHECK_MSG(c == cases[i].cls, "%s: %s, expected %s", cases[i].title, gw_col_class_key(c),
              gw_col_class_key(cases[i].cls));
  }
  /* a misleading title: 招聘 and 动态 are both two characters; 动态 comes
   * first in the file, so a recruitment column is taken for news (the
   * inspector's override corrects it: test_checks_and_override) */
  const char *kw = NULL;
  CHECK_INT(gw_col_classify(d, "招聘动态", &kw), GW_COL_NEWS);
  CHECK_STR(kw, "动态");
  CHECK_INT(gw_col_classify(d, "", &kw), GW_COL_OTHER);
  CHECK(kw == NULL);
  struct gw_col_window w = gw_col_dict_window(d, GW_COL_NOTICE);
  CHECK(w.months && w.n == 6);
  w = gw_col_dict_window(d, GW_COL_PERSONNEL);
  CHECK(w.months && w.n == 12);
  char buf[16];
  CHECK_STR(gw_col_window_text(&w, buf, sizeof buf), "1y");
  w = gw_col_dict_window(d, GW_COL_MAILBOX);
  CHECK_INT(w.n, 0);
  CHECK_STR(gw_col_window_text(&w, buf, sizeof buf), "-");
  w = gw_col_dict_homepage_window(d);
  CHECK(!w.months && w.n == 14);
  gw_col_dict_free(&d);
  CHECK(d == NULL);

  enum gw_col_class c;
  CHECK_INT(gw_col_class_parse("personnel", &c), GW_OK);
  CHECK_INT(c, GW_COL_PERSONNEL);
  CHECK_INT(gw_col_class_parse("staff", &c), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "'staff' is not a column class");
  CHECK_CONTAINS(gw_err_msg(), "annual_report");

  /* errors name the file and line */
  CHECK_INT(gw_col_dict_load("/nonexistent/columns", &d), GW_ENOTFOUND);
  CHECK_CONTAINS(gw_err_msg(), "/nonexistent/columns/windows.tsv");
  CHECK_INT(gw_col_dict_load("", &d), GW_EINVAL);
  CHECK_INT(load_pair(g_windows_ok, "动态\tnews\n"), GW_OK);
  CHECK_INT(load_pair(g_windows_ok, NULL), GW_ENOTFOUND);
  CHECK_CONTAINS(gw_err_msg(), "keywords.tsv");
  CHECK_INT(load_pair("news\t2w\n", "动态\tnews\n"), GW_EPARSE);
  CHECK_CONTAINS(gw_err_msg(), "windows.tsv:1: class news: window '2w'");
  CHECK_INT(load_pair("# c\nnews\t14d\nstaff\t1y\n", "动态\tnews\n"), GW_EPARSE);
  CHECK_CONTAINS(gw_err_msg(), "windows.tsv:3: 'staff' is not a column class");
  CHECK_INT(load_pair("news\t14d\nnews\t7d\n", "动态\tnews\n"), GW_EPARSE);
  CHECK_CONTAINS(gw_err_msg(), "windows.tsv:2: class news has a window already");
  CHECK_INT(load_pair("news\t14d\n", "动态\tnews\n"), GW_EPARSE);
  CHECK_CONTAINS(gw_err_msg(), "class notice has no window");
  CHECK_INT(load_pair("news\t14d\nnotice\t6m\npolicy\t6m\npersonnel\t1y\nplan\t1y\nfinance\t1y\nleaders\t1y\n"
                      "organization\t1y\ninterpretation\t-\nannual_report\t-\nsite_report\t-\nmailbox\t-\n"
                      "interview\t-\nsurvey\t-\ntopic\t-\nother\t1y\n",
                      "动态\tnews\n"),
            GW_EPARSE);
  CHECK_CONTAINS(gw_err_msg(), "the homepage has no window");
  CHECK_INT(load_pair(g_windows_ok, "动态\tnews\n\n要闻\tnewz\n"), GW_EPARSE);
  CHECK_CONTAINS(gw_err_msg(), "keywords.tsv:3: 'newz' is not a column class");
  CHECK_INT(load_pair(g_windows_ok, "动态\tnews\n动态\tnotice\n"), GW_EPARSE);
  CHECK_CONTAINS(gw_err_msg(), "keywords.tsv:2: keyword '动态' is listed twice");
  CHECK_INT(load_pair(g_windows_ok, "动态\n"), GW_EPARSE);
  CHECK_CONTAINS(gw_err_msg(), "keywords.tsv:1: expected KEYWORD<TAB>CLASS");
  CHECK_INT(load_pair(g_windows_ok, "^$\tnews\n"), GW_EPARSE);
  CHECK_CONTAINS(gw_err_msg(), "keywords.tsv:1: empty keyword");
  CHECK_INT(load_pair(g_windows_ok, "# nothing\n"), GW_EPARSE);
  CHECK_CONTAINS(gw_err_msg(), "no keywords");
}

/* ---- windows at their edges ---- */

static void test_windows(void)
{
  struct gw_col_window d14 = {14, false}, m6 = {6, true}, y1 = {12, true};
  int64_t as_of = at("2025-03-31 12:00");
  CHECK_INT(gw_col_window_start(&d14, as_of), day("2025-03-17"));
  CHECK_INT(gw_col_window_start(&m6, as_of), day("2024-09-30"));
  CHECK_INT(gw_col_window_start(&y1, as_of), day("2024-03-31"));
  /* the day is Shanghai's: 00:30 on the 31st is still the 31st */
  CHECK_INT(gw_col_window_start(&d14, at("2025-03-31 00:30")), day("2025-03-17"));
  CHECK_INT(gw_col_window_start(&d14, at("2025-03-30T23:59:59+08:00")), day("2025-03-16"));
  /* month ends clamp */
  CHECK_INT(gw_col_window_start(&m6, at("2025-08-31 09:00")), day("2025-02-28"));
  CHECK_INT(gw_col_window_start(&m6, at("2024-08-31 09:00")), day("2024-02-29"));
  CHECK_INT(gw_col_window_start(&y1, at("2024-02-29 09:00")), day("2023-02-28"));
  CHECK_INT(gw_col_window_start(&m6, at("2025-01-15 09:00")), day("2024-07-15"));
  CHECK_INT(gw_col_window_start(&m6, at("2025-06-30 09:00")), day("2024-12-30"));
}

/* ---- discovery over a crawl ---- */

static char *page(const char *title, const char *meta, const char *crumb, const char *body)
{
  struct gw_buf b = GW_BUF_INIT;
  gw_buf_printf(&b,
                "<html><head><meta charset=\"utf-8\"><title>%s_青溪县示例局</title>%s</head><body>"
                "<div class=\"nav\"><a href=\"/\">首页</a> <a href=\"/news/\">新闻动态</a> "
                "<a href=\"/tzgg/\">通知公告</a> <a href=\"/zcwj/\">政策文件</a> <a href=\"/rsxx/\">人事信息</a> "
                "<a href=\"/zpdt/\">招聘动态</a> <a href=\"/ghjh/\">规划计划</a></div>\n"
                "%s%s%s<div class=\"main\">%s</div>"
                "<div class=\"footer\"><p>主办单位：青溪县示例局</p><p>网站标识码：3399229001</p></div></body></html>",
                title, meta ? meta : "", crumb ? "<div class=\"position\">当前位置：<a href=\"/\">首页</a> &gt; " : "",
                crumb ? crumb : "", crumb ? "</div>\n" : "", body);
  return gw_buf_steal(&b);
}

/* page() of a body made here (freed). */
static char *list(const char *dir, const char *const *items, size_t n, const char *pager);
static char *page_own(const char *title, const char *crumb, char *body)
{
  char *p = page(title, NULL, crumb, body);
  free(body);
  return p;
}

/* A list of dated items ("2025/3/17|标题", ...; no date before | = undated). */
static char *list(const char *dir, const char *const *items, size_t n, const char *pager)
{
  struct gw_buf b = GW_BUF_INIT;
  gw_buf_puts(&b, "<ul class=\"news-list\">\n");
  for (size_t i = 0; i < n; i++) {
    const char *bar = strchr(items[i], '|');
    if (bar > items[i])
      gw_buf_printf(&b, "<li><span class=\"date\">%.*s</span><a href=\"/%s/a%zu.html\">%s</a></li>\n",
                    (int)(bar - items[i]), items[i], dir, i, bar + 1);
    else
      gw_buf_printf(&b, "<li><a href=\"/%s/a%zu.html\">%s</a></li>\n", dir, i, bar + 1);
  }
  gw_buf_printf(&b, "</ul>%s", pager ? pager : "");
  return gw_buf_steal(&b);
}

struct built {
  int64_t home;
};

static int64_t add_page(struct fx *x, int64_t crawl, const char *url, int depth, char *body)
{
  struct fx_row r;
  memset(&r, 0, sizeof r);
  r.url = url;
  r.internal = true;
  r.depth = depth;
  r.state = GW_URL_DONE;
  r.status = 200;
  r.body = body;
  int64_t id = fx_add(x, crawl, &r);
  free(body);
  return id;
}

#define N_(a) (sizeof(a) / sizeof((a)[0]))

/* The example site of the discovery tests, crawled in crawl `crawl`. */
static void build_site(struct fx *x, int64_t crawl)
{
  const char *home_items[] = {"2025/3/17|示例局召开二季度安全生产工作会议", "2025/3/10|示例局开展便民服务进社区活动"};
  char *hl = list("news", home_items, N_(home_items), NULL);
  struct gw_buf hb = GW_BUF_INIT;
  gw_buf_printf(&hb, "%s<div class=\"extra\"><a href=\"/calendar/\">活动日历</a></div>", hl);
  free(hl);
  add_page(x, crawl, "http://www.example.gov.cn/", 0, page("首页", NULL, NULL, gw_buf_cstr(&hb)));
  gw_buf_free(&hb);

  /* news, two list pages: exactly 14 days old is still fresh */
  const char *n1[] = {"2025/3/17|示例局召开二季度安全生产工作会议", "2025/3/10|示例局开展便民服务进社区活动",
                      "2025/3/5|示例局举办业务骨干培训班"};
  const char *n2[] = {"2025/2/1|示例局完成年度考核工作", "2025/1/15|示例局部署春节期间值班工作"};
  char *l1 = list("news", n1, N_(n1),
                  "<div class=\"pages\"><span class=\"current\">1</span><a href=\"list_2.html\">2</a>"
                  "<a href=\"list_2.html\">下一页</a><span class=\"total\">共2页</span></div>");
  char *l2 = list("news/p2", n2, N_(n2),
                  "<div class=\"pages\"><a href=\"/news/\">1</a><span class=\"current\">2</span>"
                  "<a href=\"/news/\">上一页</a><span class=\"total\">共2页</span></div>"
                  "<div class=\"side\"><a href=\"/news/bmdt/\">部门动态</a></div>");
  add_page(x, crawl, "http://www.example.gov.cn/news/", 1, page("新闻动态", NULL, "新闻动态", l1));
  add_page(x, crawl, "http://www.example.gov.cn/news/list_2.html", 2, page("新闻动态", NULL, "新闻动态", l2));
  /* an old address redirecting to the news list: the same column, once */
  struct fx_row red;
  memset(&red, 0, sizeof red);
  red.url = "http://www.example.gov.cn/old/";
  red.internal = true;
  red.depth = 1;
  red.state = GW_URL_DONE;
  red.status = 200;
  red.redirects = 1;
  red.final_url = "http://www.example.gov.cn/news/";
  red.chain = "[{\"url\":\"http://www.example.gov.cn/old/\",\"status\":301,\"location\":\"/news/\"}]";
  char *rb = page("新闻动态", NULL, "新闻动态", l1);
  red.body = rb;
  fx_add(x, crawl, &red);
  free(rb);
  free(l1);
  free(l2);
  /* a level-2 news column, 15 days old: stale */
  const char *sub[] = {"2025/3/16|部门联合开展安全检查行动"};
  char *ls = list("news/bmdt", sub, N_(sub), NULL);
  add_page(x, crawl, "http://www.example.gov.cn/news/bmdt/", 3,
           page("部门动态", NULL, "<a href=\"/news/\">新闻动态</a> &gt; 部门动态", ls));
  free(ls);
  /* notices: exactly 6 months old is still fresh */
  const char *tz[] = {"2024/9/30|关于做好国庆节期间安全工作的通知"};
  char *lt = list("tzgg", tz, N_(tz), NULL);
  add_page(x, crawl, "http://www.example.gov.cn/tzgg/", 1, page("通知公告", NULL, "通知公告", lt));
  free(lt);
  /* policies: six months and a day: stale, level 1 */
  const char *zc[] = {"2024/9/29|关于印发示例局管理办法的通知"};
  char *lz = list("zcwj", zc, N_(zc), NULL);
  add_page(x, crawl, "http://www.example.gov.cn/zcwj/", 1, page("政策文件", NULL, "政策文件", lz));
  free(lz);
  /* an empty column */
  add_page(x, crawl, "http://www.example.gov.cn/rsxx/", 1,
           page("人事信息", NULL, "人事信息", "<h2>人事信息</h2><p class=\"empty\">暂无信息</p>"));
  /* a recruitment column the title makes news: 70 days old */
  const char *zp[] = {"2025/1/20|示例局二〇二五年公开招聘编外人员公告"};
  char *lp = list("zpdt", zp, N_(zp), NULL);
  add_page(x, crawl, "http://www.example.gov.cn/zpdt/", 1, page("招聘动态", NULL, "招聘动态", lp));
  free(lp);
  /* a plan column whose items carry no date: not updated */
  const char *gh[] = {"|示例局关于做好规划编制工作的安排之一", "|示例局关于做好规划编制工作的安排之二",
                      "|示例局关于做好规划编制工作的安排之三", "|示例局关于做好规划编制工作的安排之四",
                      "|示例局关于做好规划编制工作的安排之五"};
  char *lg = list("ghjh", gh, N_(gh), NULL);
  add_page(x, crawl, "http://www.example.gov.cn/ghjh/", 1, page("规划计划", NULL, "规划计划", lg));
  free(lg);
  /* an article (not a column) and a calendar (no column either) */
  add_page(x, crawl, "http://www.example.gov.cn/news/a0.html", 2,
           page("示例局召开二季度安全生产工作会议",
                "<meta name=\"PubDate\" content=\"2025-03-17 10:20\">", NULL,
                "<p>发布时间：2025-03-17 10:20</p><p>会议要求各科室认真落实安全生产责任。</p>"));
  add_page(x, crawl, "http://www.example.gov.cn/calendar/", 1,
           page("活动日历", NULL, NULL, "<table><tr><td>1</td><td>2</td></tr></table>"));
}

static const struct gw_column *col(const struct gw_column_report *r, const char *path)
{
  char url[256];
  snprintf(url, sizeof url, "http://www.example.gov.cn%s", path);
  for (size_t i = 0; i < r->n; i++)
    if (strcmp(r->v[i].url, url) == 0)
      return &r->v[i];
  return NULL;
}

static void test_discovery(void)
{
  struct fx x;
  fx_open(&x);
  build_site(&x, x.crawl_id);
  struct gw_col_dict *d = NULL;
  CHECK_INT(gw_col_dict_load(g_dict, &d), GW_OK);
  struct gw_check_view *v = NULL;
  CHECK_INT(gw_check_view_open(&v, x.st, x.crawl_id, 0), GW_OK);
  struct gw_column_report r;
  CHECK_INT(gw_columns_analyze(v, d, NULL, 0, &r), GW_OK);
  CHECK_INT(r.n, 7); /* news, its sub-column, notices, policies, personnel, recruitment, plans */
  CHECK_STR(r.homepage, "http://www.example.gov.cn/");
  CHECK(col(&r, "/calendar/") == NULL);
  CHECK(col(&r, "/news/a0.html") == NULL);
  CHECK(col(&r, "/news/list_2.html") == NULL); /* a page of /news/ */

  const struct gw_column *c = col(&r, "/news/");
  CHECK(c != NULL);
  if (c) {
    CHECK_STR(c->title, "新闻动态");
    CHECK_INT(c->cls, GW_COL_NEWS);
    CHECK_INT(c->level, 1);
    CHECK_INT(c->n_pages, 2);
    CHECK_STR(c->pages[1], "http://www.example.gov.cn/news/list_2.html");
    CHECK_INT(c->items, 5);
    CHECK_INT(c->latest, day("2025-03-17"));
    CHECK_INT(c->state, GW_COLS_OK); /* exactly 14 days */
    CHECK_INT(c->children, 1);
  }
  c = col(&r, "/news/bmdt/");
  CHECK(c != NULL);
  if (c) {
    CHECK_INT(c->level, 2);
    CHECK_STR(c->level_source, "breadcrumb");
    CHECK_STR(c->parent_url, "http://www.example.gov.cn/news/");
    CHECK_STR(c->parent_title, "新闻动态");
    CHECK_INT(c->state, GW_COLS_STALE); /* 15 days */
    CHECK_STR(c->rule, GW_RULE_COLUMN_STALE_DYNAMIC);
    CHECK(c->veto_v4_1);
  }
  c = col(&r, "/tzgg/");
  CHECK(c != NULL);
  if (c) {
    CHECK_INT(c->cls, GW_COL_NOTICE);
    CHECK_INT(c->state, GW_COLS_OK); /* exactly 6 months */
    CHECK_INT(c->window_start, day("2024-09-30"));
  }
  c = col(&r, "/zcwj/");
  CHECK(c != NULL);
  if (c) {
    CHECK_INT(c->state, GW_COLS_STALE); /* 6 months and a day */
    CHECK_STR(c->rule, GW_RULE_COLUMN_STALE_POLICY_L1);
    CHECK(c->veto_v4_1);
  }
  c = col(&r, "/rsxx/");
  CHECK(c != NULL);
  if (c) {
    CHECK_INT(c->items, 0);
    CHECK_INT(c->state, GW_COLS_EMPTY);
    CHECK_STR(c->rule, GW_RULE_COLUMN_EMPTY);
  }
  c = col(&r, "/zpdt/");
  CHECK(c != NULL);
  if (c) {
    CHECK_INT(c->cls, GW_COL_NEWS);
    CHECK_STR(c->rule, GW_RULE_COLUMN_STALE_DYNAMIC);
  }
  c = col(&r, "/ghjh/");
  CHECK(c != NULL);
  if (c) {
    CHECK_INT(c->items, 5);
    CHECK_INT(c->undated, 5);
    CHECK(!c->has_latest);
    CHECK_INT(c->state, GW_COLS_STALE); /* undated items count as not updated */
    CHECK_STR(c->rule, GW_RULE_COLUMN_STALE_LONG);
    CHECK(!c->veto_v4_1);
  }
  CHECK_INT(r.stale, 4);
  CHECK_INT(r.empty, 1);
  CHECK_INT(r.by_rule[0], 2); /* dynamic */
  CHECK_INT(r.by_rule[2], 1); /* policy_l1 */
  CHECK_INT(r.by_rule[3], 1); /* long */
  CHECK_INT(r.by_rule[4], 1); /* empty */
  /* order: the sub-column right after its parent */
  for (size_t i = 0; i + 1 < r.n; i++)
    if (strcmp(r.v[i].url, "http://www.example.gov.cn/news/") == 0)
      CHECK_STR(r.v[i + 1].url, "http://www.example.gov.cn/news/bmdt/");
  json_t *j = gw_column_json(col(&r, "/zcwj/"));
  CHECK_STR(json_string_value(json_object_get(j, "latest")), "2024-09-29");
  CHECK_STR(json_string_value(json_object_get(j, "window")), "6m");
  CHECK_STR(json_string_value(json_object_get(j, "window_start")), "2024-09-30");
  CHECK_STR(json_string_value(json_object_get(j, "state")), "stale");
  json_decref(j);
  gw_column_report_free(&r);

  /* an override (any URL spelling the crawler normalises the same) */
  struct gw_col_override_in ov = {"HTTP://www.example.gov.cn/zpdt/", GW_COL_PERSONNEL, "招聘信息属人事类"};
  CHECK_INT(gw_columns_analyze(v, d, &ov, 1, &r), GW_OK);
  c = col(&r, "/zpdt/");
  CHECK(c != NULL);
  if (c) {
    CHECK(c->overridden);
    CHECK_INT(c->cls, GW_COL_PERSONNEL);
    CHECK_INT(c->title_cls, GW_COL_NEWS);
    CHECK_INT(c->state, GW_COLS_OK); /* 70 days is within a year */
    CHECK(c->rule == NULL);
    CHECK_STR(c->override_reason, "招聘信息属人事类");
  }
  gw_column_report_free(&r);
  gw_check_view_free(&v);

  /* three months later: the same crawl judged at another as-of time */
  CHECK_INT(gw_check_view_open(&v, x.st, x.crawl_id, at("2025-06-30 12:00")), GW_OK);
  CHECK_INT(gw_columns_analyze(v, d, NULL, 0, &r), GW_OK);
  CHECK_INT(col(&r, "/news/")->state, GW_COLS_STALE);
  CHECK_INT(col(&r, "/tzgg/")->state, GW_COLS_STALE);
  CHECK_STR(col(&r, "/tzgg/")->rule, GW_RULE_COLUMN_STALE_NOTICE_L1);
  gw_column_report_free(&r);
  gw_check_view_free(&v);
  gw_col_dict_free(&d);
  fx_close(&x);
}

/* ---- the homepage ---- */

static void test_homepage(void)
{
  struct fx x;
  fx_open(&x);
  struct gw_col_dict *d = NULL;
  CHECK_INT(gw_col_dict_load(g_dict, &d), GW_OK);
  build_site(&x, x.crawl_id);
  struct gw_check_view *v = NULL;
  struct gw_homepage_update h;
  CHECK_INT(gw_check_view_open(&v, x.st, x.crawl_id, 0), GW_OK);
  CHECK_INT(gw_homepage_update_analyze(v, d, &h), GW_OK);
  CHECK(!h.navigation_only);
  CHECK_INT(h.dated, 2);
  CHECK_INT(h.latest, day("2025-03-17"));
  CHECK_STR(h.latest_url, "http://www.example.gov.cn/news/a0.html");
  CHECK(!h.stale); /* exactly 14 days */
  gw_homepage_update_clear(&h);
  gw_check_view_free(&v);
  /* one day later it is stale */
  CHECK_INT(gw_check_view_open(&v, x.st, x.crawl_id, at("2025-04-01 08:00")), GW_OK);
  CHECK_INT(gw_homepage_update_analyze(v, d, &h), GW_OK);
  CHECK(h.stale);
  gw_homepage_update_clear(&h);
  gw_check_view_free(&v);

  /* a navigation-only homepage: judged from its second-level pages */
  int64_t c2 = fx_crawl(&x, x.site_id, GW_CRAWL_DONE);
  add_page(&x, c2, "http://www.example.gov.cn/", 0,
           page("首页", NULL, NULL, "<p><a href=\"/a/\">政务公开</a> <a href=\"/b/\">办事服务</a></p>"));
  const char *ia[] = {"2025/3/1|示例局召开年度工作会议"};
  const char *ib[] = {"2025/3/20|示例局发布便民服务指南"};
  add_page(&x, c2, "http://www.example.gov.cn/a/", 1, page_own("政务公开", "政务公开", list("a", ia, 1, NULL)));
  add_page(&x, c2, "http://www.example.gov.cn/b/", 1, page_own("办事服务", "办事服务", list("b", ib, 1, NULL)));
  CHECK_INT(gw_check_view_open(&v, x.st, c2, 0), GW_OK);
  CHECK_INT(gw_homepage_update_analyze(v, d, &h), GW_OK);
  CHECK(h.navigation_only);
  CHECK_INT(h.pages, 2);
  CHECK_INT(h.latest, day("2025-03-20"));
  CHECK(!h.stale);
  gw_homepage_update_clear(&h);
  gw_check_view_free(&v);
  CHECK_INT(gw_check_view_open(&v, x.st, c2, at("2025-04-04 12:00")), GW_OK); /* 15 days after 03-20 */
  CHECK_INT(gw_homepage_update_analyze(v, d, &h), GW_OK);
  CHECK(h.navigation_only);
  CHECK(h.stale);
  gw_homepage_update_clear(&h);
  gw_check_view_free(&v);

  /* a date without a year takes the linked article's year: [06-22] read on
   * 2025-06-30 would be 2025-06-22, but the article is of 2024 */
  int64_t s2 = fx_site(&x, "年份站", "http://year.example.gov.cn/", "3399229002");
  int64_t keep = x.as_of;
  x.as_of = at("2025-06-30 12:00");
  int64_t cy = fx_crawl(&x, s2, GW_CRAWL_DONE);
  add_page(&x, cy, "http://year.example.gov.cn/", 0,
           page("首页", NULL, NULL,
                "<ul><li><a href=\"/news/old.html\">示例局召开年中工作推进会议</a><span>[06-22]</span></li></ul>"));
  add_page(&x, cy, "http://year.example.gov.cn/news/old.html", 1,
           page("示例局召开年中工作推进会议", "<meta name=\"PubDate\" content=\"2024-06-22 09:00\">", NULL,
                "<p>发布时间：2024-06-22 09:00</p><p>会议总结上半年工作。</p>"));
  x.as_of = keep;
  CHECK_INT(gw_check_view_open(&v, x.st, cy, 0), GW_OK);
  CHECK_INT(gw_homepage_update_analyze(v, d, &h), GW_OK);
  CHECK_INT(h.latest, day("2024-06-22"));
  CHECK(h.stale);
  gw_homepage_update_clear(&h);
  gw_check_view_free(&v);

  /* content history: a link that appeared since the crawl before is new
   * information on the day that homepage was fetched */
  int64_t s3 = fx_site(&x, "历史站", "http://hist.example.gov.cn/", "3399229003");
  const char *old_items = "<ul><li><a href=\"/a.html\">示例局召开年度工作会议</a><span>2025-02-01</span></li></ul>";
  x.as_of = at("2025-03-01 12:00");
  int64_t ca = fx_crawl(&x, s3, GW_CRAWL_DONE);
  add_page(&x, ca, "http://hist.example.gov.cn/", 0, page("首页", NULL, NULL, old_items));
  x.as_of = at("2025-03-20 12:00");
  int64_t cb = fx_crawl(&x, s3, GW_CRAWL_DONE);
  struct gw_buf nb = GW_BUF_INIT;
  gw_buf_printf(&nb, "%s<p><a href=\"/b.html\">新增办事指南专区</a></p>", old_items);
  add_page(&x, cb, "http://hist.example.gov.cn/", 0, page("首页", NULL, NULL, gw_buf_cstr(&nb)));
  x.as_of = at("2025-03-31 12:00");
  int64_t cc = fx_crawl(&x, s3, GW_CRAWL_DONE);
  add_page(&x, cc, "http://hist.example.gov.cn/", 0, page("首页", NULL, NULL, gw_buf_cstr(&nb)));
  gw_buf_free(&nb);
  x.as_of = keep;
  CHECK_INT(gw_check_view_open(&v, x.st, cc, 0), GW_OK);
  CHECK_INT(gw_homepage_update_analyze(v, d, &h), GW_OK);
  CHECK_INT(h.latest, day("2025-02-01")); /* the dated items alone are stale */
  CHECK_INT(h.history_crawls, 2);
  CHECK(h.changed);
  CHECK_INT(h.changed_crawl, cb);
  CHECK_INT(h.changed_at, at("2025-03-20 12:00") - 120);
  CHECK_INT(h.new_links, 1);
  CHECK_STR(h.new_link, "http://hist.example.gov.cn/b.html");
  CHECK(!h.stale); /* changed on 2025-03-20, within 14 days */
  gw_homepage_update_clear(&h);
  gw_check_view_free(&v);
  /* judged on 2025-04-10 the change is too old */
  CHECK_INT(gw_check_view_open(&v, x.st, cc, at("2025-04-10 12:00")), GW_OK);
  CHECK_INT(gw_homepage_update_analyze(v, d, &h), GW_OK);
  CHECK(h.changed);
  CHECK(h.stale);
  gw_homepage_update_clear(&h);
  gw_check_view_free(&v);
  /* the older crawl alone has nothing before it */
  CHECK_INT(gw_check_view_open(&v, x.st, ca, 0), GW_OK);
  CHECK_INT(gw_homepage_update_analyze(v, d, &h), GW_OK);
  CHECK_INT(h.history_crawls, 0);
  CHECK(!h.changed);
  gw_homepage_update_clear(&h);
  gw_check_view_free(&v);

  /* no homepage answered */
  int64_t c3 = fx_crawl(&x, x.site_id, GW_CRAWL_DONE);
  CHECK_INT(gw_check_view_open(&v, x.st, c3, 0), GW_OK);
  CHECK_INT(gw_homepage_update_analyze(v, d, &h), GW_ENOTFOUND);
  CHECK_CONTAINS(gw_err_msg(), "no homepage");
  gw_check_view_free(&v);
  gw_col_dict_free(&d);
  fx_close(&x);
}

/* ---- the checks and the override store ---- */

struct got {
  size_t n;
  json_t *by_key;
};

static int got_row(void *ctx, const struct gw_finding_row *row)
{
  struct got *g = ctx;
  const struct gw_finding *f = &row->f;
  json_t *o = json_object();
  json_object_set_new(o, "rule", json_string(f->rule));
  json_object_set_new(o, "title", json_string(f->title));
  json_object_set_new(o, "detail", json_string(f->detail));
  json_object_set_new(o, "severity", json_integer(f->severity));
  json_object_set_new(o, "observed", json_loads(f->observed_json ? f->observed_json : "null", JSON_DECODE_ANY, NULL));
  json_object_set(g->by_key, f->key, o);
  json_decref(o);
  g->n++;
  return 0;
}

static struct got run_checks(struct fx *x, int64_t as_of)
{
  static const char *const only[] = {"columns.update", "homepage.update"};
  struct gw_check_run_opts o;
  memset(&o, 0, sizeof o);
  o.only = only;
  o.n_only = 2;
  o.as_of = as_of;
  struct gw_check_run_report rep;
  struct got g = {0, json_object()};
  CHECK_INT(gw_check_run_site(x->st, &x->site, &o, &rep), GW_OK);
  CHECK_INT(rep.failed, 0);
  CHECK_INT(gw_store_finding_each(x->st, rep.run_id, NULL, got_row, &g), GW_OK);
  gw_check_run_report_clear(&rep);
  return g;
}

static const char *rule_of(const struct got *g, const char *key)
{
  json_t *f = json_object_get(g->by_key, key);
  return f ? json_string_value(json_object_get(f, "rule")) : NULL;
}

static void test_checks_and_override(void)
{
  struct fx x;
  fx_open(&x);
  build_site(&x, x.crawl_id);
  struct got g = run_checks(&x, 0);
  CHECK_INT(g.n, 5);
  CHECK_STR(rule_of(&g, "column|http://www.example.gov.cn/news/bmdt/"), GW_RULE_COLUMN_STALE_DYNAMIC);
  CHECK_STR(rule_of(&g, "column|http://www.example.gov.cn/zcwj/"), GW_RULE_COLUMN_STALE_POLICY_L1);
  CHECK_STR(rule_of(&g, "column|http://www.example.gov.cn/rsxx/"), GW_RULE_COLUMN_EMPTY);
  CHECK_STR(rule_of(&g, "column|http://www.example.gov.cn/zpdt/"), GW_RULE_COLUMN_STALE_DYNAMIC);
  CHECK_STR(rule_of(&g, "column|http://www.example.gov.cn/ghjh/"), GW_RULE_COLUMN_STALE_LONG);
  CHECK(rule_of(&g, "homepage") == NULL);
  json_t *f = json_object_get(g.by_key, "column|http://www.example.gov.cn/zcwj/");
  CHECK_STR(json_string_value(json_object_get(f, "title")), "政策文件类一级栏目超过6个月未更新：政策文件");
  CHECK_CONTAINS(json_string_value(json_object_get(f, "detail")), "最新一条发布于 2024-09-29");
  CHECK_CONTAINS(json_string_value(json_object_get(f, "detail")), "早于期限起点 2024-09-30");
  CHECK_INT(json_integer_value(json_object_get(f, "severity")), GW_SEV_VETO);
  f = json_object_get(g.by_key, "column|http://www.example.gov.cn/ghjh/");
  CHECK_CONTAINS(json_string_value(json_object_get(f, "detail")), "均无发布日期");
  CHECK_INT(json_integer_value(json_object_get(f, "severity")), GW_SEV_DEDUCT);
  json_decref(g.by_key);

  /* the inspector corrects the recruitment column; the next run uses it */
  struct gw_column_override o;
  memset(&o, 0, sizeof o);
  o.site_id = x.site_id;
  o.url = (char *)"http://www.example.gov.cn/zpdt/";
  o.cls = (char *)"personnel";
  o.reason = (char *)"招聘信息属人事类";
  o.created_at = x.as_of;
  CHECK_INT(gw_store_column_override_set(x.st, &o), GW_OK);
  CHECK(o.id > 0);
  g = run_checks(&x, 0);
  CHECK_INT(g.n, 4);
  CHECK(rule_of(&g, "column|http://www.example.gov.cn/zpdt/") == NULL);
  json_decref(g.by_key);
  /* set to notice instead (replaces): six months, fresh */
  int64_t first_id = o.id;
  o.cls = (char *)"notice";
  CHECK_INT(gw_store_column_override_set(x.st, &o), GW_OK);
  CHECK_INT(o.id, first_id);
  struct gw_column_override_list l;
  CHECK_INT(gw_store_column_override_list(x.st, x.site_id, &l), GW_OK);
  CHECK_INT(l.n, 1);
  CHECK_STR(l.v[0].cls, "notice");
  CHECK_STR(l.v[0].reason, "招聘信息属人事类");
  gw_column_override_list_free(&l);
  /* unset: back to the title's class */
  CHECK_INT(gw_store_column_override_unset(x.st, x.site_id, o.url), GW_OK);
  CHECK_INT(gw_store_column_override_unset(x.st, x.site_id, o.url), GW_ENOTFOUND);
  CHECK_CONTAINS(gw_err_msg(), "no class override for column http://www.example.gov.cn/zpdt/");
  g = run_checks(&x, 0);
  CHECK_INT(g.n, 5);
  json_decref(g.by_key);
  /* store errors */
  o.reason = (char *)"";
  CHECK_INT(gw_store_column_override_set(x.st, &o), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "the reason is missing");
  o.reason = (char *)"x";
  o.cls = NULL;
  CHECK_INT(gw_store_column_override_set(x.st, &o), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "the class is missing");
  o.cls = (char *)"news";
  o.site_id = 9999;
  CHECK_INT(gw_store_column_override_set(x.st, &o), GW_ENOTFOUND);
  CHECK_CONTAINS(gw_err_msg(), "no site with id 9999");
  /* a stored class that is no class fails the check with its name */
  o.site_id = x.site_id;
  o.cls = (char *)"staff";
  CHECK_INT(gw_store_column_override_set(x.st, &o), GW_OK);
  static const char *const only[] = {"columns.update"};
  struct gw_check_run_opts ro;
  memset(&ro, 0, sizeof ro);
  ro.only = only;
  ro.n_only = 1;
  struct gw_check_run_report rep;
  CHECK_INT(gw_check_run_site(x.st, &x.site, &ro, &rep), GW_OK);
  CHECK_INT(rep.failed, 1);
  CHECK_CONTAINS(rep.v[0].error, "'staff' is not a column class");
  gw_check_run_report_clear(&rep);
  CHECK_INT(gw_store_column_override_unset(x.st, x.site_id, o.url), GW_OK);

  /* a later as-of time: the homepage and more columns are stale */
  g = run_checks(&x, at("2025-06-30 12:00"));
  CHECK_STR(rule_of(&g, "homepage"), GW_RULE_HOMEPAGE_STALE);
  CHECK_STR(rule_of(&g, "column|http://www.example.gov.cn/news/"), GW_RULE_COLUMN_STALE_DYNAMIC);
  CHECK_STR(rule_of(&g, "column|http://www.example.gov.cn/tzgg/"), GW_RULE_COLUMN_STALE_NOTICE_L1);
  f = json_object_get(g.by_key, "homepage");
  CHECK_STR(json_string_value(json_object_get(json_object_get(f, "observed"), "latest")), "2025-03-17");
  json_decref(g.by_key);
  fx_close(&x);
}

int main(void)
{
  find_dict();
  test_dict();
  test_windows();
  test_discovery();
  test_homepage();
  test_checks_and_override();
  return gw_test_done();
}
