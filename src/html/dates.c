#include "html/dates.h"

#include <string.h>

#include "core/error.h"
#include "core/str.h"
#include "core/utf8.h"

#define DAY 86400
/* Years a page date may plausibly carry; outside them a "date" is some
 * other number (a 文号 serial, a phone prefix, an amount). */
#define YEAR_MIN 1900
#define YEAR_MAX 2100

/* Labels that introduce a date, longest first where one ends another
 * ("发布时间" before "时间"), so the longest written label is reported. */
static const char *const LABELS[] = {
  "发布时间", "发布日期", "发文日期", "发文时间", "成文日期", "成文时间", "印发日期",
  "更新时间", "更新日期", "来信时间", "来信日期", "回复时间", "回复日期", "答复时间",
  "答复日期", "办结时间", "办结日期", "受理时间", "提问时间", "留言时间", "咨询时间",
  "信件时间", "公开日期", "公开时间", "生效日期", "施行日期", "实施日期", "发稿时间",
  "发表时间", "上传时间", "录入时间", "创建时间", "修改时间", "添加时间", "签发日期",
  "登记日期", "有效期至", "截止日期", "截止时间", "时间", "日期", "发布", "更新",
};

struct scan {
  const char *s;
  size_t len;
};

/* The code point at i (0 at the end), its byte length in *n (>= 1). */
static uint32_t cp_at(const struct scan *sc, size_t i, size_t *n)
{
  if (i >= sc->len) {
    *n = 0;
    return 0;
  }
  unsigned char c = (unsigned char)sc->s[i];
  if (c < 0x80) {
    *n = 1;
    return c;
  }
  uint32_t cp;
  size_t k = gw_utf8_decode(sc->s + i, sc->len - i, &cp);
  *n = k ? k : 1;
  return k ? cp : 0xFFFD;
}

/* The start of the code point before i. */
static size_t prev_start(const struct scan *sc, size_t i)
{
  size_t j = i;
  for (int k = 0; k < 4 && j > 0; k++) {
    j--;
    if (((unsigned char)sc->s[j] & 0xC0) != 0x80)
      return j;
  }
  return i - 1;
}

static int digit_value(uint32_t cp)
{
  if (cp >= '0' && cp <= '9')
    return (int)(cp - '0');
  if (cp >= 0xFF10 && cp <= 0xFF19) /* full-width digits */
    return (int)(cp - 0xFF10);
  return -1;
}

/* Chinese numeral digits of 公文 dates; 十 is handled apart. */
static int cn_digit_value(uint32_t cp)
{
  switch (cp) {
  case 0x3007: case 0x25CB: case 0x96F6: case 0xFF2F: return 0; /* 〇 ○ 零 Ｏ */
  case 0x4E00: return 1;
  case 0x4E8C: return 2;
  case 0x4E09: return 3;
  case 0x56DB: return 4;
  case 0x4E94: return 5;
  case 0x516D: return 6;
  case 0x4E03: return 7;
  case 0x516B: return 8;
  case 0x4E5D: return 9;
  default: return -1;
  }
}

#define CP_TEN 0x5341   /* 十 */
#define CP_YEAR 0x5E74  /* 年 */
#define CP_MONTH 0x6708 /* 月 */
#define CP_DAY 0x65E5   /* 日 */
#define CP_HAO 0x53F7   /* 号 */

/* Date separators: - / . and their full-width forms, normalised. */
static int sep_kind(uint32_t cp)
{
  switch (cp) {
  case '-': case 0xFF0D: case 0x2010: case 0x2011: return '-';
  case '/': case 0xFF0F: return '/';
  case '.': case 0xFF0E: return '.';
  default: return 0;
  }
}

static bool is_colon(uint32_t cp) { return cp == ':' || cp == 0xFF1A; }

static bool is_blank(uint32_t cp)
{
  return cp == ' ' || cp == '\t' || cp == 0xA0 || cp == 0x3000 || cp == 0x2002 || cp == 0x2003;
}

/* Read 1..max digits at *i; returns the count (0 if none) and the value. */
static int read_digits(const struct scan *sc, size_t *i, int max, int *value)
{
  int count = 0, v = 0;
  *value = -1;
  size_t j = *i;
  for (;;) {
    size_t n;
    int d = digit_value(cp_at(sc, j, &n));
    if (d < 0)
      break;
    if (count == max)
      return max + 1; /* too long a run: not this field */
    v = v * 10 + d;
    count++;
    j += n;
  }
  *i = j;
  *value = v;
  return count;
}

static size_t skip_blanks(const struct scan *sc, size_t i, int max)
{
  for (int k = 0; k < max; k++) {
    size_t n;
    uint32_t cp = cp_at(sc, i, &n);
    if (!is_blank(cp))
      break;
    i += n;
  }
  return i;
}

