/* The quarterly circular: figures and wording, the three renderers, escaping
 * of hostile names, the DOCX package (parts, well-formed XML, GB/T 9704
 * layout) and, when LibreOffice is installed, the PDF it makes of the DOCX. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <zip.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/error.h"
#include "report/circular.h"
#include "tap.h"

/* A hostile unit name: XML/HTML/Markdown metacharacters, quotes, a fake
 * closing tag of WordprocessingML, and over 2 KB long. */
static char g_hostile[2400];

static const char *const PRAISE[] = {"青溪镇", "县教育局", "县民政局"};
static const char *const CRIT[] = {"白沙乡", "县文广旅局"};
static const char *const P1_SUBJ[] = {"县司法局网站", "县公安局交警大队网站"};
static const char *const P2_SUBJ[] = {"“青溪发布”微信公众号", "“法治青溪”抖音号"};
static const char *const IPV6_PENDING[] = {"县住房公积金管理中心网站"};
static const char *const ANNUAL_LATE[] = {"白沙乡人民政府"};

static struct gw_circ_problem g_problems[3];
static struct gw_circ_site_row g_sites[3];
static struct gw_circ_account_row g_accounts[2];
static const struct gw_circ_platform PLATFORMS[] = {
    {"微信", 120, 118, 0}, {"微博", 40, 40, 0}, {"抖音", 33, 31, 2}};
static const struct gw_circ_annual ANNUAL[] = {
    {"2024年度政府信息公开年报", 28, 27, ANNUAL_LATE, 1}};
static const char *g_hostile_subj[1];

static int64_t day(const char *s)
{
  int64_t t = 0;
  if (gw_time_parse(s, &t) != GW_OK)
    abort();
  return t;
}

static void model(struct gw_circular *c)
{
  memset(c, 0, sizeof *c);
  c->office = "青溪县人民政府办公室";
  c->scope = "全县";
  c->addressees = "各乡镇人民政府，县政府各部门：";
  c->doc_number = "青政办〔2025〕12号";
  c->year = 2025;
  c->quarter = 1;
  c->as_of = day("2025-03-31");
  c->issued = day("2025-04-10");
  c->deadline = day("2025-04-30");
  c->sites = (struct gw_circ_tally){55, 55, 54, 1, 0};
  c->accounts = (struct gw_circ_tally){193, 193, 189, 4, 0};
  c->platforms = PLATFORMS;
  c->nplatforms = 3;
  c->portal_average = 124.86;
  c->portal_full = 130;
  c->portal_best = 129.5;
  c->portal_best_units = "青溪县人民政府门户网站";
  c->info_total = 1537;
  c->praise = (struct gw_circ_units){24, PRAISE, 3};
  c->criticism = (struct gw_circ_units){5, CRIT, 2};
  g_problems[0] = (struct gw_circ_problem){"栏目更新不及时", "部分网站专题栏目长期未更新",
                                           P1_SUBJ, 2};
  g_problems[1] = (struct gw_circ_problem){"政务新媒体2周内未更新",
                                           "部分政务新媒体监测时间点前2周内无更新。", P2_SUBJ, 2};
  c->problems = g_problems;
  c->nproblems = 2;
  c->ipv6 = (struct gw_circ_ipv6){55, 52, IPV6_PENDING, 1};
  c->annual = ANNUAL;
  c->nannual = 1;
  g_sites[0] = (struct gw_circ_site_row){"青溪县司法局", "http://sfj.qingxi.gov.cn", "3301220051",
                                         "多个专题栏目更新不及时", "已整改"};
  g_sites[1] = (struct gw_circ_site_row){"青溪县公安局交警大队", "http://jjdd.qingxi.gov.cn",
                                         "3301220038", "政策解读未与原文关联",
                                         "截止通报前仍未整改到位"};
  c->site_rows = g_sites;
  c->nsite_rows = 2;
  g_accounts[0] = (struct gw_circ_account_row){"青溪发布", "青溪县融媒体中心", "微信订阅号",
                                               "不合格", "监测时间点前2周内无更新", "已整改"};
  g_accounts[1] = (struct gw_circ_account_row){"法治青溪", "青溪县司法局", "抖音短视频", "合格",
                                               "认证主体不一致", "截止通报前仍未整改到位"};
  c->account_rows = g_accounts;
  c->naccount_rows = 2;
}

