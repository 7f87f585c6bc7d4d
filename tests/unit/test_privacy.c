/* Privacy-leak detector: IDs, mobiles, bank cards, context, exclusions,
 * masking. The ID numbers below were computed with the GB 11643 MOD 11-2
 * formula and the card numbers with the Luhn formula, independently of the
 * code under test (a few lines of Python), and each comment says whether
 * the number is valid. */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/date.h"
#include "core/error.h"
#include "core/utf8.h"
#include "tap.h"
#include "text/privacy.h"

/* ---- collecting hits ----------------------------------------------------- */

struct got {
  enum gw_privacy_kind kind;
  size_t start, len;
  char *masked, *snippet, *context, *why;
  enum gw_privacy_conf conf;
  unsigned reasons;
};

struct res {
  struct got h[64];
  size_t n;
  int stop_after; /* return 42 after this many hits; 0 = never */
};

static int collect(const struct gw_privacy_hit *hit, void *ud)
{
  struct res *r = ud;
  if (r->n < sizeof r->h / sizeof *r->h) {
    struct got *g = &r->h[r->n];
    g->kind = hit->kind;
    g->start = hit->start;
    g->len = hit->len;
    g->masked = gw_strdup(hit->masked);
    g->snippet = gw_strdup(hit->snippet);
    g->context = gw_strdup(hit->context);
    g->why = gw_strdup(hit->why);
    g->conf = hit->confidence;
    g->reasons = hit->reasons;
  }
  r->n++;
  if (r->stop_after && (int)r->n >= r->stop_after)
    return 42;
  return GW_OK;
}

static void res_clear(struct res *r)
{
  for (size_t i = 0; i < r->n && i < sizeof r->h / sizeof *r->h; i++) {
    free(r->h[i].masked);
    free(r->h[i].snippet);
    free(r->h[i].context);
    free(r->h[i].why);
  }
  memset(r, 0, sizeof *r);
}

static struct gw_privacy_dict *g_dict;
static int64_t g_asof;

static int scan_opts(const char *text, struct res *r, enum gw_privacy_conf min)
{
  res_clear(r);
  struct gw_privacy_opts o = {.dict = g_dict, .as_of = g_asof, .min_confidence = min};
  return gw_privacy_scan(text, strlen(text), &o, collect, r);
}

static size_t scan(const char *text, struct res *r)
{
  int rc = scan_opts(text, r, GW_PRIVACY_LOW);
  CHECK_MSG(rc == GW_OK, "scan of \"%.80s\" returned %d (%s)", text, rc, gw_err_msg());
  return r->n;
}

/* ---- leak checks --------------------------------------------------------- */

/* Full-width digits to ASCII, so a leak in either form is caught. */
static void ascii_digits(const char *in, char *out, size_t size)
{
  size_t o = 0, n = strlen(in);
  for (size_t i = 0; i < n && o + 4 < size;) {
    uint32_t cp;
    size_t k = gw_utf8_decode(in + i, n - i, &cp);
    if (k == 0)
      k = 1;
    if (cp >= 0xFF10 && cp <= 0xFF19) {
      out[o++] = (char)('0' + (cp - 0xFF10));
    } else {
      memcpy(out + o, in + i, k);
      o += k;
    }
    i += k;
  }
  out[o] = '\0';
}

/* No output string of any hit contains 5 consecutive digits of a personal
 * value (masks keep at most 4 in a row: 138****1234, 6222...1234). */
static void check_no_leak(const struct res *r, const char *const *values, size_t nv)
{
  for (size_t i = 0; i < r->n && i < sizeof r->h / sizeof *r->h; i++) {
    const struct got *g = &r->h[i];
    const char *outs[] = {g->masked, g->snippet, g->context, g->why};
    for (size_t o = 0; o < sizeof outs / sizeof *outs; o++) {
      if (!outs[o])
        continue;
      char norm[8192];
      ascii_digits(outs[o], norm, sizeof norm);
      for (size_t v = 0; v < nv; v++) {
        size_t vl = strlen(values[v]);
        for (size_t s = 0; s + 5 <= vl; s++) {
          char sub[6];
          memcpy(sub, values[v] + s, 5);
          sub[5] = '\0';
          CHECK_MSG(strstr(norm, sub) == NULL, "hit %zu output %zu \"%s\" leaks %s of %s", i, o,
                    outs[o], sub, values[v]);
        }
      }
    }
    CHECK(gw_utf8_valid(g->snippet, strlen(g->snippet)));
    CHECK(gw_utf8_valid(g->why, strlen(g->why)));
  }
}

static const struct got *find_kind(const struct res *r, enum gw_privacy_kind k, size_t nth)
{
  for (size_t i = 0; i < r->n && i < sizeof r->h / sizeof *r->h; i++)
    if (r->h[i].kind == k && nth-- == 0)
      return &r->h[i];
  return NULL;
}

static size_t count_kind(const struct res *r, enum gw_privacy_kind k)
{
  size_t c = 0;
  for (size_t i = 0; i < r->n && i < sizeof r->h / sizeof *r->h; i++)
    c += r->h[i].kind == k;
  return c;
}

/* ---- the dictionary ------------------------------------------------------ */

static char *dict_dir(void)
{
  const char *src = getenv("GW_SRC");
  char buf[4096];
  if (src && *src) {
    snprintf(buf, sizeof buf, "%s/dict/privacy", src);
  } else {
    /* run by hand: the source tree from this file's path */
    snprintf(buf, sizeof buf, "%s", __FILE__);
    char *slash = strstr(buf, "/tests/unit/");
    if (slash)
      snprintf(slash, sizeof buf - (size_t)(slash - buf), "/dict/privacy");
  }
  return gw_strdup(buf);
}

