/* The checks interaction.channel, interaction.reply, interpretation.link and
 * annual_report.publish (checks/interact.h) on small hand-made crawls, and
 * the page readers they use. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checks/check.h"
#include "checks/interact.h"
#include "checks_fixture.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/workday.h"
#include "sample.h"
#include "tap.h"

#define HOST "http://www.example.gov.cn"

struct got {
  size_t n;
  json_t *all; /* key -> {rule, url, target, severity, needs_review, detail, observed} */
};

static int got_row(void *ctx, const struct gw_finding_row *r)
{
  struct got *g = ctx;
  json_t *o = json_object();
  json_object_set_new(o, "rule", json_string(r->f.rule));
  json_object_set_new(o, "url", json_string(r->f.url));
  json_object_set_new(o, "target", r->f.target ? json_string(r->f.target) : json_null());
  json_object_set_new(o, "detail", json_string(r->f.detail));
  json_object_set_new(o, "severity", json_integer(r->f.severity));
  json_object_set_new(o, "needs_review", json_boolean(r->f.needs_review));
  json_error_t je;
  json_object_set_new(o, "observed", r->f.observed_json ? json_loads(r->f.observed_json, 0, &je) : json_null());
  json_object_set_new(g->all, r->f.key, o);
  g->n++;
  return 0;
}

/* Run one check at as_of (config may be NULL) and collect its findings. */
static int run_one(struct fx *x, const char *check, int64_t as_of, const struct gw_config *cfg, struct got *g)
{
  struct gw_check_run_opts o;
  memset(&o, 0, sizeof o);
  const char *only[] = {check};
  o.only = only;
  o.n_only = 1;
  o.as_of = as_of;
  o.config = cfg;
  struct gw_check_run_report rep;
  g->n = 0;
  g->all = json_object();
  int rc = gw_check_run_site(x->st, &x->site, &o, &rep);
  if (rc != GW_OK)
    return rc;
  rc = rep.failed ? rep.v[0].rc : GW_OK;
  if (rc != GW_OK)
    fprintf(stderr, "# %s: %s\n", check, rep.v[0].error);
  if (rc == GW_OK)
    rc = gw_store_finding_each(x->st, rep.run_id, check, got_row, g);
  gw_check_run_report_clear(&rep);
  return rc;
}

static const char *jstr_at(json_t *all, const char *key, const char *field)
{
  json_t *o = json_object_get(all, key);
  return o ? json_string_value(json_object_get(o, field)) : NULL;
}

static long long jint_obs(json_t *all, const char *key, const char *field)
{
  json_t *o = json_object_get(json_object_get(all, key), "observed");
  json_t *v = json_object_get(o, field);
  return v ? json_integer_value(v) : -1;
}

static int64_t T(const char *s)
{
  int64_t t = 0;
  if (gw_time_parse(s, &t))
    fx_die(s);
  return t;
}

static int64_t add_page(struct fx *x, const char *url, int depth, const char *body)
{
  struct fx_row r;
  memset(&r, 0, sizeof r);
  r.url = url;
  r.internal = true;
  r.depth = depth;
  r.state = GW_URL_DONE;
  r.status = 200;
  r.body = body;
  return fx_add(x, x->crawl_id, &r);
}

/* An article with ArticleTitle, optional ColumnName, and content. */
static int64_t add_article(struct fx *x, const char *url, const char *title, const char *column, const char *content)
{
  char head[1024], *mid;
  snprintf(head, sizeof head, "<meta name=\"ArticleTitle\" content=\"%s\"><meta name=\"ColumnName\" content=\"%s\">",
           title, column);
  size_t n = strlen(head) + strlen(title) + strlen(content) + 256;
  mid = malloc(n);
  snprintf(mid, n, "%s<h1>%s</h1><p>发布时间：2024-06-01 10:00 来源：青溪县示例局</p>%s", head, title, content);
  char *page = fx_page(title, mid);
  int64_t id = add_page(x, url, 2, page);
  free(mid);
  free(page);
  return id;
}

/* ---- the readers ---- */

