/* Column classes, update windows and the keyword dictionary
 * (dict/columns/windows.tsv, dict/columns/keywords.tsv; docs/columns.md). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "checks/columns.h"
#include "core/dict.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/error.h"
#include "core/str.h"
#include "core/utf8.h"

#define DICT_FILE_MAX ((size_t)1 << 20)
#define DICT_LINE_MAX 256

static const char *const g_class_key[GW_COL_COUNT_] = {
    "news",   "notice",         "policy",        "personnel",     "plan",    "finance",
    "leaders", "organization",  "interpretation", "annual_report", "site_report", "mailbox",
    "interview", "survey",      "topic",         "other"};
static const char *const g_class_label[GW_COL_COUNT_] = {
    "动态要闻类", "通知公告类", "政策文件类", "人事类",     "规划计划类", "财政信息",
    "领导信息",   "机构职能",   "政策解读",   "信息公开年报", "网站工作年度报表", "政务咨询类",
    "在线访谈类", "调查征集类", "专题专栏",   "其他基础信息类"};

const char *gw_col_class_key(enum gw_col_class c)
{
  return (unsigned)c < GW_COL_COUNT_ ? g_class_key[c] : "?";
}

const char *gw_col_class_label(enum gw_col_class c)
{
  return (unsigned)c < GW_COL_COUNT_ ? g_class_label[c] : "?";
}

int gw_col_class_parse(const char *key, enum gw_col_class *out)
{
  for (int i = 0; key && i < GW_COL_COUNT_; i++) {
    if (strcmp(key, g_class_key[i]) == 0) {
      *out = (enum gw_col_class)i;
      return GW_OK;
    }
  }
  struct gw_buf b = GW_BUF_INIT;
  for (int i = 0; i < GW_COL_COUNT_; i++)
    gw_buf_printf(&b, "%s%s", i ? ", " : "", g_class_key[i]);
  int rc = gw_err_set(GW_EINVAL, "'%s' is not a column class (one of %s)", key ? key : "", gw_buf_cstr(&b));
  gw_buf_free(&b);
  return rc;
}

static const char *const g_state_key[] = {"ok", "stale", "empty", "not_judged", "container"};
static const char *const g_state_label[] = {"正常", "超期未更新", "空栏目", "不按时间判断", "栏目导航"};

const char *gw_col_state_key(enum gw_col_state s)
{
  return (unsigned)s <= GW_COLS_CONTAINER ? g_state_key[s] : "?";
}

const char *gw_col_state_label(enum gw_col_state s)
{
  return (unsigned)s <= GW_COLS_CONTAINER ? g_state_label[s] : "?";
}

const char *gw_col_window_text(const struct gw_col_window *w, char *buf, size_t size)
{
  if (!w || w->n <= 0)
    snprintf(buf, size, "-");
  else if (w->months && w->n % 12 == 0)
    snprintf(buf, size, "%dy", w->n / 12);
  else
    snprintf(buf, size, "%d%c", w->n, w->months ? 'm' : 'd');
  return buf;
}

int64_t gw_col_window_start(const struct gw_col_window *w, int64_t as_of)
{
  struct gw_civil c;
  gw_civil_from_time(as_of, &c);
  if (!w->months)
    return gw_days_from_civil(c.year, c.month, c.day) - w->n;
  /* Month arithmetic on the civil date, day clamped to the target month:
   * the same day number n months before, or that month's last day. */
  int64_t m = (int64_t)c.year * 12 + (c.month - 1) - w->n;
  int y = (int)(m >= 0 ? m / 12 : (m - 11) / 12);
  int mo = (int)(m - (int64_t)y * 12) + 1;
  int64_t first = gw_days_from_civil(y, mo, 1);
  int ny = mo == 12 ? y + 1 : y, nmo = mo == 12 ? 1 : mo + 1;
  int64_t last_day = gw_days_from_civil(ny, nmo, 1) - first;
  int d = c.day > last_day ? (int)last_day : c.day;
  return first + d - 1;
}

/* ---- the dictionary ---- */

struct kw {
  char *text;       /* without ^ / $ */
  bool start, end;  /* anchored */
  size_t chars;     /* code points of text */
  enum gw_col_class cls;
};

struct gw_col_dict {
  struct gw_col_window windows[GW_COL_COUNT_];
  struct gw_col_window homepage;
  struct kw *kw;
  size_t n_kw;
};

void gw_col_dict_free(struct gw_col_dict **pd)
{
  if (!pd || !*pd)
    return;
  struct gw_col_dict *d = *pd;
  for (size_t i = 0; i < d->n_kw; i++)
    free(d->kw[i].text);
  free(d->kw);
  free(d);
  *pd = NULL;
}

