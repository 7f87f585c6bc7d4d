/* The register's validation, references, import checks and export table,
 * over in-memory lists (the store-backed paths are covered by
 * tests/e2e/register.sh). */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "register/register.h"
#include "tap.h"

/* ---- helpers ---- */

static void url_ok(const char *in, bool assume, const char *want, int line)
{
  char *out = NULL;
  int rc = gw_reg_url_normalize(in, assume, &out);
  gw_test_report(rc == GW_OK && out && strcmp(out, want) == 0, __FILE__, line,
                 "normalize '%s' -> '%s' (got rc %d, '%s', msg %s)", in, want, rc, out ? out : "(null)",
                 rc ? gw_err_msg() : "-");
  free(out);
}

static void url_bad(const char *in, bool assume, int want_rc, const char *msg_part, int line)
{
  char *out = NULL;
  int rc = gw_reg_url_normalize(in, assume, &out);
  gw_test_report(rc == want_rc && out == NULL && strstr(gw_err_msg(), msg_part), __FILE__, line,
                 "normalize '%s' fails %d with '%s' (got rc %d, out '%s', msg '%s')", in, want_rc,
                 msg_part, rc, out ? out : "(null)", gw_err_msg());
  free(out);
}

static void code_ok(const char *in, const char *want, int line)
{
  char *out = NULL;
  int rc = gw_reg_site_code_normalize(in, &out);
  gw_test_report(rc == GW_OK && out && strcmp(out, want) == 0, __FILE__, line,
                 "code '%s' -> '%s' (rc %d, '%s', %s)", in, want, rc, out ? out : "(null)",
                 rc ? gw_err_msg() : "-");
  free(out);
}

static void code_bad(const char *in, const char *detail, int line)
{
  char *out = NULL;
  int rc = gw_reg_site_code_normalize(in, &out);
  const char *m = gw_err_msg();
  gw_test_report(rc == GW_EINVAL && !out &&
                     strstr(m, "网站标识码 must be 10 digits starting with a province code, or bm + 8 digits") &&
                     strstr(m, detail),
                 __FILE__, line, "code '%s' rejected with '%s' (rc %d, msg '%s')", in, detail, rc, m);
  free(out);
}

#define URL_OK(in, assume, want) url_ok(in, assume, want, __LINE__)
#define URL_BAD(in, assume, rc, msg) url_bad(in, assume, rc, msg, __LINE__)
#define CODE_OK(in, want) code_ok(in, want, __LINE__)
#define CODE_BAD(in, detail) code_bad(in, detail, __LINE__)

/* A table as tab/table.h gives it, built by hand so these tests depend only
 * on the struct layout: row i is on line i + 2 (the header is line 1). */
static void mk_table(struct gw_table *t, const char *const *head, size_t nh,
                     const char *const *cells, size_t nrows, size_t ncols)
{
  memset(t, 0, sizeof *t);
  t->header = gw_calloc(nh + 1, sizeof *t->header);
  for (size_t i = 0; i < nh; i++)
    t->header[i] = gw_strdup(head[i]);
  t->nheader = nh;
  t->header_line = 1;
  t->rows = gw_calloc(nrows + 1, sizeof *t->rows);
  for (size_t r = 0; r < nrows; r++) {
    t->rows[r].cells = gw_calloc(ncols + 1, sizeof(char *));
    for (size_t c = 0; c < ncols; c++)
      t->rows[r].cells[c] = gw_strdup(cells[r * ncols + c]);
    t->rows[r].ncells = ncols;
    t->rows[r].line = r + 2;
  }
  t->nrows = nrows;
}

static void free_table(struct gw_table *t)
{
  for (size_t i = 0; i < t->nheader; i++)
    free(t->header[i]);
  free(t->header);
  for (size_t r = 0; r < t->nrows; r++) {
    for (size_t c = 0; c < t->rows[r].ncells; c++)
      free(t->rows[r].cells[c]);
    free(t->rows[r].cells);
  }
  free(t->rows);
  memset(t, 0, sizeof *t);
}

/* True if some kept problem contains `part`. */
static bool has_problem(const struct gw_reg_import_result *r, const char *part)
{
  for (size_t i = 0; i < r->problems.n; i++)
    if (strstr(r->problems.v[i], part))
      return true;
  return false;
}

static void dump_problems(const struct gw_reg_import_result *r)
{
  for (size_t i = 0; i < r->problems.n; i++)
    fprintf(stderr, "  problem: %s\n", r->problems.v[i]);
}

#define CHECK_PROBLEM(res, part) do { bool ok_ = has_problem(res, part); \
    gw_test_report(ok_, __FILE__, __LINE__, "a problem contains \"%s\"", part); if (!ok_) dump_problems(res); } while (0)

/* ---- the register as lists ---- */

static void add_unit(struct gw_unit_list *l, int64_t id, int64_t parent, const char *name,
                     enum gw_unit_kind kind)
{
  l->v = gw_reallocarray(l->v, l->n + 1, sizeof *l->v);
  struct gw_unit *u = &l->v[l->n++];
  memset(u, 0, sizeof *u);
  u->id = id;
  u->parent_id = parent;
  u->name = gw_strdup(name);
  u->kind = kind;
}

static void add_site(struct gw_site_list *l, int64_t id, const char *name, const char *url,
                     const char *code, int64_t unit)
{
  l->v = gw_reallocarray(l->v, l->n + 1, sizeof *l->v);
  struct gw_site *s = &l->v[l->n++];
  memset(s, 0, sizeof *s);
  s->id = id;
  s->name = gw_strdup(name);
  s->url = gw_strdup(url);
  s->code = gw_strdup(code);
  s->unit_id = unit;
  s->kind = GW_SITE_DEPARTMENT;
  s->status = GW_SITE_RUNNING;
  s->external_service = true;
  s->sponsor = gw_strdup(name);
}

static void add_account(struct gw_account_list *l, int64_t id, const char *name, enum gw_platform p,
                        int64_t unit)
{
  l->v = gw_reallocarray(l->v, l->n + 1, sizeof *l->v);
  struct gw_account *a = &l->v[l->n++];
  memset(a, 0, sizeof *a);
  a->id = id;
  a->name = gw_strdup(name);
  a->platform = p;
  a->unit_id = unit;
  a->status = GW_ACCOUNT_RUNNING;
}

/* 1 青溪县
 *   2 青溪县教育局
 *     4 办公室
 *   3 白石镇
 *     5 办公室
 * 6 临江市
 *   7 "42" */