/* Every heading, figure and table row a reader must find. */
static const char *const EXPECT[] = {
    "关于2025年第一季度全县政府网站与政务新媒体检查情况的通报",
    "青政办〔2025〕12号",
    "各乡镇人民政府，县政府各部门：",
    "现将有关情况通报如下。",
    "一、总体情况",
    "（一）政府网站检查情况",
    "政府网站共55个，检查55个，检查比例为100%",
    "合格54个，不合格1个，合格率为98.2%（名单见附件1）",
    "平均分为124.9分（满分130分），最高分为129.5分（青溪县人民政府门户网站）",
    "（二）政务新媒体检查情况",
    "合格189个，不合格4个，合格率为97.9%（名单见附件2）",
    "微信120个，合格118个，合格率98.3%",
    "微博40个，合格40个，合格率100%",
    "（三）信息报送情况",
    "共报送信息1537条",
    "青溪镇、县教育局、县民政局共3个单位报送信息条数达24条及以上",
    "给予通报表扬",
    "白沙乡、县文广旅局共2个单位报送信息条数不足5条，给予通报批评",
    "二、存在的主要问题",
    "（一）栏目更新不及时",
    "部分网站专题栏目长期未更新。如：县司法局网站、县公安局交警大队网站。",
    "（二）政务新媒体2周内未更新",
    "如：“青溪发布”微信公众号、“法治青溪”抖音号。",
    "三、重点工作情况",
    "（一）IPv6改造情况",
    "截至2025年3月31日，全县55个政府网站完成IPv6改造52个，暂不支持IPv6访问的3个，完成率94.5%",
    "未完成IPv6改造的网站：县住房公积金管理中心网站",
    "（二）2024年度政府信息公开年报发布情况",
    "已按时发布27家，完成率96.4%",
    "四、下一步工作要求",
    "（一）压实主管主办责任",
    "（二）抓好问题整改",
    "请于2025年4月30日前将整改情况书面报告",
    "报送青溪县人民政府办公室",
    "附件：1. 2025年第一季度政府网站检查结果",
    "2. 2025年第一季度政务新媒体检查结果",
    "2025年4月10日",
    "附件1",
    "附件2",
    "网站标识码",
    "整改情况",
    "开设主体",
    "存在的问题",
    "3301220051",
    "http://sfj.qingxi.gov.cn",
    "多个专题栏目更新不及时",
    "截止通报前仍未整改到位",
    "青溪县融媒体中心",
    "微信订阅号",
    "抖音短视频",
    "认证主体不一致",
};

static void test_format(void)
{
  char b[32];
  gw_report_percent(54, 55, b, sizeof b);
  CHECK_STR(b, "98.2%");
  gw_report_percent(55, 55, b, sizeof b);
  CHECK_STR(b, "100%");
  gw_report_percent(0, 7, b, sizeof b);
  CHECK_STR(b, "0%");
  gw_report_percent(2999, 3000, b, sizeof b); /* 99.97 must not show as 100% */
  CHECK_STR(b, "99.9%");
  gw_report_percent(1, 3000, b, sizeof b);
  CHECK_STR(b, "0.1%");
  gw_report_percent(287, 293, b, sizeof b); /* 97.952 */
  CHECK_STR(b, "98.0%");
  gw_report_percent(1, 8, b, sizeof b); /* 12.5 exactly */
  CHECK_STR(b, "12.5%");
  gw_report_percent(3, 0, b, sizeof b);
  CHECK_STR(b, "—");
  gw_report_score(124.86, b, sizeof b);
  CHECK_STR(b, "124.9");
  gw_report_score(99.0, b, sizeof b);
  CHECK_STR(b, "99");
  gw_report_date_zh(day("2025-04-10 23:59"), b, sizeof b);
  CHECK_STR(b, "2025年4月10日");
  enum gw_report_format f = 0;
  CHECK_INT(gw_report_format_parse("DOCX", &f), GW_OK);
  CHECK_INT(f, GW_REPORT_DOCX);
  CHECK_INT(gw_report_format_parse("markdown", &f), GW_OK);
  CHECK_INT(f, GW_REPORT_MD);
  CHECK_INT(gw_report_format_parse("pdf", &f), GW_EUSAGE);
  CHECK_CONTAINS(gw_err_msg(), "'pdf'");
}