/* Read a whole file (capped) into b. */
static int read_file(const char *path, struct gw_buf *b)
{
  FILE *f = fopen(path, "rb");
  if (!f)
    return gw_err_set(errno == ENOENT ? GW_ENOTFOUND : GW_EIO, "%s: cannot open: %s", path, strerror(errno));
  gw_buf_init(b, DICT_FILE_MAX);
  char chunk[4096];
  size_t n;
  int rc = GW_OK;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
    if (gw_buf_append(b, chunk, n) != GW_OK) {
      rc = gw_err_set(GW_ELIMIT, "%s: larger than %zu bytes", path, DICT_FILE_MAX);
      break;
    }
  }
  if (rc == GW_OK && ferror(f))
    rc = gw_err_set(GW_EIO, "%s: read error", path);
  fclose(f);
  if (rc == GW_OK && !gw_utf8_valid(gw_buf_cstr(b), b->len))
    rc = gw_err_set(GW_EPARSE, "%s: not valid UTF-8", path);
  if (rc != GW_OK)
    gw_buf_free(b);
  return rc;
}

/* Split the next line of s (NUL-terminating it in place) into at most
 * two tab-separated fields; returns the number of fields, 0 for a blank or
 * comment line, -1 for more than two. */
static int fields(char *line, char **a, char **b)
{
  char *s = gw_str_trim(line);
  if (!*s || *s == '#')
    return 0;
  char *tab = strchr(s, '\t');
  *a = s;
  *b = NULL;
  if (!tab)
    return 1;
  *tab = 0;
  *a = gw_str_trim(s);
  *b = gw_str_trim(tab + 1);
  return strchr(*b, '\t') ? -1 : 2;
}

static int parse_window(const char *s, struct gw_col_window *w)
{
  if (strcmp(s, "-") == 0) {
    w->n = 0;
    w->months = false;
    return GW_OK;
  }
  char *end;
  errno = 0;
  long n = strtol(s, &end, 10);
  if (errno || end == s || n < 1 || n > 3650 || !end[0] || end[1])
    return GW_EPARSE;
  switch (*end) {
  case 'd':
    w->n = (int)n;
    w->months = false;
    return GW_OK;
  case 'm':
    w->n = (int)n;
    w->months = true;
    return n <= 120 ? GW_OK : GW_EPARSE;
  case 'y':
    w->n = (int)n * 12;
    w->months = true;
    return n <= 10 ? GW_OK : GW_EPARSE;
  default:
    return GW_EPARSE;
  }
}

/* Call fn for every line of path with its number. */
static int each_line(const char *path, int (*fn)(void *ctx, const char *path, long no, char *line), void *ctx)
{
  struct gw_buf b;
  int rc = read_file(path, &b);
  if (rc != GW_OK)
    return rc;
  char *s = b.data ? b.data : (char *)"";
  long no = 0;
  while (rc == GW_OK && *s) {
    char *nl = strchr(s, '\n');
    if (nl)
      *nl = 0;
    no++;
    if (strlen(s) > DICT_LINE_MAX)
      rc = gw_err_set(GW_EPARSE, "%s:%ld: line longer than %d bytes", path, no, DICT_LINE_MAX);
    else
      rc = fn(ctx, path, no, s);
    if (!nl)
      break;
    s = nl + 1;
  }
  gw_buf_free(&b);
  return rc;
}

struct load {
  struct gw_col_dict *d;
  bool seen[GW_COL_COUNT_ + 1];
};

static int window_line(void *ctx, const char *path, long no, char *line)
{
  struct load *l = ctx;
  char *a, *b;
  int nf = fields(line, &a, &b);
  if (nf == 0)
    return GW_OK;
  if (nf != 2)
    return gw_err_set(GW_EPARSE, "%s:%ld: expected CLASS<TAB>WINDOW", path, no);
  enum gw_col_class c = GW_COL_COUNT_; /* the slot of "homepage" */
  if (strcmp(a, "homepage") != 0 && gw_col_class_parse(a, &c) != GW_OK)
    return gw_err_prefix(GW_EPARSE, "%s:%ld", path, no);
  struct gw_col_window w;
  if (parse_window(b, &w) != GW_OK)
    return gw_err_set(GW_EPARSE, "%s:%ld: class %s: window '%s' is not Nd, Nm, Ny or -", path, no, a, b);
  if (c == GW_COL_COUNT_ && w.n == 0)
    return gw_err_set(GW_EPARSE, "%s:%ld: the homepage needs a window", path, no);
  if (l->seen[c])
    return gw_err_set(GW_EPARSE, "%s:%ld: class %s has a window already", path, no, a);
  l->seen[c] = true;
  if (c == GW_COL_COUNT_)
    l->d->homepage = w;
  else
    l->d->windows[c] = w;
  return GW_OK;
}