static void test_readers(void)
{
  CHECK(gw_interact_is_channel_anchor("局长信箱"));
  CHECK(gw_interact_is_channel_anchor("政务咨询"));
  CHECK(gw_interact_is_channel_anchor("我要留言"));
  CHECK(!gw_interact_is_channel_anchor("网上信访"));     /* excluded by V5 */
  CHECK(!gw_interact_is_channel_anchor("纪检监察举报信箱")); /* excluded by V5 */
  CHECK(!gw_interact_is_channel_anchor("县卫生健康局开展义诊和健康咨询进社区活动"));
  CHECK(!gw_interact_is_channel_anchor(""));
  CHECK(!gw_interact_is_channel_anchor(NULL));

  const char *t = "局长信箱\n本年度共收到来信 12 件，已办结 11 件，平均办理时长 2.5 个工作日\n其他";
  size_t off = 0, len = 0;
  CHECK(gw_interact_find_stats(t, strlen(t), &off, &len));
  CHECK_INT(off, strlen("局长信箱\n"));
  CHECK(strncmp(t + off, "本年度共收到来信 12 件", strlen("本年度共收到来信 12 件")) == 0);
  const char *t2 = "2024年受理群众来信56件，全部按时办结56件。";
  CHECK(gw_interact_find_stats(t2, strlen(t2), NULL, NULL));
  const char *t3 = "共收到来信若干，已办结。"; /* no counts */
  CHECK(!gw_interact_find_stats(t3, strlen(t3), NULL, NULL));
  const char *t4 = "共收到来信 12 件\n已办结 11 件"; /* two lines: not one statement */
  CHECK(!gw_interact_find_stats(t4, strlen(t4), NULL, NULL));

  struct gw_page_input in;
  memset(&in, 0, sizeof in);
  in.url = HOST "/jzxx/1.html";
  in.as_of = T("2025-03-31 12:00");
  char *body = fx_page("一封信_局长信箱", "<table><tr><th>信件标题</th><td>一封信</td></tr>"
                                           "<tr><th>来信时间</th><td>2025-03-03 09:10</td></tr>"
                                           "<tr><th>办理状态</th><td>已办结</td></tr>"
                                           "<tr><th>答复时间</th><td>2025年3月5日 16:00</td></tr></table>");
  in.data = body;
  in.len = strlen(body);
  struct gw_page *p = NULL;
  CHECK_INT(gw_page_parse(&p, &in), GW_OK);
  struct gw_message_info mi;
  gw_interact_message_read(p, &mi);
  CHECK(mi.has_received && mi.received == T("2025-03-03 09:10"));
  CHECK(mi.has_reply && mi.reply == T("2025-03-05 16:00"));
  CHECK_INT(mi.status, 1);
  CHECK(!gw_interact_is_message_list(p));
  gw_page_free(&p);
  free(body);
  body = fx_page("局长信箱", "<table><tr><th>序号</th><th>信件标题</th><th>留言时间</th><th>状态</th></tr>"
                             "<tr><td>1</td><td><a href=\"/jzxx/1.html\">一封信</a></td><td>2025-03-03</td>"
                             "<td>办理中</td></tr></table>");
  in.data = body;
  in.len = strlen(body);
  CHECK_INT(gw_page_parse(&p, &in), GW_OK);
  CHECK(gw_interact_is_message_list(p));
  gw_page_free(&p);
  free(body);
}

/* ---- interaction.channel ---- */

static void test_channel(void)
{
  struct fx x;
  fx_open(&x);
  struct got g;
  /* a homepage without any channel */
  char *home = fx_page("青溪县示例局", "<p>欢迎</p>");
  int64_t h = add_page(&x, HOST "/", 0, home);
  free(home);
  CHECK_INT(run_one(&x, "interaction.channel", 0, NULL, &g), GW_OK);
  CHECK_INT(g.n, 1);
  CHECK_STR(jstr_at(g.all, "no_channel", "rule"), GW_RULE_INTERACTION_NO_CHANNEL);
  CHECK_INT(json_integer_value(json_object_get(json_object_get(g.all, "no_channel"), "severity")), GW_SEV_VETO);
  CHECK_CONTAINS(jstr_at(g.all, "no_channel", "detail"), "全站未发现网上咨询、建议渠道");
  json_decref(g.all);
  fx_close(&x);

  /* a channel whose page is broken, and a 信访 channel that does not count */
  fx_open(&x);
  home = fx_page("青溪县示例局", "<a href=\"/jzxx/\">局长信箱</a><a href=\"/xf/\">网上信访</a>");
  h = add_page(&x, HOST "/", 0, home);
  free(home);
  struct fx_row r;
  memset(&r, 0, sizeof r);
  r.url = HOST "/jzxx/";
  r.internal = true;
  r.depth = 1;
  r.state = GW_URL_DONE;
  r.status = 404;
  int64_t mb = fx_add(&x, x.crawl_id, &r);
  char *xf = fx_page("网上信访", "<form action=\"/xf/post\"><input name=\"q\"></form>");
  int64_t xfid = add_page(&x, HOST "/xf/", 1, xf);
  free(xf);
  fx_link(&x, h, 0, mb, "a", "局长信箱", true, 3, 0);
  fx_link(&x, h, 1, xfid, "a", "网上信访", true, 3, 0);
  CHECK_INT(run_one(&x, "interaction.channel", 0, NULL, &g), GW_OK);
  CHECK_INT(g.n, 1);
  CHECK_CONTAINS(jstr_at(g.all, "no_channel", "detail"), "发现 1 个咨询、建议渠道入口，均不可用");
  CHECK_CONTAINS(jstr_at(g.all, "no_channel", "detail"), HOST "/jzxx/");
  json_decref(g.all);

  /* the same channel working: a message list */
  fx_close(&x);
  fx_open(&x);
  home = fx_page("青溪县示例局", "<a href=\"/jzxx/\">局长信箱</a>");
  h = add_page(&x, HOST "/", 0, home);
  free(home);
  char *list = fx_page("局长信箱_青溪县示例局", "<table><tr><th>信件标题</th><th>来信时间</th></tr></table>");
  mb = add_page(&x, HOST "/jzxx/", 1, list);
  free(list);
  fx_link(&x, h, 0, mb, "a", "局长信箱", true, 3, 0);
  CHECK_INT(run_one(&x, "interaction.channel", 0, NULL, &g), GW_OK);
  CHECK_INT(g.n, 0);
  json_decref(g.all);
  fx_close(&x);
}