static void test_check(void)
{
  struct gw_circular c;
  struct gw_buf b = GW_BUF_INIT;
  model(&c);
  CHECK_INT(gw_report_circular_check(&c), GW_OK);
  c.sites.failed = 2;
  CHECK_INT(gw_report_circular_markdown(&c, &b), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "websites: qualified 54 + failed 2 != inspected 55");
  CHECK_INT(b.len, 0);
  model(&c);
  c.quarter = 5;
  CHECK_INT(gw_report_circular_check(&c), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "quarter 5");
  model(&c);
  c.office = NULL;
  CHECK_INT(gw_report_circular_check(&c), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "office");
  model(&c);
  c.accounts.inspected = 300;
  c.accounts.qualified = 296;
  CHECK_INT(gw_report_circular_check(&c), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "accounts: inspected 300 > registered 193");
  model(&c);
  c.ipv6.done = 56;
  CHECK_INT(gw_report_circular_check(&c), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "ipv6");
  model(&c);
  c.portal_best = 131;
  CHECK_INT(gw_report_circular_check(&c), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "portal scores");
  model(&c);
  c.issued = 0;
  CHECK_INT(gw_report_circular_check(&c), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "issued");
  gw_buf_free(&b);
}

static void test_template(void)
{
  struct gw_circular c;
  struct gw_buf b = GW_BUF_INIT;
  model(&c);
  CHECK_INT(gw_report_fill_template("## 及时整改\n\n  {{scope}}各单位于{{deadline}}前报{{report_to}}。\r\n"
                                    "{{office}}将在{{quarter}}复查。",
                                    &c, &b),
            GW_OK);
  CHECK_STR(gw_buf_cstr(&b), "（一）及时整改\n全县各单位于2025年4月30日前报青溪县人民政府办公室。\n"
                             "青溪县人民政府办公室将在2025年第一季度复查。\n");
  gw_buf_reset(&b);
  CHECK_INT(gw_report_fill_template("第一行\n请于{{截止日期}}前报送", &c, &b), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "line 2: unknown placeholder '{{截止日期}}'");
  CHECK_INT(b.len, 0);
  CHECK_INT(gw_report_fill_template("请于{{deadline前报送", &c, &b), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "line 1: '{{' without '}}'");
  c.deadline = 0;
  CHECK_INT(gw_report_fill_template(NULL, &c, &b), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "{{deadline}} is used but the circular has no rectification deadline");
  /* The same error stops a whole render. */
  CHECK_INT(gw_report_circular_html(&c, &b), GW_EINVAL);
  CHECK_INT(b.len, 0);
  /* An edited template without the deadline renders without one. */
  c.requirements = "## 自定义要求\n各单位要高度重视。";
  CHECK_INT(gw_report_circular_markdown(&c, &b), GW_OK);
  CHECK_CONTAINS(gw_buf_cstr(&b), "### （一）自定义要求\n\n各单位要高度重视。");
  gw_buf_free(&b);
}

