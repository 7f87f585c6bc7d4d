#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/config.h"
#include "core/str.h"
#include "core/error.h"
#include "tap.h"

/* A struct full of sentinels, to prove failures leave the out-param alone. */
static struct gw_config sentinel(void)
{
  struct gw_config c;
  memset(&c, 0, sizeof c);
  c.db = (char *)"untouched";
  c.timeout_s = -42;
  return c;
}

static int parse(const char *yaml, struct gw_config *out)
{
  return gw_config_parse("test.yaml", yaml, strlen(yaml), out);
}

static void check_defaults(const struct gw_config *c)
{
  CHECK(c->path == NULL);
  CHECK_STR(c->db, "govwatch.db");
  CHECK_INT(c->log_level, GW_LOG_WARN);
  CHECK_STR(c->user_agent, "GovWatch/0.1 (government website inspection)");
  CHECK_INT(c->timeout_s, 15);
  CHECK_INT(c->connect_to.n, 0);
  CHECK_INT(c->connect_timeout_s, 10);
  CHECK_INT(c->concurrency, 16);
  CHECK_INT(c->per_host, 2);
  CHECK_INT(c->interval_ms, 250);
  CHECK_INT(c->attempts, 3);
  CHECK_INT(c->retry_base_ms, 1000);
  CHECK_INT(c->host_pause_ms, 30000);
  CHECK_INT(c->max_body, 10 << 20);
  CHECK(!c->mapped_only);
  CHECK_INT(c->max_pages, 100000);
  CHECK_INT(c->max_depth, 0);
  CHECK_INT(c->calendar_depth, 12);
  CHECK_INT(c->query_variants, 1000);
  CHECK_INT(c->links_per_page, 2000);
  CHECK(!c->obey_robots);
  CHECK_INT(c->parse_threads, 0);
  CHECK_INT(c->alias_hosts.n, 0);
  CHECK_INT(c->alias_names.n, 0);
}

static void test_defaults(void)
{
  struct gw_config c;
  gw_config_defaults(&c);
  check_defaults(&c);
  gw_config_clear(&c);
  CHECK(c.db == NULL && c.user_agent == NULL);
  gw_config_clear(&c); /* twice is harmless */

  const char *empty[] = {"", "\n", "# only a comment\n", "---\n", "~\n", "---\n# nothing\n...\n"};
  for (size_t i = 0; i < sizeof empty / sizeof *empty; i++) {
    c = sentinel();
    CHECK_MSG(parse(empty[i], &c) == GW_OK, "'%s': %s", empty[i], gw_err_msg());
    check_defaults(&c);
    gw_config_clear(&c);
  }
  /* an empty network section is no settings */
  c = sentinel();
  CHECK_INT(parse("network:\n  # connect_to: []\n", &c), GW_OK);
  check_defaults(&c);
  gw_config_clear(&c);
}

