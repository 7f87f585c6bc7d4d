/* Personal-information leak detector. See privacy.h and docs/privacy.md.
 *
 * Two passes over the text. Pass 1 finds every digit run (ASCII and
 * full-width digits), joins runs separated by one space or hyphen into
 * written groupings (138 1234 5678, 330106 19900101 1234, 6222 0212 ...),
 * and records a "span" for every number long enough to be personal: a
 * candidate for a hit when its boundaries are clean, and in any case
 * something to mask in snippets. Pass 2 walks the text line by line, keeps
 * track of table headers, and judges each candidate span with its label,
 * column and row. Hits are built (masked) and handed to the callback there.
 * The unmasked digits live only in the span array, freed before returning. */
#include "text/privacy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/error.h"
#include "core/str.h"
#include "core/utf8.h"

/* ---- Chinese strings users read (one place) ------------------------------ */

static const char *const KIND_LABEL[] = {
    "居民身份证号码（18位）", "居民身份证号码（15位）", "手机号码", "银行卡号"};
static const char *const CONF_LABEL[] = {"低", "中", "高"};

#define ZH_STRUCT_ID "地区码与出生日期有效"
#define ZH_STRUCT_MOBILE "手机号段有效"
#define ZH_STRUCT_BANK "卡号开头符合银行卡"
#define ZH_CHECK_ID "校验码正确（GB 11643）"
#define ZH_CHECK_LUHN "Luhn校验正确"
#define ZH_CHECK_BAD "校验码不符（可能录入有误）"
#define ZH_LABEL "前有“%s”"
#define ZH_COLUMN "位于“%s”列"
#define ZH_HEADER "表头含“%s”"
#define ZH_NAME "同一行有姓名"
#define ZH_PUBLIC "标注为“%s”（可能是公开服务号码）"
#define ZH_NOT_PERSONAL "标注为“%s”（可能是编码或数额）"
#define ZH_SEP "；"
#define ZH_ELLIPSIS "…"

/* ---- dictionary ---------------------------------------------------------- */

enum cat { CAT_ID, CAT_MOBILE, CAT_BANK, CAT_PERSON, CAT_PUBLIC, CAT_NOTPERS, CAT_N_ };
#define CATBIT(c) (1u << (c))
#define CAT_PERSONAL (CATBIT(CAT_ID) | CATBIT(CAT_MOBILE) | CATBIT(CAT_BANK) | CATBIT(CAT_PERSON))

static const char *const CAT_SECTION[CAT_N_] = {"id", "mobile", "bank", "person", "public",
                                                "not_personal"};

#define WORD_MAX 64
#define PATTERN_MAX 20
#define DICT_LINE_MAX 512
#define DICT_FILE_MAX ((size_t)1 << 20)

struct word {
  char *w;
  size_t len;
  enum cat cat;
};

struct pattern {
  char p[PATTERN_MAX + 1]; /* digits and 'x' */
  size_t len;
};

struct gw_privacy_dict {
  struct word *words;
  size_t nwords, capwords;
  struct pattern *pats;
  size_t npats, cappats;
  uint32_t *sur1; /* single-character surnames */
  size_t nsur1, capsur1;
  uint32_t (*sur2)[2]; /* compound surnames */
  size_t nsur2, capsur2;
};

int gw_privacy_dict_new(struct gw_privacy_dict **out)
{
  *out = gw_calloc(1, sizeof **out);
  return GW_OK;
}

void gw_privacy_dict_free(struct gw_privacy_dict **pd)
{
  if (!pd || !*pd)
    return;
  struct gw_privacy_dict *d = *pd;
  for (size_t i = 0; i < d->nwords; i++)
    free(d->words[i].w);
  free(d->words);
  free(d->pats);
  free(d->sur1);
  free(d->sur2);
  GW_FREE(pd);
}

static bool is_han(uint32_t cp)
{
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x2A6DF);
}

/* Iterate the lines of a word-list file. Gives each line with its comment
 * ('#' on) removed and blanks trimmed, in buf; skips blank lines. Returns 1
 * with a line, 0 at the end, or an error code (set) for a bad line. */
struct lines {
  const char *name, *data;
  size_t len, pos;
  int lineno;
  char buf[DICT_LINE_MAX + 1];
};

static int lines_next(struct lines *L)
{
  while (L->pos < L->len) {
    const char *p = L->data + L->pos;
    size_t rest = L->len - L->pos;
    const char *nl = memchr(p, '\n', rest);
    size_t n = nl ? (size_t)(nl - p) : rest;
    L->pos += nl ? n + 1 : n;
    L->lineno++;
    if (L->lineno == 1 && n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
      p += 3; /* a UTF-8 BOM */
      n -= 3;
    }
    if (n > DICT_LINE_MAX)
      return gw_err_set(GW_EPARSE, "%s:%d: line longer than %d bytes", L->name, L->lineno,
                        DICT_LINE_MAX);
    if (!gw_utf8_valid(p, n))
      return gw_err_set(GW_EPARSE, "%s:%d: not valid UTF-8", L->name, L->lineno);
    if (memchr(p, '\0', n))
      return gw_err_set(GW_EPARSE, "%s:%d: NUL byte in the line", L->name, L->lineno);
    memcpy(L->buf, p, n);
    L->buf[n] = '\0';
    char *hash = strchr(L->buf, '#');
    if (hash)
      *hash = '\0';
    gw_str_trim(L->buf);
    if (L->buf[0])
      return 1;
  }
  return 0;
}

static void lines_init(struct lines *L, const char *name, const char *data, size_t len)
{
  memset(L, 0, sizeof *L);
  L->name = name ? name : "word list";
  L->data = data;
  L->len = data ? len : 0;
}

int gw_privacy_dict_parse_numbers(struct gw_privacy_dict *d, const char *name, const char *data,
                                  size_t len)
{
  struct lines L;
  lines_init(&L, name, data, len);
  struct pattern *tmp = NULL;
  size_t n = 0, cap = 0;
  int rc;
  while ((rc = lines_next(&L)) == 1) {
    /* the pattern is the first blank-separated token; the rest describes it */
    char *tok = L.buf;
    tok[strcspn(tok, " \t")] = '\0';
    char *ideo = strstr(tok, "\xE3\x80\x80"); /* U+3000 before a description */
    if (ideo)
      *ideo = '\0';
    struct pattern pt = {{0}, 0};
    int fixed = 0;
    bool bad = false;
    for (const char *c = tok; *c && !bad; c++) {
      if (*c == '-')
        continue;
      if (pt.len >= PATTERN_MAX) {
        bad = true;
      } else if (*c >= '0' && *c <= '9') {
        pt.p[pt.len++] = *c;
        fixed++;
      } else if (*c == 'x' || *c == 'X') {
        pt.p[pt.len++] = 'x';
      } else {
        bad = true;
      }
    }
    if (bad || pt.len < 3 || tok[0] == '-' || tok[strlen(tok) - 1] == '-') {
      rc = gw_err_set(GW_EPARSE,
                      "%s:%d: '%s' is not a number pattern (3-%d digits, x for any digit, "
                      "- between groups)",
                      L.name, L.lineno, tok, PATTERN_MAX);
      goto out;
    }
    if (fixed < 2) {
      rc = gw_err_set(GW_EPARSE,
                      "%s:%d: '%s' fixes fewer than 2 digits and would hide every number of "
                      "that length",
                      L.name, L.lineno, tok);
      goto out;
    }
    if (n == cap) {
      cap = cap ? 2 * cap : 16;
      tmp = gw_reallocarray(tmp, cap, sizeof *tmp);
    }
    tmp[n++] = pt;
  }
  if (rc != 0)
    goto out;
  if (d->npats + n > d->cappats) {
    d->cappats = d->npats + n + 16;
    d->pats = gw_reallocarray(d->pats, d->cappats, sizeof *d->pats);
  }
  if (n)
    memcpy(d->pats + d->npats, tmp, n * sizeof *tmp);
  d->npats += n;
  rc = GW_OK;
out:
  free(tmp);
  return rc;
}