/* ---- interaction.reply ---- */

static char *message(const char *title, const char *received, const char *status, const char *reply)
{
  char mid[2048];
  snprintf(mid, sizeof mid,
           "<table class=\"letter\"><tr><th>信件标题</th><td>%s</td></tr>%s%s%s%s%s<tr><th>办理状态</th><td>%s</td></tr>"
           "%s%s%s</table>",
           title, received ? "<tr><th>来信时间</th><td>" : "", received ? received : "", received ? "</td></tr>" : "",
           "", "", status, reply ? "<tr><th>回复时间</th><td>" : "", reply ? reply : "", reply ? "</td></tr>" : "");
  char t[256];
  snprintf(t, sizeof t, "%s_局长信箱_青溪县示例局", title);
  return fx_page(t, mid);
}

static void add_message(struct fx *x, const char *path, const char *title, const char *received, const char *status,
                        const char *reply)
{
  char url[256];
  snprintf(url, sizeof url, HOST "%s", path);
  char *b = message(title, received, status, reply);
  add_page(x, url, 2, b);
  free(b);
}

static void test_reply(void)
{
  struct fx x;
  fx_open(&x);
  const char *rows[][4] = {
    {"/jzxx/1.html", "答复太慢的一封信", "2025-03-03", "已回复"},
    {"/jzxx/2.html", "一直没有答复的信", "2024-11-01", "未回复"},
    {"/jzxx/3.html", "没有时间的信", "", "已回复"},
    {"/jzxx/4.html", "刚好三个月的信", "2024-12-31", "未回复"},
    {"/jzxx/5.html", "一年多以前的信", "2024-01-10", "未回复"},
    {"/jzxx/6.html", "春节期间的信", "2025-01-24", "已回复"},
  };
  struct gw_buf b = GW_BUF_INIT;
  gw_buf_puts(&b, "<table class=\"xx_list\"><tr><th>序号</th><th>信件标题</th><th>来信时间</th><th>办理状态</th></tr>");
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
    gw_buf_printf(&b, "<tr><td>%zu</td><td><a href=\"%s\">%s</a></td><td>%s</td><td>%s</td></tr>", i + 1, rows[i][0],
                  rows[i][1], rows[i][2], rows[i][3]);
  gw_buf_puts(&b, "</table>");
  char *list = fx_page("局长信箱_青溪县示例局", gw_buf_cstr(&b));
  gw_buf_free(&b);
  char *home = fx_page("青溪县示例局", "<a href=\"/jzxx/\">局长信箱</a>");
  add_page(&x, HOST "/", 0, home);
  add_page(&x, HOST "/jzxx/", 1, list);
  free(home);
  free(list);
  /* Monday Mar 3 to Wednesday Mar 12: 7 working days */
  add_message(&x, "/jzxx/1.html", "答复太慢的一封信", "2025-03-03 09:00", "已回复", "2025-03-12 10:00");
  add_message(&x, "/jzxx/2.html", "一直没有答复的信", "2024-11-01 10:00", "未回复", NULL);
  add_message(&x, "/jzxx/3.html", "没有时间的信", NULL, "已回复", NULL);
  add_message(&x, "/jzxx/4.html", "刚好三个月的信", "2024-12-31 12:00", "未回复", NULL);
  add_message(&x, "/jzxx/5.html", "一年多以前的信", "2024-01-10 10:00", "未回复", NULL);
  /* Friday Jan 24, 2025 to Friday Feb 7 over 春节: 5 working days (Jan 26, 27, Feb 5, 6, 7), not slow */
  add_message(&x, "/jzxx/6.html", "春节期间的信", "2025-01-24 16:00", "已回复", "2025-02-07 09:00");
  /* a 网上信访 column with an old unanswered letter: excluded from the reply rule (V5) */
  char *xf = fx_page("网上信访_青溪县示例局", "<table><tr><th>信件标题</th><th>来信时间</th></tr>"
                                          "<tr><td><a href=\"/xf/1.html\">一封信访件</a></td><td>2024-10-08</td></tr></table>");
  add_page(&x, HOST "/xf/", 1, xf);
  free(xf);
  add_message(&x, "/xf/1.html", "一封信访件", "2024-10-08 10:00", "未回复", NULL);

  const char *src = getenv("GW_SRC");
  char dict[4096];
  snprintf(dict, sizeof dict, "%s/dict", src && *src ? src : "..");
  setenv("GW_DICT_DIR", dict, 1);

  struct got g;
  int64_t as_of = T("2025-03-31 12:00");
  CHECK_INT(run_one(&x, "interaction.reply", as_of, NULL, &g), GW_OK);
  /* the 3-month veto: only the letter of Nov 1 (Dec 31 12:00 is exactly 3
   * months, not more; Jan 10 2024 is more than a year back) */
  CHECK_STR(jstr_at(g.all, "unanswered|" HOST "/jzxx/2.html", "rule"), GW_RULE_INTERACTION_UNANSWERED);
  CHECK(json_object_get(g.all, "unanswered|" HOST "/jzxx/4.html") == NULL);
  CHECK(json_object_get(g.all, "unanswered|" HOST "/jzxx/5.html") == NULL);
  CHECK(json_object_get(g.all, "unanswered|" HOST "/xf/1.html") == NULL);
  CHECK_INT(jint_obs(g.all, "unanswered|" HOST "/jzxx/2.html", "days_unanswered"), 150);
  /* slow: one letter over 5 working days; the average and worst per channel */
  const char *slow = "slow|" HOST "/jzxx/";
  CHECK_STR(jstr_at(g.all, slow, "rule"), GW_RULE_INTERACTION_REPLIES_STALE);
  CHECK_INT(jint_obs(g.all, slow, "slow"), 1);
  CHECK_INT(jint_obs(g.all, slow, "worst_working_days"), 7);
  CHECK_INT(jint_obs(g.all, slow, "answered"), 2);
  CHECK_INT(jint_obs(g.all, slow, "reply_working_days"), 5);
  json_t *avg = json_object_get(json_object_get(json_object_get(g.all, slow), "observed"), "avg_working_days");
  CHECK(avg && json_real_value(avg) == 6.0);
  CHECK_STR(json_string_value(json_object_get(json_object_get(json_object_get(g.all, slow), "observed"), "calendar")),
            "ok");
  CHECK_CONTAINS(jstr_at(g.all, slow, "detail"), "答复太慢的一封信");
  CHECK_CONTAINS(jstr_at(g.all, slow, "detail"), "用时 7 个工作日");
  /* no times, no statistics; replies within 2 months, so not idle */
  CHECK_STR(jstr_at(g.all, "no_times|" HOST "/jzxx/", "rule"), GW_RULE_INTERACTION_NO_TIMES);
  CHECK_CONTAINS(jstr_at(g.all, "no_times|" HOST "/jzxx/", "detail"), "没有时间的信");
  CHECK_STR(jstr_at(g.all, "no_stats", "rule"), GW_RULE_INTERACTION_NO_STATS);
  CHECK(json_object_get(g.all, "idle|" HOST "/jzxx/") == NULL);
  CHECK_INT(g.n, 4);
  json_decref(g.all);

  /* a minute later the Dec 31 letter is over 3 months */
  CHECK_INT(run_one(&x, "interaction.reply", as_of + 60, NULL, &g), GW_OK);
  CHECK(json_object_get(g.all, "unanswered|" HOST "/jzxx/4.html") != NULL);
  json_decref(g.all);

  /* a wider window: nothing slow; three months on, no reply in 2 months */
  struct gw_config cfg;
  gw_config_defaults(&cfg);
  cfg.reply_working_days = 7;
  CHECK_INT(run_one(&x, "interaction.reply", T("2025-06-30 12:00"), &cfg, &g), GW_OK);
  CHECK(json_object_get(g.all, slow) == NULL);
  CHECK_STR(jstr_at(g.all, "idle|" HOST "/jzxx/", "rule"), GW_RULE_INTERACTION_REPLIES_STALE);
  CHECK_CONTAINS(jstr_at(g.all, "idle|" HOST "/jzxx/", "detail"), "最近一次答复在 2025-03-12 10:00:00");
  json_decref(g.all);
  gw_config_clear(&cfg);

  /* without the calendar: Mon-Fri, and the evidence says so */
  setenv("GW_DICT_DIR", "/nonexistent-dict", 1);
  CHECK_INT(run_one(&x, "interaction.reply", as_of, NULL, &g), GW_OK);
  CHECK_STR(json_string_value(json_object_get(json_object_get(json_object_get(g.all, slow), "observed"), "calendar")),
            "missing");
  CHECK_CONTAINS(jstr_at(g.all, slow, "detail"), "未找到节假日数据");
  json_decref(g.all);
  setenv("GW_DICT_DIR", dict, 1);

  /* published statistics silence no_stats */
  fx_close(&x);
  fx_open(&x);
  list = fx_page("局长信箱_青溪县示例局",
                 "<table><tr><th>信件标题</th><th>来信时间</th></tr></table><p>本年度共收到来信 0 件，已办结 0 件</p>");
  add_page(&x, HOST "/jzxx/", 1, list);
  free(list);
  CHECK_INT(run_one(&x, "interaction.reply", as_of, NULL, &g), GW_OK);
  CHECK_INT(g.n, 0);
  json_decref(g.all);
  fx_close(&x);
}

