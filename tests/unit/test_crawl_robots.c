/* robots.txt parsing and matching (src/fetch/robots.h). */
#include <stdlib.h>
#include <string.h>

#include "fetch/robots.h"
#include "tap.h"

static void parse(const char *txt, const char *agent, struct gw_robots *r)
{
  gw_robots_parse(txt, strlen(txt), agent, r);
}

static void test_sample_file(void)
{
  /* what the sample sites serve */
  struct gw_robots r;
  parse("User-agent: *\nDisallow: /admin/\nDisallow: /module/\n", "GovWatch", &r);
  CHECK(!r.specific);
  CHECK_INT(r.n_rules, 2);
  CHECK_INT(r.groups, 1);
  CHECK(gw_robots_allowed(&r, "/"));
  CHECK(gw_robots_allowed(&r, "/col/col1229/index.html"));
  CHECK(!gw_robots_allowed(&r, "/admin/"));
  CHECK(!gw_robots_allowed(&r, "/module/web/jpage/dataproxy.jsp?page=1"));
  CHECK(gw_robots_allowed(&r, "/administration"));
  CHECK(gw_robots_allowed(&r, "/robots.txt"));
  CHECK_INT(gw_robots_delay_ms(&r), 0);
  gw_robots_free(&r);
}

static void test_groups(void)
{
  const char *txt =
      "\xEF\xBB\xBF# comment\n"
      "User-agent: Baiduspider\n"
      "Disallow: /\n"
      "\n"
      "User-agent: googlebot\n"
      "user-agent: GOVWATCH/2.0\n"
      "Disallow: /private\n"
      "Allow: /private/open\n"
      "Crawl-delay: 2.5\n"
      "\n"
      "User-agent: *\r\n"
      "Disallow: /tmp/\r\n"
      "Crawl-delay: 10\r\n"
      "Sitemap: http://h/sitemap.xml\n"
      "this line is junk\n"
      "Disallow: /govwatch-too  # trailing comment\n";
  struct gw_robots r;
  parse(txt, "GovWatch", &r);
  CHECK(r.specific);
  CHECK_INT(r.groups, 3);
  CHECK_INT(r.n_rules, 2);
  CHECK(r.crawl_delay == 2.5);
  CHECK_INT(gw_robots_delay_ms(&r), 2500);
  CHECK(!gw_robots_allowed(&r, "/private/x"));
  CHECK(gw_robots_allowed(&r, "/private/open/y"));
  CHECK(gw_robots_allowed(&r, "/tmp/"));            /* the * group does not apply */
  CHECK(gw_robots_allowed(&r, "/govwatch-too"));
  CHECK_INT(r.sitemaps.n, 1);
  CHECK_STR(r.sitemaps.v[0], "http://h/sitemap.xml");
  CHECK_INT(r.bad_lines, 1);
  gw_robots_free(&r);

  /* another crawler: the * group, with its rule after the junk line */
  parse(txt, "OtherBot", &r);
  CHECK(!r.specific);
  CHECK(!gw_robots_allowed(&r, "/tmp/a"));
  CHECK(!gw_robots_allowed(&r, "/govwatch-too"));
  CHECK(gw_robots_allowed(&r, "/private"));
  CHECK_INT(gw_robots_delay_ms(&r), 10000);
  gw_robots_free(&r);
}

static void test_patterns(void)
{
  struct gw_robots r;
  parse("User-agent: *\n"
        "Disallow: /*.php$\n"
        "Disallow: /search*q=\n"
        "Allow: /a\n"
        "Disallow: /a\n"          /* a tie: allow wins */
        "Disallow: /b/\n"
        "Allow: /b/*.html\n"     /* longer: wins */
        "Disallow: /%e4%b8%ad/\n" /* normalised like URLs */
        "Disallow:\n"             /* allows everything: no rule */
        "Crawl-delay: 9999\n",
        "GovWatch", &r);
  CHECK(!gw_robots_allowed(&r, "/index.php"));
  CHECK(gw_robots_allowed(&r, "/index.php?x=1"));
  CHECK(gw_robots_allowed(&r, "/index.phps"));
  CHECK(!gw_robots_allowed(&r, "/search?x=1&q=2"));
  CHECK(gw_robots_allowed(&r, "/search?x=1"));
  CHECK(gw_robots_allowed(&r, "/a/b"));
  CHECK(!gw_robots_allowed(&r, "/b/x.pdf"));
  CHECK(gw_robots_allowed(&r, "/b/x.html"));
  CHECK(!gw_robots_allowed(&r, "/%E4%B8%AD/x"));
  CHECK_INT(r.n_rules, 7);
  CHECK_INT(gw_robots_delay_ms(&r), 30000); /* capped */
  CHECK(r.crawl_delay == 9999);
  gw_robots_free(&r);

  /* empty, no groups, rules before any user-agent line */
  parse("", "GovWatch", &r);
  CHECK_INT(r.n_rules, 0);
  CHECK(r.crawl_delay < 0);
  CHECK(gw_robots_allowed(&r, "/x"));
  gw_robots_free(&r);
  parse("Disallow: /\n", "GovWatch", &r);
  CHECK(gw_robots_allowed(&r, "/x"));
  gw_robots_free(&r);
  parse("<html><body>404</body></html>", "GovWatch", &r);
  CHECK_INT(r.bad_lines, 1);
  CHECK(gw_robots_allowed(&r, "/x"));
  gw_robots_free(&r);
  /* bad delay */
  parse("User-agent: *\nCrawl-delay: soon\n", "GovWatch", &r);
  CHECK_INT(r.bad_lines, 1);
  CHECK_INT(gw_robots_delay_ms(&r), 0);
  gw_robots_free(&r);
}

static void test_limits(void)
{
  size_t n = GW_ROBOTS_MAX_BYTES + 100;
  char *big = malloc(n + 1);
  memset(big, '\n', n);
  memcpy(big, "User-agent: *\n", 14);
  /* a rule past the cap is not read */
  memcpy(big + GW_ROBOTS_MAX_BYTES + 10, "Disallow: /x", 12);
  big[n] = '\0';
  struct gw_robots r;
  gw_robots_parse(big, n, "GovWatch", &r);
  CHECK(r.truncated);
  CHECK(gw_robots_allowed(&r, "/x"));
  gw_robots_free(&r);
  free(big);

  /* a hostile pattern does not blow up */
  struct gw_buf_like { char s[5000]; } *p = malloc(sizeof *p);
  memcpy(p->s, "User-agent: *\nDisallow: /", 25);
  for (int i = 25; i < 4000; i++)
    p->s[i] = (i % 2) ? '*' : 'a';
  memcpy(p->s + 4000, "b\n", 3);
  gw_robots_parse(p->s, strlen(p->s), "GovWatch", &r);
  char path[3000];
  path[0] = '/';
  memset(path + 1, 'a', sizeof path - 2);
  path[sizeof path - 1] = '\0';
  CHECK(gw_robots_allowed(&r, path));
  gw_robots_free(&r);
  free(p);

  char tok[32];
  gw_robots_agent_token("GovWatch/0.1 (government website inspection)", tok, sizeof tok);
  CHECK_STR(tok, "GovWatch");
  gw_robots_agent_token("Mozilla", tok, 4);
  CHECK_STR(tok, "Moz");
  gw_robots_agent_token(NULL, tok, sizeof tok);
  CHECK_STR(tok, "");
}

int main(void)
{
  test_sample_file();
  test_groups();
  test_patterns();
  test_limits();
  return gw_test_done();
}