static void test_full(void)
{
  const char *yaml =
    "# GovWatch configuration\n"
    "db: /var/lib/govwatch/青溪县.db\n"
    "log_level: debug\n"
    "network:\n"
    "  user_agent: \"GovWatch/0.1 (青溪县政务公开办)\"\n"
    "  timeout: 30\n"
    "  connect_to:\n"
    "    - www.qingxi.gov.cn:80:127.0.0.1:18080\n"
    "    - \"::127.0.0.1:18081\"\n"
    "    - \"[2001:db8::1]:443:[::1]:18443\"\n"
    "    - ':::'\n";
  struct gw_config c = sentinel();
  CHECK_MSG(parse(yaml, &c) == GW_OK, "%s", gw_err_msg());
  CHECK(c.path == NULL);
  CHECK_STR(c.db, "/var/lib/govwatch/青溪县.db");
  CHECK_INT(c.log_level, GW_LOG_DEBUG);
  CHECK_STR(c.user_agent, "GovWatch/0.1 (青溪县政务公开办)");
  CHECK_INT(c.timeout_s, 30);
  CHECK_INT(c.connect_to.n, 4);
  if (c.connect_to.n == 4) {
    CHECK_STR(c.connect_to.v[0], "www.qingxi.gov.cn:80:127.0.0.1:18080");
    CHECK_STR(c.connect_to.v[1], "::127.0.0.1:18081");
    CHECK_STR(c.connect_to.v[2], "[2001:db8::1]:443:[::1]:18443");
    CHECK_STR(c.connect_to.v[3], ":::");
  }
  gw_config_clear(&c);

  /* flow style and bounds of timeout */
  c = sentinel();
  CHECK_INT(parse("{network: {timeout: 1, connect_to: []}, log_level: off}", &c), GW_OK);
  CHECK_INT(c.timeout_s, 1);
  CHECK_INT(c.log_level, GW_LOG_OFF);
  CHECK_INT(c.connect_to.n, 0);
  gw_config_clear(&c);
  c = sentinel();
  CHECK_INT(parse("network:\n  timeout: 3600\n", &c), GW_OK);
  CHECK_INT(c.timeout_s, 3600);
  gw_config_clear(&c);

  /* the crawler's keys */
  c = sentinel();
  CHECK_MSG(parse("network:\n"
                  "  connect_timeout: 3\n"
                  "  concurrency: 64\n"
                  "  per_host: 16\n"
                  "  interval_ms: 0\n"
                  "  attempts: 5\n"
                  "  retry_base_ms: 20\n"
                  "  host_pause_ms: 0\n"
                  "  max_body: 1048576\n"
                  "  mapped_only: true\n"
                  "crawl:\n"
                  "  max_pages: 500\n"
                  "  max_depth: 7\n"
                  "  calendar_depth: 3\n"
                  "  query_variants: 50\n"
                  "  links_per_page: 100\n"
                  "  obey_robots: yes\n"
                  "  parse_threads: 3\n"
                  "  aliases:\n"
                  "    www.qingxi.gov.cn: [qingxi.gov.cn, old.qingxi.gov.cn]\n"
                  "    jyj.qingxi.gov.cn: edu.qingxi.gov.cn\n",
                  &c) == GW_OK,
            "%s", gw_err_msg());
  CHECK_INT(c.connect_timeout_s, 3);
  CHECK_INT(c.concurrency, 64);
  CHECK_INT(c.per_host, 16);
  CHECK_INT(c.interval_ms, 0);
  CHECK_INT(c.attempts, 5);
  CHECK_INT(c.retry_base_ms, 20);
  CHECK_INT(c.host_pause_ms, 0);
  CHECK_INT(c.max_body, 1048576);
  CHECK(c.mapped_only);
  CHECK_INT(c.max_pages, 500);
  CHECK_INT(c.max_depth, 7);
  CHECK_INT(c.calendar_depth, 3);
  CHECK_INT(c.query_variants, 50);
  CHECK_INT(c.links_per_page, 100);
  CHECK(c.obey_robots);
  CHECK_INT(c.parse_threads, 3);
  CHECK_INT(c.alias_hosts.n, 3);
  CHECK_INT(c.alias_names.n, 3);
  if (c.alias_hosts.n == 3 && c.alias_names.n == 3) {
    CHECK_STR(c.alias_hosts.v[0], "www.qingxi.gov.cn");
    CHECK_STR(c.alias_names.v[0], "qingxi.gov.cn");
    CHECK_STR(c.alias_hosts.v[1], "www.qingxi.gov.cn");
    CHECK_STR(c.alias_names.v[1], "old.qingxi.gov.cn");
    CHECK_STR(c.alias_hosts.v[2], "jyj.qingxi.gov.cn");
    CHECK_STR(c.alias_names.v[2], "edu.qingxi.gov.cn");
  }
  gw_config_clear(&c);
  CHECK(c.alias_hosts.n == 0 && c.alias_names.v == NULL);
  c = sentinel();
  CHECK_INT(parse("network: {mapped_only: off}\ncrawl: {obey_robots: FALSE, aliases: ~}\ncrawl_unused: ~\n", &c),
            GW_EPARSE);
  c = sentinel();
  CHECK_INT(parse("network: {mapped_only: off}\ncrawl: {obey_robots: FALSE, aliases: ~}\n", &c), GW_OK);
  CHECK(!c.mapped_only && !c.obey_robots);
  gw_config_clear(&c);
  c = sentinel();
  CHECK_INT(parse("crawl:\n", &c), GW_OK);
  check_defaults(&c);
  gw_config_clear(&c);

  /* not NUL-terminated: only len bytes are read */
  const char buf[] = {'d', 'b', ':', ' ', 'x', '.', 'd', 'b', '\n', 'l', 'o', 'g'};
  c = sentinel();
  CHECK_INT(gw_config_parse("mem", buf, 9, &c), GW_OK);
  CHECK_STR(c.db, "x.db");
  gw_config_clear(&c);
}