static void test_dict_errors(void)
{
  struct gw_privacy_dict *d = NULL;
  CHECK_INT(gw_privacy_dict_new(&d), GW_OK);

  /* numbers: bad pattern, too few fixed digits, too long; the dict unchanged */
  const char *bad1 = "12345 热线\n40a-123\n";
  CHECK_INT(gw_privacy_dict_parse_numbers(d, "n.txt", bad1, strlen(bad1)), GW_EPARSE);
  CHECK_CONTAINS(gw_err_msg(), "n.txt:2:");
  CHECK_CONTAINS(gw_err_msg(), "40a-123");
  CHECK(!gw_privacy_dict_is_public(d, "12345")); /* the good first line was not kept */
  const char *bad2 = "1xxxxxxxxxx\n";
  CHECK_INT(gw_privacy_dict_parse_numbers(d, "n.txt", bad2, strlen(bad2)), GW_EPARSE);
  CHECK_CONTAINS(gw_err_msg(), "fewer than 2 digits");
  const char *bad3 = "123456789012345678901\n";
  CHECK_INT(gw_privacy_dict_parse_numbers(d, "n.txt", bad3, strlen(bad3)), GW_EPARSE);
  const char *bad4 = "12\n";
  CHECK_INT(gw_privacy_dict_parse_numbers(d, "n.txt", bad4, strlen(bad4)), GW_EPARSE);
  const char *bad5 = "400-\n";
  CHECK_INT(gw_privacy_dict_parse_numbers(d, "n.txt", bad5, strlen(bad5)), GW_EPARSE);
  const char *good = "\xEF\xBB\xBF# comment\n\n  12345\t热线 # trailing\n400-xxx-xxxx　企业号码\n";
  CHECK_INT(gw_privacy_dict_parse_numbers(d, "n.txt", good, strlen(good)), GW_OK);
  CHECK(gw_privacy_dict_is_public(d, "12345"));
  CHECK(gw_privacy_dict_is_public(d, "4008801234"));
  CHECK(!gw_privacy_dict_is_public(d, "40088012345"));
  CHECK(!gw_privacy_dict_is_public(d, "1234"));
  CHECK(!gw_privacy_dict_is_public(d, "4x08801234"));

  /* context words */
  const char *c1 = "身份证\n";
  CHECK_INT(gw_privacy_dict_parse_context(d, "c.txt", c1, strlen(c1)), GW_EPARSE);
  CHECK_CONTAINS(gw_err_msg(), "c.txt:1: word '身份证' before any [section]");
  const char *c2 = "[id]\n身份证\n[phone]\n手机\n";
  CHECK_INT(gw_privacy_dict_parse_context(d, "c.txt", c2, strlen(c2)), GW_EPARSE);
  CHECK_CONTAINS(gw_err_msg(), "c.txt:3: unknown section [phone]");
  const char *c3 = "[id\n";
  CHECK_INT(gw_privacy_dict_parse_context(d, "c.txt", c3, strlen(c3)), GW_EPARSE);
  CHECK_CONTAINS(gw_err_msg(), "closing ']'");
  const char *c4 = "[mobile]\n手机 号码\n";
  CHECK_INT(gw_privacy_dict_parse_context(d, "c.txt", c4, strlen(c4)), GW_EPARSE);
  CHECK_CONTAINS(gw_err_msg(), "c.txt:2:");
  const char *c5 = "[mobile]\n\xFF\xFE\n";
  CHECK_INT(gw_privacy_dict_parse_context(d, "c.txt", c5, strlen(c5)), GW_EPARSE);
  CHECK_CONTAINS(gw_err_msg(), "not valid UTF-8");
  char longw[200];
  memset(longw, 'a', sizeof longw);
  memcpy(longw, "[id]\n", 5);
  longw[sizeof longw - 2] = '\n';
  longw[sizeof longw - 1] = '\0';
  CHECK_INT(gw_privacy_dict_parse_context(d, "c.txt", longw, strlen(longw)), GW_EPARSE);
  CHECK_CONTAINS(gw_err_msg(), "longer than 64 bytes");

  /* surnames */
  const char *s1 = "王\n诸葛\nabc\n";
  CHECK_INT(gw_privacy_dict_parse_surnames(d, "s.txt", s1, strlen(s1)), GW_EPARSE);
  CHECK_CONTAINS(gw_err_msg(), "s.txt:3: 'abc' is not a surname");
  const char *s2 = "司马懿\n";
  CHECK_INT(gw_privacy_dict_parse_surnames(d, "s.txt", s2, strlen(s2)), GW_EPARSE);

  /* files */
  CHECK_INT(gw_privacy_dict_load(d, "/nonexistent/privacy"), GW_ENOTFOUND);
  CHECK_CONTAINS(gw_err_msg(), "/nonexistent/privacy/public_numbers.txt");
  CHECK_INT(gw_privacy_dict_load(d, ""), GW_EINVAL);
  CHECK_INT(gw_privacy_dict_load_numbers(d, "/nonexistent/local.txt"), GW_ENOTFOUND);
  gw_privacy_dict_free(&d);
  CHECK(d == NULL);
  gw_privacy_dict_free(&d); /* twice is fine */
}

/* ---- scan argument errors ------------------------------------------------ */

static void test_scan_errors(void)
{
  struct res r;
  memset(&r, 0, sizeof r);
  CHECK_INT(gw_privacy_scan("x", 1, NULL, collect, &r), GW_EINVAL);
  struct gw_privacy_opts o = {.dict = NULL, .as_of = g_asof};
  CHECK_INT(gw_privacy_scan("x", 1, &o, collect, &r), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "opts.dict");
  o.dict = g_dict;
  CHECK_INT(gw_privacy_scan("x", 1, &o, NULL, &r), GW_EINVAL);
  o.context_chars = 201;
  CHECK_INT(gw_privacy_scan("x", 1, &o, collect, &r), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "context_chars");
  o.context_chars = 0;
  o.snippet_chars = 1000;
  CHECK_INT(gw_privacy_scan("x", 1, &o, collect, &r), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "snippet_chars");
  o.snippet_chars = 0;
  /* the cap is checked before the text is read */
  CHECK_INT(gw_privacy_scan("x", GW_PRIVACY_MAX_TEXT + 1, &o, collect, &r), GW_ELIMIT);
  CHECK_INT(gw_privacy_scan(NULL, 0, &o, collect, &r), GW_OK);
  CHECK_INT(r.n, 0);
  /* the callback stops the scan with its value */
  res_clear(&r);
  r.stop_after = 1;
  const char *two = "手机13857501234，手机13957502345";
  CHECK_INT(gw_privacy_scan(two, strlen(two), &o, collect, &r), 42);
  CHECK_INT(r.n, 1);
  res_clear(&r);
}

/* ---- resident IDs -------------------------------------------------------- */

