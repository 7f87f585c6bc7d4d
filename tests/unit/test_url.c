/* URL normalisation, scope and trap heuristics (src/fetch/url.h). */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "fetch/map.h"
#include "fetch/url.h"
#include "tap.h"

static void norm_is(const char *base, const char *ref, const char *want)
{
  char *out = NULL;
  int rc = gw_url_normalize(base, ref, &out);
  CHECK_MSG(rc == GW_OK, "normalize '%s' on '%s': %s", ref, base ? base : "-", rc ? gw_err_msg() : "");
  if (rc == GW_OK) {
    CHECK_MSG(strcmp(out, want) == 0, "'%s' on '%s' -> '%s', want '%s'", ref, base ? base : "-", out, want);
    /* a fixed point */
    char *again = NULL;
    CHECK_INT(gw_url_normalize(NULL, out, &again), GW_OK);
    CHECK_STR(again, out);
    free(again);
  }
  free(out);
}

static void norm_fails(const char *base, const char *ref, int code, const char *msg_part)
{
  char *out = (char *)"untouched";
  int rc = gw_url_normalize(base, ref, &out);
  CHECK_MSG(rc == code, "'%s' fails with %d (got %d)", ref, code, rc);
  CHECK_STR(out, "untouched");
  if (msg_part)
    CHECK_CONTAINS(gw_err_msg(), msg_part);
}

static void test_normalize(void)
{
  /* case, default port, dot segments, fragment */
  norm_is(NULL, "HTTP://WWW.Qingxi.GOV.cn:80/a/../b/./c?x=1#frag", "http://www.qingxi.gov.cn/b/c?x=1");
  norm_is(NULL, "https://www.qingxi.gov.cn:443/", "https://www.qingxi.gov.cn/");
  norm_is(NULL, "http://www.qingxi.gov.cn:8080/", "http://www.qingxi.gov.cn:8080/");
  norm_is(NULL, "https://h:80/", "https://h:80/");
  /* empty path */
  norm_is(NULL, "http://www.qingxi.gov.cn", "http://www.qingxi.gov.cn/");
  norm_is(NULL, "http://h?x=1", "http://h/?x=1");
  /* trailing dot of the host, empty query */
  norm_is(NULL, "http://h.gov.cn./x?", "http://h.gov.cn/x");
  /* relative references */
  norm_is("http://h/a/b/c.html", "../d/e.html?y#z", "http://h/a/d/e.html?y");
  norm_is("http://h/a/b/c.html", "//other.host/x", "http://other.host/x");
  norm_is("http://h/a/b/c.html", "?page=2", "http://h/a/b/c.html?page=2");
  norm_is("http://h/a/b/c.html", "", "http://h/a/b/c.html");
  norm_is("http://h/a/b/c.html", "#top", "http://h/a/b/c.html");
  norm_is("http://h/a/b/", "./index_1.html", "http://h/a/b/index_1.html");
  norm_is("http://h/a/b/", "../../../../x", "http://h/x");
  norm_is("https://h/a/", "http://H2/", "http://h2/");
  /* percent-encoding: unreserved decoded, others upper-case, raw bytes escaped */
  norm_is(NULL, "http://h/%7euser/%e4%b8%ad", "http://h/~user/%E4%B8%AD");
  norm_is(NULL, "http://h/中文 目录/a.html?q=中 文&b=1", "http://h/%E4%B8%AD%E6%96%87%20%E7%9B%AE%E5%BD%95/a.html?q=%E4%B8%AD%20%E6%96%87&b=1");
  norm_is(NULL, "http://h/a%2fb%2Fc", "http://h/a%2Fb%2Fc");
  norm_is(NULL, "http://h/100%/x", "http://h/100%25/x");
  norm_is(NULL, "http://h/a?x=%zz", "http://h/a?x=%25zz");
  norm_is(NULL, "http://h/a/%2E%2E/b", "http://h/b");
  norm_is(NULL, "http://h/a/%2e/b", "http://h/a/b");
  /* reserved characters of the query stay as written, in order */
  norm_is(NULL, "http://h/s?b=2&a=1&c=x/y:z@w", "http://h/s?b=2&a=1&c=x/y:z@w");
  norm_is(NULL, "http://h/s?q=a+b", "http://h/s?q=a+b");
  /* browser clean-up: white space, tabs, backslashes */
  norm_is("http://h/a/b/c.html", "  ..\\images\\a.gif \n", "http://h/a/images/a.gif");
  norm_is(NULL, "http://h/a\tb\nc", "http://h/abc");
  norm_is(NULL, "http://h/a?x=\\y", "http://h/a?x=%5Cy");
  /* hosts: IPv6, numeric forms CURLU canonicalises */
  norm_is(NULL, "http://[::1]:80/", "http://[::1]/");
  norm_is(NULL, "http://[::1]:8080/x", "http://[::1]:8080/x");
  norm_is(NULL, "http://0x7f.1/x", "http://127.0.0.1/x");
  /* user information is kept (it is part of what the link asks for) */
  norm_is(NULL, "http://user:pw@h/", "http://user:pw@h/");

  norm_fails(NULL, "/relative/path", GW_EINVAL, "/relative/path");
  norm_fails("http://h/", "mailto:a@b.cn", GW_EINVAL, "mailto:a@b.cn");
  norm_fails("http://h/", "javascript:void(0)", GW_EINVAL, "javascript");
  norm_fails("http://h/", "ftp://h/file", GW_EINVAL, "not http or https");
  /* as browsers do, CURLU reads the first path segment as the host */
  norm_is(NULL, "http:///x", "http://x/");
  norm_fails(NULL, "http://h:99999/", GW_EINVAL, NULL);
  norm_fails(NULL, "http://h\xff\xfe/", GW_EINVAL, "is not a host name");
  norm_fails(NULL, "http://a b/", GW_EINVAL, NULL);
  norm_is(NULL, "http://\xe4\xb8\xad\xe6\x96\x87.CN/x", "http://\xe4\xb8\xad\xe6\x96\x87.cn/x");
  norm_fails(NULL, NULL, GW_EINVAL, "no URL");
  char *big = malloc(GW_URL_MAX + 20);
  memcpy(big, "http://h/", 9);
  memset(big + 9, 'a', GW_URL_MAX + 5);
  big[GW_URL_MAX + 14] = '\0';
  norm_fails(NULL, big, GW_ELIMIT, "longer than");
  /* fits before, not after escaping */
  memset(big + 9, ' ', GW_URL_MAX - 20);
  big[GW_URL_MAX - 12] = 'x';
  big[GW_URL_MAX - 11] = '\0';
  norm_fails(NULL, big, GW_ELIMIT, "once normalised");
  free(big);
}

