/* The circular's wording: model -> blocks. Every Chinese sentence of the
 * circular is here, so the three renderers cannot drift apart. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/error.h"
#include "core/str.h"
#include "core/utf8.h"
#include "report/report_int.h"

/* ---- Chinese strings ------------------------------------------------------ */

#define ZH_SCOPE_DEFAULT "全县"
#define ZH_OPENING_1 "按照《国务院办公厅秘书局关于印发政府网站与政务新媒体检查指标、监管工作年度考核指标的通知》（国办秘函〔2019〕19号）要求，"
#define ZH_OPENING_2 "开展了"
#define ZH_OPENING_3 "政府网站与政务新媒体检查工作"
#define ZH_OPENING_ASOF "，监测时间点为"
#define ZH_OPENING_END "。现将有关情况通报如下。"
#define ZH_H1_OVERALL "总体情况"
#define ZH_H1_PROBLEMS "存在的主要问题"
#define ZH_H1_TASKS "重点工作情况"
#define ZH_H1_REQ "下一步工作要求"
#define ZH_H2_SITES "政府网站检查情况"
#define ZH_H2_ACCOUNTS "政务新媒体检查情况"
#define ZH_H2_INFO "信息报送情况"
#define ZH_H2_IPV6 "IPv6改造情况"
#define ZH_SYS_SITES "全国政府网站信息报送系统"
#define ZH_SYS_ACCOUNTS "全国政务新媒体信息报送系统"
#define ZH_SITES "政府网站"
#define ZH_ACCOUNTS "政务新媒体"
#define ZH_ATTACH_SITES "政府网站检查结果"
#define ZH_ATTACH_ACCOUNTS "政务新媒体检查结果"

static const char *const SITE_HEAD[] = {"序号", "网站名称", "网址", "网站标识码", "存在问题", "整改情况"};
static const int SITE_W[] = {600, 1500, 2200, 1500, 2045, 1000};
static const char *const ACCT_HEAD[] = {"序号",     "账号名称",   "开设主体", "账号类型",
                                        "检查结果", "存在的问题", "整改情况"};
static const int ACCT_W[] = {600, 1300, 1600, 1200, 1000, 1945, 1200};

static const char DEFAULT_REQ[] =
    "## 压实主管主办责任\n"
    "各单位要按照“谁开设、谁负责”“谁主管、谁负责”“谁发布、谁审核、谁负责”的原则，切实落实政府网站与政务新媒体主管主办责任，严格执行信息发布“三审”制度，守住内容安全底线。\n"
    "## 抓好问题整改\n"
    "本次通报指出问题的单位要立即整改，举一反三开展自查，杜绝栏目不更新、互动回应不及时、链接不可用等问题反复出现。请于{{deadline}}前将整改情况书面报告（主要负责同志签字并加盖公章）报送{{report_to}}。\n"
    "## 加强常态化监管\n"
    "各单位要确定专人每日登录全国政府网站信息报送系统、全国政务新媒体信息报送系统和“我为政府网站找错”平台，及时办理转办问题，杜绝逾期未办；加快推进IPv6升级改造，按时发布政府信息公开年报和网站工作年度报表。\n";

static const char *const ZH_DIGIT[] = {"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"};

/* ---- helpers -------------------------------------------------------------- */

const char *gw_report_requirements_default(void)
{
  return DEFAULT_REQ;
}

/* Chinese numeral 1..99 as used in section numbers. */
static void put_zh_num(struct gw_buf *b, unsigned n)
{
  if (n >= 100) {
    gw_buf_printf(b, "%u", n);
    return;
  }
  unsigned tens = n / 10, ones = n % 10;
  if (tens > 1)
    gw_buf_puts(b, ZH_DIGIT[tens]);
  if (tens >= 1)
    gw_buf_puts(b, "十");
  if (ones || n == 0)
    gw_buf_puts(b, ZH_DIGIT[ones]);
}