static void test_id18(void)
{
  struct res r;
  memset(&r, 0, sizeof r);
  /* 11010519491231002X: valid (check X). Alone: medium; with a label: high */
  CHECK_INT(scan("来信人11010519491231002X反映", &r), 1);
  CHECK_INT(r.h[0].kind, GW_PRIVACY_ID18);
  CHECK_INT(r.h[0].conf, GW_PRIVACY_MEDIUM);
  CHECK_STR(r.h[0].masked, "11*************02X");
  CHECK_INT(r.h[0].start, strlen("来信人"));
  CHECK_INT(r.h[0].len, 18);
  CHECK(r.h[0].reasons & GW_PRIVACY_R_CHECK_OK);
  CHECK(r.h[0].reasons & GW_PRIVACY_R_STRUCTURE);
  /* lower-case x is the same check character */
  CHECK_INT(scan("号码11010519491231002x。", &r), 1);
  CHECK_STR(r.h[0].masked, "11*************02X");

  CHECK_INT(scan("身份证号：350203198511110129", &r), 1);
  CHECK_INT(r.h[0].conf, GW_PRIVACY_HIGH);
  CHECK_STR(r.h[0].masked, "35*************129");
  CHECK_STR(r.h[0].context, "身份证号");
  CHECK(r.h[0].reasons & GW_PRIVACY_R_LABEL);
  CHECK_CONTAINS(r.h[0].why, "前有“身份证号”");
  CHECK_CONTAINS(r.h[0].why, "校验码正确");
  const char *v1[] = {"350203198511110129"};
  check_no_leak(&r, v1, 1);

  /* every ID of the table in the test_list fixture, valid, one per line */
  const char *valid[] = {"440305199912314514", "650102198001010012", "710000197001010024",
                         "810000196001010031", "910000195005050048"};
  for (size_t i = 0; i < sizeof valid / sizeof *valid; i++) {
    char t[128];
    snprintf(t, sizeof t, "证件号码 %s", valid[i]);
    CHECK_MSG(scan(t, &r) == 1 && r.h[0].kind == GW_PRIVACY_ID18 && r.h[0].conf == GW_PRIVACY_HIGH,
              "%s is a valid ID", valid[i]);
  }

  /* wrong check digit (valid one is ...0129): nothing alone, low with a label */
  CHECK_INT(scan("来信人350203198511110128反映", &r), 0);
  CHECK_INT(scan("身份证号码：350203198511110128", &r), 1);
  CHECK_INT(r.h[0].kind, GW_PRIVACY_ID18);
  CHECK_INT(r.h[0].conf, GW_PRIVACY_LOW);
  CHECK(r.h[0].reasons & GW_PRIVACY_R_CHECK_BAD);
  CHECK(!(r.h[0].reasons & GW_PRIVACY_R_CHECK_OK));
  CHECK_STR(r.h[0].masked, "35*************128");
  /* X as the check character: right for ...123X, wrong for ...201X (valid: 2011) */
  CHECK_INT(scan("来信人33010619900101123X反映", &r), 1);
  CHECK_INT(scan("来信人33068119760518201X反映", &r), 0);

  /* invalid region prefixes, with correct check digits for what they are */
  CHECK_INT(scan("身份证号 100106199001011237", &r), 0); /* 10: no such province */
  CHECK_INT(scan("身份证号 380106199001011239", &r), 0); /* 38: no such province */
  /* the same body with a valid prefix is found */
  CHECK_INT(scan("身份证号 33010619900101123X", &r), 1);

  /* written in 6-8-4 groups */
  CHECK_INT(scan("身份证号 330106 19900101 123X", &r), 1);
  CHECK_INT(r.h[0].kind, GW_PRIVACY_ID18);
  CHECK_STR(r.h[0].masked, "33*************23X");
  CHECK_INT(r.h[0].len, strlen("330106 19900101 123X"));
  CHECK_INT(scan("身份证号 330106-19900101-1234", &r), 1);
  CHECK_INT(r.h[0].conf, GW_PRIVACY_LOW); /* check character wrong (valid: X) */

  /* 18 digits that are not a valid ID and not a card label: nothing */
  CHECK_INT(scan("身份证号 330106199013010015", &r), 0); /* month 13 */
  res_clear(&r);
}

static void test_birth_dates(void)
{
  struct res r;
  memset(&r, 0, sizeof r);
  /* as of 2025-06-30 (set in main) */
  CHECK_INT(scan("身份证：331082200002290047", &r), 1);  /* 2000-02-29: leap year */
  CHECK_INT(scan("身份证：510107200402290028", &r), 1);  /* 2004-02-29: leap year */
  CHECK_INT(scan("身份证：331082190002290040", &r), 0);  /* 1900-02-29: 1900 is not leap */
  CHECK_INT(scan("身份证：331082200102290044", &r), 0);  /* 2001-02-29: not leap */
  CHECK_INT(scan("身份证：330106189912310012", &r), 0);  /* 1899: before 1900 */
  CHECK_INT(scan("身份证：330106202506300015", &r), 1);  /* the as-of day itself */
  CHECK_INT(scan("身份证：33010620250701001X", &r), 0);  /* the day after the as-of day */
  /* a later as-of date accepts it */
  int64_t keep = g_asof;
  CHECK_INT(gw_time_parse("2025-07-01", &g_asof), GW_OK);
  CHECK_INT(scan("身份证：33010620250701001X", &r), 1);
  g_asof = keep;
  res_clear(&r);
}

static void test_id15(void)
{
  struct res r;
  memset(&r, 0, sizeof r);
  /* 330106900101123: region 330106, born 1990-01-01, no check digit */
  CHECK_INT(scan("编码330106900101123备用", &r), 0); /* no context: too many lookalikes */
  CHECK_INT(scan("其中330106900101123备用", &r), 0);
  CHECK_INT(scan("身份证号码：330106900101123", &r), 1);
  CHECK_INT(r.h[0].kind, GW_PRIVACY_ID15);
  CHECK_INT(r.h[0].conf, GW_PRIVACY_MEDIUM);
  CHECK_STR(r.h[0].masked, "33**********123");
  CHECK_INT(scan("身份证号码：330106901301123", &r), 0); /* month 13 */
  CHECK_INT(scan("身份证号码：330106900230123", &r), 0); /* Feb 30 */
  CHECK_INT(scan("身份证号码：470106900101123", &r), 0); /* 47: no such province */
  CHECK_INT(scan("手机号码：330106900101123", &r), 0);   /* a label, but not an ID label */
  /* under an ID column with a name in the row: high */
  CHECK_INT(scan("姓名\t身份证号码\n张伟\t330106900101123\n", &r), 1);
  CHECK_INT(r.h[0].conf, GW_PRIVACY_HIGH);
  CHECK(r.h[0].reasons & GW_PRIVACY_R_COLUMN);
  CHECK(r.h[0].reasons & GW_PRIVACY_R_NAME);
  res_clear(&r);
}