static bool digit_at(const struct scan *sc, size_t i)
{
  size_t n;
  return digit_value(cp_at(sc, i, &n)) >= 0;
}

/* A number continues at i: a digit, or a separator followed by a digit
 * (2024.05.12.1, 2024-5-12-3, 05-12-88). */
static bool continues(const struct scan *sc, size_t i)
{
  size_t n;
  uint32_t cp = cp_at(sc, i, &n);
  if (digit_value(cp) >= 0)
    return true;
  if ((sep_kind(cp) || is_colon(cp)) && digit_at(sc, i + n))
    return true;
  return false;
}

/* Whether the number starting at i is the tail of a longer one (a digit
 * before, or a separator with a digit before it: 0571-2024-5-12, 1.2024.05.12). */
static bool preceded(const struct scan *sc, size_t i)
{
  if (i == 0)
    return false;
  size_t p = prev_start(sc, i), n;
  uint32_t cp = cp_at(sc, p, &n);
  if (digit_value(cp) >= 0)
    return true;
  if ((sep_kind(cp) || is_colon(cp)) && p > 0) {
    size_t q = prev_start(sc, p);
    return digit_value(cp_at(sc, q, &n)) >= 0;
  }
  /* Letters glued to a number make it a code or version (V2024.05.12). */
  return cp < 0x80 && ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') || cp == '_');
}

static bool days_ok(int y, int m, int d)
{
  static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1)
    return false;
  int max = len[m - 1];
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
    max = 29;
  return d <= max;
}

/* An optional time after a date at i: [blanks|T] H:MM[:SS]. Returns the
 * end of the time, or i when there is none (or it is not a valid time). */
static size_t read_time(const struct scan *sc, size_t i, int *h, int *mi, int *se)
{
  size_t n;
  size_t j = i;
  uint32_t cp = cp_at(sc, j, &n);
  if (cp == ']' || cp == 0x3011 || cp == ')' || cp == 0xFF09) {
    /* "[12-30] 10:20": the time follows the bracketed date */
    j += n;
    size_t k = skip_blanks(sc, j, 4);
    if (k == j)
      return i;
    j = k;
    cp = ' ';
  } else if (cp == 'T') {
    j += n;
  } else {
    j = skip_blanks(sc, j, 4);
  }
  if (j == i && cp != 'T' && i > 0) {
    /* "2024-05-1210:20" is not a time: a blank or T must come first,
     * except straight after 日 ("2024年5月12日10:20"). */
    size_t p = prev_start(sc, i);
    uint32_t before = cp_at(sc, p, &n);
    if (before != CP_DAY && before != CP_HAO)
      return i;
  }
  int hv, mv, sv = 0;
  if (read_digits(sc, &j, 2, &hv) < 1 || hv > 23)
    return i;
  cp = cp_at(sc, j, &n);
  if (!is_colon(cp))
    return i;
  j += n;
  if (read_digits(sc, &j, 2, &mv) != 2 || mv > 59)
    return i;
  cp = cp_at(sc, j, &n);
  if (is_colon(cp) && digit_at(sc, j + n)) {
    size_t k = j + n;
    if (read_digits(sc, &k, 2, &sv) != 2 || sv > 59)
      return i;
    j = k;
  }
  if (digit_at(sc, j))
    return i;
  *h = hv;
  *mi = mv;
  *se = sv;
  return j;
}

/* A Chinese-numeral number 1..31 (一, 十, 十二, 二十, 二十一, 三十一). */
static int read_cn_small(const struct scan *sc, size_t *i)
{
  size_t n, j = *i;
  uint32_t cp = cp_at(sc, j, &n);
  int v = 0;
  int d = cn_digit_value(cp);
  if (d > 0) {
    j += n;
    cp = cp_at(sc, j, &n);
    if (cp != CP_TEN) {
      *i = j;
      return d;
    }
    v = d * 10;
    j += n;
  } else if (cp == CP_TEN) {
    v = 10;
    j += n;
  } else {
    return -1;
  }
  cp = cp_at(sc, j, &n);
  d = cn_digit_value(cp);
  if (d > 0) {
    v += d;
    j += n;
  }
  *i = j;
  return v;
}

struct found {
  size_t end;
  int y, m, d, h, mi, se;
  bool has_year, has_time;
};