static void test_text_renderers(void)
{
  struct gw_circular c;
  model(&c);
  struct gw_buf md = GW_BUF_INIT, html = GW_BUF_INIT;
  CHECK_INT(gw_report_circular_markdown(&c, &md), GW_OK);
  CHECK_INT(gw_report_circular_html(&c, &html), GW_OK);
  for (size_t i = 0; i < sizeof EXPECT / sizeof EXPECT[0]; i++) {
    CHECK_CONTAINS(gw_buf_cstr(&html), EXPECT[i]);
    /* Markdown escapes '.' only after a leading number and '|' never occurs. */
    if (strchr(EXPECT[i], '.') == NULL || strstr(EXPECT[i], "http") != NULL)
      CHECK_CONTAINS(gw_buf_cstr(&md), EXPECT[i]);
  }
  const char *m = gw_buf_cstr(&md);
  CHECK_CONTAINS(m, "# 关于2025年第一季度");
  CHECK_CONTAINS(m, "## 一、总体情况");
  CHECK_CONTAINS(m, "### （一）政府网站检查情况");
  CHECK_CONTAINS(m, "| 序号 | 网站名称 | 网址 | 网站标识码 | 存在问题 | 整改情况 |");
  CHECK_CONTAINS(m, "| 1 | 青溪县司法局 | http://sfj.qingxi.gov.cn | 3301220051 | 多个专题栏目更新不及时 | 已整改 |");
  CHECK_CONTAINS(m, "| 2 | 法治青溪 | 青溪县司法局 | 抖音短视频 | 合格 | 认证主体不一致 | 截止通报前仍未整改到位 |");
  /* per platform: the pass rate is over the judged accounts, 待定 ones are stated, never counted as failing */
  CHECK_CONTAINS(m, "微信120个，合格118个，合格率98.3%");
  CHECK_CONTAINS(m, "抖音33个，合格31个，待定2个，已判定的合格率100%");
  CHECK_CONTAINS(m, "附件：1. 2025年第一季度政府网站检查结果\\\n");
  const char *h = gw_buf_cstr(&html);
  CHECK(strncmp(h, "<!DOCTYPE html>", 15) == 0);
  CHECK_CONTAINS(h, "<title>关于2025年第一季度全县政府网站与政务新媒体检查情况的通报</title>");
  CHECK_CONTAINS(h, "@page{size:A4;margin:37mm 26mm 35mm 28mm");
  CHECK_CONTAINS(h, "\"仿宋_GB2312\"");
  CHECK_CONTAINS(h, "\"方正小标宋简体\"");
  CHECK_CONTAINS(h, "thead{display:table-header-group}");
  CHECK_CONTAINS(h, "<tr><td>1</td><td>青溪县司法局</td><td>http://sfj.qingxi.gov.cn</td>"
                    "<td>3301220051</td><td>多个专题栏目更新不及时</td><td>已整改</td></tr>");
  CHECK_CONTAINS(h, "<p class=\"sign sign-office\">青溪县人民政府办公室</p>");

  /* Sections without data are left out and the rest renumbered. */
  c.nproblems = 0;
  c.ipv6 = (struct gw_circ_ipv6){0, 0, NULL, 0};
  c.nannual = 0;
  c.nsite_rows = 0;
  gw_buf_reset(&md);
  CHECK_INT(gw_report_circular_markdown(&c, &md), GW_OK);
  CHECK(strstr(gw_buf_cstr(&md), "存在的主要问题") == NULL);
  CHECK(strstr(gw_buf_cstr(&md), "附件2") == NULL);
  CHECK_CONTAINS(gw_buf_cstr(&md), "## 二、下一步工作要求");
  CHECK_CONTAINS(gw_buf_cstr(&md), "合格率为97.9%（名单见附件1）");
  CHECK_CONTAINS(gw_buf_cstr(&md), "附件：1. 2025年第一季度政务新媒体检查结果");
  /* A capped output buffer reports the cap instead of truncating silently. */
  struct gw_buf small;
  gw_buf_init(&small, 100);
  CHECK_INT(gw_report_circular_html(&c, &small), GW_ELIMIT);
  gw_buf_free(&small);
  gw_buf_free(&md);
  gw_buf_free(&html);
}

/* ---- DOCX ------------------------------------------------------------------- */

static char *zip_part(zip_t *za, const char *name, size_t *len)
{
  zip_stat_t st;
  if (zip_stat(za, name, 0, &st) != 0)
    return NULL;
  zip_file_t *f = zip_fopen(za, name, 0);
  if (!f)
    return NULL;
  char *data = gw_malloc((size_t)st.size + 1);
  zip_int64_t n = zip_fread(f, data, st.size);
  zip_fclose(f);
  if (n < 0 || (zip_uint64_t)n != st.size) {
    free(data);
    return NULL;
  }
  data[n] = '\0';
  *len = (size_t)n;
  return data;
}