/* ---- mobiles ------------------------------------------------------------- */

static void test_mobile(void)
{
  struct res r;
  memset(&r, 0, sizeof r);
  CHECK_INT(scan("如有疑问请与13857501234联系", &r), 1);
  CHECK_INT(r.h[0].kind, GW_PRIVACY_MOBILE);
  CHECK_INT(r.h[0].conf, GW_PRIVACY_MEDIUM);
  CHECK_STR(r.h[0].masked, "138****1234");
  CHECK_INT(scan("联系电话：13857501234", &r), 1);
  CHECK_INT(r.h[0].conf, GW_PRIVACY_HIGH);
  CHECK_STR(r.h[0].context, "联系电话");

  /* written forms: +86, 86, 3-4-4 groups with spaces or hyphens */
  static const struct {
    const char *text;
    size_t start, len;
  } forms[] = {
      {"手机 +86 138 5750 1234 。", 7, 17},
      {"手机 +86-13857501234。", 7, 15},
      {"手机 8613857501234。", 7, 13},
      {"手机 +8613857501234。", 7, 14},
      {"手机 86 13857501234。", 7, 14},
      {"手机 138-5750-1234。", 7, 13},
      {"手机 138 5750 1234。", 7, 13},
      {"手机 138　5750　1234。", 7, 17}, /* ideographic spaces */
      {"手机（+86）13857501234", 15, 11},  /* the bracketed prefix stays outside */
  };
  for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
    size_t n = scan(forms[i].text, &r);
    CHECK_MSG(n == 1, "\"%s\": %zu hits", forms[i].text, n);
    if (n != 1)
      continue;
    CHECK_MSG(r.h[0].kind == GW_PRIVACY_MOBILE, "\"%s\": kind %d", forms[i].text, r.h[0].kind);
    CHECK_STR(r.h[0].masked, "138****1234");
    CHECK_MSG(r.h[0].start == forms[i].start && r.h[0].len == forms[i].len,
              "\"%s\": start %zu len %zu, want %zu %zu", forms[i].text, r.h[0].start, r.h[0].len,
              forms[i].start, forms[i].len);
    const char *v[] = {"13857501234"};
    check_no_leak(&r, v, 1);
  }
  /* segments 10-12 are not mobile numbers; 13-19 are */
  CHECK_INT(scan("电话 12857501234", &r), 0);
  CHECK_INT(scan("电话 19957501234", &r), 1);
  /* mixed separators or a 4-3-4 grouping are not a written mobile number */
  CHECK_INT(scan("电话 138 5750-1234", &r), 0);
  CHECK_INT(scan("电话 1385 750 1234", &r), 0);
  /* a public label lowers it; min_confidence filters it */
  CHECK_INT(scan("监督电话：13857501234", &r), 1);
  CHECK_INT(r.h[0].conf, GW_PRIVACY_LOW);
  CHECK(r.h[0].reasons & GW_PRIVACY_R_PUBLIC);
  CHECK_STR(r.h[0].context, "监督电话");
  CHECK_INT(scan_opts("监督电话：13857501234", &r, GW_PRIVACY_MEDIUM), GW_OK);
  CHECK_INT(r.n, 0);
  /* the label belongs to the number after it, not to the next one */
  CHECK_INT(scan("监督电话：13957502345，联系人王芳 13857501234", &r), 2);
  CHECK_INT(r.h[0].conf, GW_PRIVACY_LOW);
  CHECK_INT(r.h[1].conf, GW_PRIVACY_HIGH);
  CHECK_STR(r.h[1].context, "联系人");
  /* a code label: not a hit */
  CHECK_INT(scan("订单号：13857501234", &r), 0);
  CHECK_INT(scan("项目编号 13857501234", &r), 0);
  /* nearest label wins: 证件编号 is an ID label, 编号 alone is not personal */
  CHECK_INT(scan("证件编号：350203198511110129", &r), 1);
  CHECK_INT(r.h[0].conf, GW_PRIVACY_HIGH);
  CHECK_INT(scan("编号：350203198511110129", &r), 1);
  CHECK_INT(r.h[0].conf, GW_PRIVACY_LOW); /* a valid ID is still shown, low */
  CHECK(r.h[0].reasons & GW_PRIVACY_R_NOT_PERSONAL);
  res_clear(&r);
}

/* ---- boundaries and full-width digits ------------------------------------ */

static void test_boundaries(void)
{
  struct res r;
  memset(&r, 0, sizeof r);
  static const char *const none[] = {
      "流水号 2023350203198511110129",            /* inside a longer run */
      "编码 35020319851111012977",                /* 20 digits */
      "No.13857501234",                           /* letters before the dot */
      "SN13857501234",                            /* glued to letters */
      "13857501234ab",                            /* glued to letters after */
      "http://www.qingxi.gov.cn/art/13857501234.html",
      "/col/col13857501234/index.html",
      "?id=13857501234&t=1",
      "art_13857501234_1.html",
      "金额 13857501234.50 元",                   /* a decimal */
      "比例 0.13857501234",
      "a@13857501234",
      "138575012345",                             /* 12 digits */
      "1385750123",                               /* 10 digits */
      "2023-13857501234-01",                      /* a hyphenated code */
      "350203198511110129X",                      /* 18 digits and a letter */
      "35020319851111012XY",                      /* X glued to a word */
      "138 5750 1234 5678",                       /* a longer grouped number */
      "2023 138 5750 1234",                       /* after a longer group */
  };
  for (size_t i = 0; i < sizeof none / sizeof *none; i++) {
    size_t n = scan(none[i], &r);
    CHECK_MSG(n == 0, "\"%s\": %zu hits, want none (first: %s)", none[i], n,
              n ? r.h[0].masked : "");
  }
  /* clean ends: punctuation, Chinese, line ends, start and end of text */
  static const char *const one[] = {
      "13857501234",         "(13857501234)",     "电话13857501234。", "电话:13857501234,",
      "[13857501234]",       "“13857501234”",     "13857501234\n",     "\t13857501234\t",
      "电话 13857501234. ",  "电话：13857501234；",
  };
  for (size_t i = 0; i < sizeof one / sizeof *one; i++) {
    size_t n = scan(one[i], &r);
    CHECK_MSG(n == 1, "\"%s\": %zu hits, want 1", one[i], n);
  }
  /* two numbers side by side, separated by a comma or a space */
  CHECK_INT(scan("电话13857501234,13957502345", &r), 2);
  CHECK_INT(scan("电话 13857501234 13957502345", &r), 2);

  /* full-width digits and Ｘ */
  CHECK_INT(scan("手机：１３８５７５０１２３４", &r), 1);
  CHECK_INT(r.h[0].kind, GW_PRIVACY_MOBILE);
  CHECK_STR(r.h[0].masked, "138****1234");
  CHECK_INT(r.h[0].start, strlen("手机："));
  CHECK_INT(r.h[0].len, 33);
  const char *v[] = {"13857501234", "11010519491231002X"};
  check_no_leak(&r, v, 2);
  CHECK_INT(scan("身份证：１１０１０５１９４９１２３１００２Ｘ", &r), 1);
  CHECK_INT(r.h[0].kind, GW_PRIVACY_ID18);
  CHECK_STR(r.h[0].masked, "11*************02X");
  CHECK_INT(r.h[0].len, 54);
  check_no_leak(&r, v, 2);
  /* a mix of both widths is one number */
  CHECK_INT(scan("手机：138５７５０1234", &r), 1);
  CHECK_STR(r.h[0].masked, "138****1234");
  /* full-width letters glue like ASCII ones */
  CHECK_INT(scan("ＳＮ13857501234", &r), 0);
  res_clear(&r);
}