/* 二〇二四年五月十二日 at i. */
static bool match_cn(const struct scan *sc, size_t i, struct found *f)
{
  size_t j = i, n;
  int y = 0;
  for (int k = 0; k < 4; k++) {
    int d = cn_digit_value(cp_at(sc, j, &n));
    if (d < 0)
      return false;
    y = y * 10 + d;
    j += n;
  }
  j = skip_blanks(sc, j, 2);
  if (cp_at(sc, j, &n) != CP_YEAR)
    return false;
  j = skip_blanks(sc, j + n, 2);
  int m = read_cn_small(sc, &j);
  j = skip_blanks(sc, j, 2);
  if (m < 1 || cp_at(sc, j, &n) != CP_MONTH)
    return false;
  j = skip_blanks(sc, j + n, 2);
  int d = read_cn_small(sc, &j);
  j = skip_blanks(sc, j, 2);
  uint32_t cp = cp_at(sc, j, &n);
  if (d < 1 || (cp != CP_DAY && cp != CP_HAO))
    return false;
  if (y < YEAR_MIN || y > YEAR_MAX || !days_ok(y, m, d))
    return false;
  memset(f, 0, sizeof *f);
  f->end = j + n;
  f->y = y;
  f->m = m;
  f->d = d;
  f->has_year = true;
  return true;
}

/* Numeric forms at i (a digit not glued to a number before it). */
static bool match_num(const struct scan *sc, size_t i, struct found *f)
{
  size_t j = i, n;
  int v1;
  int l1 = read_digits(sc, &j, 4, &v1);
  if (l1 < 1 || l1 > 4 || l1 == 3)
    return false;
  size_t after1 = j;
  size_t k = skip_blanks(sc, j, 2);
  uint32_t cp = cp_at(sc, k, &n);
  int y = 0, m = 0, d = 0;
  bool has_year = l1 == 4;
  size_t end;
  if (cp == CP_YEAR && l1 == 4) {
    j = skip_blanks(sc, k + n, 2);
    if (read_digits(sc, &j, 2, &m) < 1 || m > 12)
      return false;
    j = skip_blanks(sc, j, 2);
    if (cp_at(sc, j, &n) != CP_MONTH)
      return false;
    j = skip_blanks(sc, j + n, 2);
    int ld = read_digits(sc, &j, 2, &d);
    if (ld < 1 || ld > 2)
      return false;
    j = skip_blanks(sc, j, 2);
    cp = cp_at(sc, j, &n);
    if (cp != CP_DAY && cp != CP_HAO)
      return false;
    y = v1;
    end = j + n;
  } else if (cp == CP_MONTH && l1 <= 2) {
    /* "2023年2月29日" failed as a whole; its tail is not a yearless date. */
    size_t b = i;
    while (b > 0) {
      size_t p = prev_start(sc, b), pn;
      uint32_t pc = cp_at(sc, p, &pn);
      if (pc == CP_YEAR)
        return false;
      if (!is_blank(pc))
        break;
      b = p;
    }
    m = v1;
    j = skip_blanks(sc, k + n, 2);
    int ld = read_digits(sc, &j, 2, &d);
    if (ld < 1 || ld > 2)
      return false;
    j = skip_blanks(sc, j, 2);
    cp = cp_at(sc, j, &n);
    if (cp != CP_DAY && cp != CP_HAO)
      return false;
    end = j + n;
  } else {
    cp = cp_at(sc, after1, &n);
    int sep = sep_kind(cp);
    if (!sep)
      return false;
    j = after1 + n;
    if (l1 == 4) {
      int lm = read_digits(sc, &j, 2, &m);
      if (lm < 1 || lm > 2)
        return false;
      cp = cp_at(sc, j, &n);
      if (sep_kind(cp) != sep)
        return false;
      j += n;
      int ld = read_digits(sc, &j, 2, &d);
      if (ld < 1 || ld > 2)
        return false;
      y = v1;
    } else {
      /* Without a year only MM-DD with two digits each and a dash: "5-12"
       * and "5/12" are ranges and fractions far more often than dates. */
      if (l1 != 2 || sep != '-')
        return false;
      m = v1;
      if (read_digits(sc, &j, 2, &d) != 2)
        return false;
    }
    end = j;
    if (continues(sc, end))
      return false;
  }
  if (has_year && (y < YEAR_MIN || y > YEAR_MAX))
    return false;
  if (m < 1 || m > 12 || d < 1 || d > 31)
    return false;
  if (has_year && !days_ok(y, m, d))
    return false;
  if (!has_year && !days_ok(2000, m, d)) /* 2000 is a leap year: Feb 29 may be inferred */
    return false;
  memset(f, 0, sizeof *f);
  f->y = y;
  f->m = m;
  f->d = d;
  f->has_year = has_year;
  f->end = end;
  return true;
}

/* The label right before `at` (skipping blanks, colons and an opening
 * bracket), or none. */
static void find_label(const struct scan *sc, size_t at, struct gw_date_hit *h)
{
  size_t j = at;
  for (int k = 0; k < 8 && j > 0; k++) {
    size_t p = prev_start(sc, j), n;
    uint32_t cp = cp_at(sc, p, &n);
    if (is_blank(cp) || is_colon(cp) || cp == '[' || cp == 0x3010 || cp == '(' || cp == 0xFF08 ||
        cp == 0xFF3B)
      j = p;
    else
      break;
  }
  for (size_t i = 0; i < sizeof LABELS / sizeof LABELS[0]; i++) {
    size_t ll = strlen(LABELS[i]);
    if (ll <= j && memcmp(sc->s + j - ll, LABELS[i], ll) == 0) {
      gw_strlcpy(h->label, LABELS[i], sizeof h->label);
      h->label_offset = j - ll;
      return;
    }
  }
}