static xmlDocPtr parse_part(zip_t *za, const char *name)
{
  size_t len = 0;
  char *data = zip_part(za, name, &len);
  CHECK_MSG(data != NULL, "part %s exists", name);
  if (!data)
    return NULL;
  xmlDocPtr doc = xmlReadMemory(data, (int)len, name, "UTF-8", XML_PARSE_NONET | XML_PARSE_NOERROR |
                                                                  XML_PARSE_NOWARNING);
  CHECK_MSG(doc != NULL, "part %s is well-formed XML", name);
  free(data);
  return doc;
}

static int xcount(xmlDocPtr doc, const char *xpath)
{
  xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
  xmlXPathRegisterNs(ctx, BAD_CAST "w",
                     BAD_CAST "http://schemas.openxmlformats.org/wordprocessingml/2006/main");
  xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST xpath, ctx);
  int n = (o && o->nodesetval) ? o->nodesetval->nodeNr : -1;
  xmlXPathFreeObject(o);
  xmlXPathFreeContext(ctx);
  return n;
}

/* The text of the w:t elements in document order, one paragraph per line
 * (field instructions are not text). */
static char *doc_text(xmlDocPtr doc)
{
  struct gw_buf b = GW_BUF_INIT;
  xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
  xmlXPathRegisterNs(ctx, BAD_CAST "w",
                     BAD_CAST "http://schemas.openxmlformats.org/wordprocessingml/2006/main");
  xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST "//w:p", ctx);
  for (int i = 0; o && o->nodesetval && i < o->nodesetval->nodeNr; i++) {
    xmlXPathObjectPtr t = xmlXPathNodeEval(o->nodesetval->nodeTab[i], BAD_CAST ".//w:t", ctx);
    for (int k = 0; t && t->nodesetval && k < t->nodesetval->nodeNr; k++) {
      xmlChar *s = xmlNodeGetContent(t->nodesetval->nodeTab[k]);
      gw_buf_puts(&b, (const char *)s);
      xmlFree(s);
    }
    xmlXPathFreeObject(t);
    gw_buf_putc(&b, '\n');
  }
  xmlXPathFreeObject(o);
  xmlXPathFreeContext(ctx);
  char *r = gw_buf_steal(&b);
  return r ? r : gw_strdup("");
}