static void sample_units(struct gw_unit_list *l)
{
  memset(l, 0, sizeof *l);
  add_unit(l, 1, 0, "青溪县", GW_UNIT_REGION);
  add_unit(l, 2, 1, "青溪县教育局", GW_UNIT_DEPARTMENT);
  add_unit(l, 3, 1, "白石镇", GW_UNIT_TOWN);
  add_unit(l, 4, 2, "办公室", GW_UNIT_DEPARTMENT);
  add_unit(l, 5, 3, "办公室", GW_UNIT_DEPARTMENT);
  add_unit(l, 6, 0, "临江市", GW_UNIT_REGION);
  add_unit(l, 7, 6, "42", GW_UNIT_DEPARTMENT);
}

/* ---- tests ---- */

static void test_url(void)
{
  URL_OK("https://WWW.QX.gov.cn", false, "https://www.qx.gov.cn/");
  URL_OK("HTTP://www.qx.gov.cn:80/a/../b/?x=1#frag", false, "http://www.qx.gov.cn/b/?x=1");
  URL_OK("https://www.qx.gov.cn:443/", false, "https://www.qx.gov.cn/");
  URL_OK("http://www.qx.gov.cn:8080", false, "http://www.qx.gov.cn:8080/");
  URL_OK("  http://www.qx.gov.cn/xxgk/  ", false, "http://www.qx.gov.cn/xxgk/");
  URL_OK("http://www.qx.gov.cn/index.html#top", false, "http://www.qx.gov.cn/index.html");
  URL_OK("http://[::1]:8080/", false, "http://[::1]:8080/");
  URL_OK("http://127.0.0.1:8080", false, "http://127.0.0.1:8080/");
  /* IDN hosts stay as given (not punycode); only ASCII letters are lowered */
  URL_OK("http://青溪.政务/", false, "http://青溪.政务/");
  URL_OK("http://WWW.青溪.政务/", false, "http://www.青溪.政务/");
  /* no scheme: only when resolving a typed reference */
  URL_BAD("www.qx.gov.cn", false, GW_EINVAL, "no scheme");
  URL_OK("www.qx.gov.cn", true, "http://www.qx.gov.cn/");
  URL_OK("WWW.QX.GOV.CN/xxgk#a", true, "http://www.qx.gov.cn/xxgk");
  URL_OK("www.qx.gov.cn:8080/x", true, "http://www.qx.gov.cn:8080/x");
  URL_BAD("localhost:8080", false, GW_EINVAL, "no scheme");
  /* only http and https */
  URL_BAD("ftp://x.gov.cn/", false, GW_EINVAL, "scheme 'ftp' is not http or https");
  URL_BAD("ftp://x.gov.cn/", true, GW_EINVAL, "scheme 'ftp'");
  URL_BAD("mailto:a@qx.gov.cn", false, GW_EINVAL, "only http:// and https://");
  URL_BAD("javascript:alert(1)", true, GW_EINVAL, "only http:// and https://");
  /* userinfo, host, syntax */
  URL_BAD("http://user:pw@x.gov.cn/", false, GW_EINVAL, "user name or password");
  URL_BAD("http://user@x.gov.cn/", false, GW_EINVAL, "user name or password");
  URL_BAD("http:///path", false, GW_EINVAL, "no host");
  URL_BAD("http://", false, GW_EINVAL, "no host");
  URL_BAD("https://?q=1", false, GW_EINVAL, "no host");
  URL_BAD("http://x..gov.cn/", false, GW_EINVAL, "no valid host");
  URL_BAD("http://.x.gov.cn/", false, GW_EINVAL, "no valid host");
  URL_BAD("http://a b.gov.cn/", false, GW_EINVAL, "white space");
  URL_BAD("http://x.gov.cn/a\tb", false, GW_EINVAL, "control character");
  URL_BAD("http://x.gov.cn/\xff", false, GW_EINVAL, "not valid UTF-8");
  URL_BAD("http://x.gov.cn:99999/", false, GW_EINVAL, "not a valid URL");
  URL_BAD("http://x%41.gov.cn/", false, GW_EINVAL, "percent-encoded");
  URL_BAD("wDDD%DD?x", true, GW_EINVAL, "percent-encoded");
  URL_BAD("/%", true, GW_EINVAL, "no host");
  URL_BAD("?q", true, GW_EINVAL, "no host");
  URL_OK("http://x.gov.cn/%E4%B8%AD?q=%20#%zz", false, "http://x.gov.cn/%E4%B8%AD?q=%20");
  URL_BAD("", false, GW_EINVAL, "empty");
  URL_BAD("   ", true, GW_EINVAL, "empty");
  char big[GW_REG_URL_MAX + 64];
  memcpy(big, "http://x.gov.cn/", 16);
  memset(big + 16, 'a', sizeof big - 17);
  big[sizeof big - 1] = '\0';
  URL_BAD(big, false, GW_ELIMIT, "longer than");

  CHECK_STR(gw_reg_url_key("https://www.qx.gov.cn/"), "www.qx.gov.cn/");
  CHECK_STR(gw_reg_url_key("http://www.qx.gov.cn/"), "www.qx.gov.cn/");
}

static void test_codes(void)
{
  /* the province-level codes, exactly */
  static const int prov[] = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42,
                             43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82};
  int nok = 0;
  for (int d = 0; d < 100; d++) {
    bool want = false;
    for (size_t i = 0; i < sizeof prov / sizeof prov[0]; i++)
      want = want || prov[i] == d;
    if (gw_reg_province_ok(d) == want)
      nok++;
    else
      CHECK_MSG(false, "province %02d should be %s", d, want ? "valid" : "invalid");
  }
  CHECK_INT(nok, 100);

  CODE_OK("3301220001", "3301220001");
  CODE_OK(" 3301220001\t", "3301220001");
  CODE_OK("3300000035", "3300000035");   /* a province's own site */
  CODE_OK("1101010001", "1101010001");
  CODE_OK("4690010001", "4690010001");   /* 省直辖县 */
  CODE_OK("8200000001", "8200000001");
  CODE_OK("bm64130001", "bm64130001");
  CODE_OK("BM64130001", "bm64130001");
  CODE_OK("Bm64130001", "bm64130001");
  CODE_BAD("33012200", "");
  char *out = NULL;
  CHECK_INT(gw_reg_site_code_normalize("33012200", &out), GW_EINVAL);
  CHECK_STR(gw_err_msg(), "网站标识码 must be 10 digits starting with a province code, or bm + 8 digits");
  CODE_BAD("33012200011", "");
  CODE_BAD("", "");
  CODE_BAD("9901220001", "99 is not a province code");
  CODE_BAD("1001220001", "10 is not a province code");
  CODE_BAD("0001220001", "00 is not a province code");
  CODE_BAD("7201220001", "72 is not a province code");
  CODE_BAD("3300120001", "county part 12 under city part 00");
  CODE_BAD("33012200a1", "");
  CODE_BAD("bm6413000", "");
  CODE_BAD("bm641300011", "");
  CODE_BAD("bx64130001", "");
  CODE_BAD("bm6413000x", "");
  CODE_BAD("３３０１２２０００１", ""); /* full-width digits are not digits */

  CHECK_INT(gw_reg_region_code_check("330122"), GW_OK);
  CHECK_INT(gw_reg_region_code_check("330000"), GW_OK);
  CHECK_INT(gw_reg_region_code_check("469001"), GW_OK);
  CHECK_INT(gw_reg_region_code_check("33012"), GW_EINVAL);
  CHECK_STR(gw_err_msg(), "行政区划代码 must be 6 digits starting with a province code");
  CHECK_INT(gw_reg_region_code_check("3301220"), GW_EINVAL);
  CHECK_INT(gw_reg_region_code_check("990000"), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "99 is not a province code");
  CHECK_INT(gw_reg_region_code_check("330012"), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "county part 12 under city part 00");
  CHECK_INT(gw_reg_region_code_check("33a122"), GW_EINVAL);
  CHECK_INT(gw_reg_region_code_check(""), GW_EINVAL);
}