int gw_privacy_dict_parse_context(struct gw_privacy_dict *d, const char *name, const char *data,
                                  size_t len)
{
  struct lines L;
  lines_init(&L, name, data, len);
  struct word *tmp = NULL;
  size_t n = 0, cap = 0;
  int section = -1;
  int rc;
  while ((rc = lines_next(&L)) == 1) {
    size_t bl = strlen(L.buf);
    if (L.buf[0] == '[') {
      if (L.buf[bl - 1] != ']') {
        rc = gw_err_set(GW_EPARSE, "%s:%d: section '%s' lacks its closing ']'", L.name, L.lineno,
                        L.buf);
        goto out;
      }
      L.buf[bl - 1] = '\0';
      section = -1;
      for (int c = 0; c < CAT_N_; c++)
        if (strcmp(L.buf + 1, CAT_SECTION[c]) == 0)
          section = c;
      if (section < 0) {
        rc = gw_err_set(GW_EPARSE,
                        "%s:%d: unknown section [%s] (id, mobile, bank, person, public, "
                        "not_personal)",
                        L.name, L.lineno, L.buf + 1);
        goto out;
      }
      continue;
    }
    if (section < 0) {
      rc = gw_err_set(GW_EPARSE, "%s:%d: word '%s' before any [section]", L.name, L.lineno,
                      L.buf);
      goto out;
    }
    if (bl > WORD_MAX) {
      rc = gw_err_set(GW_EPARSE, "%s:%d: word longer than %d bytes", L.name, L.lineno, WORD_MAX);
      goto out;
    }
    if (strpbrk(L.buf, " \t") || strstr(L.buf, "\xE3\x80\x80")) {
      rc = gw_err_set(GW_EPARSE, "%s:%d: '%s' holds white space (one word per line)", L.name,
                      L.lineno, L.buf);
      goto out;
    }
    if (n == cap) {
      cap = cap ? 2 * cap : 32;
      tmp = gw_reallocarray(tmp, cap, sizeof *tmp);
    }
    tmp[n].w = gw_strdup(L.buf);
    tmp[n].len = bl;
    tmp[n].cat = (enum cat)section;
    n++;
  }
  if (rc != 0)
    goto out;
  if (d->nwords + n > d->capwords) {
    d->capwords = d->nwords + n + 32;
    d->words = gw_reallocarray(d->words, d->capwords, sizeof *d->words);
  }
  if (n)
    memcpy(d->words + d->nwords, tmp, n * sizeof *tmp);
  d->nwords += n;
  n = 0; /* owned by d now */
  rc = GW_OK;
out:
  for (size_t i = 0; i < n; i++)
    free(tmp[i].w);
  free(tmp);
  return rc;
}

static int cmp_u32(const void *a, const void *b)
{
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

int gw_privacy_dict_parse_surnames(struct gw_privacy_dict *d, const char *name, const char *data,
                                   size_t len)
{
  struct lines L;
  lines_init(&L, name, data, len);
  uint32_t *one = NULL, (*two)[2] = NULL;
  size_t n1 = 0, c1 = 0, n2 = 0, c2 = 0;
  int rc;
  while ((rc = lines_next(&L)) == 1) {
    uint32_t cps[3] = {0, 0, 0};
    size_t ncp = 0, bl = strlen(L.buf);
    for (size_t i = 0; i < bl && ncp < 3;) {
      size_t k = gw_utf8_decode(L.buf + i, bl - i, &cps[ncp]);
      i += k ? k : 1;
      ncp++;
    }
    bool ok = (ncp == 1 || ncp == 2) && gw_utf8_len(L.buf) == ncp;
    for (size_t i = 0; ok && i < ncp; i++)
      ok = is_han(cps[i]);
    if (!ok) {
      rc = gw_err_set(GW_EPARSE, "%s:%d: '%s' is not a surname of one or two Han characters",
                      L.name, L.lineno, L.buf);
      goto out;
    }
    if (ncp == 1) {
      if (n1 == c1) {
        c1 = c1 ? 2 * c1 : 64;
        one = gw_reallocarray(one, c1, sizeof *one);
      }
      one[n1++] = cps[0];
    } else {
      if (n2 == c2) {
        c2 = c2 ? 2 * c2 : 16;
        two = gw_reallocarray(two, c2, sizeof *two);
      }
      two[n2][0] = cps[0];
      two[n2][1] = cps[1];
      n2++;
    }
  }
  if (rc != 0)
    goto out;
  d->sur1 = gw_reallocarray(d->sur1, d->nsur1 + n1 + 1, sizeof *d->sur1);
  if (n1)
    memcpy(d->sur1 + d->nsur1, one, n1 * sizeof *one);
  d->nsur1 += n1;
  qsort(d->sur1, d->nsur1, sizeof *d->sur1, cmp_u32);
  d->sur2 = gw_reallocarray(d->sur2, d->nsur2 + n2 + 1, sizeof *d->sur2);
  if (n2)
    memcpy(d->sur2 + d->nsur2, two, n2 * sizeof *two);
  d->nsur2 += n2;
  rc = GW_OK;
out:
  free(one);
  free(two);
  return rc;
}

/* Read a whole word-list file (capped). */
static int slurp(const char *path, bool must_exist, char **out, size_t *outlen)
{
  FILE *f = fopen(path, "rb");
  if (!f) {
    if (!must_exist)
      return GW_ENOTFOUND;
    return gw_err_set(GW_ENOTFOUND, "%s: cannot open the word list", path);
  }
  struct gw_buf b;
  gw_buf_init(&b, DICT_FILE_MAX);
  char chunk[8192];
  size_t n;
  int rc = GW_OK;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
    if (gw_buf_append(&b, chunk, n) != GW_OK) {
      rc = gw_err_set(GW_ELIMIT, "%s: word list larger than %zu bytes", path, DICT_FILE_MAX);
      goto out;
    }
  }
  if (ferror(f)) {
    rc = gw_err_set(GW_EIO, "%s: read error", path);
    goto out;
  }
  *outlen = b.len;
  *out = b.data ? gw_buf_steal(&b) : gw_strdup("");
out:
  fclose(f);
  gw_buf_free(&b);
  return rc;
}

typedef int (*parse_fn)(struct gw_privacy_dict *, const char *, const char *, size_t);

static int load_file(struct gw_privacy_dict *d, const char *path, bool must_exist, parse_fn fn)
{
  char *data = NULL;
  size_t len = 0;
  int rc = slurp(path, must_exist, &data, &len);
  if (rc != GW_OK)
    return rc;
  rc = fn(d, path, data, len);
  free(data);
  return rc;
}

int gw_privacy_dict_load(struct gw_privacy_dict *d, const char *dir)
{
  static const struct {
    const char *file;
    parse_fn fn;
    bool required;
  } files[] = {
      {"public_numbers.txt", gw_privacy_dict_parse_numbers, true},
      {"context.txt", gw_privacy_dict_parse_context, true},
      {"surnames.txt", gw_privacy_dict_parse_surnames, true},
      {"local_numbers.txt", gw_privacy_dict_parse_numbers, false},
  };
  if (!d || gw_str_empty(dir))
    return gw_err_set(GW_EINVAL, "privacy word lists: no directory given");
  for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
    char path[4096];
    int pl = snprintf(path, sizeof path, "%s/%s", dir, files[i].file);
    if (pl < 0 || (size_t)pl >= sizeof path)
      return gw_err_set(GW_EINVAL, "%s: directory path too long", dir);
    int rc = load_file(d, path, files[i].required, files[i].fn);
    if (rc == GW_ENOTFOUND && !files[i].required)
      continue;
    if (rc != GW_OK)
      return rc;
  }
  return GW_OK;
}

int gw_privacy_dict_load_numbers(struct gw_privacy_dict *d, const char *path)
{
  if (!d || gw_str_empty(path))
    return gw_err_set(GW_EINVAL, "public numbers: no file given");
  return load_file(d, path, true, gw_privacy_dict_parse_numbers);
}

static bool pattern_match(const struct gw_privacy_dict *d, const char *digits, size_t n)
{
  for (size_t i = 0; i < d->npats; i++) {
    const struct pattern *p = &d->pats[i];
    if (p->len != n)
      continue;
    size_t j = 0;
    while (j < n && (p->p[j] == 'x' || p->p[j] == digits[j]))
      j++;
    if (j == n)
      return true;
  }
  return false;
}

bool gw_privacy_dict_is_public(const struct gw_privacy_dict *d, const char *digits)
{
  if (!d || !digits)
    return false;
  size_t n = strlen(digits);
  for (size_t i = 0; i < n; i++)
    if (digits[i] < '0' || digits[i] > '9')
      return false;
  return pattern_match(d, digits, n);
}

static bool is_surname(const struct gw_privacy_dict *d, uint32_t cp)
{
  return d->nsur1 && bsearch(&cp, d->sur1, d->nsur1, sizeof *d->sur1, cmp_u32) != NULL;
}

static bool is_compound_surname(const struct gw_privacy_dict *d, uint32_t a, uint32_t b)
{
  for (size_t i = 0; i < d->nsur2; i++)
    if (d->sur2[i][0] == a && d->sur2[i][1] == b)
      return true;
  return false;
}