static void check_docx(const char *path, const struct gw_circular *c, bool hostile)
{
  int zerr = 0;
  zip_t *za = zip_open(path, ZIP_RDONLY, &zerr);
  CHECK_MSG(za != NULL, "%s opens as a zip (error %d)", path, zerr);
  if (!za)
    return;
  static const char *const parts[] = {"[Content_Types].xml", "_rels/.rels",
                                      "word/_rels/document.xml.rels", "word/document.xml",
                                      "word/styles.xml", "word/settings.xml", "word/fontTable.xml",
                                      "word/footer1.xml", "docProps/core.xml", "docProps/app.xml"};
  for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
    xmlDocPtr d = parse_part(za, parts[i]);
    xmlFreeDoc(d);
  }
  xmlDocPtr doc = parse_part(za, "word/document.xml");
  if (doc) {
    CHECK_INT(xcount(doc, "//w:sectPr/w:pgSz[@w:w='11906' and @w:h='16838']"), 1);
    CHECK_INT(xcount(doc, "//w:sectPr/w:pgMar[@w:top='2098' and @w:bottom='1984' and "
                          "@w:left='1587' and @w:right='1474']"),
              1);
    CHECK_INT(xcount(doc, "//w:sectPr/w:footerReference[@w:type='default']"), 1);
    /* Title: 方正小标宋简体 二号 (44 half-points), centred. */
    CHECK_INT(xcount(doc, "//w:p[w:pPr/w:jc/@w:val='center']/w:r[w:rPr/w:rFonts/@w:eastAsia="
                          "'方正小标宋简体' and w:rPr/w:sz/@w:val='44']/w:t[starts-with(.,'关于2025年')]"),
              1);
    /* Body: 仿宋_GB2312 三号, first-line indent two characters, exact 28.95 pt lines. */
    CHECK(xcount(doc, "//w:p[w:pPr/w:ind/@w:firstLineChars='200' and w:pPr/w:spacing/@w:line='579' "
                      "and w:pPr/w:spacing/@w:lineRule='exact']/w:r[w:rPr/w:rFonts/@w:eastAsia="
                      "'仿宋_GB2312' and w:rPr/w:sz/@w:val='32']") >= 10);
    CHECK_INT(xcount(doc, "//w:r[w:rPr/w:rFonts/@w:eastAsia='黑体']/w:t[.='一、总体情况']"), 1);
    CHECK_INT(xcount(doc, "//w:r[w:rPr/w:rFonts/@w:eastAsia='楷体_GB2312']/w:t[.='（一）政府网站检查情况']"), 1);
    /* Tables: borders, header row repeated on each page. */
    CHECK_INT(xcount(doc, "//w:tbl"), 2);
    CHECK_INT(xcount(doc, "//w:tbl/w:tblPr/w:tblBorders/w:insideH[@w:val='single']"), 2);
    CHECK_INT(xcount(doc, "//w:tbl/w:tr[1]/w:trPr/w:tblHeader"), 2);
    CHECK_INT(xcount(doc, "//w:tbl[1]/w:tr"), (int)c->nsite_rows + 1);
    CHECK_INT(xcount(doc, "//w:tbl[2]/w:tr"), (int)c->naccount_rows + 1);
    CHECK_INT(xcount(doc, "//w:p[w:pPr/w:pageBreakBefore]"), 2);
    char *text = doc_text(doc);
    if (!hostile)
      for (size_t i = 0; i < sizeof EXPECT / sizeof EXPECT[0]; i++)
        CHECK_CONTAINS(text, EXPECT[i]);
    if (hostile) {
      CHECK_CONTAINS(text, g_hostile);
      CHECK_CONTAINS(text, "坏\xEF\xBF\xBD字 节"); /* \xff -> U+FFFD, \x01 -> space */
    }
    free(text);
    xmlFreeDoc(doc);
  }
  xmlDocPtr ftr = parse_part(za, "word/footer1.xml");
  if (ftr) {
    CHECK_INT(xcount(ftr, "//w:instrText[normalize-space(.)='PAGE']"), 1);
    CHECK_INT(xcount(ftr, "//w:fldChar[@w:fldCharType='begin']"), 1);
    CHECK_INT(xcount(ftr, "//w:p[w:pPr/w:jc/@w:val='center']"), 1);
    char *t = doc_text(ftr);
    CHECK_STR(t, "— 1 —\n");
    free(t);
    xmlFreeDoc(ftr);
  }
  size_t len = 0;
  char *core = zip_part(za, "docProps/core.xml", &len);
  CHECK_CONTAINS(core, "2025-04-10T00:00:00+08:00");
  free(core);
  zip_close(za);
}

static void test_docx(void)
{
  struct gw_circular c;
  model(&c);
  char path[600];
  snprintf(path, sizeof path, "%s/circular.docx", gw_test_tmpdir());
  CHECK_INT(gw_report_circular_write(&c, GW_REPORT_DOCX, path), GW_OK);
  check_docx(path, &c, false);
  /* Reproducible: the same model gives the same bytes. */
  char path2[600];
  snprintf(path2, sizeof path2, "%s/circular2.docx", gw_test_tmpdir());
  CHECK_INT(gw_report_circular_write(&c, GW_REPORT_DOCX, path2), GW_OK);
  size_t l1 = 0, l2 = 0;
  char *a = gw_test_slurp(path, &l1), *b = gw_test_slurp(path2, &l2);
  CHECK(a && b && l1 == l2 && memcmp(a, b, l1) == 0);
  free(a);
  free(b);
}