void gw_report_put_clean(struct gw_buf *out, const char *s)
{
  if (!s)
    return;
  size_t len = strlen(s);
  size_t i = 0;
  while (i < len) {
    unsigned char ch = (unsigned char)s[i];
    if (ch < 0x80) {
      gw_buf_putc(out, (ch < 0x20 || ch == 0x7f) ? ' ' : (char)ch);
      i++;
      continue;
    }
    uint32_t cp = 0;
    size_t k = gw_utf8_decode(s + i, len - i, &cp);
    /* C1 controls and U+FFFE/FFFF are not allowed in XML 1.0 text either. */
    if (k == 0 || (cp >= 0x80 && cp < 0xa0) || cp == 0xfffe || cp == 0xffff) {
      gw_buf_puts(out, k == 0 ? "\xEF\xBF\xBD" : " ");
      i += k ? k : 1;
      continue;
    }
    gw_buf_append(out, s + i, k);
    i += k;
  }
}

void gw_report_percent(long num, long den, char *buf, size_t size)
{
  if (den <= 0 || num < 0) {
    snprintf(buf, size, "—");
    return;
  }
  long long tenths = ((long long)num * 1000 + den / 2) / den;
  /* Never round a partial result to the whole, nor a non-zero one to nothing:
   * "100%" must mean every site passed. */
  if (num < den && tenths >= 1000)
    tenths = 999;
  if (num > 0 && tenths == 0)
    tenths = 1;
  if (tenths % 10 == 0 && (tenths == 1000 || tenths == 0))
    snprintf(buf, size, "%lld%%", tenths / 10);
  else
    snprintf(buf, size, "%lld.%lld%%", tenths / 10, tenths % 10);
}

void gw_report_score(double v, char *buf, size_t size)
{
  if (!isfinite(v)) {
    snprintf(buf, size, "—");
    return;
  }
  long long t = llround(v * 10.0);
  long long a = t < 0 ? -t : t;
  if (a % 10 == 0)
    snprintf(buf, size, "%s%lld", t < 0 ? "-" : "", a / 10);
  else
    snprintf(buf, size, "%s%lld.%lld", t < 0 ? "-" : "", a / 10, a % 10);
}

void gw_report_date_zh(int64_t t, char *buf, size_t size)
{
  struct gw_civil cv;
  gw_civil_from_time(t, &cv);
  snprintf(buf, size, "%d年%d月%d日", cv.year, cv.month, cv.day);
}

static void put_quarter(struct gw_buf *b, const struct gw_circular *c)
{
  gw_buf_printf(b, "%d年第", c->year);
  put_zh_num(b, (unsigned)c->quarter);
  gw_buf_puts(b, "季度");
}

static const char *scope_of(const struct gw_circular *c)
{
  return gw_str_empty(c->scope) ? ZH_SCOPE_DEFAULT : c->scope;
}

static void put_list(struct gw_buf *b, const char *const *v, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    if (i)
      gw_buf_puts(b, "、");
    gw_report_put_clean(b, v[i] ? v[i] : "");
  }
}

static void put_pct(struct gw_buf *b, long num, long den)
{
  char p[32];
  gw_report_percent(num, den, p, sizeof p);
  gw_buf_puts(b, p);
}

/* End a sentence taken from the model with 。 unless it already ends with
 * Chinese terminal punctuation. */
static void put_sentence(struct gw_buf *b, const char *s)
{
  size_t before = b->len;
  gw_report_put_clean(b, s);
  if (b->len == before)
    return;
  const char *t = gw_buf_cstr(b);
  static const char *const ends[] = {"。", "！", "？", "；", "：", "…"};
  for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++)
    if (gw_str_ends(t, ends[i]))
      return;
  gw_buf_puts(b, "。");
}

/* ---- the block list --------------------------------------------------------- */

static struct gw_rblock *push(struct gw_rdoc *d, enum gw_rb_kind kind)
{
  if (d->n == d->cap) {
    d->cap = d->cap ? d->cap * 2 : 32;
    d->b = gw_reallocarray(d->b, d->cap, sizeof *d->b);
  }
  struct gw_rblock *k = &d->b[d->n++];
  memset(k, 0, sizeof *k);
  k->kind = kind;
  return k;
}

/* Add a block taking the text of `b` (which is reset). */
static void add_buf(struct gw_rdoc *d, enum gw_rb_kind kind, struct gw_buf *b)
{
  char *s = gw_buf_steal(b);
  push(d, kind)->text = s ? s : gw_strdup("");
}