static bool infer_year(int64_t as_of, struct found *f)
{
  struct gw_civil now;
  gw_civil_from_time(as_of, &now);
  for (int y = now.year; y >= now.year - 8; y--) {
    if (!days_ok(y, f->m, f->d))
      continue;
    struct gw_civil c = {y, f->m, f->d, f->h, f->mi, f->se};
    if (gw_time_from_civil(&c) > as_of + DAY)
      continue;
    f->y = y;
    return true;
  }
  return false;
}

void gw_date_extract_iter(struct gw_date_iter *it, const char *text, size_t len, int64_t as_of)
{
  it->text = text ? text : "";
  it->len = text ? len : 0;
  it->pos = 0;
  it->as_of = as_of;
}

bool gw_date_extract_next(struct gw_date_iter *it, struct gw_date_hit *out)
{
  struct scan sc = {it->text, it->len};
  size_t i = it->pos;
  while (i < sc.len) {
    size_t n;
    uint32_t cp = cp_at(&sc, i, &n);
    struct found f;
    bool ok = false;
    if (digit_value(cp) >= 0) {
      ok = !preceded(&sc, i) && match_num(&sc, i, &f);
    } else if (cn_digit_value(cp) >= 0) {
      size_t p = i ? prev_start(&sc, i) : 0, pn;
      ok = (i == 0 || cn_digit_value(cp_at(&sc, p, &pn)) < 0) && match_cn(&sc, i, &f);
    }
    if (ok) {
      size_t end = read_time(&sc, f.end, &f.h, &f.mi, &f.se);
      f.has_time = end != f.end;
      if (f.has_year || infer_year(it->as_of, &f)) {
        struct gw_date_hit h;
        memset(&h, 0, sizeof h);
        h.civil = (struct gw_civil){f.y, f.m, f.d, f.h, f.mi, f.se};
        h.time = gw_time_from_civil(&h.civil);
        h.offset = i;
        h.length = end - i;
        h.has_time = f.has_time;
        h.year_inferred = !f.has_year;
        h.label_offset = i;
        find_label(&sc, i, &h);
        *out = h;
        it->pos = end;
        return true;
      }
      i = f.end;
      continue;
    }
    /* Skip the rest of a digit run so its tail is not read as a number. */
    if (digit_value(cp) >= 0) {
      while (i < sc.len && digit_at(&sc, i)) {
        cp_at(&sc, i, &n);
        i += n;
      }
      continue;
    }
    i += n ? n : 1;
  }
  it->pos = sc.len;
  return false;
}

int gw_date_extract(const char *text, int64_t as_of, struct gw_date_hit *out)
{
  struct gw_date_iter it;
  gw_date_extract_iter(&it, text, text ? strlen(text) : 0, as_of);
  struct gw_date_hit h, first, first_year;
  bool have_first = false, have_year = false;
  while (gw_date_extract_next(&it, &h)) {
    if (h.label[0]) {
      *out = h;
      return GW_OK;
    }
    if (!have_first) {
      first = h;
      have_first = true;
    }
    if (!have_year && !h.year_inferred) {
      first_year = h;
      have_year = true;
    }
  }
  if (have_year) {
    *out = first_year;
    return GW_OK;
  }
  if (have_first) {
    *out = first;
    return GW_OK;
  }
  const char *t = text ? text : "";
  /* quote a prefix that ends on a character boundary */
  return gw_err_set(GW_ENOTFOUND, "no date in the text '%.*s'", (int)gw_utf8_prefix_for_width(t, 40),
                    t);
}

int gw_date_extract_value(const char *value, int64_t as_of, struct gw_date_hit *out)
{
  if (!value)
    return gw_err_set(GW_ENOTFOUND, "no date in an empty value");
  char buf[64];
  gw_strlcpy(buf, value, sizeof buf);
  gw_str_trim(buf);
  int64_t t;
  if (strlen(value) < sizeof buf && gw_time_parse(buf, &t) == GW_OK) {
    struct gw_date_hit h;
    memset(&h, 0, sizeof h);
    h.time = t;
    gw_civil_from_time(t, &h.civil);
    h.offset = (size_t)(strstr(value, buf) ? strstr(value, buf) - value : 0);
    h.length = strlen(buf);
    h.label_offset = h.offset;
    h.has_time = strlen(buf) > 10;
    *out = h;
    return GW_OK;
  }
  gw_err_clear();
  return gw_date_extract(value, as_of, out);
}