static void test_text(void)
{
  bool b = false;
  CHECK_INT(gw_reg_yesno_parse("有", &b), GW_OK);
  CHECK(b);
  CHECK_INT(gw_reg_yesno_parse("无", &b), GW_OK);
  CHECK(!b);
  CHECK_INT(gw_reg_yesno_parse("是", &b), GW_OK);
  CHECK(b);
  CHECK_INT(gw_reg_yesno_parse("否", &b), GW_OK);
  CHECK(!b);
  CHECK_INT(gw_reg_yesno_parse("YES", &b), GW_OK);
  CHECK(b);
  CHECK_INT(gw_reg_yesno_parse("no", &b), GW_OK);
  CHECK(!b);
  b = true;
  CHECK_INT(gw_reg_yesno_parse("maybe", &b), GW_EINVAL);
  CHECK(b); /* untouched on failure */
  CHECK_CONTAINS(gw_err_msg(), "'maybe' is not yes or no");

  CHECK_INT(gw_reg_text_check("", 10, true, false), GW_EINVAL);
  CHECK_STR(gw_err_msg(), "must not be empty");
  CHECK_INT(gw_reg_text_check(NULL, 10, false, false), GW_OK);
  CHECK_INT(gw_reg_text_check("青溪县", 9, true, false), GW_OK);
  CHECK_INT(gw_reg_text_check("青溪县", 8, true, false), GW_ELIMIT);
  CHECK_INT(gw_reg_text_check("a\nb", 10, true, false), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "control character");
  CHECK_INT(gw_reg_text_check("a\nb\tc", 10, true, true), GW_OK);
  CHECK_INT(gw_reg_text_check("a\x01", 10, true, true), GW_EINVAL);
  CHECK_INT(gw_reg_text_check("\xff\xfe", 10, true, false), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "UTF-8");
  CHECK_INT(gw_reg_unit_name_check("青溪县教育局"), GW_OK);
  CHECK_INT(gw_reg_unit_name_check("青溪县/教育局"), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "must not contain '/'");
  CHECK_INT(gw_reg_unit_name_check(""), GW_EINVAL);
}

static void test_tree(void)
{
  struct gw_unit_list l;
  sample_units(&l);
  char *p = gw_reg_unit_path(&l, 4);
  CHECK_STR(p, "青溪县/青溪县教育局/办公室");
  free(p);
  p = gw_reg_unit_path(&l, 1);
  CHECK_STR(p, "青溪县");
  free(p);
  CHECK(gw_reg_unit_path(&l, 99) == NULL);
  p = gw_reg_unit_ref(&l, 2);
  CHECK_STR(p, "青溪县教育局");
  free(p);
  p = gw_reg_unit_ref(&l, 5);
  CHECK_STR(p, "青溪县/白石镇/办公室");
  free(p);
  CHECK(gw_reg_unit_is_ancestor(&l, 1, 5));
  CHECK(gw_reg_unit_is_ancestor(&l, 5, 5));
  CHECK(!gw_reg_unit_is_ancestor(&l, 2, 5));
  CHECK(!gw_reg_unit_is_ancestor(&l, 5, 1));
  CHECK_INT(gw_reg_unit_index(&l, 6), 5);
  CHECK_INT(gw_reg_unit_index(&l, 60), -1);

  size_t *order = NULL, n = 0;
  int *depth = NULL;
  CHECK_INT(gw_reg_unit_tree(&l, 0, &order, &depth, &n), GW_OK);
  static const int64_t want_ids[] = {1, 2, 4, 3, 5, 6, 7};
  static const int want_depth[] = {0, 1, 2, 1, 2, 0, 1};
  CHECK_INT(n, 7);
  for (size_t i = 0; i < n && i < 7; i++) {
    CHECK_INT(l.v[order[i]].id, want_ids[i]);
    CHECK_INT(depth[i], want_depth[i]);
  }
  free(order);
  free(depth);
  CHECK_INT(gw_reg_unit_tree(&l, 1, &order, &depth, &n), GW_OK);
  CHECK_INT(n, 4);
  if (n == 4) {
    CHECK_INT(l.v[order[0]].id, 2);
    CHECK_INT(depth[0], 0);
    CHECK_INT(l.v[order[1]].id, 4);
    CHECK_INT(depth[1], 1);
    CHECK_INT(l.v[order[3]].id, 5);
  }
  free(order);
  free(depth);
  order = NULL;
  CHECK_INT(gw_reg_unit_tree(&l, 99, &order, &depth, &n), GW_ENOTFOUND);
  CHECK(order == NULL);

  /* a cycle and a dangling parent (which the store forbids) still list every unit once */
  add_unit(&l, 10, 11, "甲", GW_UNIT_DEPARTMENT);
  add_unit(&l, 11, 10, "乙", GW_UNIT_DEPARTMENT);
  add_unit(&l, 12, 99, "丙", GW_UNIT_DEPARTMENT);
  CHECK_INT(gw_reg_unit_tree(&l, 0, &order, &depth, &n), GW_OK);
  CHECK_INT(n, 10);
  free(order);
  free(depth);
  CHECK(!gw_reg_unit_is_ancestor(&l, 1, 10)); /* terminates in the cycle */
  p = gw_reg_unit_path(&l, 10);
  CHECK_STR(p, "乙/甲");
  free(p);
  gw_unit_list_free(&l);
}

static void unit_lookup_is(const struct gw_unit_list *l, const char *ref, int64_t want_id, int line)
{
  size_t i = 999;
  int rc = gw_reg_unit_lookup(l, ref, &i);
  gw_test_report(rc == GW_OK && i < l->n && l->v[i].id == want_id, __FILE__, line,
                 "unit '%s' -> id %lld (rc %d, %s)", ref, (long long)want_id, rc,
                 rc ? gw_err_msg() : "-");
}