/* ---- interpretation.link ---- */

static void test_interpretation(void)
{
  struct fx x;
  fx_open(&x);
  char *home = fx_page("青溪县示例局", "<p>首页</p>");
  add_page(&x, HOST "/", 0, home);
  free(home);
  int64_t p1 = add_article(&x, HOST "/zcwj/1.html", "关于印发甲办法的通知（青示发〔2024〕1号）", "政策文件", "");
  int64_t i1 = add_article(&x, HOST "/zcjd/1.html", "《甲办法》政策解读", "政策解读", "");
  int64_t p2 = add_article(&x, HOST "/zcwj/2.html", "关于印发乙办法的通知（青示发〔2024〕2号）", "政策文件", "");
  int64_t i2 = add_article(&x, HOST "/zcjd/2.html", "一图读懂《乙办法》", "图解", "");
  int64_t p3 = add_article(&x, HOST "/zcwj/3.html", "关于印发丙办法的通知（青示发[2024]3号）", "政策文件", "");
  int64_t i3 = add_article(&x, HOST "/zcjd/3.html", "《丙办法》起草说明", "政策解读", "");
  int64_t p4 = add_article(&x, HOST "/zcwj/4.html", "关于印发丁办法的通知（青示发〔2024〕4号）", "政策文件", "");
  add_article(&x, HOST "/tzgg/1.html", "关于开展2024年度评比的通知", "通知公告", ""); /* no 文号 */
  /* the interpretation column page lists them and is linked by every page: not an interpretation */
  char *col = fx_page("政策解读_青溪县示例局", "<ul><li><a href=\"/zcjd/1.html\">《甲办法》政策解读</a><span>2024-06-01</span>"
                                              "</li><li><a href=\"/zcjd/2.html\">一图读懂《乙办法》</a><span>2024-06-02</span>"
                                              "</li><li><a href=\"/zcjd/3.html\">《丙办法》起草说明</a><span>2024-06-03</span>"
                                              "</li></ul>");
  int64_t cj = add_page(&x, HOST "/zcjd/", 1, col);
  free(col);
  fx_link(&x, p1, 0, i1, "a", "《甲办法》政策解读", false, 1, 0);
  fx_link(&x, i1, 0, p1, "a", "关于印发甲办法的通知", false, 1, 0);
  fx_link(&x, p2, 0, i2, "a", "一图读懂《乙办法》", false, 1, 0); /* no way back */
  fx_link(&x, i3, 0, p3, "a", "关于印发丙办法的通知", false, 1, 0); /* no way there */
  fx_link(&x, p4, 0, cj, "a", "政策解读", false, 1, 0); /* the column, not an interpretation */
  struct got g;
  CHECK_INT(run_one(&x, "interpretation.link", 0, NULL, &g), GW_OK);
  CHECK_INT(g.n, 3);
  CHECK_STR(jstr_at(g.all, "missing|" HOST "/zcwj/4.html", "rule"), GW_RULE_INTERPRETATION_MISSING);
  CHECK_STR(json_string_value(json_object_get(json_object_get(json_object_get(g.all, "missing|" HOST "/zcwj/4.html"),
                                                              "observed"),
                                              "doc_number")),
            "青示发〔2024〕4号");
  const char *k2 = "unlinked|" HOST "/zcwj/2.html|" HOST "/zcjd/2.html";
  CHECK_STR(jstr_at(g.all, k2, "rule"), GW_RULE_INTERPRETATION_UNLINKED);
  CHECK_STR(jstr_at(g.all, k2, "url"), HOST "/zcjd/2.html"); /* where the link is missing */
  CHECK_CONTAINS(jstr_at(g.all, k2, "detail"), "解读页面没有链接回原文件");
  const char *k3 = "unlinked|" HOST "/zcwj/3.html|" HOST "/zcjd/3.html";
  CHECK_STR(jstr_at(g.all, k3, "url"), HOST "/zcwj/3.html");
  CHECK_CONTAINS(jstr_at(g.all, k3, "detail"), "政策文件页面没有链接到该解读");
  CHECK_CONTAINS(jstr_at(g.all, k3, "detail"), "青示发[2024]3号");
  json_decref(g.all);
  (void)i2;
  fx_close(&x);
}