/* ---- bank cards ---------------------------------------------------------- */

static void test_bank(void)
{
  struct res r;
  memset(&r, 0, sizeof r);
  /* 6222021234567890128: Luhn valid, UnionPay */
  CHECK_INT(scan("银行卡号：6222021234567890128", &r), 1);
  CHECK_INT(r.h[0].kind, GW_PRIVACY_BANK_CARD);
  CHECK_INT(r.h[0].conf, GW_PRIVACY_HIGH);
  CHECK_STR(r.h[0].masked, "6222***********0128");
  CHECK(r.h[0].reasons & GW_PRIVACY_R_CHECK_OK);
  CHECK_CONTAINS(r.h[0].why, "Luhn");
  const char *v[] = {"6222021234567890128"};
  check_no_leak(&r, v, 1);
  /* without a card label: Luhn alone passes one random number in ten */
  CHECK_INT(scan("编码6222021234567890128备用", &r), 0);
  CHECK_INT(scan("其中 6222021234567890128", &r), 0);
  /* Luhn wrong */
  CHECK_INT(scan("银行卡号：6222021234567890127", &r), 0);
  /* no plausible issuer (7...) even with Luhn right */
  CHECK_INT(scan("银行卡号：7100001234567890129", &r), 0);
  /* 16 digits Visa, 18 digits UnionPay, 19 digits 9558... */
  CHECK_INT(scan("卡号 4556051234567892", &r), 1);
  CHECK_STR(r.h[0].masked, "4556********7892");
  CHECK_INT(scan("开户账号 623668123456789012", &r), 0); /* 18 digits, Luhn wrong */
  CHECK_INT(scan("一卡通账号 9588001234567890123", &r), 1);
  /* written in groups of four */
  CHECK_INT(scan("银行卡号：6222 0212 3456 7890 128", &r), 1);
  CHECK_STR(r.h[0].masked, "6222***********0128");
  CHECK_INT(r.h[0].len, strlen("6222 0212 3456 7890 128"));
  check_no_leak(&r, v, 1);
  CHECK_INT(scan("卡号 6217-0012-3456-7893", &r), 1);
  CHECK_STR(r.h[0].masked, "6217********7893");
  /* a service label nearest to it, under a card column: low */
  CHECK_INT(scan("单位\t类别\t银行卡号\n县民政局\t热线\t6222085260181590839\n", &r), 1);
  CHECK_INT(r.h[0].conf, GW_PRIVACY_LOW);
  CHECK(r.h[0].reasons & GW_PRIVACY_R_PUBLIC);
  CHECK(r.h[0].reasons & GW_PRIVACY_R_COLUMN);
  CHECK_INT(scan("监督电话 6222021234567890128", &r), 0); /* no card label at all */
  /* an 18-digit card whose digits are no ID (year 8657) */
  CHECK_INT(scan("卡号：621661865797543237", &r), 1);
  CHECK_INT(r.h[0].kind, GW_PRIVACY_BANK_CARD);
  CHECK_STR(r.h[0].masked, "6216**********3237");
  CHECK_INT(scan("卡号：621661865797543238", &r), 0); /* Luhn wrong */
  res_clear(&r);
}

/* ---- exclusions ---------------------------------------------------------- */