static void test_unit_lookup(void)
{
  struct gw_unit_list l;
  sample_units(&l);
  unit_lookup_is(&l, "1", 1, __LINE__);
  unit_lookup_is(&l, "青溪县", 1, __LINE__);
  unit_lookup_is(&l, " 青溪县教育局 ", 2, __LINE__);
  unit_lookup_is(&l, "青溪县/青溪县教育局", 2, __LINE__);
  unit_lookup_is(&l, "/青溪县/白石镇/办公室", 5, __LINE__);
  unit_lookup_is(&l, "青溪县 / 青溪县教育局 / 办公室", 4, __LINE__);
  unit_lookup_is(&l, "7", 7, __LINE__);
  unit_lookup_is(&l, "42", 7, __LINE__); /* no unit 42: the name "42" */
  unit_lookup_is(&l, "临江市/42", 7, __LINE__);

  size_t i = 999;
  CHECK_INT(gw_reg_unit_lookup(&l, "办公室", &i), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "ambiguous: 2 units are named '办公室'");
  CHECK_CONTAINS(gw_err_msg(), "青溪县/青溪县教育局/办公室 (id 4)");
  CHECK_CONTAINS(gw_err_msg(), "青溪县/白石镇/办公室 (id 5)");
  CHECK_CONTAINS(gw_err_msg(), "give the path");
  CHECK_INT(i, 999);
  CHECK_INT(gw_reg_unit_lookup(&l, "青溪", &i), GW_ENOTFOUND);
  CHECK_STR(gw_err_msg(), "no such unit");
  CHECK_INT(gw_reg_unit_lookup(&l, "99", &i), GW_ENOTFOUND);
  CHECK_INT(gw_reg_unit_lookup(&l, "青溪县/不存在", &i), GW_ENOTFOUND);
  CHECK_CONTAINS(gw_err_msg(), "no '不存在' under '青溪县'");
  CHECK_INT(gw_reg_unit_lookup(&l, "白石镇/办公室", &i), GW_ENOTFOUND);
  CHECK_CONTAINS(gw_err_msg(), "no top-level unit '白石镇'");
  CHECK_INT(gw_reg_unit_lookup(&l, "青溪县//办公室", &i), GW_EINVAL);
  CHECK_INT(gw_reg_unit_lookup(&l, "", &i), GW_EINVAL);
  CHECK_INT(i, 999);
  gw_unit_list_free(&l);
}

static void site_lookup_is(const struct gw_site_list *l, const char *ref, int64_t want_id, int line)
{
  size_t i = 999;
  int rc = gw_reg_site_lookup(l, ref, &i);
  gw_test_report(rc == GW_OK && i < l->n && l->v[i].id == want_id, __FILE__, line,
                 "site '%s' -> id %lld (rc %d, %s)", ref, (long long)want_id, rc,
                 rc ? gw_err_msg() : "-");
}

static void test_site_lookup(void)
{
  struct gw_site_list l = {0};
  add_site(&l, 1, "青溪县人民政府", "https://www.qx.gov.cn/", "3301220001", 1);
  add_site(&l, 2, "青溪县教育局", "http://jyj.qx.gov.cn/", "3301220002", 2);
  add_site(&l, 3, "某部委", "http://www.bm.gov.cn/", "bm64130001", 1);
  site_lookup_is(&l, "1", 1, __LINE__);
  site_lookup_is(&l, "3301220002", 2, __LINE__);
  site_lookup_is(&l, " BM64130001 ", 3, __LINE__);
  site_lookup_is(&l, "https://www.qx.gov.cn/", 1, __LINE__);
  site_lookup_is(&l, "www.qx.gov.cn", 1, __LINE__);          /* no scheme: http, then https */
  site_lookup_is(&l, "http://WWW.qx.gov.cn", 1, __LINE__);   /* the other scheme */
  site_lookup_is(&l, "https://jyj.qx.gov.cn/#x", 2, __LINE__);
  site_lookup_is(&l, "jyj.qx.gov.cn", 2, __LINE__);
  size_t i = 999;
  CHECK_INT(gw_reg_site_lookup(&l, "3301229999", &i), GW_ENOTFOUND);
  CHECK_CONTAINS(gw_err_msg(), "no such site");
  CHECK_INT(gw_reg_site_lookup(&l, "99", &i), GW_ENOTFOUND);
  CHECK_INT(gw_reg_site_lookup(&l, "www.other.gov.cn", &i), GW_ENOTFOUND);
  CHECK_CONTAINS(gw_err_msg(), "http://www.other.gov.cn/");
  CHECK_INT(gw_reg_site_lookup(&l, "ftp://x.gov.cn/", &i), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "not a site id, 网站标识码 or URL");
  CHECK_INT(gw_reg_site_lookup(&l, "", &i), GW_EINVAL);
  CHECK_INT(i, 999);
  /* an exact match wins over the other scheme */
  add_site(&l, 4, "旧站", "http://www.qx.gov.cn/", "3301220004", 1);
  site_lookup_is(&l, "http://www.qx.gov.cn/", 4, __LINE__);
  site_lookup_is(&l, "https://www.qx.gov.cn/", 1, __LINE__);

  /* clashes: either scheme of the URL, or the code; a record never clashes with itself */
  struct gw_site s;
  memset(&s, 0, sizeof s);
  s.url = "http://jyj.qx.gov.cn/";
  s.code = "3301220009";
  const char *field = NULL;
  CHECK_INT(gw_reg_site_clash(&l, &s, &field), 1);
  CHECK_STR(field, "url");
  s.url = "https://jyj.qx.gov.cn/";
  CHECK_INT(gw_reg_site_clash(&l, &s, &field), 1);
  s.url = "https://new.qx.gov.cn/";
  s.code = "bm64130001";
  CHECK_INT(gw_reg_site_clash(&l, &s, &field), 2);
  CHECK_STR(field, "code");
  s.id = 3;
  CHECK_INT(gw_reg_site_clash(&l, &s, &field), -1);
  gw_site_list_free(&l);
}

static void account_lookup_is(const struct gw_account_list *l, const char *ref, int64_t want_id,
                              int line)
{
  size_t i = 999;
  int rc = gw_reg_account_lookup(l, ref, &i);
  gw_test_report(rc == GW_OK && i < l->n && l->v[i].id == want_id, __FILE__, line,
                 "account '%s' -> id %lld (rc %d, %s)", ref, (long long)want_id, rc,
                 rc ? gw_err_msg() : "-");
}