static void test_view(void)
{
  struct gw_url_view v;
  CHECK(gw_url_view("http://user@h.cn:8080/a/b?x=1", &v));
  CHECK(v.scheme_len == 4 && strncmp(v.scheme, "http", 4) == 0);
  CHECK(v.authority_len == 9 && strncmp(v.authority, "h.cn:8080", 9) == 0);
  CHECK(v.host_len == 4 && strncmp(v.host, "h.cn", 4) == 0);
  CHECK(v.path_len == 4 && strncmp(v.path, "/a/b", 4) == 0);
  CHECK(v.query_len == 3 && strncmp(v.query, "x=1", 3) == 0);
  CHECK(gw_url_view("https://[::1]:99/", &v));
  CHECK(v.host_len == 5 && strncmp(v.host, "[::1]", 5) == 0);
  CHECK(v.query == NULL);
  CHECK(!gw_url_view("no-scheme/x", &v));
  CHECK(!gw_url_view("http://h", &v));
  CHECK(!gw_url_view("http:///x", &v));
  char host[8];
  CHECK(gw_url_host("http://abc/", host, sizeof host) && strcmp(host, "abc") == 0);
  CHECK(!gw_url_host("http://abcdefghij/", host, sizeof host));
}

static void test_scope(void)
{
  struct gw_scope sc;
  const char *aliases[] = {"QINGXI.gov.cn.", "", "old.qingxi.gov.cn"};
  CHECK_INT(gw_scope_init(&sc, "http://www.qingxi.gov.cn/", aliases, 3), GW_OK);
  CHECK_STR(sc.prefix, "/");
  CHECK(gw_scope_has_host(&sc, "www.qingxi.gov.cn"));
  CHECK(gw_scope_has_host(&sc, "qingxi.gov.cn"));
  CHECK(gw_scope_has_host(&sc, "old.qingxi.gov.cn"));
  CHECK(gw_scope_has_host(&sc, "www.old.qingxi.gov.cn"));
  CHECK(!gw_scope_has_host(&sc, "jyj.qingxi.gov.cn"));
  CHECK_INT(gw_scope_of(&sc, "https://www.qingxi.gov.cn:8443/col/col1/index.html"), GW_SCOPE_INTERNAL);
  CHECK_INT(gw_scope_of(&sc, "http://qingxi.gov.cn/x"), GW_SCOPE_INTERNAL);
  CHECK_INT(gw_scope_of(&sc, "http://jyj.qingxi.gov.cn/"), GW_SCOPE_EXTERNAL);
  CHECK_INT(gw_scope_of(&sc, "http://www.gov.cn/"), GW_SCOPE_EXTERNAL);
  CHECK_INT(gw_scope_of(&sc, "ftp://www.qingxi.gov.cn/"), GW_SCOPE_EXTERNAL);
  CHECK_INT(gw_scope_of(&sc, "garbage"), GW_SCOPE_EXTERNAL);
  gw_scope_free(&sc);

  CHECK_INT(gw_scope_init(&sc, "http://h.gov.cn/sub/index.html", NULL, 0), GW_OK);
  CHECK_STR(sc.prefix, "/sub/");
  CHECK_INT(gw_scope_of(&sc, "http://h.gov.cn/sub/a/b.html"), GW_SCOPE_INTERNAL);
  CHECK_INT(gw_scope_of(&sc, "http://h.gov.cn/sub"), GW_SCOPE_INTERNAL);
  CHECK_INT(gw_scope_of(&sc, "http://h.gov.cn/subway/"), GW_SCOPE_OUTSIDE);
  CHECK_INT(gw_scope_of(&sc, "http://h.gov.cn/"), GW_SCOPE_OUTSIDE);
  CHECK_INT(gw_scope_of(&sc, "http://www.h.gov.cn/sub/x"), GW_SCOPE_INTERNAL);
  gw_scope_free(&sc);

  CHECK_INT(gw_scope_init(&sc, "http://h.gov.cn/sub", NULL, 0), GW_OK);
  CHECK_STR(sc.prefix, "/sub/");
  gw_scope_free(&sc);
  CHECK_INT(gw_scope_init(&sc, "http://h.gov.cn/index.html", NULL, 0), GW_OK);
  CHECK_STR(sc.prefix, "/");
  gw_scope_free(&sc);

  struct gw_scope untouched = {NULL, 7, NULL};
  sc = untouched;
  CHECK_INT(gw_scope_init(&sc, "not a url", NULL, 0), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "site URL");
  CHECK_INT(sc.n_hosts, 7);
  const char *bad[] = {"bad host/x"};
  CHECK_INT(gw_scope_init(&sc, "http://h.gov.cn/", bad, 1), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "bad host/x");
  CHECK_INT(sc.n_hosts, 7);
}