/* ---- annual_report.publish ---- */

static void test_reports(void)
{
  const char *src = getenv("GW_SRC");
  char dict[4096];
  snprintf(dict, sizeof dict, "%s/dict", src && *src ? src : "..");
  setenv("GW_DICT_DIR", dict, 1);
  struct fx x;
  fx_open(&x); /* a department */
  char *home = fx_page("青溪县示例局", "<a href=\"/xxgknb/\">政府信息公开年报</a>");
  int64_t h = add_page(&x, HOST "/", 0, home);
  free(home);
  char *col = fx_page("政府信息公开年报_青溪县示例局",
                      "<ul><li><a href=\"/xxgknb/2023.html\">青溪县示例局2023年政府信息公开工作年度报告</a><span>2024-01-20</span></li>"
                      "<li><a href=\"/xxgknb/gzbg.html\">2024年青溪县示例局工作报告</a><span>2024-02-20</span></li></ul>");
  int64_t c = add_page(&x, HOST "/xxgknb/", 1, col);
  free(col);
  fx_link(&x, h, 0, c, "a", "政府信息公开年报", true, 1, 0);
  add_article(&x, HOST "/xxgknb/2023.html", "青溪县示例局2023年政府信息公开工作年度报告", "政府信息公开年报", "");
  /* the site report exists but nothing on the homepage leads to it */
  add_article(&x, HOST "/wzndbb/2024.html", "青溪县示例局网站工作年度报表（2024年度）", "网站工作年度报表", "");

  struct got g;
  /* Jan 31, 23:59: the 2024 reports are not due yet; the 2023 site report is missing */
  CHECK_INT(run_one(&x, "annual_report.publish", T("2025-01-31 23:59"), NULL, &g), GW_OK);
  CHECK(json_object_get(g.all, "gov_info_report|2023") == NULL);
  CHECK(json_object_get(g.all, "gov_info_report|2024") == NULL);
  CHECK_STR(jstr_at(g.all, "site_report|2023", "rule"), GW_RULE_ANNUAL_REPORT_MISSING);
  const char *wrong = "wrong_document|" HOST "/xxgknb/gzbg.html";
  CHECK_STR(jstr_at(g.all, wrong, "rule"), GW_RULE_ANNUAL_REPORT_MISSING);
  CHECK(json_is_true(json_object_get(json_object_get(g.all, wrong), "needs_review")));
  CHECK_CONTAINS(jstr_at(g.all, wrong, "detail"), "2024年青溪县示例局工作报告");
  CHECK_INT(g.n, 2);
  json_decref(g.all);
  /* Feb 1, 00:00: the 2024 年报 is missing, the 2024 报表 is off the homepage */
  CHECK_INT(run_one(&x, "annual_report.publish", T("2025-02-01 00:00"), NULL, &g), GW_OK);
  CHECK_STR(jstr_at(g.all, "gov_info_report|2024", "url"), HOST "/xxgknb/");
  CHECK_INT(jint_obs(g.all, "gov_info_report|2024", "year"), 2024);
  CHECK_STR(json_string_value(json_object_get(json_object_get(json_object_get(g.all, "gov_info_report|2024"),
                                                              "observed"),
                                              "deadline")),
            "2025-01-31");
  CHECK_CONTAINS(jstr_at(g.all, "gov_info_report|2024", "detail"), "网站现有年度：2023");
  CHECK_STR(jstr_at(g.all, "site_report|2024|homepage", "target"), HOST "/wzndbb/2024.html");
  CHECK_INT(g.n, 3);
  json_decref(g.all);
  fx_close(&x);

  /* a region government: the 年报 is due March 31 */
  fx_open(&x);
  struct gw_unit u;
  memset(&u, 0, sizeof u);
  u.name = (char *)"青溪县";
  u.kind = GW_UNIT_REGION;
  CHECK_INT(gw_store_unit_insert(x.st, &u), GW_OK);
  x.site.unit_id = u.id;
  CHECK_INT(gw_store_site_update(x.st, &x.site), GW_OK);
  home = fx_page("青溪县人民政府", "<p>首页</p>");
  add_page(&x, HOST "/", 0, home);
  free(home);
  add_article(&x, HOST "/nb/2023.html", "青溪县人民政府2023年政府信息公开工作年度报告", "政府信息公开年报", "");
  CHECK_INT(run_one(&x, "annual_report.publish", T("2025-03-31 23:00"), NULL, &g), GW_OK);
  CHECK(json_object_get(g.all, "gov_info_report|2024") == NULL);
  CHECK(json_object_get(g.all, "gov_info_report|2023") == NULL);
  json_decref(g.all);
  CHECK_INT(run_one(&x, "annual_report.publish", T("2025-04-01 00:00"), NULL, &g), GW_OK);
  CHECK_STR(json_string_value(json_object_get(json_object_get(json_object_get(g.all, "gov_info_report|2024"),
                                                              "observed"),
                                              "unit_kind")),
            "region");
  json_decref(g.all);

  /* the deadlines file: missing, malformed */
  setenv("GW_DICT_DIR", "/nonexistent-dict", 1);
  CHECK_INT(run_one(&x, "annual_report.publish", 0, NULL, &g), GW_ENOTFOUND);
  json_decref(g.all);
  char tmp[256];
  snprintf(tmp, sizeof tmp, "/tmp/gw-interact-%ld", (long)getpid());
  char path[512];
  snprintf(path, sizeof path, "%s/reports", tmp);
  mkdir(tmp, 0700);
  mkdir(path, 0700);
  snprintf(path, sizeof path, "%s/reports/deadlines.txt", tmp);
  FILE *f = fopen(path, "w");
  fputs("gov_info_report region 3/31\n", f);
  fclose(f);
  setenv("GW_DICT_DIR", tmp, 1);
  CHECK_INT(run_one(&x, "annual_report.publish", 0, NULL, &g), GW_EPARSE);
  json_decref(g.all);
  f = fopen(path, "w");
  fputs("gov_info_report region 03-31\n", f);
  fclose(f);
  CHECK_INT(run_one(&x, "annual_report.publish", 0, NULL, &g), GW_EPARSE); /* no site_report line */
  json_decref(g.all);
  unlink(path);
  snprintf(path, sizeof path, "%s/reports", tmp);
  rmdir(path);
  rmdir(tmp);
  setenv("GW_DICT_DIR", dict, 1);
  fx_close(&x);
}