static void test_account_lookup(void)
{
  struct gw_account_list l = {0};
  add_account(&l, 1, "青溪发布", GW_PLATFORM_WECHAT_SUB, 1);
  add_account(&l, 2, "青溪发布", GW_PLATFORM_WEIBO, 1);
  add_account(&l, 3, "青溪教育", GW_PLATFORM_DOUYIN, 2);
  add_account(&l, 4, "a:b", GW_PLATFORM_OTHER, 2);
  account_lookup_is(&l, "1", 1, __LINE__);
  account_lookup_is(&l, "微博:青溪发布", 2, __LINE__);
  account_lookup_is(&l, "weibo:青溪发布", 2, __LINE__);
  account_lookup_is(&l, "微信订阅号：青溪发布", 1, __LINE__); /* full-width colon */
  account_lookup_is(&l, " 订阅号 : 青溪发布 ", 1, __LINE__);   /* an alias of the platform */
  account_lookup_is(&l, "青溪教育", 3, __LINE__);
  account_lookup_is(&l, "a:b", 4, __LINE__);                   /* 'a' is no platform */
  size_t i = 999;
  CHECK_INT(gw_reg_account_lookup(&l, "青溪发布", &i), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "ambiguous: 2 accounts are named '青溪发布'");
  CHECK_CONTAINS(gw_err_msg(), "微信订阅号:青溪发布 (id 1)");
  CHECK_CONTAINS(gw_err_msg(), "微博:青溪发布 (id 2)");
  CHECK_INT(gw_reg_account_lookup(&l, "抖音:青溪发布", &i), GW_ENOTFOUND);
  CHECK_INT(gw_reg_account_lookup(&l, "没有", &i), GW_ENOTFOUND);
  CHECK_INT(gw_reg_account_lookup(&l, "", &i), GW_EINVAL);
  CHECK_INT(i, 999);
  gw_account_list_free(&l);
}

static const char *const g_site_head[] = {"网站名称", "网址", "网站标识码", "网站类型", "所属单位",
                                          "主办单位", "主管单位", "有无对外服务功能", "运行状态", "备注"};