/* Parse must fail with `code`, leave *out alone, and say all of `want`. */
static void expect_err(const char *yaml, int code, const char *want1, const char *want2)
{
  struct gw_config c = sentinel();
  int rc = parse(yaml, &c);
  CHECK_MSG(rc == code, "parse(\"%s\") = %d, want %d (%s)", yaml, rc, code, gw_err_msg());
  CHECK_MSG(c.db && strcmp(c.db, "untouched") == 0 && c.timeout_s == -42 && c.user_agent == NULL,
            "parse(\"%s\") touched the out-param", yaml);
  CHECK_CONTAINS(gw_err_msg(), want1);
  if (want2)
    CHECK_CONTAINS(gw_err_msg(), want2);
  if (rc == GW_OK)
    gw_config_clear(&c);
}

static void test_errors(void)
{
  expect_err("db: a.db\ndatabase: b.db\n", GW_EPARSE, "test.yaml:2:1: unknown key 'database'",
             "(known: db, log_level, network, crawl, checks, content, monitor)");
  expect_err("network:\n  timeout: 5\n  proxy: http://x\n", GW_EPARSE, "test.yaml:3:3: unknown key 'network.proxy'",
             "(known: connect_to, user_agent, timeout, connect_timeout, concurrency, per_host, interval_ms, "
             "attempts, retry_base_ms, host_pause_ms, max_body, mapped_only)");
  expect_err("crawl:\n  max_links: 5\n", GW_EPARSE, "test.yaml:2:3: unknown key 'crawl.max_links'",
             "(known: max_pages, max_depth, calendar_depth, query_variants, links_per_page, obey_robots, keep_documents, "
             "parse_threads, aliases)");
  expect_err("crawl:\n  parse_threads: 65\n", GW_EPARSE, "crawl.parse_threads '65' must be a whole number from 0 to 64",
             NULL);
  /* the crawler's numbers, booleans and aliases */
  expect_err("network:\n  per_host: 0\n", GW_EPARSE,
             "test.yaml:2:13: network.per_host '0' must be a whole number from 1 to 256", NULL);
  expect_err("network:\n  concurrency: 2000\n", GW_EPARSE, "network.concurrency '2000' must be a whole number from 1 to 1024",
             NULL);
  expect_err("network:\n  interval_ms: -1\n", GW_EPARSE,
             "network.interval_ms '-1' must be a whole number of milliseconds from 0 to 600000", NULL);
  expect_err("network:\n  connect_timeout: 0\n", GW_EPARSE,
             "network.connect_timeout '0' must be a whole number of seconds from 1 to 3600", NULL);
  expect_err("network:\n  attempts: 11\n", GW_EPARSE, "network.attempts '11' must be a whole number from 1 to 10", NULL);
  expect_err("network:\n  retry_base_ms: 0\n", GW_EPARSE, "network.retry_base_ms '0' must be", NULL);
  expect_err("network:\n  host_pause_ms: 1h\n", GW_EPARSE, "network.host_pause_ms '1h' must be", NULL);
  expect_err("network:\n  max_body: 10MiB\n", GW_EPARSE,
             "network.max_body '10MiB' must be a whole number of bytes from 1024 to 1073741824", NULL);
  expect_err("network:\n  max_body: 1000\n", GW_EPARSE, "network.max_body '1000' must be", NULL);
  expect_err("network:\n  mapped_only: maybe\n", GW_EPARSE,
             "test.yaml:2:16: network.mapped_only 'maybe' must be true or false", NULL);
  expect_err("network:\n  mapped_only: [true]\n", GW_EPARSE, "'network.mapped_only' must be a single value", NULL);
  expect_err("crawl:\n  max_pages: 0\n", GW_EPARSE, "crawl.max_pages '0' must be a whole number from 1 to 10000000",
             NULL);
  expect_err("crawl:\n  max_depth: -1\n", GW_EPARSE, "crawl.max_depth '-1' must be a whole number from 0 to 100000",
             NULL);
  expect_err("crawl:\n  calendar_depth: 0\n", GW_EPARSE, "crawl.calendar_depth '0' must be", NULL);
  expect_err("crawl:\n  query_variants: x\n", GW_EPARSE, "crawl.query_variants 'x' must be", NULL);
  expect_err("crawl:\n  links_per_page: 0\n", GW_EPARSE, "crawl.links_per_page '0' must be", NULL);
  expect_err("crawl:\n  obey_robots: 1\n", GW_EPARSE, "crawl.obey_robots '1' must be true or false", NULL);
  expect_err("crawl: [a]\n", GW_EPARSE, "'crawl' must be a mapping of keys to values, not a list", NULL);
  expect_err("crawl:\n  aliases: [a, b]\n", GW_EPARSE,
             "test.yaml:2:12: 'crawl.aliases' must be a mapping of site hosts to lists of host names, not a list", NULL);
  expect_err("crawl:\n  aliases:\n    'a b': [c]\n", GW_EPARSE, "test.yaml:3:5: crawl.aliases: 'a b' is not a host name",
             NULL);
  expect_err("crawl:\n  aliases:\n    h.cn: ['x/y']\n", GW_EPARSE,
             "test.yaml:3:12: crawl.aliases of 'h.cn': 'x/y' is not a host name", NULL);
  expect_err("crawl:\n  aliases:\n    h.cn: [[x]]\n", GW_EPARSE, "'crawl.aliases item' must be a single value, not a list",
             NULL);
  expect_err("crawl:\n  aliases:\n    h.cn: a\n    h.cn: b\n", GW_EPARSE,
             "test.yaml:4:5: duplicate key 'crawl.aliases.h.cn' (first at line 3)", NULL);
  /* wrong types */
  expect_err("db:\n  path: x.db\n", GW_EPARSE, "test.yaml:2:3: 'db' must be a single value, not a mapping", NULL);
  expect_err("db: [a, b]\n", GW_EPARSE, "test.yaml:1:5: 'db' must be a single value, not a list", NULL);
  expect_err("log_level: {a: 1}\n", GW_EPARSE, "test.yaml:1:12: 'log_level' must be a single value", NULL);
  expect_err("network:\n  connect_to: a:1:b:2\n", GW_EPARSE,
             "test.yaml:2:15: 'network.connect_to' must be a list, not a single value", NULL);
  expect_err("network:\n  connect_to: {a: b}\n", GW_EPARSE, "'network.connect_to' must be a list, not a mapping",
             NULL);
  expect_err("network: fast\n", GW_EPARSE,
             "test.yaml:1:10: 'network' must be a mapping of keys to values, not a single value", NULL);
  expect_err("network: [a]\n", GW_EPARSE, "'network' must be a mapping of keys to values, not a list", NULL);
  expect_err("- db\n- log_level\n", GW_EPARSE,
             "test.yaml:1:1: the configuration must be a mapping of keys to values, not a list", NULL);
  expect_err("just text\n", GW_EPARSE, "the configuration must be a mapping of keys to values, not a single value",
             NULL);
  expect_err("network:\n  user_agent:\n    - a\n", GW_EPARSE, "'network.user_agent' must be a single value, not a list",
             NULL);
  expect_err("network:\n  timeout: [1]\n", GW_EPARSE, "'network.timeout' must be a single value, not a list", NULL);
  expect_err("? [a, b]\n: 1\n", GW_EPARSE, "test.yaml:1:3: a key must be a single word, not a list", NULL);
  expect_err("network:\n  ? {a: 1}\n  : 1\n", GW_EPARSE, "a key in network must be a single word, not a mapping",
             NULL);
  expect_err("network:\n  connect_to:\n    - [a, b]\n", GW_EPARSE,
             "test.yaml:3:7: 'network.connect_to item' must be a single value, not a list", NULL);
  /* empty strings and NUL */
  expect_err("db: ''\n", GW_EPARSE, "test.yaml:1:5: 'db' must not be empty", NULL);
  expect_err("db:\n", GW_EPARSE, "'db' must not be empty", NULL);
  expect_err("network:\n  user_agent: \"\"\n", GW_EPARSE, "'network.user_agent' must not be empty", NULL);
  expect_err("db: \"a\\0b\"\n", GW_EPARSE, "'db' contains a NUL character", NULL);
  /* duplicates */
  expect_err("db: a.db\nlog_level: info\ndb: b.db\n", GW_EPARSE, "test.yaml:3:1: duplicate key 'db' (first at line 1)",
             NULL);
  expect_err("network:\n  timeout: 5\n  timeout: 6\n", GW_EPARSE,
             "test.yaml:3:3: duplicate key 'network.timeout' (first at line 2)", NULL);

  /* bad YAML syntax, with line and column */
  expect_err("db: a.db\nlog_level: [debug\n", GW_EPARSE, "test.yaml:3:1: YAML syntax error:",
             "did not find expected ',' or ']' (while parsing a flow sequence that started at line 2)");
  expect_err("db: a\n  bad: indent\n", GW_EPARSE, "test.yaml:2:6: YAML syntax error: mapping values are not allowed",
             NULL);
  expect_err("db: \"unterminated\n", GW_EPARSE, "test.yaml:2:1: YAML syntax error:", "found unexpected end of stream");
  expect_err("db: *nothing\n", GW_EPARSE, "YAML syntax error: found undefined alias", NULL);
  expect_err("db: a\n\tlog_level: info\n", GW_EPARSE, "test.yaml:2:", "YAML syntax error");
  expect_err("db: a.db\n---\nlog_level: info\n", GW_EPARSE, "test.yaml:2: a second YAML document", NULL);
  expect_err("db: \xE4\xB8\n", GW_EPARSE, "test.yaml: byte 7: invalid trailing UTF-8 octet",
             "(the configuration must be UTF-8 text)");
  expect_err("db: a\x01\n", GW_EPARSE, "test.yaml: byte 6: control characters are not allowed", NULL);

  /* connect_to items */
  expect_err("network:\n  connect_to:\n    - a.gov.cn:80:127.0.0.1\n", GW_EPARSE,
             "test.yaml:3:7: network.connect_to item 'a.gov.cn:80:127.0.0.1' is not HOST:PORT:CONNECT_HOST:CONNECT_PORT",
             NULL);
  expect_err("network:\n  connect_to:\n    - a:80:b:81:c\n", GW_EPARSE, "item 'a:80:b:81:c' is not HOST:PORT", NULL);
  expect_err("network:\n  connect_to:\n    - a.gov.cn\n", GW_EPARSE, "item 'a.gov.cn' is not HOST:PORT", NULL);
  expect_err("network:\n  connect_to:\n    - a.gov.cn:http:127.0.0.1:80\n", GW_EPARSE,
             "item 'a.gov.cn:http:127.0.0.1:80': port 'http' is not a number from 1 to 65535", NULL);
  expect_err("network:\n  connect_to:\n    - a.gov.cn:80:127.0.0.1:70000\n", GW_EPARSE,
             "port '70000' is not a number from 1 to 65535", NULL);
  expect_err("network:\n  connect_to:\n    - a.gov.cn:0:127.0.0.1:80\n", GW_EPARSE, "port '0' is not a number", NULL);
  expect_err("network:\n  connect_to:\n    - 'a gov:80:127.0.0.1:80'\n", GW_EPARSE,
             "host 'a gov' is not a host name or address", NULL);
  expect_err("network:\n  connect_to:\n    - 'a:80:[::1:80'\n", GW_EPARSE, "item 'a:80:[::1:80' is not HOST:PORT",
             NULL);
  expect_err("network:\n  connect_to:\n    - 'a:80:127.0.0.1/x:80'\n", GW_EPARSE,
             "host '127.0.0.1/x' is not a host name or address", NULL);
  expect_err("network:\n  connect_to:\n    - 'a:80:[::1]x:80'\n", GW_EPARSE, "host '[::1]x' is not a host name",
             NULL);
  expect_err("network:\n  connect_to:\n    - ok:80:127.0.0.1:80\n    - bad\n", GW_EPARSE, "test.yaml:4:7:", "'bad'");

  /* timeout */
  expect_err("network:\n  timeout: 0\n", GW_EPARSE,
             "test.yaml:2:12: network.timeout '0' must be a whole number of seconds from 1 to 3600", NULL);
  expect_err("network:\n  timeout: 3601\n", GW_EPARSE, "network.timeout '3601' must be a whole number", NULL);
  expect_err("network:\n  timeout: -5\n", GW_EPARSE, "network.timeout '-5' must be", NULL);
  expect_err("network:\n  timeout: fifteen\n", GW_EPARSE, "network.timeout 'fifteen' must be a whole number", NULL);
  expect_err("network:\n  timeout: 1.5\n", GW_EPARSE, "network.timeout '1.5' must be", NULL);
  expect_err("network:\n  timeout: 15s\n", GW_EPARSE, "network.timeout '15s' must be", NULL);
  expect_err("network:\n  timeout: 99999999999999999999999\n", GW_EPARSE, "network.timeout '9999", NULL);
  expect_err("network:\n  timeout: ''\n", GW_EPARSE, "network.timeout '' must be", NULL);

  /* log level */
  expect_err("log_level: loud\n", GW_EPARSE,
             "test.yaml:1:12: log_level: unknown log level 'loud' (expected debug, info, warn, error or off)", NULL);
  expect_err("log_level: DEBUG\n", GW_EPARSE, "unknown log level 'DEBUG'", NULL);

  /* size cap, from memory */
  size_t big = GW_CONFIG_MAX_BYTES + 1;
  char *data = gw_malloc(big);
  memset(data, '#', big);
  struct gw_config c = sentinel();
  CHECK_INT(gw_config_parse("huge.yaml", data, big, &c), GW_ELIMIT);
  CHECK_STR(c.db, "untouched");
  CHECK_CONTAINS(gw_err_msg(), "huge.yaml: configuration is larger than 1048576 bytes");
  /* exactly at the cap is fine (one long comment) */
  CHECK_INT(gw_config_parse("cap.yaml", data, big - 1, &c), GW_OK);
  check_defaults(&c);
  gw_config_clear(&c);
  free(data);

  /* a NULL name still gives a place */
  c = sentinel();
  CHECK_INT(gw_config_parse(NULL, "x: 1", 4, &c), GW_EPARSE);
  CHECK_CONTAINS(gw_err_msg(), "configuration:1:1: unknown key 'x'");
}