/* ---- names of kinds and levels ------------------------------------------ */

const char *gw_privacy_kind_name(enum gw_privacy_kind kind)
{
  static const char *const names[] = {"id18", "id15", "mobile", "bank_card"};
  return (unsigned)kind < 4 ? names[kind] : "?";
}

const char *gw_privacy_kind_label(enum gw_privacy_kind kind)
{
  return (unsigned)kind < 4 ? KIND_LABEL[kind] : "?";
}

const char *gw_privacy_conf_name(enum gw_privacy_conf conf)
{
  static const char *const names[] = {"low", "medium", "high"};
  return (unsigned)conf < 3 ? names[conf] : "?";
}

const char *gw_privacy_conf_label(enum gw_privacy_conf conf)
{
  return (unsigned)conf < 3 ? CONF_LABEL[conf] : "?";
}

/* ---- text helpers -------------------------------------------------------- */

/* Decode at s[i]; an invalid byte counts as one U+FFFD of one byte. */
static size_t dec(const char *s, size_t n, size_t i, uint32_t *cp)
{
  size_t k = gw_utf8_decode(s + i, n - i, cp);
  if (k == 0) {
    *cp = 0xFFFD;
    k = 1;
  }
  return k;
}

/* Start of the code point that ends at i (i > 0), consistent with dec(). */
static size_t prev_start(const char *s, size_t i)
{
  size_t j = i - 1;
  while (j > 0 && i - j < 4 && ((unsigned char)s[j] & 0xC0) == 0x80)
    j--;
  uint32_t cp;
  if (gw_utf8_decode(s + j, i - j, &cp) == i - j)
    return j;
  return i - 1;
}

static uint32_t cp_before(const char *s, size_t i)
{
  if (i == 0)
    return 0;
  uint32_t cp;
  size_t j = prev_start(s, i);
  dec(s, i, j, &cp);
  return cp;
}

static uint32_t cp_at(const char *s, size_t n, size_t i)
{
  if (i >= n)
    return 0;
  uint32_t cp;
  dec(s, n, i, &cp);
  return cp;
}

static int digit_val(uint32_t cp)
{
  if (cp >= '0' && cp <= '9')
    return (int)(cp - '0');
  if (cp >= 0xFF10 && cp <= 0xFF19) /* full-width ０-９ */
    return (int)(cp - 0xFF10);
  return -1;
}

static bool is_x(uint32_t cp)
{
  return cp == 'X' || cp == 'x' || cp == 0xFF38 || cp == 0xFF58;
}