static void test_import_sites(void)
{
  struct gw_unit_list units;
  sample_units(&units);
  struct gw_site_list sites = {0};
  add_site(&sites, 1, "青溪县人民政府", "https://www.qx.gov.cn/", "3301220001", 1);
  struct gw_account_list accounts = {0};
  struct gw_reg_import_result res;
  struct gw_table t;

  /* good rows, an empty line, defaults for empty optional cells */
  const char *good[] = {
    "青溪县教育局", "http://jyj.qx.gov.cn", "3301220002", "部门网站", "青溪县教育局", "", "青溪县人民政府", "有", "运行中", "",
    "", "", "", "", "", "", "", "", "", "",
    "白石镇", "https://bsz.qx.gov.cn/", "BM12345678", "", "青溪县/白石镇", "白石镇人民政府", "", "否", "已关停", "合并",
  };
  mk_table(&t, g_site_head, 10, good, 3, 10);
  gw_reg_import_result_init(&res);
  CHECK_INT(gw_reg_import_check(GW_REG_SITES, &t, "sites.csv", false, &units, &sites, &accounts, &res), GW_OK);
  CHECK_INT(res.inserted, 2);
  CHECK_INT(res.updated, 0);
  CHECK_INT(res.nproblems, 0);
  gw_reg_import_result_clear(&res);
  free_table(&t);

  /* every kind of bad cell, each reported with its line and column */
  const char *bad[] = {
    /* line 2 */ "甲", "http://a.qx.gov.cn/", "123", "门户", "青溪县", "", "", "有", "运行中", "",
    /* line 3 */ "乙", "ftp://b.qx.gov.cn/", "3301220003", "博客", "青溪", "", "", "也许", "停用", "",
    /* line 4 */ "丙", "http://c.qx.gov.cn/", "3301220004", "", "办公室", "", "", "", "", "",
    /* line 5 */ "丁", "HTTP://C.qx.gov.cn", "3301220004", "", "青溪县", "", "", "", "", "",
    /* line 6 */ "戊", "http://www.qx.gov.cn/", "3301220001", "", "青溪县", "", "", "", "", "",
    /* line 7 */ "", "", "", "", "", "", "", "", "", "x",
  };
  mk_table(&t, g_site_head, 10, bad, 6, 10);
  gw_reg_import_result_init(&res);
  CHECK_INT(gw_reg_import_check(GW_REG_SITES, &t, "sites.csv", false, &units, &sites, &accounts, &res),
            GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "sites.csv: ");
  CHECK_CONTAINS(gw_err_msg(), "nothing was imported");
  CHECK_PROBLEM(&res, "sites.csv:2: column 网站标识码: '123' is not a valid 网站标识码");
  CHECK_PROBLEM(&res, "sites.csv:3: column 网址: 'ftp://b.qx.gov.cn/' is not a valid URL (scheme 'ftp' is not http or https)");
  CHECK_PROBLEM(&res, "sites.csv:3: column 网站类型: unknown site kind '博客'");
  CHECK_PROBLEM(&res, "sites.csv:3: column 所属单位: '青溪': no such unit");
  CHECK_PROBLEM(&res, "sites.csv:3: column 有无对外服务功能: '也许' is not yes or no");
  CHECK_PROBLEM(&res, "sites.csv:3: column 运行状态: unknown site status '停用'");
  CHECK_PROBLEM(&res, "sites.csv:4: column 所属单位: '办公室': ambiguous");
  CHECK_PROBLEM(&res, "sites.csv:5: column 网址: same URL as line 4");
  CHECK_PROBLEM(&res, "sites.csv:5: column 网站标识码: same 网站标识码 as line 4");
  CHECK_PROBLEM(&res, "sites.csv:6: column 网站标识码: '3301220001' already registered (id 1, 青溪县人民政府)");
  CHECK_PROBLEM(&res, "sites.csv:6: column 网址: 'http://www.qx.gov.cn/' already registered (id 1");
  CHECK_PROBLEM(&res, "sites.csv:7: column 网站名称: must not be empty");
  CHECK_PROBLEM(&res, "sites.csv:7: column 网址: must not be empty");
  CHECK_PROBLEM(&res, "sites.csv:7: column 网站标识码: must not be empty");
  CHECK_PROBLEM(&res, "sites.csv:7: column 所属单位: must not be empty");
  CHECK_INT(res.nproblems, 15);
  CHECK_INT(res.problems.n, 15);
  CHECK_INT(res.inserted, 0);
  gw_reg_import_result_clear(&res);

  /* --update: line 6 updates site 1 instead of clashing; the others still fail */
  gw_reg_import_result_init(&res);
  CHECK_INT(gw_reg_import_check(GW_REG_SITES, &t, "sites.csv", true, &units, &sites, &accounts, &res),
            GW_EINVAL);
  CHECK(!has_problem(&res, "sites.csv:6:"));
  CHECK_INT(res.nproblems, 13);
  gw_reg_import_result_clear(&res);
  free_table(&t);

  /* --update matched by code, by URL, and twice the same site */
  const char *upd[] = {
    "青溪县政府门户", "https://www.qx.gov.cn/", "3301220001", "政府门户网站", "青溪县", "", "", "有", "运行中", "",
    "新站", "https://new.qx.gov.cn/", "3301220005", "", "青溪县", "", "", "", "", "",
  };
  mk_table(&t, g_site_head, 10, upd, 2, 10);
  gw_reg_import_result_init(&res);
  CHECK_INT(gw_reg_import_check(GW_REG_SITES, &t, "u.csv", true, &units, &sites, &accounts, &res), GW_OK);
  CHECK_INT(res.updated, 1);
  CHECK_INT(res.inserted, 1);
  gw_reg_import_result_clear(&res);
  gw_reg_import_result_init(&res);
  CHECK_INT(gw_reg_import_check(GW_REG_SITES, &t, "u.csv", false, &units, &sites, &accounts, &res), GW_EINVAL);
  CHECK_INT(res.nproblems, 2);
  gw_reg_import_result_clear(&res);
  free_table(&t);
  const char *twice[] = {
    "A", "http://www.qx.gov.cn/", "3301220009", "", "青溪县", "", "", "", "", "",
    "B", "https://b.qx.gov.cn/", "3301220001", "", "青溪县", "", "", "", "", "",
  };
  mk_table(&t, g_site_head, 10, twice, 2, 10);
  gw_reg_import_result_init(&res);
  CHECK_INT(gw_reg_import_check(GW_REG_SITES, &t, "u.csv", true, &units, &sites, &accounts, &res), GW_EINVAL);
  CHECK_PROBLEM(&res, "u.csv:3: updates the same registered site (id 1) as line 2");
  gw_reg_import_result_clear(&res);
  free_table(&t);

  /* the header: unknown, repeated and missing columns; any order is fine */
  const char *head1[] = {"网址", "网站地址", "网站名称", "网站名称", "栏目"};
  const char *row1[] = {"http://x.gov.cn/", "", "x", "x", ""};
  mk_table(&t, head1, 5, row1, 1, 5);
  gw_reg_import_result_init(&res);
  CHECK_INT(gw_reg_import_check(GW_REG_SITES, &t, "h.csv", false, &units, &sites, &accounts, &res), GW_EINVAL);
  CHECK_PROBLEM(&res, "h.csv:1: unknown columns '网站地址', '栏目' (the columns are: 网站名称, 网址,");
  CHECK_PROBLEM(&res, "h.csv:1: column 网站名称 appears twice (columns 3 and 4)");
  CHECK_PROBLEM(&res, "h.csv:1: missing required columns: 网站标识码, 所属单位");
  CHECK_INT(res.nproblems, 3);
  gw_reg_import_result_clear(&res);
  free_table(&t);

  const char *head2[] = {"所属单位", "网站标识码", "网址", "网站名称", ""};
  const char *row2[] = {"青溪县", "3301220007", "http://x.qx.gov.cn/", "X", "",
                        "青溪县", "3301220008", "http://y.qx.gov.cn/", "Y", "stray"};
  mk_table(&t, head2, 5, row2, 2, 5);
  gw_reg_import_result_init(&res);
  CHECK_INT(gw_reg_import_check(GW_REG_SITES, &t, "h.csv", false, &units, &sites, &accounts, &res), GW_EINVAL);
  CHECK_PROBLEM(&res, "h.csv:3: column 5 has data but no header");
  CHECK_INT(res.nproblems, 1);
  gw_reg_import_result_clear(&res);
  free_table(&t);
  /* the same without the stray cell: an empty trailing header column is harmless */
  row2[9] = "";
  mk_table(&t, head2, 5, row2, 2, 5);
  gw_reg_import_result_init(&res);
  CHECK_INT(gw_reg_import_check(GW_REG_SITES, &t, "h.csv", false, &units, &sites, &accounts, &res), GW_OK);
  CHECK_INT(res.inserted, 2);
  gw_reg_import_result_clear(&res);
  free_table(&t);

  /* no header at all */
  memset(&t, 0, sizeof t);
  gw_reg_import_result_init(&res);
  CHECK_INT(gw_reg_import_check(GW_REG_SITES, &t, "e.csv", false, &units, &sites, &accounts, &res), GW_EINVAL);
  CHECK_PROBLEM(&res, "e.csv: no header row");
  gw_reg_import_result_clear(&res);

  /* more problems than are kept */
  size_t nbad = GW_REG_PROBLEMS_KEPT + 50;
  const char **many = gw_calloc(nbad * 4, sizeof *many);
  for (size_t r = 0; r < nbad; r++) {
    many[r * 4 + 0] = "N";
    many[r * 4 + 1] = "http://ok.gov.cn/";
    many[r * 4 + 2] = "bad";
    many[r * 4 + 3] = "青溪县";
  }
  const char *head3[] = {"网站名称", "网址", "网站标识码", "所属单位"};
  mk_table(&t, head3, 4, many, nbad, 4);
  gw_reg_import_result_init(&res);
  CHECK_INT(gw_reg_import_check(GW_REG_SITES, &t, "m.csv", false, &units, &sites, &accounts, &res), GW_EINVAL);
  /* every row: a bad code, and from the second row on the same URL as line 2 */
  CHECK_INT(res.nproblems, nbad + nbad - 1);
  CHECK_INT(res.problems.n, GW_REG_PROBLEMS_KEPT);
  CHECK_CONTAINS(gw_err_msg(), "499 problems found");
  gw_reg_import_result_clear(&res);
  free_table(&t);
  free(many);

  gw_site_list_free(&sites);
  gw_unit_list_free(&units);
}

static const char *const g_unit_head[] = {"单位名称", "上级单位", "单位类型", "行政区划代码", "联系人"};