static void test_hostile(void)
{
  /* '<', '&', quotes, a closing w:t tag, markdown and a long tail. */
  size_t n = (size_t)snprintf(g_hostile, sizeof g_hostile,
                              "</w:t></w:r>]]><script>alert(\"x\")</script> & 'q' *b* _i_ |p| #h ");
  while (n + 3 < sizeof g_hostile - 1) {
    memcpy(g_hostile + n, "长", 3);
    n += 3;
  }
  g_hostile[n] = '\0';
  struct gw_circular c;
  model(&c);
  g_hostile_subj[0] = g_hostile;
  static const char *praise[2];
  praise[0] = g_hostile;
  praise[1] = "坏\xff字\x01节";
  c.praise.units = praise;
  c.praise.n = 2;
  g_problems[2] = (struct gw_circ_problem){g_hostile, g_hostile, g_hostile_subj, 1};
  c.nproblems = 3;
  g_sites[2] = (struct gw_circ_site_row){g_hostile, g_hostile, g_hostile, g_hostile, g_hostile};
  c.nsite_rows = 3;
  c.office = g_hostile;

  struct gw_buf html = GW_BUF_INIT, md = GW_BUF_INIT;
  CHECK_INT(gw_report_circular_html(&c, &html), GW_OK);
  const char *h = gw_buf_cstr(&html);
  CHECK(strstr(h, "<script") == NULL);
  CHECK(strstr(h, "</w:t>") == NULL);
  CHECK_CONTAINS(h, "&lt;/w:t&gt;&lt;/w:r&gt;]]&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; "
                    "&amp; &#39;q&#39;");
  CHECK_CONTAINS(h, "坏\xEF\xBF\xBD字 节");
  CHECK(strchr(h, '\x01') == NULL && strchr(h, '\xff') == NULL);
  CHECK_INT(gw_report_circular_markdown(&c, &md), GW_OK);
  const char *m = gw_buf_cstr(&md);
  CHECK(strstr(m, "<script") == NULL);
  CHECK_CONTAINS(m, "&lt;/w:t&gt;&lt;/w:r&gt;\\]\\]&gt;&lt;script&gt;alert(\"x\")&lt;/script&gt; "
                    "&amp; 'q' \\*b\\* \\_i\\_ \\|p\\| #h");
  /* The table row keeps its 6 cells: no unescaped '|' inside. */
  const char *row = strstr(m, "| 3 | ");
  CHECK(row != NULL);
  if (row) {
    const char *eol = strchr(row, '\n');
    int pipes = 0;
    for (const char *p = row; p < eol; p++)
      if (*p == '|' && p[-1] != '\\')
        pipes++;
    CHECK_INT(pipes, 7);
  }
  char path[600];
  snprintf(path, sizeof path, "%s/hostile.docx", gw_test_tmpdir());
  CHECK_INT(gw_report_circular_write(&c, GW_REPORT_DOCX, path), GW_OK);
  check_docx(path, &c, true);
  gw_buf_free(&html);
  gw_buf_free(&md);
}

static int count_entries(const char *dir)
{
  DIR *d = opendir(dir);
  int n = 0;
  struct dirent *e;
  while (d && (e = readdir(d)))
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
      n++;
  if (d)
    closedir(d);
  return n;
}

static void test_atomic(void)
{
  char dir[600], path[700];
  snprintf(dir, sizeof dir, "%s/atomic", gw_test_tmpdir());
  mkdir(dir, 0700);
  snprintf(path, sizeof path, "%s/通报.md", dir);
  FILE *f = fopen(path, "w");
  fputs("old\n", f);
  fclose(f);
  chmod(path, 0640);
  struct gw_circular c;
  model(&c);
  /* A bad model leaves the old file and no temporary. */
  c.sites.qualified = 99;
  CHECK_INT(gw_report_circular_write(&c, GW_REPORT_MD, path), GW_EINVAL);
  CHECK_INT(gw_report_circular_write(&c, GW_REPORT_DOCX, path), GW_EINVAL);
  char *s = gw_test_slurp(path, NULL);
  CHECK_STR(s, "old\n");
  free(s);
  CHECK_INT(count_entries(dir), 1);
  model(&c);
  CHECK_INT(gw_report_circular_write(&c, GW_REPORT_HTML, path), GW_OK);
  s = gw_test_slurp(path, NULL);
  CHECK(s && strncmp(s, "<!DOCTYPE html>", 15) == 0);
  free(s);
  struct stat st;
  CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0640);
  CHECK_INT(count_entries(dir), 1);
  /* A missing directory is an I/O error naming the path. */
  char bad[800];
  snprintf(bad, sizeof bad, "%s/no/such/dir/x.docx", dir);
  CHECK_INT(gw_report_circular_write(&c, GW_REPORT_DOCX, bad), GW_EIO);
  CHECK_CONTAINS(gw_err_msg(), "no/such/dir/x.docx");
  CHECK_INT(gw_report_circular_write(&c, GW_REPORT_MD, ""), GW_EINVAL);
  snprintf(bad, sizeof bad, "%s/", dir);
  CHECK_INT(gw_report_circular_write(&c, GW_REPORT_MD, bad), GW_EINVAL);
}