static void add_clean(struct gw_rdoc *d, enum gw_rb_kind kind, const char *s)
{
  struct gw_buf b = GW_BUF_INIT;
  gw_report_put_clean(&b, s);
  add_buf(d, kind, &b);
}

static void add_h1(struct gw_rdoc *d, unsigned *n, const char *text)
{
  struct gw_buf b = GW_BUF_INIT;
  put_zh_num(&b, ++*n);
  gw_buf_puts(&b, "、");
  gw_buf_puts(&b, text);
  add_buf(d, GW_RB_H1, &b);
}

static void add_h2(struct gw_rdoc *d, unsigned *n, const char *text)
{
  struct gw_buf b = GW_BUF_INIT;
  gw_buf_puts(&b, "（");
  put_zh_num(&b, ++*n);
  gw_buf_puts(&b, "）");
  gw_report_put_clean(&b, text);
  add_buf(d, GW_RB_H2, &b);
}

static char *cell(const char *s)
{
  struct gw_buf b = GW_BUF_INIT;
  gw_report_put_clean(&b, s ? s : "");
  char *r = gw_buf_steal(&b);
  return r ? r : gw_strdup("");
}

static void add_table(struct gw_rdoc *d, const char *const *head, const int *widths, size_t ncols,
                      size_t nrows)
{
  struct gw_rblock *t = push(d, GW_RB_TABLE);
  t->ncols = ncols;
  t->nrows = nrows + 1;
  t->widths = widths;
  t->cells = gw_calloc(t->ncols * t->nrows, sizeof *t->cells);
  for (size_t i = 0; i < ncols; i++)
    t->cells[i] = gw_strdup(head[i]);
}

void gw_report_rdoc_free(struct gw_rdoc *d)
{
  for (size_t i = 0; i < d->n; i++) {
    free(d->b[i].text);
    if (d->b[i].cells)
      for (size_t k = 0; k < d->b[i].ncols * d->b[i].nrows; k++)
        free(d->b[i].cells[k]);
    free(d->b[i].cells);
  }
  free(d->b);
  free(d->title);
  free(d->office);
  free(d->date);
  memset(d, 0, sizeof *d);
}

/* ---- validation ------------------------------------------------------------- */

static int check_tally(const char *what, const struct gw_circ_tally *t)
{
  if (t->registered < 0 || t->inspected < 0 || t->qualified < 0 || t->failed < 0 || t->undetermined < 0)
    return gw_err_set(GW_EINVAL, "circular: %s: negative count (registered %ld, inspected %ld, "
                      "qualified %ld, failed %ld)", what, t->registered, t->inspected,
                      t->qualified, t->failed);
  if (t->qualified + t->failed + t->undetermined != t->inspected) {
    if (t->undetermined)
      return gw_err_set(GW_EINVAL, "circular: %s: qualified %ld + failed %ld + undetermined %ld != inspected %ld",
                        what, t->qualified, t->failed, t->undetermined, t->inspected);
    return gw_err_set(GW_EINVAL, "circular: %s: qualified %ld + failed %ld != inspected %ld", what, t->qualified,
                      t->failed, t->inspected);
  }
  if (t->registered && t->inspected > t->registered)
    return gw_err_set(GW_EINVAL, "circular: %s: inspected %ld > registered %ld", what,
                      t->inspected, t->registered);
  return GW_OK;
}