static void test_import_units(void)
{
  struct gw_unit_list units;
  sample_units(&units);
  struct gw_unit_list empty = {0};
  struct gw_site_list sites = {0};
  struct gw_account_list accounts = {0};
  struct gw_reg_import_result res;
  struct gw_table t;

  /* children before their parents, names and paths through the file */
  const char *good[] = {
    "新县教育局", "新县", "部门", "", "",
    "办公室", "新县/新县教育局", "department", "", "张三 0571-1234",
    "新县", "", "地区", "330127", "",
    "东城街道", "新县", "乡镇", "", "",
    "人事科", "青溪县/青溪县教育局", "部门", "", "",
  };
  mk_table(&t, g_unit_head, 5, good, 5, 5);
  gw_reg_import_result_init(&res);
  CHECK_INT(gw_reg_import_check(GW_REG_UNITS, &t, "units.csv", false, &units, &sites, &accounts, &res), GW_OK);
  CHECK_INT(res.inserted, 5);
  if (res.nproblems)
    dump_problems(&res);
  gw_reg_import_result_clear(&res);
  free_table(&t);

  const char *bad[] = {
    /* 2 */ "甲", "乙", "部门", "", "",
    /* 3 */ "乙", "甲", "部门", "", "",
    /* 4 */ "丙", "不存在", "部门", "", "",
    /* 5 */ "丁", "办公室", "部门", "", "",
    /* 6 */ "青溪县教育局", "青溪县", "部门", "", "",
    /* 7 */ "戊", "", "机关", "990000", "",
    /* 8 */ "戊", "", "地区", "", "",
    /* 9 */ "己/庚", "", "", "3301", "",
    /* 10 */ "辛", "青溪县/没有/子", "部门", "", "",
    /* 11 */ "壬", "壬", "部门", "", "",
  };
  mk_table(&t, g_unit_head, 5, bad, 10, 5);
  gw_reg_import_result_init(&res);
  CHECK_INT(gw_reg_import_check(GW_REG_UNITS, &t, "units.csv", false, &units, &sites, &accounts, &res), GW_EINVAL);
  CHECK_PROBLEM(&res, "units.csv:2: column 上级单位: '乙' makes a cycle (line 2 -> line 3 -> line 2)");
  CHECK_PROBLEM(&res, "units.csv:3: column 上级单位: '甲' makes a cycle");
  CHECK_PROBLEM(&res, "units.csv:4: column 上级单位: '不存在': no such unit (neither registered nor in this file)");
  CHECK_PROBLEM(&res, "units.csv:5: column 上级单位: '办公室' is ambiguous (青溪县/青溪县教育局/办公室 (id 4), 青溪县/白石镇/办公室 (id 5)); give the path");
  CHECK_PROBLEM(&res, "units.csv:6: column 单位名称: '青溪县教育局' already registered (id 2, 青溪县/青溪县教育局)");
  CHECK_PROBLEM(&res, "units.csv:7: column 单位类型: unknown unit kind '机关'");
  CHECK_PROBLEM(&res, "units.csv:7: column 行政区划代码: '990000': 行政区划代码 must be 6 digits starting with a province code (99 is not a province code)");
  CHECK_PROBLEM(&res, "units.csv:8: column 单位名称: same unit (same name under the same parent) as line 7");
  CHECK_PROBLEM(&res, "units.csv:9: column 单位名称: '己/庚': a unit name must not contain '/'");
  CHECK_PROBLEM(&res, "units.csv:9: column 单位类型: must not be empty");
  CHECK_PROBLEM(&res, "units.csv:9: column 行政区划代码: '3301'");
  CHECK_PROBLEM(&res, "units.csv:10: column 上级单位: '青溪县/没有/子': no such unit");
  CHECK_PROBLEM(&res, "units.csv:11: column 上级单位: '壬' makes a cycle (line 11 -> line 11)");
  CHECK_INT(res.nproblems, 13);
  gw_reg_import_result_clear(&res);
  free_table(&t);

  /* missing required header columns */
  const char *head[] = {"上级单位", "联系人"};
  const char *row[] = {"x", "y"};
  mk_table(&t, head, 2, row, 1, 2);
  gw_reg_import_result_init(&res);
  CHECK_INT(gw_reg_import_check(GW_REG_UNITS, &t, "u.csv", false, &empty, &sites, &accounts, &res), GW_EINVAL);
  CHECK_PROBLEM(&res, "u.csv:1: missing required columns: 单位名称, 单位类型");
  gw_reg_import_result_clear(&res);
  free_table(&t);
  gw_unit_list_free(&units);
}

static const char *const g_acc_head[] = {"账号名称", "账号类型", "开设主体", "认证主体", "账号地址", "运行状态", "备注"};

static void test_import_accounts(void)
{
  struct gw_unit_list units;
  sample_units(&units);
  struct gw_site_list sites = {0};
  struct gw_account_list accounts = {0};
  add_account(&accounts, 1, "青溪发布", GW_PLATFORM_WECHAT_SUB, 1);
  struct gw_reg_import_result res;
  struct gw_table t;

  const char *rows[] = {
    /* 2 */ "青溪发布", "微博", "青溪县", "青溪县人民政府办公室", "https://weibo.com/qxfb", "运行中", "",
    /* 3 */ "青溪发布", "订阅号", "青溪县", "", "", "", "",
    /* 4 */ "青溪教育", "视频号", "青溪县教育局", "", "", "", "",
    /* 5 */ "青溪教育", "抖音", "教育局", "", "weixin://x", "休眠", "",
    /* 6 */ "青溪发布", "weibo", "1", "", "", "", "",
  };
  mk_table(&t, g_acc_head, 7, rows, 5, 7);
  gw_reg_import_result_init(&res);
  CHECK_INT(gw_reg_import_check(GW_REG_ACCOUNTS, &t, "a.csv", false, &units, &sites, &accounts, &res), GW_EINVAL);
  CHECK_PROBLEM(&res, "a.csv:3: column 账号名称: 微信订阅号:青溪发布 already registered (id 1)");
  CHECK_PROBLEM(&res, "a.csv:4: column 账号类型: unknown platform '视频号'");
  CHECK_PROBLEM(&res, "a.csv:5: column 开设主体: '教育局': no such unit");
  CHECK_PROBLEM(&res, "a.csv:5: column 账号地址: 'weixin://x' is not a valid URL");
  CHECK_PROBLEM(&res, "a.csv:5: column 运行状态: unknown account status '休眠'");
  CHECK_PROBLEM(&res, "a.csv:6: column 账号名称: same account (微博:青溪发布) as line 2");
  CHECK_INT(res.nproblems, 6);
  gw_reg_import_result_clear(&res);
  free_table(&t);

  /* with --update the registered account is updated */
  const char *upd[] = {"青溪发布", "微信公众号", "青溪县", "", "", "已停更", "",
                       "青溪教育", "抖音", "青溪县教育局", "", "", "", ""};
  mk_table(&t, g_acc_head, 7, upd, 2, 7);
  gw_reg_import_result_init(&res);
  CHECK_INT(gw_reg_import_check(GW_REG_ACCOUNTS, &t, "a.csv", true, &units, &sites, &accounts, &res), GW_OK);
  CHECK_INT(res.updated, 1);
  CHECK_INT(res.inserted, 1);
  gw_reg_import_result_clear(&res);
  free_table(&t);
  gw_account_list_free(&accounts);
  gw_unit_list_free(&units);
}