/* ---- the sample family's mailboxes ---- */

/* Fetch and parse a sample page by absolute URL; NULL when not 200. */
static struct gw_page *sample_page(const struct gw_sample *smp, const char *url, int64_t as_of)
{
  const char *h = strstr(url, "://");
  if (!h)
    return NULL;
  h += 3;
  const char *path = strchr(h, '/');
  char host[128];
  snprintf(host, sizeof host, "%.*s", (int)(path ? path - h : (ptrdiff_t)strlen(h)), h);
  struct gw_sample_resp r;
  memset(&r, 0, sizeof r);
  if (gw_sample_get(smp, host, path ? path : "/", NULL, &r) != GW_OK || r.status != 200) {
    gw_sample_resp_clear(&r);
    return NULL;
  }
  struct gw_page_input in;
  memset(&in, 0, sizeof in);
  in.url = url;
  in.data = r.body;
  in.len = r.len;
  in.content_type = r.content_type;
  in.as_of = as_of;
  struct gw_page *p = NULL;
  if (gw_page_parse(&p, &in) != GW_OK)
    p = NULL;
  gw_sample_resp_clear(&r);
  return p;
}

/* Every mailbox of a family publishes statistics that agree with its
 * letters, and no answered letter took longer than the default window in
 * the official calendar (so interaction.reply stays quiet about them). */