int gw_report_circular_check(const struct gw_circular *c)
{
  int rc;
  if (!c)
    return gw_err_set(GW_EINVAL, "circular: no model");
  if (gw_str_empty(c->office))
    return gw_err_set(GW_EINVAL, "circular: office (发文机关) is required");
  if (c->year < 2000 || c->year > 2100)
    return gw_err_set(GW_EINVAL, "circular: year %d is out of range 2000..2100", c->year);
  if (c->quarter < 1 || c->quarter > 4)
    return gw_err_set(GW_EINVAL, "circular: quarter %d is not 1..4", c->quarter);
  if (c->issued <= 0)
    return gw_err_set(GW_EINVAL, "circular: issued date (成文日期) is required");
  if ((rc = check_tally("websites", &c->sites)) || (rc = check_tally("accounts", &c->accounts)))
    return rc;
  for (size_t i = 0; i < c->nplatforms; i++) {
    const struct gw_circ_platform *p = &c->platforms[i];
    if (gw_str_empty(p->name) || p->inspected < 0 || p->qualified < 0 || p->undetermined < 0 ||
        p->qualified + p->undetermined > p->inspected)
      return gw_err_set(GW_EINVAL, "circular: platform %zu ('%s'): needs a name and 0 <= qualified "
                        "%ld + undetermined %ld <= inspected %ld", i + 1, p->name ? p->name : "",
                        p->qualified, p->undetermined, p->inspected);
  }
  if (c->ipv6.total < 0 || c->ipv6.done < 0 || c->ipv6.done > c->ipv6.total)
    return gw_err_set(GW_EINVAL, "circular: ipv6: done %ld is not within 0..total %ld",
                      c->ipv6.done, c->ipv6.total);
  for (size_t i = 0; i < c->nannual; i++) {
    const struct gw_circ_annual *a = &c->annual[i];
    if (gw_str_empty(a->what) || a->total <= 0 || a->published < 0 || a->published > a->total)
      return gw_err_set(GW_EINVAL, "circular: annual task %zu ('%s'): needs a name and 0 <= "
                        "published %ld <= total %ld (total > 0)", i + 1, a->what ? a->what : "",
                        a->published, a->total);
  }
  for (size_t i = 0; i < c->nproblems; i++)
    if (gw_str_empty(c->problems[i].kind))
      return gw_err_set(GW_EINVAL, "circular: problem group %zu has no kind", i + 1);
  if (c->portal_full > 0 && (!isfinite(c->portal_average) || !isfinite(c->portal_best) ||
                             c->portal_average < 0 || c->portal_average > c->portal_full ||
                             c->portal_best < c->portal_average || c->portal_best > c->portal_full))
    return gw_err_set(GW_EINVAL, "circular: portal scores: need 0 <= average %g <= best %g <= "
                      "full %g", c->portal_average, c->portal_best, c->portal_full);
  return GW_OK;
}

/* ---- the requirements template ------------------------------------------- */

static int fill_line(const char *line, size_t len, size_t lineno, const struct gw_circular *c,
                     struct gw_buf *out)
{
  size_t i = 0;
  while (i < len) {
    const char *open = NULL;
    for (size_t k = i; k + 1 < len; k++)
      if (line[k] == '{' && line[k + 1] == '{') {
        open = line + k;
        break;
      }
    if (!open) {
      struct gw_buf seg = GW_BUF_INIT;
      gw_buf_append(&seg, line + i, len - i);
      gw_report_put_clean(out, gw_buf_cstr(&seg));
      gw_buf_free(&seg);
      return GW_OK;
    }
    size_t at = (size_t)(open - line);
    struct gw_buf seg = GW_BUF_INIT;
    gw_buf_append(&seg, line + i, at - i);
    gw_report_put_clean(out, gw_buf_cstr(&seg));
    gw_buf_free(&seg);
    const char *close = NULL;
    for (size_t k = at + 2; k + 1 < len; k++)
      if (line[k] == '}' && line[k + 1] == '}') {
        close = line + k;
        break;
      }
    if (!close)
      return gw_err_set(GW_EINVAL, "requirements template line %zu: '{{' without '}}'", lineno);
    size_t kl = (size_t)(close - open) - 2;
    char key[32];
    if (kl >= sizeof key)
      return gw_err_set(GW_EINVAL, "requirements template line %zu: unknown placeholder "
                        "'{{%.*s}}'", lineno, (int)(kl > 60 ? 60 : kl), open + 2);
    memcpy(key, open + 2, kl);
    key[kl] = '\0';
    char tmp[64];
    if (strcmp(key, "office") == 0) {
      gw_report_put_clean(out, c->office);
    } else if (strcmp(key, "scope") == 0) {
      gw_report_put_clean(out, scope_of(c));
    } else if (strcmp(key, "quarter") == 0) {
      put_quarter(out, c);
    } else if (strcmp(key, "report_to") == 0) {
      gw_report_put_clean(out, gw_str_empty(c->report_to) ? c->office : c->report_to);
    } else if (strcmp(key, "deadline") == 0) {
      if (c->deadline <= 0)
        return gw_err_set(GW_EINVAL, "requirements template line %zu: {{deadline}} is used but "
                          "the circular has no rectification deadline", lineno);
      gw_report_date_zh(c->deadline, tmp, sizeof tmp);
      gw_buf_puts(out, tmp);
    } else {
      return gw_err_set(GW_EINVAL, "requirements template line %zu: unknown placeholder '{{%s}}' "
                        "(known: office, scope, quarter, deadline, report_to)", lineno, key);
    }
    i = (size_t)(close - line) + 2;
  }
  return GW_OK;
}