/* The export tables, and that each imports cleanly into an empty register. */
static void test_export(void)
{
  struct gw_unit_list units;
  sample_units(&units);
  add_unit(&units, 8, 4, "文书科", GW_UNIT_DEPARTMENT); /* under an ambiguous name */
  units.v[0].region_code = gw_strdup("330122");
  units.v[0].contact = gw_strdup("张三");
  struct gw_site_list sites = {0};
  add_site(&sites, 1, "青溪县人民政府", "https://www.qx.gov.cn/", "3301220001", 1);
  add_site(&sites, 2, "办公室网站", "http://bgs.qx.gov.cn/", "bm12345678", 5);
  sites.v[0].kind = GW_SITE_PORTAL;
  sites.v[1].external_service = false;
  sites.v[1].status = GW_SITE_MIGRATED;
  sites.v[1].supervisor = gw_strdup("青溪县人民政府");
  sites.v[1].note = gw_strdup("并入\n门户");
  struct gw_account_list accounts = {0};
  add_account(&accounts, 1, "青溪发布", GW_PLATFORM_TOUTIAO, 8);
  accounts.v[0].status = GW_ACCOUNT_CLOSED;
  accounts.v[0].url = gw_strdup("https://www.toutiao.com/c/user/1/");
  struct gw_unit_list no_units = {0};
  struct gw_site_list no_sites = {0};
  struct gw_account_list no_accounts = {0};
  struct gw_reg_import_result res;

  struct gw_table t;
  gw_reg_export_table(GW_REG_UNITS, &units, &sites, &accounts, &t);
  CHECK_INT(t.nheader, 5);
  CHECK_STR(t.header[0], "单位名称");
  CHECK_STR(t.header[4], "联系人");
  CHECK_INT(t.nrows, 8);
  if (t.nrows == 8) {
    /* tree order; parents named by name, or by path when the name is shared */
    static const char *const names[] = {"青溪县", "青溪县教育局", "办公室", "文书科", "白石镇", "办公室", "临江市", "42"};
    static const char *const parents[] = {"", "青溪县", "青溪县教育局", "青溪县/青溪县教育局/办公室", "青溪县", "白石镇", "", "临江市"};
    for (size_t i = 0; i < 8; i++) {
      CHECK_STR(gw_table_cell(&t.rows[i], 0), names[i]);
      CHECK_STR(gw_table_cell(&t.rows[i], 1), parents[i]);
    }
    CHECK_STR(gw_table_cell(&t.rows[0], 2), "地区");
    CHECK_STR(gw_table_cell(&t.rows[0], 3), "330122");
    CHECK_STR(gw_table_cell(&t.rows[0], 4), "张三");
    CHECK_STR(gw_table_cell(&t.rows[4], 2), "乡镇");
  }
  gw_reg_import_result_init(&res);
  CHECK_INT(gw_reg_import_check(GW_REG_UNITS, &t, "units.csv", false, &no_units, &no_sites, &no_accounts, &res), GW_OK);
  CHECK_INT(res.inserted, 8);
  dump_problems(&res);
  gw_reg_import_result_clear(&res);
  gw_table_free(&t);

  gw_reg_export_table(GW_REG_SITES, &units, &sites, &accounts, &t);
  CHECK_INT(t.nheader, 10);
  CHECK_INT(t.nrows, 2);
  if (t.nrows == 2) {
    static const char *const row0[] = {"青溪县人民政府", "https://www.qx.gov.cn/", "3301220001", "政府门户网站", "青溪县", "青溪县人民政府", "", "有", "运行中", ""};
    static const char *const row1[] = {"办公室网站", "http://bgs.qx.gov.cn/", "bm12345678", "部门网站", "青溪县/白石镇/办公室", "办公室网站", "青溪县人民政府", "无", "已迁移", "并入\n门户"};
    for (long c = 0; c < 10; c++) {
      CHECK_STR(gw_table_cell(&t.rows[0], c), row0[c]);
      CHECK_STR(gw_table_cell(&t.rows[1], c), row1[c]);
    }
  }
  gw_reg_import_result_init(&res);
  CHECK_INT(gw_reg_import_check(GW_REG_SITES, &t, "sites.csv", false, &units, &no_sites, &no_accounts, &res), GW_OK);
  CHECK_INT(res.inserted, 2);
  dump_problems(&res);
  gw_reg_import_result_clear(&res);
  /* against the register it came from, every row clashes */
  gw_reg_import_result_init(&res);
  CHECK_INT(gw_reg_import_check(GW_REG_SITES, &t, "sites.csv", false, &units, &sites, &no_accounts, &res), GW_EINVAL);
  CHECK_INT(res.nproblems, 4);
  gw_reg_import_result_clear(&res);
  gw_table_free(&t);

  gw_reg_export_table(GW_REG_ACCOUNTS, &units, &sites, &accounts, &t);
  CHECK_INT(t.nheader, 7);
  CHECK_INT(t.nrows, 1);
  if (t.nrows == 1) {
    static const char *const row0[] = {"青溪发布", "今日头条", "文书科", "", "https://www.toutiao.com/c/user/1/", "已注销", ""};
    for (long c = 0; c < 7; c++)
      CHECK_STR(gw_table_cell(&t.rows[0], c), row0[c]);
  }
  gw_reg_import_result_init(&res);
  CHECK_INT(gw_reg_import_check(GW_REG_ACCOUNTS, &t, "a.csv", false, &units, &no_sites, &no_accounts, &res), GW_OK);
  CHECK_INT(res.inserted, 1);
  gw_reg_import_result_clear(&res);
  gw_table_free(&t);

  gw_account_list_free(&accounts);
  gw_site_list_free(&sites);
  gw_unit_list_free(&units);
}

static void test_columns(void)
{
  const char *const *c = gw_reg_columns(GW_REG_SITES);
  CHECK_STR(c[0], "网站名称");
  CHECK_STR(c[9], "备注");
  CHECK(c[10] == NULL);
  CHECK(gw_reg_column_required(GW_REG_SITES, "网站标识码"));
  CHECK(!gw_reg_column_required(GW_REG_SITES, "主管单位"));
  CHECK(gw_reg_column_required(GW_REG_UNITS, "单位类型"));
  CHECK(!gw_reg_column_required(GW_REG_UNITS, "上级单位"));
  CHECK(gw_reg_column_required(GW_REG_ACCOUNTS, "开设主体"));
  CHECK(!gw_reg_column_required(GW_REG_ACCOUNTS, "认证主体"));
  CHECK(!gw_reg_column_required(GW_REG_ACCOUNTS, "没有这列"));
}

int main(void)
{
  test_url();
  test_codes();
  test_text();
  test_tree();
  test_unit_lookup();
  test_site_lookup();
  test_account_lookup();
  test_import_sites();
  test_import_units();
  test_import_accounts();
  test_export();
  test_columns();
  return gw_test_done();
}