static void sample_mailboxes(uint64_t seed, int pages)
{
  struct gw_sample_opts so;
  gw_sample_opts_default(&so);
  so.seed = seed;
  so.pages = pages;
  struct gw_sample *smp = NULL;
  if (gw_sample_new(&smp, &so) != GW_OK) {
    CHECK_MSG(false, "sample: %s", gw_err_msg());
    return;
  }
  struct gw_workday_cal *cal = NULL;
  CHECK_INT(gw_workday_cal_load(&cal, NULL), GW_OK);
  char *mj = gw_sample_manifest_json(smp);
  json_error_t je;
  json_t *m = json_loads(mj, 0, &je);
  free(mj);
  int ay = 0;
  {
    struct gw_civil c;
    gw_civil_from_time(so.as_of, &c);
    ay = c.year;
  }
  size_t boxes = 0, letters = 0;
  int64_t worst = 0;
  json_t *site;
  size_t si;
  json_array_foreach(json_object_get(m, "sites"), si, site) {
    json_t *col;
    size_t ci;
    json_array_foreach(json_object_get(site, "columns"), ci, col) {
      if (strcmp(json_string_value(json_object_get(col, "class")), "mailbox") != 0)
        continue;
      boxes++;
      struct gw_page *first = sample_page(smp, json_string_value(json_object_get(col, "url")), so.as_of);
      CHECK(first != NULL);
      if (!first)
        continue;
      /* the list pages: the first, then each page's next (the pagination) */
      struct gw_strv urls = {0};
      gw_strv_push(&urls, first->url);
      const char *next = first->pages.next;
      struct gw_page *cur = NULL;
      while (next && urls.n < 200) {
        bool again = false;
        for (size_t k = 0; k < urls.n && !again; k++)
          again = strcmp(urls.v[k], next) == 0;
        if (again)
          break;
        gw_strv_push(&urls, next);
        gw_page_free(&cur);
        cur = sample_page(smp, urls.v[urls.n - 1], so.as_of);
        next = cur ? cur->pages.next : NULL;
      }
      gw_page_free(&cur);
      size_t off = 0, len = 0;
      CHECK(gw_interact_find_stats(first->text, first->text_len, &off, &len));
      char line[512];
      snprintf(line, sizeof line, "%.*s", (int)len, first->text + off);
      size_t got = 0, done = 0, seen = 0;
      struct gw_strv done_urls = {0};
      for (size_t u = 0; u < urls.n; u++) {
        struct gw_page *lp = u == 0 ? first : sample_page(smp, urls.v[u], so.as_of);
        if (!lp)
          continue;
        for (size_t k = 0; k < lp->n_items; k++) {
          bool dup = false;
          for (size_t d = 0; d < done_urls.n && !dup; d++)
            dup = strcmp(done_urls.v[d], lp->items[k].url) == 0;
          if (dup)
            continue;
          gw_strv_push(&done_urls, lp->items[k].url);
          struct gw_page *mp = sample_page(smp, lp->items[k].url, so.as_of);
          CHECK(mp != NULL);
          if (!mp)
            continue;
          struct gw_message_info mi;
          gw_interact_message_read(mp, &mi);
          CHECK(mi.has_received);
          seen++;
          struct gw_civil c;
          gw_civil_from_time(mi.received, &c);
          if (c.year == ay) {
            got++;
            if (mi.has_reply)
              done++;
          }
          if (mi.has_reply) {
            bool fb = false;
            int64_t wd = gw_workday_count(cal, mi.received, mi.reply, &fb);
            if (wd > worst)
              worst = wd;
            CHECK_MSG(wd <= GW_INTERACT_REPLY_DAYS_DEFAULT, "%s: reply after %lld working days", mp->url, (long long)wd);
          } else {
            CHECK_INT(mi.status, -1);
          }
          gw_page_free(&mp);
        }
        if (u > 0)
          gw_page_free(&lp);
      }
      letters += seen;
      CHECK_INT(seen, json_integer_value(json_object_get(col, "items")));
      char want[128];
      snprintf(want, sizeof want, "本年度共收到来信 %zu 件，已办结 %zu 件", got, done);
      CHECK_MSG(strncmp(line, want, strlen(want)) == 0, "stats '%s', expected '%s'", line, want);
      gw_strv_free(&done_urls);
      gw_strv_free(&urls);
      gw_page_free(&first);
    }
  }
  CHECK_INT(boxes, 6);
  CHECK(letters > 6);
  CHECK(worst >= 1);
  json_decref(m);
  gw_workday_cal_free(&cal);
  gw_sample_free(&smp);
}

int main(void)
{
  test_readers();
  test_channel();
  test_reply();
  test_interpretation();
  test_reports();
  sample_mailboxes(1, 300);
  sample_mailboxes(7, 2500);
  return gw_test_done();
}