static char *write_file(const char *name, const char *content, size_t len)
{
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", gw_test_tmpdir(), name);
  FILE *f = fopen(path, "wb");
  CHECK(f != NULL);
  if (f) {
    CHECK_INT(fwrite(content, 1, len, f), len);
    fclose(f);
  }
  return gw_strdup(path);
}

static void test_files(void)
{
  unsetenv("GOVWATCH_CONFIG");
  const char *yaml = "db: file.db\nnetwork:\n  timeout: 7\n";
  char *path = write_file("good.yaml", yaml, strlen(yaml));
  struct gw_config c = sentinel();
  CHECK_INT(gw_config_load(path, &c), GW_OK);
  CHECK_STR(c.path, path);
  CHECK_STR(c.db, "file.db");
  CHECK_INT(c.timeout_s, 7);
  gw_config_clear(&c);

  /* errors carry the file name */
  const char *bad = "db: file.db\nnetwork:\n  timeout: soon\n";
  char *badpath = write_file("bad.yaml", bad, strlen(bad));
  c = sentinel();
  CHECK_INT(gw_config_load(badpath, &c), GW_EPARSE);
  CHECK_STR(c.db, "untouched");
  char want[1200];
  snprintf(want, sizeof want, "%s:3:12: network.timeout 'soon'", badpath);
  CHECK_CONTAINS(gw_err_msg(), want);

  /* an empty file gives the defaults, with the path recorded */
  char *empty = write_file("empty.yaml", "", 0);
  c = sentinel();
  CHECK_INT(gw_config_load(empty, &c), GW_OK);
  CHECK_STR(c.path, empty);
  CHECK_STR(c.db, "govwatch.db");
  CHECK_INT(c.timeout_s, 15);
  gw_config_clear(&c);

  /* a missing file */
  char missing[1100];
  snprintf(missing, sizeof missing, "%s/nope.yaml", gw_test_tmpdir());
  c = sentinel();
  CHECK_INT(gw_config_load(missing, &c), GW_ENOTFOUND);
  CHECK_STR(c.db, "untouched");
  snprintf(want, sizeof want, "%s: cannot open configuration: No such file or directory", missing);
  CHECK_CONTAINS(gw_err_msg(), want);

  /* a directory opens but cannot be read */
  c = sentinel();
  CHECK_INT(gw_config_load(gw_test_tmpdir(), &c), GW_EIO);
  CHECK_STR(c.db, "untouched");
  CHECK_CONTAINS(gw_err_msg(), "cannot read configuration");

  /* over the size cap, and exactly at it */
  size_t big = GW_CONFIG_MAX_BYTES + 1;
  char *data = gw_malloc(big);
  memset(data, '#', big);
  data[big - 2] = '\n';
  char *bigpath = write_file("big.yaml", data, big);
  c = sentinel();
  CHECK_INT(gw_config_load(bigpath, &c), GW_ELIMIT);
  CHECK_STR(c.db, "untouched");
  snprintf(want, sizeof want, "%s: configuration is larger than 1048576 bytes", bigpath);
  CHECK_CONTAINS(gw_err_msg(), want);
  char *cappath = write_file("cap.yaml", data, big - 1);
  c = sentinel();
  CHECK_MSG(gw_config_load(cappath, &c) == GW_OK, "%s", gw_err_msg());
  gw_config_clear(&c);
  free(data);

  /* GOVWATCH_CONFIG names the file when no path is given */
  setenv("GOVWATCH_CONFIG", path, 1);
  c = sentinel();
  CHECK_INT(gw_config_load(NULL, &c), GW_OK);
  CHECK_STR(c.path, path);
  CHECK_STR(c.db, "file.db");
  gw_config_clear(&c);
  /* an explicit path wins over the variable */
  c = sentinel();
  CHECK_INT(gw_config_load(empty, &c), GW_OK);
  CHECK_STR(c.path, empty);
  gw_config_clear(&c);
  /* a variable naming a missing file is an error, not a silent default */
  setenv("GOVWATCH_CONFIG", missing, 1);
  c = sentinel();
  CHECK_INT(gw_config_load(NULL, &c), GW_ENOTFOUND);
  CHECK_CONTAINS(gw_err_msg(), missing);
  CHECK_STR(c.db, "untouched");

  /* without the variable, ./govwatch.yaml; without that, defaults */
  unsetenv("GOVWATCH_CONFIG");
  char cwd[1024];
  CHECK(getcwd(cwd, sizeof cwd) != NULL);
  char dir[1100];
  snprintf(dir, sizeof dir, "%s/cwd", gw_test_tmpdir());
  char cmd[1200];
  snprintf(cmd, sizeof cmd, "mkdir -p '%s'", dir);
  CHECK_INT(gw_test_run(cmd, NULL), 0);
  CHECK_INT(chdir(dir), 0);
  c = sentinel();
  CHECK_INT(gw_config_load(NULL, &c), GW_OK);
  CHECK(c.path == NULL);
  check_defaults(&c);
  gw_config_clear(&c);
  free(write_file("cwd/govwatch.yaml", "log_level: error\n", 17));
  c = sentinel();
  CHECK_INT(gw_config_load(NULL, &c), GW_OK);
  CHECK_STR(c.path, "govwatch.yaml");
  CHECK_INT(c.log_level, GW_LOG_ERROR);
  gw_config_clear(&c);
  /* an empty variable counts as unset */
  setenv("GOVWATCH_CONFIG", "", 1);
  c = sentinel();
  CHECK_INT(gw_config_load(NULL, &c), GW_OK);
  CHECK_STR(c.path, "govwatch.yaml");
  gw_config_clear(&c);
  unsetenv("GOVWATCH_CONFIG");
  CHECK_INT(chdir(cwd), 0);

  free(path);
  free(badpath);
  free(empty);
  free(bigpath);
  free(cappath);
}