/* Parse the template into (kind, text) pairs; blocks are only added to `d`
 * when the whole template is good, so errors leave no half section. */
static int fill_blocks(const char *tmpl, const struct gw_circular *c, struct gw_rdoc *d)
{
  struct gw_rdoc tmp = {0};
  unsigned h2 = 0;
  size_t lineno = 0;
  int rc = GW_OK;
  const char *p = tmpl;
  while (*p) {
    const char *nl = strchr(p, '\n');
    size_t len = nl ? (size_t)(nl - p) : strlen(p);
    lineno++;
    const char *s = p;
    size_t n = len;
    if (n && s[n - 1] == '\r')
      n--;
    /* trim ASCII blanks and U+3000 at both ends */
    for (;;) {
      if (n && (*s == ' ' || *s == '\t')) {
        s++, n--;
      } else if (n >= 3 && memcmp(s, "\xE3\x80\x80", 3) == 0) {
        s += 3, n -= 3;
      } else {
        break;
      }
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
      n--;
    if (n) {
      struct gw_buf b = GW_BUF_INIT;
      enum gw_rb_kind kind = GW_RB_PARA;
      if (n >= 3 && memcmp(s, "## ", 3) == 0) {
        kind = GW_RB_H2;
        s += 3, n -= 3;
        gw_buf_puts(&b, "（");
        put_zh_num(&b, ++h2);
        gw_buf_puts(&b, "）");
      }
      rc = fill_line(s, n, lineno, c, &b);
      if (rc) {
        gw_buf_free(&b);
        goto out;
      }
      add_buf(&tmp, kind, &b);
    }
    p = nl ? nl + 1 : p + len;
  }
  for (size_t i = 0; i < tmp.n; i++) {
    push(d, tmp.b[i].kind)->text = tmp.b[i].text;
    tmp.b[i].text = NULL;
  }
out:
  gw_report_rdoc_free(&tmp);
  return rc;
}

int gw_report_fill_template(const char *tmpl, const struct gw_circular *c, struct gw_buf *out)
{
  struct gw_rdoc d = {0};
  int rc = fill_blocks(tmpl ? tmpl : DEFAULT_REQ, c, &d);
  if (rc == GW_OK)
    for (size_t i = 0; i < d.n; i++) {
      gw_buf_puts(out, d.b[i].text);
      gw_buf_putc(out, '\n');
    }
  gw_report_rdoc_free(&d);
  return rc;
}

/* ---- sections --------------------------------------------------------------- */

static void tally_para(struct gw_rdoc *d, const struct gw_circular *c,
                       const struct gw_circ_tally *t, const char *sys, const char *noun,
                       int attach_no, const char *undet_why)
{
  struct gw_buf b = GW_BUF_INIT;
  if (t->registered > 0) {
    gw_buf_puts(&b, "本季度");
    gw_report_put_clean(&b, scope_of(c));
    gw_buf_printf(&b, "纳入“%s”的%s共%ld个，检查%ld个，检查比例为", sys, noun, t->registered,
                  t->inspected);
    put_pct(&b, t->inspected, t->registered);
    gw_buf_puts(&b, "。");
  } else {
    gw_buf_printf(&b, "本季度共检查%s%ld个。", noun, t->inspected);
  }
  if (t->undetermined && t->qualified + t->failed == 0) {
    gw_buf_printf(&b, "其中，%ld个%s结论待定，暂无已判定结论", t->undetermined, undet_why);
  } else if (t->undetermined) {
    gw_buf_printf(&b, "其中，合格%ld个，不合格%ld个，%s结论待定%ld个，已判定的合格率为", t->qualified,
                  t->failed, undet_why, t->undetermined);
    put_pct(&b, t->qualified, t->qualified + t->failed);
  } else {
    gw_buf_printf(&b, "其中，合格%ld个，不合格%ld个，合格率为", t->qualified, t->failed);
    put_pct(&b, t->qualified, t->inspected);
  }
  if (attach_no)
    gw_buf_printf(&b, "（名单见附件%d）", attach_no);
  gw_buf_puts(&b, "。");
  add_buf(d, GW_RB_PARA, &b);
}

static void section_overall(struct gw_rdoc *d, const struct gw_circular *c, unsigned *h1,
                            int site_attach, int acct_attach)
{
  bool info = c->info_total > 0 || c->praise.n || c->criticism.n;
  if (!c->sites.inspected && !c->accounts.inspected && !info)
    return;
  add_h1(d, h1, ZH_H1_OVERALL);
  unsigned h2 = 0;
  struct gw_buf b = GW_BUF_INIT;
  if (c->sites.inspected) {
    add_h2(d, &h2, ZH_H2_SITES);
    tally_para(d, c, &c->sites, ZH_SYS_SITES, ZH_SITES, site_attach, "因监测数据不足");
    if (c->portal_full > 0) {
      char avg[32], full[32], best[32];
      gw_report_score(c->portal_average, avg, sizeof avg);
      gw_report_score(c->portal_full, full, sizeof full);
      gw_report_score(c->portal_best, best, sizeof best);
      gw_buf_printf(&b, "政府门户网站平均分为%s分（满分%s分），最高分为%s分", avg, full, best);
      if (!gw_str_empty(c->portal_best_units)) {
        gw_buf_puts(&b, "（");
        gw_report_put_clean(&b, c->portal_best_units);
        gw_buf_puts(&b, "）");
      }
      gw_buf_puts(&b, "。");
      add_buf(d, GW_RB_PARA, &b);
    }
  }
  if (c->accounts.inspected) {
    add_h2(d, &h2, ZH_H2_ACCOUNTS);
    tally_para(d, c, &c->accounts, ZH_SYS_ACCOUNTS, ZH_ACCOUNTS, acct_attach,
               "因内容更新、互动回应等否决项未经检查");
    if (c->nplatforms) {
      gw_buf_puts(&b, "按平台分，");
      for (size_t i = 0; i < c->nplatforms; i++) {
        const struct gw_circ_platform *p = &c->platforms[i];
        if (i)
          gw_buf_puts(&b, "；");
        gw_report_put_clean(&b, p->name);
        gw_buf_printf(&b, "%ld个，合格%ld个", p->inspected, p->qualified);
        /* Never a pass rate over accounts nobody judged: 0% would read as failures. */
        long judged = p->inspected - p->undetermined;
        if (p->undetermined)
          gw_buf_printf(&b, "，待定%ld个", p->undetermined);
        if (judged > 0) {
          gw_buf_puts(&b, p->undetermined ? "，已判定的合格率" : "，合格率");
          put_pct(&b, p->qualified, judged);
        }
      }
      gw_buf_puts(&b, "。");
      add_buf(d, GW_RB_PARA, &b);
    }
  }
  if (info) {
    add_h2(d, &h2, ZH_H2_INFO);
    if (c->info_total > 0)
      gw_buf_printf(&b, "本季度各单位共报送信息%ld条。", c->info_total);
    if (c->praise.n) {
      put_list(&b, c->praise.units, c->praise.n);
      gw_buf_printf(&b, "共%zu个单位报送信息条数达%ld条及以上，完成季度信息报送任务，给予通报表扬。",
                    c->praise.n, c->praise.threshold);
    }
    if (c->criticism.n) {
      put_list(&b, c->criticism.units, c->criticism.n);
      gw_buf_printf(&b, "共%zu个单位报送信息条数不足%ld条，给予通报批评。", c->criticism.n,
                    c->criticism.threshold);
    }
    add_buf(d, GW_RB_PARA, &b);
  }
}

static void section_problems(struct gw_rdoc *d, const struct gw_circular *c, unsigned *h1)
{
  if (!c->nproblems)
    return;
  add_h1(d, h1, ZH_H1_PROBLEMS);
  unsigned h2 = 0;
  for (size_t i = 0; i < c->nproblems; i++) {
    const struct gw_circ_problem *p = &c->problems[i];
    add_h2(d, &h2, p->kind);
    struct gw_buf b = GW_BUF_INIT;
    put_sentence(&b, p->description);
    if (p->nsubjects) {
      gw_buf_puts(&b, "如：");
      put_list(&b, p->subjects, p->nsubjects);
      gw_buf_puts(&b, "。");
    }
    if (b.len)
      add_buf(d, GW_RB_PARA, &b);
    else
      gw_buf_free(&b);
  }
}

static void section_tasks(struct gw_rdoc *d, const struct gw_circular *c, unsigned *h1)
{
  if (c->ipv6.total <= 0 && !c->nannual)
    return;
  add_h1(d, h1, ZH_H1_TASKS);
  unsigned h2 = 0;
  struct gw_buf b = GW_BUF_INIT;
  if (c->ipv6.total > 0) {
    add_h2(d, &h2, ZH_H2_IPV6);
    char when[64] = "目前";
    if (c->as_of > 0)
      gw_report_date_zh(c->as_of, when, sizeof when);
    gw_buf_printf(&b, "截至%s，", when);
    gw_report_put_clean(&b, scope_of(c));
    gw_buf_printf(&b, "%ld个政府网站完成IPv6改造%ld个，暂不支持IPv6访问的%ld个，完成率",
                  c->ipv6.total, c->ipv6.done, c->ipv6.total - c->ipv6.done);
    put_pct(&b, c->ipv6.done, c->ipv6.total);
    gw_buf_puts(&b, "。");
    if (c->ipv6.npending) {
      gw_buf_puts(&b, "未完成IPv6改造的网站：");
      put_list(&b, c->ipv6.pending, c->ipv6.npending);
      gw_buf_puts(&b, "。");
    }
    add_buf(d, GW_RB_PARA, &b);
  }
  for (size_t i = 0; i < c->nannual; i++) {
    const struct gw_circ_annual *a = &c->annual[i];
    struct gw_buf h = GW_BUF_INIT;
    gw_report_put_clean(&h, a->what);
    gw_buf_puts(&h, "发布情况");
    add_h2(d, &h2, gw_buf_cstr(&h));
    gw_buf_free(&h);
    gw_buf_printf(&b, "应发布");
    gw_report_put_clean(&b, a->what);
    gw_buf_printf(&b, "的单位%ld家，已按时发布%ld家，完成率", a->total, a->published);
    put_pct(&b, a->published, a->total);
    gw_buf_puts(&b, "。");
    if (a->nlate) {
      gw_buf_puts(&b, "未按时发布的单位：");
      put_list(&b, a->late, a->nlate);
      gw_buf_puts(&b, "。");
    }
    add_buf(d, GW_RB_PARA, &b);
  }
}

int gw_report_compose(const struct gw_circular *c, struct gw_rdoc *out)
{
  int rc = gw_report_circular_check(c);
  if (rc)
    return rc;
  struct gw_rdoc d = {0};
  struct gw_buf b = GW_BUF_INIT;
  char date[64];

  if (!gw_str_empty(c->doc_number))
    add_clean(&d, GW_RB_DOCNUM, c->doc_number);
  if (!gw_str_empty(c->title)) {
    gw_report_put_clean(&b, c->title);
  } else {
    gw_buf_puts(&b, "关于");
    put_quarter(&b, c);
    gw_report_put_clean(&b, scope_of(c));
    gw_buf_puts(&b, "政府网站与政务新媒体检查情况的通报");
  }
  d.title = gw_strdup(gw_buf_cstr(&b));
  add_buf(&d, GW_RB_TITLE, &b);
  if (!gw_str_empty(c->addressees))
    add_clean(&d, GW_RB_ADDRESSEE, c->addressees);

  gw_buf_puts(&b, ZH_OPENING_1);
  gw_report_put_clean(&b, c->office);
  gw_buf_puts(&b, ZH_OPENING_2);
  put_quarter(&b, c);
  gw_report_put_clean(&b, scope_of(c));
  gw_buf_puts(&b, ZH_OPENING_3);
  if (c->as_of > 0) {
    gw_report_date_zh(c->as_of, date, sizeof date);
    gw_buf_puts(&b, ZH_OPENING_ASOF);
    gw_buf_puts(&b, date);
  }
  gw_buf_puts(&b, ZH_OPENING_END);
  add_buf(&d, GW_RB_PARA, &b);

  int site_attach = c->nsite_rows ? 1 : 0;
  int acct_attach = c->naccount_rows ? site_attach + 1 : 0;
  unsigned h1 = 0;
  section_overall(&d, c, &h1, site_attach, acct_attach);
  section_problems(&d, c, &h1);
  section_tasks(&d, c, &h1);

  add_h1(&d, &h1, ZH_H1_REQ);
  rc = fill_blocks(c->requirements ? c->requirements : DEFAULT_REQ, c, &d);
  if (rc)
    goto fail;

  if (site_attach || acct_attach) {
    const char *label = "附件：";
    if (site_attach) {
      gw_buf_printf(&b, "%s%d. ", label, site_attach);
      put_quarter(&b, c);
      gw_buf_puts(&b, ZH_ATTACH_SITES);
      add_buf(&d, GW_RB_ATTACH_NOTE, &b);
      label = "\xE3\x80\x80\xE3\x80\x80\xE3\x80\x80"; /* three U+3000: align under "1." */
    }
    if (acct_attach) {
      gw_buf_printf(&b, "%s%d. ", label, acct_attach);
      put_quarter(&b, c);
      gw_buf_puts(&b, ZH_ATTACH_ACCOUNTS);
      add_buf(&d, GW_RB_ATTACH_NOTE, &b);
    }
  }

  add_clean(&d, GW_RB_SIGN_OFFICE, c->office);
  gw_report_date_zh(c->issued, date, sizeof date);
  add_clean(&d, GW_RB_SIGN_DATE, date);
  d.office = cell(c->office);
  d.date = gw_strdup(date);

  if (site_attach) {
    gw_buf_printf(&b, "附件%d", site_attach);
    add_buf(&d, GW_RB_ATTACH_LABEL, &b);
    put_quarter(&b, c);
    gw_buf_puts(&b, ZH_ATTACH_SITES);
    add_buf(&d, GW_RB_ATTACH_TITLE, &b);
    add_table(&d, SITE_HEAD, SITE_W, 6, c->nsite_rows);
    struct gw_rblock *t = &d.b[d.n - 1];
    for (size_t r = 0; r < c->nsite_rows; r++) {
      const struct gw_circ_site_row *s = &c->site_rows[r];
      char no[24];
      snprintf(no, sizeof no, "%zu", r + 1);
      const char *v[6] = {no, s->name, s->url, s->code, s->problems, s->rectification};
      for (size_t k = 0; k < 6; k++)
        t->cells[(r + 1) * 6 + k] = cell(v[k]);
    }
  }
  if (acct_attach) {
    gw_buf_printf(&b, "附件%d", acct_attach);
    add_buf(&d, GW_RB_ATTACH_LABEL, &b);
    put_quarter(&b, c);
    gw_buf_puts(&b, ZH_ATTACH_ACCOUNTS);
    add_buf(&d, GW_RB_ATTACH_TITLE, &b);
    add_table(&d, ACCT_HEAD, ACCT_W, 7, c->naccount_rows);
    struct gw_rblock *t = &d.b[d.n - 1];
    for (size_t r = 0; r < c->naccount_rows; r++) {
      const struct gw_circ_account_row *s = &c->account_rows[r];
      char no[24];
      snprintf(no, sizeof no, "%zu", r + 1);
      const char *v[7] = {no, s->name, s->owner, s->type, s->result, s->problems, s->rectification};
      for (size_t k = 0; k < 7; k++)
        t->cells[(r + 1) * 7 + k] = cell(v[k]);
    }
  }
  *out = d;
  return GW_OK;
fail:
  gw_buf_free(&b);
  gw_report_rdoc_free(&d);
  return rc;
}