static int keyword_line(void *ctx, const char *path, long no, char *line)
{
  struct load *l = ctx;
  char *a, *b;
  int nf = fields(line, &a, &b);
  if (nf == 0)
    return GW_OK;
  if (nf != 2)
    return gw_err_set(GW_EPARSE, "%s:%ld: expected KEYWORD<TAB>CLASS", path, no);
  enum gw_col_class c;
  if (gw_col_class_parse(b, &c) != GW_OK)
    return gw_err_prefix(GW_EPARSE, "%s:%ld", path, no);
  bool start = *a == '^';
  if (start)
    a++;
  size_t len = strlen(a);
  bool end = len > 0 && a[len - 1] == '$';
  if (end)
    a[--len] = 0;
  if (len == 0)
    return gw_err_set(GW_EPARSE, "%s:%ld: empty keyword", path, no);
  for (size_t i = 0; i < l->d->n_kw; i++) {
    const struct kw *k = &l->d->kw[i];
    if (strcmp(k->text, a) == 0 && k->start == start && k->end == end)
      return gw_err_set(GW_EPARSE, "%s:%ld: keyword '%s' is listed twice", path, no, a);
  }
  l->d->kw = gw_reallocarray(l->d->kw, l->d->n_kw + 1, sizeof *l->d->kw);
  struct kw *k = &l->d->kw[l->d->n_kw++];
  k->text = gw_strdup(a);
  k->start = start;
  k->end = end;
  k->chars = gw_utf8_len(a);
  k->cls = c;
  return GW_OK;
}

int gw_col_dict_load(const char *dir, struct gw_col_dict **out)
{
  if (!dir || !*dir)
    return gw_err_set(GW_EINVAL, "column dictionary: no directory given");
  struct load l;
  memset(&l, 0, sizeof l);
  l.d = gw_calloc(1, sizeof *l.d);
  char path[4096];
  snprintf(path, sizeof path, "%s/windows.tsv", dir);
  int rc = each_line(path, window_line, &l);
  for (int c = 0; rc == GW_OK && c < GW_COL_COUNT_; c++)
    if (!l.seen[c])
      rc = gw_err_set(GW_EPARSE, "%s: class %s has no window (add a line '%s<TAB>WINDOW')", path, g_class_key[c],
                      g_class_key[c]);
  if (rc == GW_OK && !l.seen[GW_COL_COUNT_])
    rc = gw_err_set(GW_EPARSE, "%s: the homepage has no window (add a line 'homepage<TAB>14d')", path);
  if (rc == GW_OK) {
    snprintf(path, sizeof path, "%s/keywords.tsv", dir);
    rc = each_line(path, keyword_line, &l);
  }
  if (rc == GW_OK && l.d->n_kw == 0)
    rc = gw_err_set(GW_EPARSE, "%s: no keywords", path);
  if (rc != GW_OK) {
    gw_col_dict_free(&l.d);
    return rc;
  }
  *out = l.d;
  return GW_OK;
}

const char *gw_col_dict_default_dir(void)
{
  static char buf[4096];
  snprintf(buf, sizeof buf, "%s/columns", gw_dict_dir());
  return buf;
}

struct gw_col_window gw_col_dict_window(const struct gw_col_dict *d, enum gw_col_class c)
{
  struct gw_col_window none = {0, false};
  return (unsigned)c < GW_COL_COUNT_ ? d->windows[c] : none;
}

struct gw_col_window gw_col_dict_homepage_window(const struct gw_col_dict *d)
{
  return d->homepage;
}

enum gw_col_class gw_col_classify(const struct gw_col_dict *d, const char *title, const char **kw)
{
  const struct kw *best = NULL;
  size_t tlen = title ? strlen(title) : 0;
  for (size_t i = 0; tlen && i < d->n_kw; i++) {
    const struct kw *k = &d->kw[i];
    size_t klen = strlen(k->text);
    bool hit;
    if (k->start)
      hit = strncmp(title, k->text, klen) == 0;
    else if (k->end)
      hit = tlen >= klen && memcmp(title + tlen - klen, k->text, klen) == 0;
    else
      hit = strstr(title, k->text) != NULL;
    if (hit && (!best || k->chars > best->chars))
      best = k;
  }
  if (kw)
    *kw = best ? best->text : NULL;
  return best ? best->cls : GW_COL_OTHER;
}