static void test_exclusions(void)
{
  struct res r;
  memset(&r, 0, sizeof r);
  /* every public number of the shipped list, in the contexts pages use */
  static const char *const pub[] = {"12345", "12315", "12320", "12366", "12368", "110", "119",
                                    "120",   "122",   "12110", "95588", "95599", "10086", "96110"};
  for (size_t i = 0; i < sizeof pub / sizeof *pub; i++) {
    char t[256];
    snprintf(t, sizeof t,
             "请拨打%s。服务热线：%s，监督电话 0571-%s，手机拨打%s转1，（%s）", pub[i], pub[i],
             pub[i], pub[i], pub[i]);
    CHECK_MSG(scan(t, &r) == 0, "public number %s gave a hit", pub[i]);
    CHECK(gw_privacy_dict_is_public(g_dict, pub[i]));
  }
  CHECK(gw_privacy_dict_is_public(g_dict, "4008801234"));
  CHECK(gw_privacy_dict_is_public(g_dict, "8008101234"));
  CHECK(!gw_privacy_dict_is_public(g_dict, "13857501234"));
  CHECK_INT(scan("客服电话：400-880-1234，800-810-1234，4008801234", &r), 0);
  /* the carrier's service number has the shape of a mobile number */
  CHECK_INT(scan("中国移动客服13800138000", &r), 0);
  CHECK_INT(scan("联系人13800138001", &r), 1);

  /* site codes, filing numbers, codes, dates, 文号, postal codes */
  static const char *const codes[] = {
      "网站标识码：3301270001",
      "浙ICP备05012345号-1",
      "浙公网安备 33012202000123号",
      "浙公网安备33012202000123号",
      "京公网安备 11010502030143号",
      "统一社会信用代码：11330127002609821B",
      "统一社会信用代码 913301067045123456",
      "组织机构代码 330106199001011234",
      "青政办发〔2023〕45号",
      "2023年9月20日 20230920 2023-09-20 2023/09/20",
      "邮编：311800",
      "发布时间：2023-09-20 14:30:00 浏览次数：13857",
      "全县2023年1-8月接听来电1381234次，办结率99.87%",
      "一般公共预算收入 13857501234 元", /* an amount labelled as such */
  };
  for (size_t i = 0; i < sizeof codes / sizeof *codes; i++) {
    size_t n = scan(codes[i], &r);
    CHECK_MSG(n == 0, "\"%s\": %zu hits (first %s)", codes[i], n, n ? r.h[0].masked : "");
  }

  /* an office's own published number: a hit until it is listed */
  CHECK_INT(scan("值班手机：13957501111", &r), 1);
  struct gw_privacy_dict *d = NULL;
  gw_privacy_dict_new(&d);
  char *dir = dict_dir();
  CHECK_INT(gw_privacy_dict_load(d, dir), GW_OK);
  const char *local = "13957501111 县应急管理局值班手机\n0571-64701234 县民政局\n";
  CHECK_INT(gw_privacy_dict_parse_numbers(d, "local", local, strlen(local)), GW_OK);
  struct gw_privacy_opts o = {.dict = d, .as_of = g_asof};
  res_clear(&r);
  const char *t = "值班手机：13957501111，如遇紧急情况请联系13857501234或0571-64701234";
  CHECK_INT(gw_privacy_scan(t, strlen(t), &o, collect, &r), GW_OK);
  CHECK_INT(r.n, 1);
  CHECK_STR(r.h[0].masked, "138****1234");
  /* the public number stays readable in the snippet, the other is masked */
  CHECK_CONTAINS(r.h[0].snippet, "13957501111");
  CHECK_CONTAINS(r.h[0].snippet, "138****1234");
  CHECK_CONTAINS(r.h[0].snippet, "0571-64701234");
  gw_privacy_dict_free(&d);

  /* local_numbers.txt beside the shipped lists is read when present */
  const char *tmp = gw_test_tmpdir();
  const char *files[] = {"public_numbers.txt", "context.txt", "surnames.txt"};
  for (size_t i = 0; i < 3; i++) {
    char from[4200], to[4200];
    snprintf(from, sizeof from, "%s/%s", dir, files[i]);
    snprintf(to, sizeof to, "%s/%s", tmp, files[i]);
    size_t len = 0;
    char *data = gw_test_slurp(from, &len);
    CHECK(data != NULL);
    FILE *f = fopen(to, "wb");
    if (f && data) {
      fwrite(data, 1, len, f);
      fclose(f);
    }
    free(data);
  }
  char lp[4200];
  snprintf(lp, sizeof lp, "%s/local_numbers.txt", tmp);
  FILE *f = fopen(lp, "wb");
  if (f) {
    fputs("# 本单位公开号码\n13957501111 值班手机\n", f);
    fclose(f);
  }
  gw_privacy_dict_new(&d);
  CHECK_INT(gw_privacy_dict_load(d, tmp), GW_OK);
  CHECK(gw_privacy_dict_is_public(d, "13957501111"));
  CHECK(gw_privacy_dict_is_public(d, "12345"));
  gw_privacy_dict_free(&d);
  /* a bad local list names its file and line */
  f = fopen(lp, "wb");
  if (f) {
    fputs("13957501111\n139-5750-11a1\n", f);
    fclose(f);
  }
  gw_privacy_dict_new(&d);
  CHECK_INT(gw_privacy_dict_load(d, tmp), GW_EPARSE);
  CHECK_CONTAINS(gw_err_msg(), "local_numbers.txt:2:");
  CHECK_INT(gw_privacy_dict_load_numbers(d, lp), GW_EPARSE);
  gw_privacy_dict_free(&d);
  free(dir);
  res_clear(&r);
}

/* ---- a subsidy list, a news page ---------------------------------------- */

static const char LIST_TEXT[] =
    "青溪县2023年第三季度城乡低保补贴发放名单公示\n"
    "根据《青溪县最低生活保障实施办法》，现将2023年第三季度低保补贴发放名单公示如下，"
    "公示期7天（2023年9月1日至9月7日）。\n"
    "序号\t姓名\t身份证号码\t联系电话\t家庭住址\t补贴金额（元）\t银行卡号\n"
    "1\t王秀英\t330681194510016033\t13857501234\t青溪镇东风村3组\t1200\t6222085260181590839\n"
    "2\t李建国\t330681197605182011\t139-5750-2345\t青溪镇南山村\t1200\t6228480166131860917\n"
    "3\t张小明\t330681201203124029\t\t青溪镇南山村\t800\t6217003909960304\n"
    "4\t欧阳娜\t350203198511110129\t+86 158 5750 3456\t白石乡\t1500\t6236688246281948218\n"
    "5\t赵*\t331082200002290047\t１８６５７５０４５６７\t白石乡\t900\t9588009935181909378\n"
    "监督电话：0571-12345，举报电话：0571-64701234。\n"
    "青溪县民政局\n"
    "2023年9月1日\n";

static const char *const LIST_VALUES[] = {
    "330681194510016033", "330681197605182011", "330681201203124029", "350203198511110129",
    "331082200002290047", "13857501234",        "13957502345",        "15857503456",
    "18657504567",        "6222085260181590839", "6228480166131860917", "6217003909960304",
    "6236688246281948218", "9588009935181909378"};