/* The content section: word-list directories of the content checks. */
static void test_content(void)
{
  struct gw_config c = sentinel();
  CHECK_INT(parse("db: x.db\n", &c), GW_OK);
  CHECK(c.dict_dir == NULL); /* the checks then use gw_dict_dir() */
  CHECK(c.confusion_dir == NULL && c.freq_dict == NULL);
  gw_config_clear(&c);
  c = sentinel();
  CHECK_INT(parse("content:\n  dict_dir: /srv/gw/dict\n  confusion_dir: /srv/conf\n  freq_dict: /srv/f.txt\n", &c),
            GW_OK);
  CHECK_STR(c.dict_dir, "/srv/gw/dict");
  CHECK_STR(c.confusion_dir, "/srv/conf");
  CHECK_STR(c.freq_dict, "/srv/f.txt");
  gw_config_clear(&c);
  CHECK(c.dict_dir == NULL && c.confusion_dir == NULL && c.freq_dict == NULL);
  expect_err("content:\n  dictionary: x\n", GW_EPARSE, "test.yaml:2:3: unknown key 'content.dictionary'",
             "(known: dict_dir, confusion_dir, freq_dict)");
  expect_err("content:\n  dict_dir: \"\"\n", GW_EPARSE, "test.yaml:2:13", "'content.dict_dir' must not be empty");
  expect_err("content: [a]\n", GW_EPARSE, "test.yaml:1:10", "'content' must be a mapping");
}

int main(void)
{
  test_defaults();
  test_content();
  test_full();
  test_errors();
  test_files();
  return gw_test_done();
}