static void test_trap_path(void)
{
  char why[200];
  CHECK(!gw_url_trap_path("http://h/xxgk/tzgg/202503/t20250312_5123.html", why, sizeof why));
  CHECK(!gw_url_trap_path("http://h/a/b/a/b.html", why, sizeof why));
  CHECK(gw_url_trap_path("http://h/a/b/a/b/a/b/", why, sizeof why));
  CHECK_CONTAINS(why, "path segment 'a' repeats 3 times");
  CHECK(gw_url_trap_path("http://h/news/news/news/index.html", why, sizeof why));
  /* empty segments do not count */
  CHECK(!gw_url_trap_path("http://h/a//b//c//d", why, sizeof why));
  char deep[400] = "http://h";
  for (int i = 0; i < 31; i++) {
    char seg[8];
    snprintf(seg, sizeof seg, "/s%d", i);
    strncat(deep, seg, sizeof deep - strlen(deep) - 1);
  }
  CHECK(gw_url_trap_path(deep, why, sizeof why));
  CHECK_CONTAINS(why, "more than 30 path segments");
  char *longu = malloc(GW_TRAP_MAX_URL + 20);
  memcpy(longu, "http://h/?", 10);
  memset(longu + 10, 'q', GW_TRAP_MAX_URL);
  longu[GW_TRAP_MAX_URL + 10] = '\0';
  CHECK(gw_url_trap_path(longu, why, sizeof why));
  CHECK_CONTAINS(why, "URL longer than");
  free(longu);
}