static void test_subsidy_list(void)
{
  struct res r;
  memset(&r, 0, sizeof r);
  CHECK_INT(scan(LIST_TEXT, &r), 14);
  CHECK_INT(count_kind(&r, GW_PRIVACY_ID18), 5);
  CHECK_INT(count_kind(&r, GW_PRIVACY_MOBILE), 4);
  CHECK_INT(count_kind(&r, GW_PRIVACY_BANK_CARD), 5);
  for (size_t i = 0; i < r.n && i < 64; i++) {
    const struct got *g = &r.h[i];
    CHECK_MSG(g->conf == GW_PRIVACY_HIGH, "hit %zu (%s %s) is %s: %s", i,
              gw_privacy_kind_name(g->kind), g->masked, gw_privacy_conf_name(g->conf), g->why);
    CHECK_MSG(g->reasons & GW_PRIVACY_R_COLUMN, "hit %zu (%s) not by its column: %s", i, g->masked,
              g->why);
    CHECK_MSG(g->reasons & GW_PRIVACY_R_NAME, "hit %zu (%s) without the row's name: %s", i,
              g->masked, g->why);
    /* start/len point at the number in the text */
    char d = LIST_TEXT[g->start];
    CHECK(d == '+' || (d >= '0' && d <= '9') || (unsigned char)d == 0xEF);
  }
  const char *masked[] = {"33*************033", "138****1234",        "6222***********0839",
                          "33*************011", "139****2345",        "6228***********0917",
                          "33*************029", "6217********0304",   "35*************129",
                          "158****3456",        "6236***********8218", "33*************047",
                          "186****4567",        "9588***********9378"};
  for (size_t i = 0; i < 14 && i < r.n; i++)
    CHECK_STR(r.h[i].masked, masked[i]);
  const struct got *id = find_kind(&r, GW_PRIVACY_ID18, 0);
  CHECK(id && strcmp(id->context, "身份证号码") == 0);
  const struct got *mob = find_kind(&r, GW_PRIVACY_MOBILE, 0);
  CHECK(mob && strcmp(mob->context, "联系电话") == 0);
  const struct got *card = find_kind(&r, GW_PRIVACY_BANK_CARD, 2);
  CHECK(card && strcmp(card->context, "银行卡号") == 0);
  /* the snippet of row 1's ID shows the row's other numbers masked too */
  CHECK(id && strstr(id->snippet, "138****1234") != NULL);
  CHECK(id && strstr(id->snippet, "王秀英") != NULL);
  /* the public hotline after the list stays readable */
  const struct got *last = find_kind(&r, GW_PRIVACY_BANK_CARD, 4);
  CHECK(last && strstr(last->snippet, "0571-12345") != NULL);
  check_no_leak(&r, LIST_VALUES, sizeof LIST_VALUES / sizeof *LIST_VALUES);

  /* the same list with blank-separated cells (text extracted from HTML) */
  char *blank = gw_strdup(LIST_TEXT);
  for (char *p = blank; *p; p++)
    if (*p == '\t')
      *p = ' ';
  CHECK_INT(scan(blank, &r), 14);
  size_t high = 0;
  for (size_t i = 0; i < r.n && i < 64; i++)
    high += r.h[i].conf == GW_PRIVACY_HIGH;
  CHECK_INT(high, 14);
  check_no_leak(&r, LIST_VALUES, sizeof LIST_VALUES / sizeof *LIST_VALUES);
  free(blank);

  /* Markdown-style rows */
  const char *md = "| 姓名 | 身份证号码 | 手机 |\n|---|---|---|\n| 陈静 | 440305199912314514 | 13757505678 |\n";
  CHECK_INT(scan(md, &r), 2);
  CHECK(r.n == 2 && (r.h[0].reasons & GW_PRIVACY_R_COLUMN) && (r.h[1].reasons & GW_PRIVACY_R_COLUMN));
  res_clear(&r);
}

static const char NEWS_TEXT[] =
    "青溪县人民政府办公室关于做好2023年国庆节期间值班工作的通知\n"
    "青政办发〔2023〕45号\n"
    "各乡镇人民政府，县政府各部门：\n"
    "国庆节期间（2023年9月29日至10月6日），请各单位严格落实24小时值班制度。"
    "群众诉求请拨打政务服务便民热线12345，市场监管投诉举报请拨打12315，纳税服务热线12366，"
    "诉讼服务热线12368，卫生健康热线12320。遇有紧急情况请拨打110、119、120，交通事故报警122，"
    "短信报警12110。县政府总值班室电话：0571-64701234，传真：0571-64705678。\n"
    "咨询电话：400-880-1234、95588；中国移动客服13800138000。\n"
    "网站标识码：3301270001  浙ICP备05012345号-1  浙公网安备 33012202000123号\n"
    "邮编：311800  地址：青溪县人民路1号\n"
    "统计数据显示，全县2023年1-8月接听来电1381234次，办结率99.87%，"
    "一般公共预算收入13857501234元。\n"
    "附件：http://www.qingxi.gov.cn/art/2023/9/20/art_1385750_13857501234.html\n"
    "青溪县人民政府办公室\n"
    "2023年9月20日\n";

static void test_news(void)
{
  struct res r;
  memset(&r, 0, sizeof r);
  size_t n = scan(NEWS_TEXT, &r);
  CHECK_MSG(n == 0, "news text: %zu hits (first %s: %s)", n, n ? r.h[0].masked : "",
            n ? r.h[0].why : "");
  res_clear(&r);
}

/* ---- context: tables, names, forms --------------------------------------- */

static void test_context(void)
{
  struct res r;
  memset(&r, 0, sizeof r);
  /* a name in a header-less row raises a mobile to high */
  CHECK_INT(scan("1 张伟 男 13857501234 东风村", &r), 1);
  CHECK_INT(r.h[0].conf, GW_PRIVACY_HIGH);
  CHECK(r.h[0].reasons & GW_PRIVACY_R_NAME);
  CHECK_CONTAINS(r.h[0].why, "同一行有姓名");
  /* masked names and compound surnames count */
  CHECK_INT(scan("2 李** 13857501234", &r), 1);
  CHECK(r.h[0].reasons & GW_PRIVACY_R_NAME);
  CHECK_INT(scan("3 司马光 13857501234", &r), 1);
  CHECK(r.h[0].reasons & GW_PRIVACY_R_NAME);
  /* a long run of Han text is not a name */
  CHECK_INT(scan("王府井大街附近的商户请拨打13857501234", &r), 1);
  CHECK(!(r.h[0].reasons & GW_PRIVACY_R_NAME));
  CHECK_INT(r.h[0].conf, GW_PRIVACY_MEDIUM);

  /* a vertical form: label and value on one line each */
  CHECK_INT(scan("姓名 刘洋\n身份证号 440305199912314514\n手机 13857501234\n", &r), 2);
  CHECK_INT(r.h[0].conf, GW_PRIVACY_HIGH);
  CHECK_STR(r.h[0].context, "身份证号");
  CHECK_INT(r.h[1].conf, GW_PRIVACY_HIGH);
  CHECK_STR(r.h[1].context, "手机");

  /* the column decides, not the previous row's numbers */
  const char *t = "单位\t值班电话\t备注\n县应急局\t13857501234\t24小时\n";
  CHECK_INT(scan(t, &r), 1);
  CHECK_INT(r.h[0].conf, GW_PRIVACY_LOW);
  CHECK(r.h[0].reasons & GW_PRIVACY_R_PUBLIC);
  CHECK_STR(r.h[0].context, "值班电话");
  /* an amount column: a mobile-shaped amount is not a hit */
  CHECK_INT(scan("项目\t金额\n收入\t13857501234\n", &r), 0);
  /* a blank line ends the table: the header no longer applies */
  CHECK_INT(scan("项目\t金额\n\n收入\t13857501234\n", &r), 1);

  /* a label further than context_chars away does not count */
  CHECK_INT(scan("联系电话：请在工作日上午九点至下午五点之间拨打以下号码进行咨询和登记手续办理 13857501234", &r), 1);
  CHECK_INT(r.h[0].conf, GW_PRIVACY_MEDIUM);
  res_clear(&r);
  struct gw_privacy_opts o = {.dict = g_dict, .as_of = g_asof, .context_chars = 60};
  const char *far = "联系电话：请在工作日上午九点至下午五点之间拨打以下号码进行咨询和登记手续办理 13857501234";
  CHECK_INT(gw_privacy_scan(far, strlen(far), &o, collect, &r), GW_OK);
  CHECK_INT(r.n, 1);
  CHECK_INT(r.h[0].conf, GW_PRIVACY_HIGH);
  res_clear(&r);
}