static bool is_letter(uint32_t cp)
{
  return (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') || (cp >= 0xFF21 && cp <= 0xFF3A) ||
         (cp >= 0xFF41 && cp <= 0xFF5A);
}

/* One character between digit groups of a written number. */
static bool is_group_sep(uint32_t cp)
{
  return cp == ' ' || cp == 0xA0 || cp == 0x3000 || cp == '-' || cp == 0xFF0D || cp == 0x2010 ||
         cp == 0x2011;
}

static bool is_hyphen(uint32_t cp)
{
  return cp == '-' || cp == 0xFF0D || cp == 0x2010 || cp == 0x2011;
}

/* Characters that make a digit run part of a code, URL, file name or
 * formula rather than a number written for people. */
static bool joins_token(uint32_t cp)
{
  return is_letter(cp) || cp == '_' || cp == '/' || cp == '\\' || cp == '=' || cp == '@' ||
         cp == '%' || cp == '#' || cp == '&' || cp == '?' || cp == '~' || cp == '^' || cp == '*' ||
         cp == 0xFF0A;
}

/* Cell separators of a table row rendered as text. */
static bool is_cell_sep(uint32_t cp)
{
  return cp == ' ' || cp == '\t' || cp == '\r' || cp == 0xA0 || cp == 0x3000 || cp == '|' ||
         cp == 0xFF5C || cp == '\v' || cp == '\f';
}

/* ---- number checks ------------------------------------------------------- */

static bool province_ok(const char *d)
{
  int p = (d[0] - '0') * 10 + (d[1] - '0');
  return (p >= 11 && p <= 15) || (p >= 21 && p <= 23) || (p >= 31 && p <= 37) ||
         (p >= 41 && p <= 46) || (p >= 50 && p <= 54) || (p >= 61 && p <= 65) || p == 71 ||
         (p >= 81 && p <= 83) || p == 91;
}

static int num(const char *d, int n)
{
  int v = 0;
  for (int i = 0; i < n; i++)
    v = v * 10 + (d[i] - '0');
  return v;
}

static bool leap(int y)
{
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* A real calendar date from 1900-01-01 to the as-of date. */
static bool birth_ok(int y, int m, int day, const struct gw_civil *asof)
{
  static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1900 || m < 1 || m > 12 || day < 1)
    return false;
  int dim = mdays[m - 1] + (m == 2 && leap(y));
  if (day > dim)
    return false;
  long long v = (long long)y * 10000 + m * 100 + day;
  long long lim = (long long)asof->year * 10000 + asof->month * 100 + asof->day;
  return v <= lim;
}

/* GB 11643-1999 MOD 11-2 check character of the first 17 digits. */
static char id_check_char(const char *d)
{
  static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static const char map[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};
  int sum = 0;
  for (int i = 0; i < 17; i++)
    sum += (d[i] - '0') * w[i];
  return map[sum % 11];
}

static bool luhn_ok(const char *d, size_t n)
{
  int sum = 0;
  for (size_t i = 0; i < n; i++) {
    int v = d[n - 1 - i] - '0';
    if (i % 2 == 1) {
      v *= 2;
      if (v > 9)
        v -= 9;
    }
    sum += v;
  }
  return sum % 10 == 0;
}

/* Issuer prefixes of cards in use in China: UnionPay 62, older domestic 60
 * and 9 (9558 ...), Visa 4, Mastercard 51-55 and 22-27, JCB 35. */
static bool bin_ok(const char *d)
{
  if (d[0] == '4' || d[0] == '9')
    return true;
  if (d[0] == '6')
    return d[1] == '2' || d[1] == '0';
  if (d[0] == '5')
    return d[1] >= '1' && d[1] <= '5';
  if (d[0] == '2')
    return d[1] >= '2' && d[1] <= '7';
  return d[0] == '3' && d[1] == '5';
}

static bool mobile_ok(const char *d)
{
  return d[0] == '1' && d[1] >= '3' && d[1] <= '9';
}

/* ---- pass 1: digit runs, groupings, spans ------------------------------- */

#define RUN_DIGITS 23 /* digits kept per run; longer runs keep the first and last two */

struct run {
  size_t b0, b1;          /* bytes of the digits */
  size_t xb1;             /* end of a trailing X (ID check character), 0 if none */
  size_t nd;              /* number of digits */
  char d[RUN_DIGITS + 1]; /* the digits in ASCII when nd <= RUN_DIGITS */
  char last2[3];
  uint32_t link;          /* the separator joining it to the previous run, 0 if none */
};

enum layout {
  L_RUN,      /* one digit run */
  L_PREFIX86, /* 86 or +86 then a mobile number */
  L_MOBILE,   /* 3-4-4 */
  L_ID,       /* 6-8-4 */
  L_BANK,     /* 4-4-4-4[-1..3] */
  L_LANDLINE, /* area code - local number (masked in snippets, never a hit) */
  L_GROUPED   /* other grouping of 11+ digits (masked in snippets, never a hit) */
};

#define SPAN_DIGITS 23

struct span {
  size_t b0, b1;            /* bytes, with prefix, separators and X */
  size_t nd;                /* digits, without the 86 prefix */
  char d[SPAN_DIGITS + 2];  /* digits (+ 'X'), when nd <= SPAN_DIGITS */
  char first2[3], last2[3]; /* for masking numbers too long to keep */
  bool x;                   /* ends in the ID check character X */
  unsigned char layout;     /* enum layout */
  unsigned char area;       /* landline: digits of the area code */
  bool candidate;           /* clean boundaries: may be a hit */
  bool is_public;           /* on the public list: no hit, not masked */
};

#define RB_CAP 16
#define LOOKAHEAD 6

struct label {
  int cat; /* -1: none */
  const char *word;
};

struct scan {
  const char *s;
  size_t n;
  const struct gw_privacy_opts *o;
  const struct gw_privacy_dict *d;
  struct gw_civil asof;
  struct span *sp;
  size_t nsp, capsp;
  struct run rb[RB_CAP];
  size_t nrb, ev; /* runs in the buffer; next one to evaluate */
};

/* Clean boundaries: not glued to letters, URLs, codes or decimals. */
static bool boundary_ok(const struct scan *S, size_t b0, size_t b1)
{
  uint32_t cb = cp_before(S->s, b0), ca = cp_at(S->s, S->n, b1);
  if (joins_token(cb) || joins_token(ca) || digit_val(cb) >= 0 || digit_val(ca) >= 0)
    return false;
  if (cb == '.' || cb == 0xFF0E) {
    uint32_t c2 = b0 >= 1 ? cp_before(S->s, prev_start(S->s, b0)) : 0;
    if (is_letter(c2) || digit_val(c2) >= 0)
      return false;
  }
  if (ca == '.' || ca == 0xFF0E) {
    uint32_t c2 = cp_at(S->s, S->n, b1 + (ca == '.' ? 1 : 3));
    if (is_letter(c2) || digit_val(c2) >= 0)
      return false;
  }
  return true;
}

/* Digits of the runs rs[0..k) (the first `skip` of them dropped: the 86
 * prefix) into sp: all of them when few enough, else the first and last two. */
static void span_digits(struct span *sp, const struct run *const *rs, size_t k, size_t skip)
{
  char all[SPAN_DIGITS + 3];
  size_t o = 0, total = 0;
  char last2[2] = {'0', '0'};
  for (size_t i = 0; i < k; i++) {
    const struct run *r = rs[i];
    total += r->nd;
    for (size_t j = 0; j < r->nd && j < RUN_DIGITS && o < sizeof all; j++)
      all[o++] = r->d[j];
    if (r->nd >= 2) {
      last2[0] = r->last2[0];
      last2[1] = r->last2[1];
    } else if (r->nd == 1) {
      last2[0] = last2[1];
      last2[1] = r->last2[1];
    }
  }
  sp->nd = total - skip;
  sp->first2[0] = all[skip];
  sp->first2[1] = all[skip + 1];
  sp->first2[2] = '\0';
  sp->last2[0] = last2[0];
  sp->last2[1] = last2[1];
  sp->last2[2] = '\0';
  if (total <= o && sp->nd <= SPAN_DIGITS) {
    memcpy(sp->d, all + skip, sp->nd);
    sp->d[sp->nd] = '\0';
  } else {
    sp->d[0] = '\0';
  }
}

static void add_span(struct scan *S, struct span *sp)
{
  if (S->nsp > 0 && sp->b0 < S->sp[S->nsp - 1].b1) {
    /* a +86 prefix already taken by the span before: drop the prefix */
    sp->b0 = S->sp[S->nsp - 1].b1;
    if (sp->b0 >= sp->b1)
      return;
  }
  if (sp->d[0] && sp->nd <= SPAN_DIGITS) {
    char digits[SPAN_DIGITS + 1];
    memcpy(digits, sp->d, sp->nd);
    digits[sp->nd] = '\0';
    sp->is_public = pattern_match(S->d, digits, sp->nd);
  }
  if (S->nsp == S->capsp) {
    S->capsp = S->capsp ? 2 * S->capsp : 64;
    S->sp = gw_reallocarray(S->sp, S->capsp, sizeof *S->sp);
  }
  S->sp[S->nsp++] = *sp;
}

static struct label nearest_label(const struct scan *S, size_t ws, size_t b0);
static size_t back_chars(const char *s, size_t from, size_t floor, unsigned chars);

/* "(0571) " or "（0571）" right before b0: the byte where it starts and the
 * area code's digits, or 0. */
static size_t paren_area(const struct scan *S, size_t b0, size_t *start, char *area)
{
  size_t i = b0;
  uint32_t c = cp_before(S->s, i);
  if (c == ' ' || c == 0x3000)
    i = prev_start(S->s, i), c = cp_before(S->s, i);
  if (c != ')' && c != 0xFF09)
    return 0;
  i = prev_start(S->s, i);
  char rev[5];
  size_t nd = 0;
  while (i > 0 && nd < 5) {
    int dv = digit_val(cp_before(S->s, i));
    if (dv < 0)
      break;
    rev[nd++] = (char)('0' + dv);
    i = prev_start(S->s, i);
  }
  c = cp_before(S->s, i);
  if ((nd != 3 && nd != 4) || rev[nd - 1] != '0' || (c != '(' && c != 0xFF08))
    return 0;
  for (size_t k = 0; k < nd; k++)
    area[k] = rev[nd - 1 - k];
  *start = prev_start(S->s, i);
  return nd;
}

static bool run_is(const struct run *r, const char *digits)
{
  return r->nd == strlen(digits) && strcmp(r->d, digits) == 0;
}

/* Include a "+" or "＋" right before b0. */
static size_t with_plus(const struct scan *S, size_t b0)
{
  uint32_t c = cp_before(S->s, b0);
  if (c == '+')
    return b0 - 1;
  if (c == 0xFF0B)
    return b0 - 3;
  return b0;
}

/* Try the written groupings at rb[j]; returns runs consumed (0: none). */
static size_t try_layout(struct scan *S, size_t j)
{
  struct run *R = S->rb;
  size_t avail = S->nrb - j;
  static const struct {
    enum layout lay;
    unsigned char len[5];
    size_t k;
  } shapes[] = {
      {L_MOBILE, {3, 4, 4, 0, 0}, 3},
      {L_ID, {6, 8, 4, 0, 0}, 3},
      {L_ID, {6, 8, 3, 0, 0}, 3}, /* with X */
      {L_BANK, {4, 4, 4, 4, 3}, 5},
      {L_BANK, {4, 4, 4, 4, 2}, 5},
      {L_BANK, {4, 4, 4, 4, 1}, 5},
      {L_BANK, {4, 4, 4, 4, 0}, 4},
  };
  for (size_t si = 0; si < sizeof shapes / sizeof *shapes; si++) {
    size_t k = shapes[si].k;
    if (avail < k)
      continue;
    uint32_t sep = R[j + 1].link;
    bool ok = sep != 0;
    for (size_t i = 0; ok && i < k; i++) {
      ok = R[j + i].nd == shapes[si].len[i] && (i == 0 || R[j + i].link == sep);
      /* an X may only end an ID */
      bool want_x = shapes[si].lay == L_ID && shapes[si].len[2] == 3 && i == 2;
      if (ok && (R[j + i].xb1 != 0) != want_x)
        ok = false;
    }
    if (!ok)
      continue;
    if (shapes[si].lay == L_MOBILE && !mobile_ok(R[j].d))
      continue;
    const struct run *rs[6];
    size_t nr = 0;
    struct span sp;
    memset(&sp, 0, sizeof sp);
    sp.layout = (unsigned char)shapes[si].lay;
    sp.b0 = R[j].b0;
    sp.b1 = R[j + k - 1].xb1 ? R[j + k - 1].xb1 : R[j + k - 1].b1;
    bool cont = false;
    if (j > 0 && R[j].link) {
      if (shapes[si].lay == L_MOBILE && run_is(&R[j - 1], "86") && R[j - 1].xb1 == 0) {
        sp.b0 = with_plus(S, R[j - 1].b0);
      } else if (R[j].link == sep && R[j - 1].nd >= 3) {
        cont = true; /* a longer grouped number */
      }
    }
    if (j + k < S->nrb && R[j + k].link == sep)
      cont = true;
    for (size_t i = 0; i < k; i++)
      rs[nr++] = &R[j + i];
    span_digits(&sp, rs, nr, 0);
    if (shapes[si].lay == L_ID && shapes[si].len[2] == 3) {
      sp.x = true;
      sp.d[sp.nd] = 'X';
      sp.d[sp.nd + 1] = '\0';
    }
    sp.candidate = !cont && boundary_ok(S, sp.b0, sp.b1);
    add_span(S, &sp);
    return k;
  }
  return 0;
}

static void eval_run(struct scan *S, size_t j)
{
  struct run *R = S->rb;
  size_t used = try_layout(S, j);
  if (used) {
    S->ev = j + used;
    return;
  }
  struct run *r = &R[j];
  /* area code - local number */
  if (j + 1 < S->nrb && (r->nd == 3 || r->nd == 4) && r->d[0] == '0' && r->xb1 == 0 &&
      R[j + 1].link && (R[j + 1].nd == 7 || R[j + 1].nd == 8) && R[j + 1].d[0] >= '2' &&
      R[j + 1].d[0] <= '9' && R[j + 1].xb1 == 0) {
    struct span sp;
    memset(&sp, 0, sizeof sp);
    const struct run *rs[2] = {r, &R[j + 1]};
    sp.layout = L_LANDLINE;
    sp.area = (unsigned char)r->nd;
    sp.b0 = r->b0;
    sp.b1 = R[j + 1].b1;
    span_digits(&sp, rs, 2, 0);
    add_span(S, &sp);
    S->ev = j + 2;
    return;
  }
  S->ev = j + 1;
  /* a local number: after "(0571) ", or after a phone label (电话 ...) */
  if ((r->nd == 7 || r->nd == 8) && r->d[0] >= '2' && r->d[0] <= '9' && r->xb1 == 0 &&
      !(j + 1 < S->nrb && R[j + 1].link)) {
    struct span sp;
    memset(&sp, 0, sizeof sp);
    char area[4];
    size_t start = 0;
    size_t na = r->link ? 0 : paren_area(S, r->b0, &start, area);
    bool labelled = false;
    if (!na && !r->link) {
      size_t floor = S->nsp ? S->sp[S->nsp - 1].b1 : 0;
      if (floor <= r->b0) {
        struct label lb = nearest_label(S, back_chars(S->s, r->b0, floor, 12), r->b0);
        labelled = lb.cat == CAT_MOBILE;
      }
    }
    if (na || labelled) {
      sp.layout = L_LANDLINE;
      sp.area = (unsigned char)na;
      sp.b0 = na ? start : r->b0;
      sp.b1 = r->b1;
      memcpy(sp.d, area, na);
      memcpy(sp.d + na, r->d, r->nd);
      sp.nd = na + r->nd;
      sp.d[sp.nd] = '\0';
      memcpy(sp.first2, sp.d, 2);
      memcpy(sp.last2, sp.d + sp.nd - 2, 2);
      add_span(S, &sp);
      return;
    }
  }
  if (r->nd >= 11) {
    struct span sp;
    memset(&sp, 0, sizeof sp);
    const struct run *rs[1] = {r};
    sp.layout = L_RUN;
    sp.b0 = r->b0;
    sp.b1 = r->xb1 ? r->xb1 : r->b1;
    bool prefixed = false;
    size_t skip = 0;
    if (r->nd == 11 && mobile_ok(r->d) && r->link && j > 0 && run_is(&R[j - 1], "86") &&
        R[j - 1].xb1 == 0) {
      prefixed = true;
      sp.layout = L_PREFIX86;
      sp.b0 = with_plus(S, R[j - 1].b0);
    } else if (r->nd == 13 && r->d[0] == '8' && r->d[1] == '6' && mobile_ok(r->d + 2) &&
               r->xb1 == 0) {
      sp.layout = L_PREFIX86;
      sp.b0 = with_plus(S, r->b0);
      skip = 2;
    }
    span_digits(&sp, rs, 1, skip);
    if (r->xb1 && r->nd == 17) {
      sp.x = true;
      sp.d[17] = 'X';
      sp.d[18] = '\0';
    }
    bool hyphened = (r->link && is_hyphen(r->link) && !prefixed) ||
                    (j + 1 < S->nrb && R[j + 1].link && is_hyphen(R[j + 1].link));
    /* an X after anything but 17 digits is a letter glued to the number */
    bool stray_x = r->xb1 && r->nd != 17;
    sp.candidate = !hyphened && !stray_x && boundary_ok(S, sp.b0, sp.b1);
    add_span(S, &sp);
    return;
  }
  /* any other grouping of 3+ digit runs reaching 11 digits: masked only */
  if (r->nd >= 3 && j + 1 < S->nrb && R[j + 1].link && r->xb1 == 0) {
    uint32_t sep = R[j + 1].link;
    size_t k = 1, total = r->nd;
    while (j + k < S->nrb && k < LOOKAHEAD && R[j + k].link == sep && R[j + k].nd >= 3 &&
           R[j + k].nd < 11 && R[j + k - 1].xb1 == 0) {
      total += R[j + k].nd;
      k++;
    }
    if (k >= 2 && total >= 11) {
      struct span sp;
      memset(&sp, 0, sizeof sp);
      const struct run *rs[LOOKAHEAD];
      for (size_t i = 0; i < k; i++)
        rs[i] = &R[j + i];
      sp.layout = L_GROUPED;
      sp.b0 = r->b0;
      sp.b1 = R[j + k - 1].xb1 ? R[j + k - 1].xb1 : R[j + k - 1].b1;
      span_digits(&sp, rs, k, 0);
      add_span(S, &sp);
      S->ev = j + k;
    }
  }
}

/* Evaluate what the look-ahead allows (all when the grouping ended), then
 * drop runs no longer needed (one is kept for the +86 / grouping look-back). */
static void eval_runs(struct scan *S, bool all)
{
  while (S->ev < S->nrb && (all || S->nrb - S->ev > LOOKAHEAD))
    eval_run(S, S->ev);
  if (all) {
    S->nrb = S->ev = 0;
  } else if (S->ev >= 2) {
    size_t drop = S->ev - 1;
    memmove(S->rb, S->rb + drop, (S->nrb - drop) * sizeof *S->rb);
    S->nrb -= drop;
    S->ev -= drop;
  }
}

static void find_spans(struct scan *S)
{
  const char *s = S->s;
  size_t n = S->n, i = 0;
  while (i < n) {
    uint32_t cp;
    size_t k = dec(s, n, i, &cp);
    int dv = digit_val(cp);
    if (dv < 0) {
      i += k;
      continue;
    }
    struct run r;
    memset(&r, 0, sizeof r);
    r.b0 = i;
    while (i < n) {
      k = dec(s, n, i, &cp);
      dv = digit_val(cp);
      if (dv < 0)
        break;
      if (r.nd < RUN_DIGITS)
        r.d[r.nd] = (char)('0' + dv);
      r.last2[0] = r.last2[1];
      r.last2[1] = (char)('0' + dv);
      r.nd++;
      i += k;
    }
    r.b1 = i;
    if (r.nd <= RUN_DIGITS)
      r.d[r.nd] = '\0';
    if (i < n) {
      k = dec(s, n, i, &cp);
      if (is_x(cp)) {
        r.xb1 = i + k;
        /* XX or Xa: a word, not a check character */
        uint32_t c2 = cp_at(s, n, i + k);
        if (is_letter(c2) || digit_val(c2) >= 0)
          r.xb1 = 0;
      }
    }
    /* joined to the previous run by exactly one separator character? */
    if (S->nrb > 0) {
      struct run *p = &S->rb[S->nrb - 1];
      if (p->xb1 == 0 && r.b0 > p->b1) {
        uint32_t sc;
        size_t sk = dec(s, n, p->b1, &sc);
        if (is_group_sep(sc) && p->b1 + sk == r.b0)
          r.link = sc;
      }
    }
    if (!r.link && S->nrb > 0)
      eval_runs(S, true);
    if (S->nrb == RB_CAP) /* cannot happen: eval_runs keeps it short */
      eval_runs(S, true);
    S->rb[S->nrb++] = r;
    eval_runs(S, false);
  }
  eval_runs(S, true);
}

/* ---- masking ------------------------------------------------------------- */

#define MASK_MAX 48

static void put_stars(char *out, size_t *o, size_t k)
{
  for (size_t i = 0; i < k && *o < MASK_MAX; i++)
    out[(*o)++] = '*';
}

static void put(char *out, size_t *o, const char *p, size_t k)
{
  for (size_t i = 0; i < k && *o < MASK_MAX; i++)
    out[(*o)++] = p[i];
}

/* Keep `head` leading and `tail` trailing characters of d[0..n), stars between. */
static void mask_keep(const char *d, size_t n, size_t head, size_t tail, char *out)
{
  size_t o = 0;
  put(out, &o, d, head);
  put_stars(out, &o, n - head - tail);
  put(out, &o, d + n - tail, tail);
  out[o] = '\0';
}

/* The masked form of a span as a hit of `kind`, or (kind < 0) by its shape
 * for snippets. Long numbers keep fewer digits than short ones show. */
static void mask_span(const struct span *sp, int kind, char *out)
{
  size_t n = sp->nd + (sp->x ? 1 : 0);
  if (!sp->d[0] || n > SPAN_DIGITS) {
    /* too long to be personal: first two, last two; cap the stars */
    size_t o = 0;
    put(out, &o, sp->first2, 2);
    put_stars(out, &o, sp->nd > 36 ? 32 : sp->nd - 4);
    put(out, &o, sp->last2, 2);
    out[o] = '\0';
    return;
  }
  if (kind == GW_PRIVACY_BANK_CARD) {
    mask_keep(sp->d, n, 4, 4, out);
  } else if (kind < 0 && sp->layout == L_LANDLINE) {
    size_t o = 0;
    put(out, &o, sp->d, sp->area);
    if (sp->area)
      put(out, &o, "-", 1);
    put_stars(out, &o, n - sp->area - 4);
    put(out, &o, sp->d + n - 4, 4);
    out[o] = '\0';
  } else if (kind == GW_PRIVACY_MOBILE || (kind < 0 && n == 11)) {
    mask_keep(sp->d, n, 3, 4, out);
  } else if (kind == GW_PRIVACY_ID18 || kind == GW_PRIVACY_ID15 ||
             (kind < 0 && (n == 18 || n == 15))) {
    mask_keep(sp->d, n, 2, 3, out);
  } else if (n >= 16 && n <= 19) {
    mask_keep(sp->d, n, 4, 4, out);
  } else {
    mask_keep(sp->d, n, 2, 2, out);
  }
}

/* ---- pass 2: lines, tables, context, hits -------------------------------- */

#define MAX_CELLS 64
#define HEADER_MAX_BYTES 2048 /* longer lines are text, not a table header */
#define BIG_SPAN_BYTES 96 /* a span longer than this is cut out of snippets, not kept whole */

struct cell {
  size_t b0, b1;
};

struct header {
  bool on;
  size_t ncells;
  unsigned cat[MAX_CELLS];
  const char *word[MAX_CELLS][CAT_N_];
  unsigned any;
  const char *anyword[CAT_N_];
};


/* Find the span index of the first span with b1 > off. */
static size_t span_from(const struct scan *S, size_t off)
{
  size_t lo = 0, hi = S->nsp;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (S->sp[mid].b1 <= off)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

static const char *find_bytes(const char *h, size_t hn, const char *nd, size_t nn)
{
  if (nn == 0 || nn > hn)
    return NULL;
  for (size_t i = 0; i + nn <= hn; i++)
    if (h[i] == nd[0] && memcmp(h + i, nd, nn) == 0)
      return h + i;
  return NULL;
}

/* Split a line into cells, never inside a span. A line with tabs is split
 * at every tab and one with '|' at every '|', keeping empty cells so columns
 * stay aligned with the header (tables exported as TSV or Markdown); other
 * lines at runs of blanks (text extracted from HTML or PDF tables). */
static size_t split_cells(const struct scan *S, size_t ls, size_t le, size_t si, struct cell *cells)
{
  enum { BLANKS, TABS, PIPES } mode = BLANKS;
  if (memchr(S->s + ls, '\t', le - ls))
    mode = TABS;
  else if (memchr(S->s + ls, '|', le - ls) || find_bytes(S->s + ls, le - ls, "\xEF\xBD\x9C", 3))
    mode = PIPES;
  size_t nc = 0, i = ls;
  bool in = mode != BLANKS; /* with explicit separators a cell starts at the line start */
  size_t cs = ls;
  while (i < le) {
    while (si < S->nsp && S->sp[si].b1 <= i)
      si++;
    if (si < S->nsp && S->sp[si].b0 <= i) {
      if (!in) {
        in = true;
        cs = i;
      }
      i = S->sp[si].b1;
      continue;
    }
    uint32_t cp;
    size_t k = dec(S->s, le, i, &cp);
    bool sep = mode == TABS    ? cp == '\t'
               : mode == PIPES ? (cp == '|' || cp == 0xFF5C)
                               : is_cell_sep(cp);
    if (sep) {
      if (in) {
        if (nc < MAX_CELLS)
          cells[nc] = (struct cell){cs, i};
        nc++;
        in = mode != BLANKS;
        cs = i + k;
      }
    } else if (!in) {
      in = true;
      cs = i;
    }
    i += k;
  }
  if (in && (mode == BLANKS || cs < le || nc > 0)) {
    if (nc < MAX_CELLS)
      cells[nc] = (struct cell){cs, le};
    nc++;
  }
  return nc;
}

/* Categories of the words in s[b0..b1), with the longest word per category. */
static unsigned cell_cats(const struct scan *S, size_t b0, size_t b1, const char **words)
{
  unsigned m = 0;
  for (size_t w = 0; w < S->d->nwords; w++) {
    const struct word *wd = &S->d->words[w];
    if (find_bytes(S->s + b0, b1 - b0, wd->w, wd->len)) {
      m |= CATBIT(wd->cat);
      if (!words[wd->cat] || strlen(words[wd->cat]) < wd->len)
        words[wd->cat] = wd->w;
    }
  }
  return m;
}

/* The label nearest before b0 in [ws, b0): the word ending last, the longer
 * one when two end at the same place (证件编号 over 编号). */
static struct label nearest_label(const struct scan *S, size_t ws, size_t b0)
{
  struct label lb = {-1, NULL};
  size_t best_end = 0, best_len = 0;
  const char *h = S->s + ws;
  size_t hn = b0 - ws;
  for (size_t w = 0; w < S->d->nwords; w++) {
    const struct word *wd = &S->d->words[w];
    const char *p = h, *last = NULL;
    size_t rest = hn;
    const char *f;
    while ((f = find_bytes(p, rest, wd->w, wd->len)) != NULL) {
      last = f;
      rest -= (size_t)(f - p) + 1;
      p = f + 1;
    }
    if (!last)
      continue;
    size_t end = (size_t)(last - h) + wd->len;
    if (!lb.word || end > best_end || (end == best_end && wd->len > best_len)) {
      lb.cat = (int)wd->cat;
      lb.word = wd->w;
      best_end = end;
      best_len = wd->len;
    }
  }
  return lb;
}

static bool is_name_char(uint32_t cp)
{
  return is_han(cp) || cp == '*' || cp == 0xFF0A || cp == 0xD7 || cp == 0x00B7 || cp == 0x30FB;
}

/* Does the line hold a person's name: a token of 2-4 Han characters (or
 * masked 张*, 李某某) delimited by non-Han, starting with a surname? */
static bool line_has_name(const struct scan *S, size_t ls, size_t le)
{
  size_t i = ls;
  while (i < le) {
    uint32_t cp;
    size_t k = dec(S->s, le, i, &cp);
    if (!is_name_char(cp)) {
      i += k;
      continue;
    }
    uint32_t tok[5];
    size_t nt = 0;
    bool dot = false;
    while (i < le) {
      k = dec(S->s, le, i, &cp);
      if (!is_name_char(cp))
        break;
      if (cp == 0x00B7 || cp == 0x30FB)
        dot = true;
      if (nt < 5)
        tok[nt] = cp;
      nt++;
      i += k;
    }
    if (dot || nt < 2 || nt > 4)
      continue;
    if (is_han(tok[0]) && is_surname(S->d, tok[0]))
      return true;
    if (nt >= 3 && is_han(tok[0]) && is_han(tok[1]) && is_compound_surname(S->d, tok[0], tok[1]))
      return true;
  }
  return false;
}

/* Step back up to `chars` code points from `from`, not below `floor`. */
static size_t back_chars(const char *s, size_t from, size_t floor, unsigned chars)
{
  size_t j = from;
  for (unsigned c = 0; c < chars && j > floor; c++)
    j = prev_start(s, j);
  return j < floor ? floor : j;
}

static size_t fwd_chars(const char *s, size_t n, size_t from, unsigned chars)
{
  size_t j = from;
  for (unsigned c = 0; c < chars && j < n; c++) {
    uint32_t cp;
    j += dec(s, n, j, &cp);
  }
  return j;
}

#define SNIPPET_MAX 4096

/* The snippet around span si, every span in it masked (the hit as `masked`). */
static void build_snippet(const struct scan *S, size_t si, const char *masked, struct gw_buf *out)
{
  const struct span *hs = &S->sp[si];
  unsigned sc = S->o->snippet_chars;
  size_t ws = back_chars(S->s, hs->b0, 0, sc);
  size_t we = fwd_chars(S->s, S->n, hs->b1, sc);
  /* never cut a number in two: take it whole, or leave it out if long */
  size_t a = span_from(S, ws);
  if (a < S->nsp && S->sp[a].b0 < ws && ws < S->sp[a].b1)
    ws = S->sp[a].b1 - S->sp[a].b0 <= BIG_SPAN_BYTES ? S->sp[a].b0 : S->sp[a].b1;
  size_t z = span_from(S, we);
  if (z < S->nsp && S->sp[z].b0 < we && we < S->sp[z].b1)
    we = S->sp[z].b1 - S->sp[z].b0 <= BIG_SPAN_BYTES ? S->sp[z].b1 : S->sp[z].b0;
  gw_buf_reset(out);
  if (ws > 0)
    gw_buf_puts(out, ZH_ELLIPSIS);
  bool space = true; /* collapse blanks; none at the start */
  bool after_span = false;
  size_t k = span_from(S, ws);
  size_t i = ws;
  while (i < we) {
    if (k < S->nsp && S->sp[k].b0 <= i) {
      const struct span *sp = &S->sp[k];
      /* a mask glued to digits before it would read as one longer number */
      if (out->len && digit_val(cp_before(out->data, out->len)) >= 0)
        gw_buf_putc(out, ' ');
      if (sp->is_public) {
        gw_buf_append(out, S->s + sp->b0, sp->b1 - sp->b0);
      } else {
        char m[MASK_MAX + 1];
        if (k == si)
          gw_buf_puts(out, masked);
        else {
          mask_span(sp, -1, m);
          gw_buf_puts(out, m);
        }
      }
      i = sp->b1;
      k++;
      space = false;
      after_span = true;
      continue;
    }
    uint32_t cp;
    size_t n = dec(S->s, S->n, i, &cp);
    if (after_span && digit_val(cp) >= 0)
      gw_buf_putc(out, ' ');
    after_span = false;
    if (cp < 0x20 || cp == 0x7F || cp == ' ' || cp == 0xA0 || cp == 0x3000) {
      if (!space)
        gw_buf_putc(out, ' ');
      space = true;
    } else if (cp == 0xFFFD && n == 1) {
      gw_buf_puts(out, "\xEF\xBF\xBD");
      space = false;
    } else {
      gw_buf_append(out, S->s + i, n);
      space = false;
    }
    i += n;
  }
  while (out->len > 0 && out->data[out->len - 1] == ' ')
    out->data[--out->len] = '\0';
  if (we < S->n)
    gw_buf_puts(out, ZH_ELLIPSIS);
}

struct ctx {
  struct label lb;
  unsigned col;          /* categories of its column header */
  const char *colword[CAT_N_];
  const struct header *hdr;
  bool table;            /* a row under a header */
  bool name;             /* a name in the row */
};

struct verdict {
  int kind; /* -1: not a hit */
  enum gw_privacy_conf conf;
  unsigned reasons;
  const char *context;
};

/* Judge a candidate span with its context. */
static struct verdict judge(const struct scan *S, const struct span *sp, const struct ctx *c)
{
  struct verdict v = {-1, GW_PRIVACY_LOW, 0, NULL};
  size_t n = sp->nd;
  const char *d = sp->d;
  int kind = -1;
  if (!d[0])
    return v;
  if (sp->layout == L_MOBILE || sp->layout == L_PREFIX86 ||
      (sp->layout == L_RUN && n == 11 && !sp->x && mobile_ok(d))) {
    kind = GW_PRIVACY_MOBILE;
  } else if ((sp->layout == L_ID || sp->layout == L_RUN) &&
             ((n == 18 && !sp->x) || (n == 17 && sp->x))) {
    if (province_ok(d) && birth_ok(num(d + 6, 4), num(d + 10, 2), num(d + 12, 2), &S->asof))
      kind = GW_PRIVACY_ID18;
    else if (n == 18 && sp->layout == L_RUN)
      kind = GW_PRIVACY_BANK_CARD;
  } else if (sp->layout == L_RUN && n == 15 && !sp->x) {
    if (province_ok(d) && birth_ok(1900 + num(d + 6, 2), num(d + 8, 2), num(d + 10, 2), &S->asof))
      kind = GW_PRIVACY_ID15;
  } else if ((sp->layout == L_BANK || sp->layout == L_RUN) && n >= 16 && n <= 19 && !sp->x) {
    kind = GW_PRIVACY_BANK_CARD;
  }
  if (kind < 0)
    return v;

  enum cat own = kind == GW_PRIVACY_MOBILE    ? CAT_MOBILE
                 : kind == GW_PRIVACY_BANK_CARD ? CAT_BANK
                                               : CAT_ID;
  unsigned r = 0;
  bool own_ctx = false;
  if (c->table && (c->col & CATBIT(own)))
    r |= GW_PRIVACY_R_COLUMN;
  else if (c->table && (c->hdr->any & CATBIT(own)))
    r |= GW_PRIVACY_R_HEADER;
  if (r)
    own_ctx = true;
  if (c->lb.cat >= 0 && (CATBIT(c->lb.cat) & CAT_PERSONAL)) {
    r |= GW_PRIVACY_R_LABEL;
    if (c->lb.cat == (int)own)
      own_ctx = true;
  }
  /* the word shown: the column, else the label, else the header */
  const char *ctxw = (r & GW_PRIVACY_R_COLUMN)  ? c->colword[own]
                     : (r & GW_PRIVACY_R_LABEL) ? c->lb.word
                     : (r & GW_PRIVACY_R_HEADER) ? c->hdr->anyword[own]
                                                 : NULL;
  if (c->name)
    r |= GW_PRIVACY_R_NAME;
  bool personal = (r & (GW_PRIVACY_R_LABEL | GW_PRIVACY_R_COLUMN | GW_PRIVACY_R_HEADER |
                        GW_PRIVACY_R_NAME)) != 0;
  bool pub = c->lb.cat == CAT_PUBLIC || (c->table && (c->col & CATBIT(CAT_PUBLIC)));
  bool notp = c->lb.cat == CAT_NOTPERS || (c->table && (c->col & CATBIT(CAT_NOTPERS)));
  const char *pubword = c->lb.cat == CAT_PUBLIC ? c->lb.word : c->colword[CAT_PUBLIC];
  const char *notpword = c->lb.cat == CAT_NOTPERS ? c->lb.word : c->colword[CAT_NOTPERS];

  switch (kind) {
  case GW_PRIVACY_ID18: {
    r |= GW_PRIVACY_R_STRUCTURE;
    char want = id_check_char(d);
    char got = d[17];
    if (got == want) {
      r |= GW_PRIVACY_R_CHECK_OK;
      v.conf = personal ? GW_PRIVACY_HIGH : GW_PRIVACY_MEDIUM;
      if (notp && c->lb.cat == CAT_NOTPERS) {
        /* a code label before a valid ID: still reported, for a person to judge */
        r |= GW_PRIVACY_R_NOT_PERSONAL;
        ctxw = notpword;
        v.conf = GW_PRIVACY_LOW;
      }
    } else {
      /* a typo'd ID in a list of people is still a leak; alone it is noise */
      if (notp || !(own_ctx || (r & GW_PRIVACY_R_NAME)))
        return v;
      r |= GW_PRIVACY_R_CHECK_BAD;
      v.conf = GW_PRIVACY_LOW;
    }
    break;
  }
  case GW_PRIVACY_ID15:
    /* no check digit: only with an ID label or column */
    if (notp || !own_ctx)
      return v;
    r |= GW_PRIVACY_R_STRUCTURE;
    v.conf = (r & GW_PRIVACY_R_NAME) ? GW_PRIVACY_HIGH : GW_PRIVACY_MEDIUM;
    break;
  case GW_PRIVACY_MOBILE:
    if (notp)
      return v;
    r |= GW_PRIVACY_R_STRUCTURE;
    if (pub) {
      r |= GW_PRIVACY_R_PUBLIC;
      ctxw = pubword;
      v.conf = GW_PRIVACY_LOW;
    } else {
      v.conf = personal ? GW_PRIVACY_HIGH : GW_PRIVACY_MEDIUM;
    }
    break;
  default: /* bank card: Luhn passes one random number in ten, so only with a label */
    if (notp || !bin_ok(d) || !luhn_ok(d, n) || !own_ctx)
      return v;
    r |= GW_PRIVACY_R_STRUCTURE | GW_PRIVACY_R_CHECK_OK;
    if (pub) {
      r |= GW_PRIVACY_R_PUBLIC;
      ctxw = pubword;
      v.conf = GW_PRIVACY_LOW;
    } else {
      v.conf = GW_PRIVACY_HIGH;
    }
    break;
  }
  v.kind = kind;
  v.reasons = r;
  v.context = ctxw;
  return v;
}

/* Append one reason; ZH_* templates with a word have the form "A%sB". */
static void why_add(struct gw_buf *b, const char *tmpl, const char *word)
{
  if (b->len)
    gw_buf_puts(b, ZH_SEP);
  const char *hole = strstr(tmpl, "%s");
  if (!hole) {
    gw_buf_puts(b, tmpl);
    return;
  }
  gw_buf_append(b, tmpl, (size_t)(hole - tmpl));
  gw_buf_puts(b, word ? word : "");
  gw_buf_puts(b, hole + 2);
}

static void build_why(const struct verdict *v, const struct ctx *c, struct gw_buf *b)
{
  gw_buf_reset(b);
  unsigned r = v->reasons;
  if (r & GW_PRIVACY_R_STRUCTURE)
    why_add(b,
            v->kind == GW_PRIVACY_MOBILE      ? ZH_STRUCT_MOBILE
            : v->kind == GW_PRIVACY_BANK_CARD ? ZH_STRUCT_BANK
                                              : ZH_STRUCT_ID,
            NULL);
  if (r & GW_PRIVACY_R_CHECK_OK)
    why_add(b, v->kind == GW_PRIVACY_BANK_CARD ? ZH_CHECK_LUHN : ZH_CHECK_ID, NULL);
  if (r & GW_PRIVACY_R_CHECK_BAD)
    why_add(b, ZH_CHECK_BAD, NULL);
  enum cat own = v->kind == GW_PRIVACY_MOBILE      ? CAT_MOBILE
                 : v->kind == GW_PRIVACY_BANK_CARD ? CAT_BANK
                                                   : CAT_ID;
  if (r & GW_PRIVACY_R_LABEL)
    why_add(b, ZH_LABEL, c->lb.word);
  if (r & GW_PRIVACY_R_COLUMN)
    why_add(b, ZH_COLUMN, c->colword[own]);
  if (r & GW_PRIVACY_R_HEADER)
    why_add(b, ZH_HEADER, c->hdr->anyword[own]);
  if (r & GW_PRIVACY_R_NAME)
    why_add(b, ZH_NAME, NULL);
  if (r & GW_PRIVACY_R_PUBLIC)
    why_add(b, ZH_PUBLIC, v->context);
  if (r & GW_PRIVACY_R_NOT_PERSONAL)
    why_add(b, ZH_NOT_PERSONAL, v->context);
}

static int scan_lines(struct scan *S, gw_privacy_cb cb, void *ud)
{
  struct cell *cells = gw_calloc(MAX_CELLS, sizeof *cells);
  struct header *hdr = gw_calloc(1, sizeof *hdr);
  struct gw_buf snip, why;
  gw_buf_init(&snip, SNIPPET_MAX * 2);
  gw_buf_init(&why, 1024);
  int rc = GW_OK;
  size_t si = 0; /* first span not before the line */
  size_t ls = 0, prev_ls = 0;
  while (ls <= S->n && rc == GW_OK) {
    const char *nl = ls < S->n ? memchr(S->s + ls, '\n', S->n - ls) : NULL;
    size_t le = nl ? (size_t)(nl - S->s) : S->n;
    while (si < S->nsp && S->sp[si].b0 < ls)
      si++;
    size_t se = si; /* spans of this line: [si, se) */
    while (se < S->nsp && S->sp[se].b0 < le)
      se++;
    size_t nc = split_cells(S, ls, le, si, cells);
    bool row = nc >= 2;
    if (!row) {
      hdr->on = false;
    } else if (se == si && le - ls <= HEADER_MAX_BYTES) {
      /* a short row without numbers naming personal columns: a header */
      struct header h;
      memset(&h, 0, sizeof h);
      h.ncells = nc < MAX_CELLS ? nc : MAX_CELLS;
      for (size_t c = 0; c < h.ncells; c++) {
        h.cat[c] = cell_cats(S, cells[c].b0, cells[c].b1, h.word[c]);
        h.any |= h.cat[c];
        for (int k = 0; k < CAT_N_; k++)
          if (h.word[c][k] && !h.anyword[k])
            h.anyword[k] = h.word[c][k];
      }
      if (h.any) {
        h.on = true;
        *hdr = h;
      }
    }
    bool table = row && hdr->on && se > si;
    int name = -1; /* computed when first needed */
    for (size_t k = si; k < se && rc == GW_OK; k++) {
      const struct span *sp = &S->sp[k];
      if (!sp->candidate || sp->is_public)
        continue;
      struct ctx c;
      memset(&c, 0, sizeof c);
      c.hdr = hdr;
      c.table = table;
      /* the label window: back from the number, not past the number before
       * it, and not past the row start under a table header */
      size_t floor = k > 0 ? S->sp[k - 1].b1 : 0;
      size_t lfloor = table ? ls : prev_ls; /* a label may sit on the line above */
      if (lfloor > floor)
        floor = lfloor;
      size_t ws = back_chars(S->s, sp->b0, floor, S->o->context_chars);
      c.lb = nearest_label(S, ws, sp->b0);
      /* a column is known only when the row has the header's cells; a
       * row that lost an empty cell to blank splitting would misalign */
      if (table && nc == hdr->ncells) {
        size_t col = 0;
        while (col < nc && col < MAX_CELLS && cells[col].b1 <= sp->b0)
          col++;
        if (col < hdr->ncells) {
          c.col = hdr->cat[col];
          for (int q = 0; q < CAT_N_; q++)
            c.colword[q] = hdr->word[col][q];
        }
      }
      if (name < 0)
        name = line_has_name(S, ls, le);
      c.name = name == 1;
      struct verdict v = judge(S, sp, &c);
      if (v.kind < 0 || v.conf < S->o->min_confidence)
        continue;
      char masked[MASK_MAX + 1];
      mask_span(sp, v.kind, masked);
      build_snippet(S, k, masked, &snip);
      build_why(&v, &c, &why);
      struct gw_privacy_hit hit = {
          .kind = (enum gw_privacy_kind)v.kind,
          .start = sp->b0,
          .len = sp->b1 - sp->b0,
          .masked = masked,
          .snippet = gw_buf_cstr(&snip),
          .confidence = v.conf,
          .reasons = v.reasons,
          .context = v.context,
          .why = gw_buf_cstr(&why),
      };
      rc = cb(&hit, ud);
    }
    si = se;
    if (!nl)
      break;
    prev_ls = ls;
    ls = le + 1;
  }
  gw_buf_free(&snip);
  gw_buf_free(&why);
  free(cells);
  free(hdr);
  return rc;
}

/* A landline labelled as a service number (监督电话 0571-...) is the
 * office's, not a person's: leave it readable in snippets like a listed
 * number. Landlines are never hits either way. */
static void mark_public_landlines(struct scan *S)
{
  for (size_t k = 0; k < S->nsp; k++) {
    struct span *sp = &S->sp[k];
    if (sp->layout != L_LANDLINE || sp->is_public)
      continue;
    size_t floor = k > 0 ? S->sp[k - 1].b1 : 0;
    size_t ws = back_chars(S->s, sp->b0, floor, S->o->context_chars);
    struct label lb = nearest_label(S, ws, sp->b0);
    if (lb.cat == CAT_PUBLIC)
      sp->is_public = true;
  }
}

int gw_privacy_scan(const char *text, size_t len, const struct gw_privacy_opts *opts,
                    gw_privacy_cb cb, void *ud)
{
  if (!opts || !opts->dict)
    return gw_err_set(GW_EINVAL, "privacy scan: no options or no word lists (opts.dict)");
  if (!cb)
    return gw_err_set(GW_EINVAL, "privacy scan: no callback");
  if (opts->context_chars > 200)
    return gw_err_set(GW_EINVAL, "privacy scan: option context_chars: %u is over 200",
                      opts->context_chars);
  if (opts->snippet_chars > 200)
    return gw_err_set(GW_EINVAL, "privacy scan: option snippet_chars: %u is over 200",
                      opts->snippet_chars);
  if (len > GW_PRIVACY_MAX_TEXT)
    return gw_err_set(GW_ELIMIT, "privacy scan: text of %zu bytes is over the %zu-byte cap", len,
                      GW_PRIVACY_MAX_TEXT);
  if (!text && len)
    return gw_err_set(GW_EINVAL, "privacy scan: no text");
  struct gw_privacy_opts o = *opts;
  if (!o.context_chars)
    o.context_chars = 24;
  if (!o.snippet_chars)
    o.snippet_chars = 20;
  struct scan S;
  memset(&S, 0, sizeof S);
  S.s = text ? text : "";
  S.n = len;
  S.o = &o;
  S.d = opts->dict;
  gw_civil_from_time(opts->as_of, &S.asof);
  find_spans(&S);
  mark_public_landlines(&S);
  int rc = scan_lines(&S, cb, ud);
  /* the unmasked digits die here */
  if (S.sp)
    memset(S.sp, 0, S.nsp * sizeof *S.sp);
  memset(S.rb, 0, sizeof S.rb);
  free(S.sp);
  return rc;
}