static void test_calendar(void)
{
  /* the sample family's calendar trap */
  CHECK(gw_url_calendar_step("http://qxz.qingxi.gov.cn/calendar/?month=2025-03",
                             "http://qxz.qingxi.gov.cn/calendar/?month=2025-02"));
  CHECK(gw_url_calendar_step("http://h/cal?year=2025&month=3", "http://h/cal?year=2025&month=4"));
  CHECK(gw_url_calendar_step("http://h/cal?year=2025&month=12", "http://h/cal?year=2026&month=1"));
  CHECK(gw_url_calendar_step("http://h/cal?d=2025%2F03%2F12", "http://h/cal?d=2025%2F03%2F13"));
  CHECK(gw_url_calendar_step("http://h/archive/2025/03/", "http://h/archive/2025/02/"));
  CHECK(gw_url_calendar_step("http://h/archive/2025/03/", "http://h/archive/2024/12/"));
  CHECK(gw_url_calendar_step("http://h/day/20250312.html?", "http://h/day/20250312.html?") == false);
  CHECK(gw_url_calendar_step("http://h/day/20250312/", "http://h/day/20250313/"));
  CHECK(gw_url_calendar_step("http://h/m/2025-03.html", "http://h/m/2025-04.html") == false); /* not a whole value */
  CHECK(gw_url_calendar_step("http://h/m/2025-03/", "http://h/m/2025-04/"));
  /* not steps: article prev/next (an id changes too), pagination, ids */
  CHECK(!gw_url_calendar_step("http://h/tzgg/20250312/5123.html", "http://h/tzgg/20250310/5120.html"));
  CHECK(!gw_url_calendar_step("http://h/art/2025/3/12/art_1229_5123.html", "http://h/art/2025/3/10/art_1229_5120.html"));
  CHECK(!gw_url_calendar_step("http://h/col/col1229/index_1.html", "http://h/col/col1229/index_2.html"));
  CHECK(!gw_url_calendar_step("http://h/a?id=2024", "http://h/a?id=2025"));
  CHECK(!gw_url_calendar_step("http://h/a?id=201011", "http://h/a?id=201012"));
  CHECK(!gw_url_calendar_step("http://h/news/2345/", "http://h/news/2346/"));
  CHECK(!gw_url_calendar_step("http://h/cal?month=2025-03", "http://h/cal?month=2025-03"));
  CHECK(!gw_url_calendar_step("http://h/cal?month=2025-03", "http://h/cal?mon=2025-04"));
  CHECK(!gw_url_calendar_step("http://h/cal?month=2025-03", "http://h2/cal?month=2025-04"));
  CHECK(!gw_url_calendar_step("http://h/cal?month=2025-03", "http://h/cal?month=2025-13"));
  CHECK(!gw_url_calendar_step("http://h/cal?month=2025-03", "http://h/cal?month=2025-04&x=1"));
  CHECK(!gw_url_calendar_step("http://h/cal/", "http://h/cal/?month=2025-04"));
}

static void test_query_key(void)
{
  char *k = gw_url_query_key("http://h:81/s?b=2&a=1&c=3");
  CHECK_STR(k, "h:81/s?a=1&b=2&c=3");
  free(k);
  CHECK(gw_url_query_key("http://h/s?a=1") == NULL);
  CHECK(gw_url_query_key("http://h/s") == NULL);
}