/* ---- snippets ------------------------------------------------------------ */

static void test_snippet(void)
{
  struct res r;
  memset(&r, 0, sizeof r);
  /* cut marks, line breaks as spaces, every number masked */
  const char *t = "这是一段很长的开头文字用于测试摘要截断的效果\n姓名：周杰\r\n身份证号：350203198511110129\t手机：13857501234\n这是一段很长的结尾文字用于测试摘要截断的效果";
  CHECK_INT(scan(t, &r), 2);
  CHECK(strncmp(r.h[0].snippet, "…", strlen("…")) == 0);
  CHECK(strstr(r.h[0].snippet, "\n") == NULL);
  CHECK(strstr(r.h[0].snippet, "\r") == NULL);
  CHECK(strstr(r.h[0].snippet, "\t") == NULL);
  CHECK_CONTAINS(r.h[0].snippet, "身份证号：35*************129 手机：138****1234");
  const char *v[] = {"350203198511110129", "13857501234"};
  check_no_leak(&r, v, 2);
  /* a number cut by the snippet window is shown whole (masked), not cut */
  res_clear(&r);
  struct gw_privacy_opts o = {.dict = g_dict, .as_of = g_asof, .snippet_chars = 3};
  const char *t2 = "身份证号：350203198511110129 13857501234";
  CHECK_INT(gw_privacy_scan(t2, strlen(t2), &o, collect, &r), GW_OK);
  CHECK_INT(r.n, 2);
  CHECK_CONTAINS(r.h[1].snippet, "35*************129");
  check_no_leak(&r, v, 2);
  /* landlines near a hit are masked (area code kept); listed numbers and
   * landlines labelled as service numbers are not */
  CHECK_INT(scan("张三 电话0571-64701234 手机13857501234 热线0571-12345", &r), 1);
  CHECK_CONTAINS(r.h[0].snippet, "0571-****1234");
  CHECK_CONTAINS(r.h[0].snippet, "0571-12345");
  const char *v3[] = {"64701234"};
  check_no_leak(&r, v3, 1);
  CHECK_INT(scan("监督电话：0571-64701234，申请人张三 13857501234", &r), 1);
  CHECK_CONTAINS(r.h[0].snippet, "0571-64701234");
  CHECK_INT(scan("家属电话：(0571) 64701234 手机13857501234", &r), 1);
  CHECK_CONTAINS(r.h[0].snippet, "：0571-****1234 手机138****1234");
  CHECK_INT(scan("家属电话（0571）64701234 手机13857501234", &r), 1);
  CHECK_CONTAINS(r.h[0].snippet, "电话0571-****1234 手机138****1234");
  /* a bare local number after a phone label is masked; other 8-digit
   * numbers (dates, amounts) are left alone */
  CHECK_INT(scan("张三 电话64701234 手机13857501234 日期20230920", &r), 1);
  CHECK_CONTAINS(r.h[0].snippet, "电话****1234 手机138****1234 日期20230920");
  check_no_leak(&r, v3, 1);
  /* invalid UTF-8 around a hit: replaced, the snippet stays valid */
  const char bad[] = "\xFF\xFE手机\xE4\xB8 13857501234 \xC0\xAF";
  CHECK_INT(scan(bad, &r), 1);
  CHECK(gw_utf8_valid(r.h[0].snippet, strlen(r.h[0].snippet)));
  CHECK_CONTAINS(r.h[0].snippet, "\xEF\xBF\xBD");
  CHECK_CONTAINS(r.h[0].snippet, "138****1234");
  res_clear(&r);
}

static void test_names(void)
{
  CHECK_STR(gw_privacy_kind_name(GW_PRIVACY_ID18), "id18");
  CHECK_STR(gw_privacy_kind_name(GW_PRIVACY_BANK_CARD), "bank_card");
  CHECK_STR(gw_privacy_kind_name((enum gw_privacy_kind)9), "?");
  CHECK_STR(gw_privacy_kind_label(GW_PRIVACY_MOBILE), "手机号码");
  CHECK_STR(gw_privacy_conf_name(GW_PRIVACY_MEDIUM), "medium");
  CHECK_STR(gw_privacy_conf_label(GW_PRIVACY_HIGH), "高");
  CHECK_STR(gw_privacy_conf_label((enum gw_privacy_conf)-1), "?");
}

int main(void)
{
  CHECK_INT(gw_time_parse("2025-06-30", &g_asof), GW_OK);
  char *dir = dict_dir();
  CHECK_INT(gw_privacy_dict_new(&g_dict), GW_OK);
  int rc = gw_privacy_dict_load(g_dict, dir);
  CHECK_MSG(rc == GW_OK, "load %s: %s", dir, gw_err_msg());
  free(dir);
  if (rc != GW_OK)
    return gw_test_done();
  test_dict_errors();
  test_scan_errors();
  test_id18();
  test_birth_dates();
  test_id15();
  test_mobile();
  test_boundaries();
  test_bank();
  test_exclusions();
  test_subsidy_list();
  test_news();
  test_context();
  test_snippet();
  test_names();
  gw_privacy_dict_free(&g_dict);
  return gw_test_done();
}