/* ---- LibreOffice (when installed) ------------------------------------------- */

static void test_libreoffice(void)
{
  char *out = NULL;
  const char *office = NULL;
  if (gw_test_run("command -v soffice", &out) == 0)
    office = "soffice";
  else if (free(out), out = NULL, gw_test_run("command -v libreoffice", &out) == 0)
    office = "libreoffice";
  free(out);
  out = NULL;
  if (!office) {
    printf("# SKIP LibreOffice test: neither soffice nor libreoffice is installed\n");
    return;
  }
  if (gw_test_run("command -v pdftotext", &out) != 0) {
    free(out);
    printf("# SKIP LibreOffice test: pdftotext (poppler-utils) is not installed\n");
    return;
  }
  free(out);
  const char *tmp = gw_test_tmpdir();
  char docx[600], cmd[3000], pdf[600];
  snprintf(docx, sizeof docx, "%s/lo.docx", tmp);
  struct gw_circular c;
  model(&c);
  CHECK_INT(gw_report_circular_write(&c, GW_REPORT_DOCX, docx), GW_OK);
  snprintf(cmd, sizeof cmd,
           "cd '%s' && HOME='%s' %s -env:UserInstallation=file://%s/lo-profile --headless "
           "--convert-to pdf --outdir '%s' '%s' && pdftotext -layout '%s/lo.pdf' '%s/lo.txt'",
           tmp, tmp, office, tmp, tmp, docx, tmp, tmp);
  int st = gw_test_run(cmd, &out);
  CHECK_MSG(st == 0, "libreoffice conversion: %s", out ? out : "");
  free(out);
  snprintf(pdf, sizeof pdf, "%s/lo.txt", tmp);
  char *raw = gw_test_slurp(pdf, NULL);
  CHECK(raw != NULL);
  if (!raw)
    return;
  /* pdftotext puts spaces between Chinese and Latin text and lays lines out
   * as on the page: drop the blanks, and look for items short enough not to
   * be wrapped (table cells wrap inside their column). */
  char *text = gw_strdup(raw);
  size_t w = 0;
  for (size_t r = 0; raw[r]; r++)
    if (raw[r] != ' ')
      text[w++] = raw[r];
  text[w] = '\0';
  free(raw);
  static const char *const want[] = {"一、总体情况", "二、存在的主要问题", "三、重点工作情况",
                                     "四、下一步工作要求", "（一）政府网站检查情况", "98.2%",
                                     "124.9", "附件1", "附件2", "网站标识码", "3301220051",
                                     "青溪县司法局", "法治青溪", "抖音短视频", "青政办〔2025〕12号",
                                     "2025年4月10日", "—1—", "—2—",
                                     "合格率为98.2%（名单见附件1）"};
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
    CHECK_CONTAINS(text, want[i]);
  free(text);
  if (getenv("GW_REPORT_KEEP_PDF")) {
    snprintf(cmd, sizeof cmd, "cp '%s/lo.pdf' '%s'", tmp, getenv("GW_REPORT_KEEP_PDF"));
    (void)gw_test_run(cmd, &out);
    free(out);
  }
}

int main(void)
{
  test_format();
  test_check();
  test_template();
  test_text_renderers();
  test_docx();
  test_hostile();
  test_atomic();
  test_libreoffice();
  return gw_test_done();
}