static void test_traps(void)
{
  struct gw_traps t;
  char why[700];
  unsigned d = 99;
  gw_traps_init(&t, 3, 4);
  const char *from = "http://h/";
  char cur[128] = "http://h/calendar/?month=2025-06";
  CHECK(gw_traps_check(&t, from, 0, cur, &d, why, sizeof why));
  CHECK_INT(d, 0);
  gw_traps_note(&t, cur);
  unsigned depth = 0;
  int month = 6;
  for (int i = 1; i <= 3; i++) {
    char next[128];
    snprintf(next, sizeof next, "http://h/calendar/?month=2025-%02d", month - i);
    CHECK_MSG(gw_traps_check(&t, cur, depth, next, &d, why, sizeof why), "step %d admitted", i);
    CHECK_INT(d, depth + 1);
    depth = d;
    gw_traps_note(&t, next);
    memcpy(cur, next, sizeof cur);
  }
  d = 77;
  CHECK(!gw_traps_check(&t, cur, depth, "http://h/calendar/?month=2025-02", &d, why, sizeof why));
  CHECK_CONTAINS(why, "calendar: more than 3 date steps");
  CHECK_INT(d, 77);

  /* permutations: the first order wins */
  CHECK(gw_traps_check(&t, from, 0, "http://h/list?sort=a&page=2", &d, why, sizeof why));
  gw_traps_note(&t, "http://h/list?sort=a&page=2");
  CHECK(!gw_traps_check(&t, from, 0, "http://h/list?page=2&sort=a", &d, why, sizeof why));
  CHECK_CONTAINS(why, "query permutation of http://h/list?sort=a&page=2");
  /* variants: at most 4 queries of /list */
  for (int i = 3; i <= 5; i++) {
    char u[64];
    snprintf(u, sizeof u, "http://h/list?page=%d", i);
    CHECK(gw_traps_check(&t, from, 0, u, &d, why, sizeof why));
    gw_traps_note(&t, u);
  }
  CHECK(!gw_traps_check(&t, from, 0, "http://h/list?page=6", &d, why, sizeof why));
  CHECK_CONTAINS(why, "more than 4 query variants of h/list");
  /* path traps go through too */
  CHECK(!gw_traps_check(&t, NULL, 0, "http://h/a/a/a/", &d, why, sizeof why));
  CHECK_CONTAINS(why, "repeats");
  gw_traps_free(&t);

  /* 0 = no limit */
  gw_traps_init(&t, 0, 0);
  CHECK(gw_traps_check(&t, "http://h/c?m=2025-03", 500, "http://h/c?m=2025-04", &d, why, sizeof why));
  CHECK_INT(d, 501);
  gw_traps_free(&t);
}

static void test_map(void)
{
  struct gw_map m = GW_MAP_INIT;
  CHECK(gw_map_get(&m, "x") == NULL);
  CHECK(!gw_map_has(&m, "x"));
  char keys[2000][16];
  for (int i = 0; i < 2000; i++) {
    snprintf(keys[i], sizeof keys[i], "k%d", i);
    const char *own = gw_map_put(&m, keys[i], (void *)(uintptr_t)(i + 1));
    CHECK(own != keys[i] && strcmp(own, keys[i]) == 0);
  }
  CHECK_INT(m.n, 2000);
  int bad = 0;
  for (int i = 0; i < 2000; i++)
    bad += (uintptr_t)gw_map_get(&m, keys[i]) != (uintptr_t)(i + 1);
  CHECK_INT(bad, 0);
  gw_map_put(&m, "k5", NULL);
  CHECK(gw_map_has(&m, "k5") && gw_map_get(&m, "k5") == NULL);
  CHECK_INT(m.n, 2000);
  CHECK(gw_map_hash("") == UINT64_C(14695981039346656037));
  gw_map_free(&m);
  CHECK(m.n == 0 && m.slots == NULL);
}

int main(void)
{
  test_normalize();
  test_view();
  test_scope();
  test_trap_path();
  test_calendar();
  test_query_key();
  test_traps();
  test_map();
  return gw_test_done();
}
