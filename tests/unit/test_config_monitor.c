/* The monitor.* configuration keys: values, defaults and every error. */
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/error.h"
#include "tap.h"

static int parse(const char *yaml, struct gw_config *out)
{
  return gw_config_parse("t.yaml", yaml, strlen(yaml), out);
}

static void expect_err(const char *yaml, const char *want)
{
  struct gw_config c;
  memset(&c, 0, sizeof c);
  c.db = (char *)"untouched";
  int rc = parse(yaml, &c);
  CHECK_INT(rc, GW_EPARSE);
  CHECK_CONTAINS(gw_err_msg(), want);
  CHECK_STR(c.db, "untouched");
}

static void test_defaults(void)
{
  struct gw_config c;
  gw_config_defaults(&c);
  const struct gw_config_monitor *m = &c.monitor;
  CHECK_INT(m->probes_per_day, 24);
  CHECK(m->ipv4 && m->ipv6);
  CHECK_INT(m->seed, 0);
  CHECK_INT(m->timeout_s, 15);
  CHECK_INT(m->control_urls.n, 0);
  CHECK_INT(m->net_window_s, 900);
  CHECK_INT(m->net_min_sites, 3);
  CHECK_INT(m->catchup_s, 86400);
  CHECK_INT(m->warn_bp, 300);
  CHECK_INT(m->veto_bp, 500);
  CHECK_INT(m->alert_mute_s, 3600);
  CHECK_INT(m->n_alerts, 0);
  CHECK(m->listen == NULL);
  CHECK(m->crawl);
  CHECK_INT(m->crawl_at_min, 120);
  CHECK(!m->inspection);
  CHECK_INT(m->job_attempts, 3);
  CHECK_INT(m->probe_workers, 4);
  gw_config_clear(&c);
}

static void test_full(void)
{
  const char *y = "monitor:\n"
                  "  probes_per_day: 48\n"
                  "  ipv6: no\n"
                  "  seed: 77\n"
                  "  timeout: 20\n"
                  "  control_urls: [http://a.example/, https://b.example/x]\n"
                  "  net_window: 600\n"
                  "  net_min_sites: 5\n"
                  "  catchup: 0\n"
                  "  warn_percent: 2.5\n"
                  "  veto_percent: 5\n"
                  "  alert_mute: 7200\n"
                  "  listen: \"[::1]:9464\"\n"
                  "  crawl: false\n"
                  "  crawl_at: \"23:05\"\n"
                  "  inspection: true\n"
                  "  job_attempts: 5\n"
                  "  probe_workers: 16\n"
                  "  alerts:\n"
                  "    - {type: json, url: \"http://127.0.0.1:9/hook\"}\n"
                  "    - type: dingtalk\n"
                  "      url: https://oapi.dingtalk.com/robot/send?access_token=x\n"
                  "    - type: smtp\n"
                  "      url: smtp://127.0.0.1:2525\n"
                  "      from: gw@example.gov.cn\n"
                  "      to: [a@example.gov.cn, b@example.gov.cn]\n"
                  "      user: u\n"
                  "      password: p\n";
  struct gw_config c;
  CHECK_INT(parse(y, &c), GW_OK);
  const struct gw_config_monitor *m = &c.monitor;
  CHECK_INT(m->probes_per_day, 48);
  CHECK(m->ipv4 && !m->ipv6);
  CHECK_INT(m->seed, 77);
  CHECK_INT(m->timeout_s, 20);
  CHECK_INT(m->control_urls.n, 2);
  if (m->control_urls.n == 2)
    CHECK_STR(m->control_urls.v[1], "https://b.example/x");
  CHECK_INT(m->net_window_s, 600);
  CHECK_INT(m->net_min_sites, 5);
  CHECK_INT(m->catchup_s, 0);
  CHECK_INT(m->warn_bp, 250);
  CHECK_INT(m->veto_bp, 500);
  CHECK_INT(m->alert_mute_s, 7200);
  CHECK_STR(m->listen, "[::1]:9464");
  CHECK(!m->crawl);
  CHECK_INT(m->crawl_at_min, 23 * 60 + 5);
  CHECK(m->inspection);
  CHECK_INT(m->job_attempts, 5);
  CHECK_INT(m->probe_workers, 16);
  CHECK_INT(m->n_alerts, 3);
  if (m->n_alerts == 3) {
    CHECK_STR(m->alerts[0].type, "json");
    CHECK_STR(m->alerts[0].url, "http://127.0.0.1:9/hook");
    CHECK_STR(m->alerts[1].type, "dingtalk");
    CHECK_STR(m->alerts[2].type, "smtp");
    CHECK_STR(m->alerts[2].from, "gw@example.gov.cn");
    CHECK_INT(m->alerts[2].to.n, 2);
    CHECK_STR(m->alerts[2].user, "u");
    CHECK_STR(m->alerts[2].password, "p");
  }
  gw_config_clear(&c);
  /* A single recipient without a list; two decimals; an IPv4 listen. */
  CHECK_INT(parse("monitor:\n  warn_percent: 0.75\n  listen: 127.0.0.1:1\n  alerts:\n"
                  "    - {type: smtp, url: smtps://m.example:465, from: a@b.c, to: d@e.f}\n",
                  &c),
            GW_OK);
  CHECK_INT(c.monitor.warn_bp, 75);
  CHECK_STR(c.monitor.listen, "127.0.0.1:1");
  CHECK_INT(c.monitor.n_alerts, 1);
  if (c.monitor.n_alerts == 1)
    CHECK_INT(c.monitor.alerts[0].to.n, 1);
  gw_config_clear(&c);
  /* An empty monitor section keeps the defaults. */
  CHECK_INT(parse("monitor:\n", &c), GW_OK);
  CHECK_INT(c.monitor.probes_per_day, 24);
  gw_config_clear(&c);
}

static void test_errors(void)
{
  expect_err("monitor:\n  probes_per_day: 0\n", "t.yaml:2:19: monitor.probes_per_day '0' must be a whole number from 1 to 1440");
  expect_err("monitor:\n  probes_per_day: 1441\n", "from 1 to 1440");
  expect_err("monitor:\n  ipv4: maybe\n", "t.yaml:2:9: monitor.ipv4 'maybe' must be true or false");
  expect_err("monitor:\n  ipv4: false\n  ipv6: false\n", "t.yaml:2:3: monitor: ipv4 and ipv6 are both false");
  expect_err("monitor:\n  seed: -1\n", "monitor.seed '-1' must be a whole number");
  expect_err("monitor:\n  timeout: 0\n", "monitor.timeout '0' must be a whole number of seconds from 1 to 3600");
  expect_err("monitor:\n  control_urls: http://x/\n", "t.yaml:2:17: 'monitor.control_urls' must be a list of URLs");
  expect_err("monitor:\n  control_urls: [ftp://x/]\n", "t.yaml:2:18: monitor.control_urls item 'ftp://x/' is not an http");
  expect_err("monitor:\n  net_window: 86401\n", "monitor.net_window '86401'");
  expect_err("monitor:\n  net_min_sites: 0\n", "monitor.net_min_sites '0'");
  expect_err("monitor:\n  catchup: 604801\n", "monitor.catchup '604801'");
  expect_err("monitor:\n  warn_percent: 3.333\n", "t.yaml:2:17: monitor.warn_percent '3.333' must be a percentage");
  expect_err("monitor:\n  veto_percent: 0\n", "monitor.veto_percent '0' must be a percentage");
  expect_err("monitor:\n  veto_percent: 101\n", "monitor.veto_percent '101'");
  expect_err("monitor:\n  veto_percent: 5.\n", "monitor.veto_percent '5.'");
  expect_err("monitor:\n  veto_percent: abc\n", "monitor.veto_percent 'abc'");
  expect_err("monitor:\n  warn_percent: 5\n", "t.yaml:2:17: monitor.warn_percent (5.00) must be below monitor.veto_percent (5.00)");
  expect_err("monitor:\n  veto_percent: 2\n", "monitor.warn_percent (3.00) must be below monitor.veto_percent (2.00)");
  expect_err("monitor:\n  alert_mute: -5\n", "monitor.alert_mute '-5'");
  expect_err("monitor:\n  listen: 9464\n", "t.yaml:2:11: monitor.listen: '9464' is not ADDR:PORT");
  expect_err("monitor:\n  listen: example.org:80\n", "'example.org' is not an IPv4 address, [IPv6] or localhost");
  expect_err("monitor:\n  listen: 127.0.0.1:0\n", "port '0' is not a number from 1 to 65535");
  expect_err("monitor:\n  listen: \"[::1\"\n", "is not ADDR:PORT ([IPv6]:PORT needs the brackets)");
  expect_err("monitor:\n  crawl_at: \"24:00\"\n", "t.yaml:2:13: monitor.crawl_at '24:00' must be a time of day HH:MM");
  expect_err("monitor:\n  crawl_at: \"2:00\"\n", "monitor.crawl_at '2:00'");
  expect_err("monitor:\n  job_attempts: 0\n", "monitor.job_attempts '0'");
  expect_err("monitor:\n  probe_workers: 65\n", "t.yaml:2:18: monitor.probe_workers '65' must be a whole number from 1 to 64");
  expect_err("monitor:\n  probes: 20\n", "t.yaml:2:3: unknown key 'monitor.probes' (known: probes_per_day");
  expect_err("monitor:\n  probes_per_day: 20\n  probes_per_day: 21\n", "t.yaml:3:3: duplicate key 'monitor.probes_per_day' (first at line 2)");
  expect_err("monitor: [1]\n", "'monitor' must be a mapping");
  expect_err("monitor:\n  alerts: {type: json}\n", "'monitor.alerts' must be a list of channels");
  expect_err("monitor:\n  alerts: [x]\n", "t.yaml:2:12: a monitor.alerts item must be a mapping");
  expect_err("monitor:\n  alerts:\n    - {url: http://x/}\n", "t.yaml:3:7: a monitor.alerts item needs a type");
  expect_err("monitor:\n  alerts:\n    - {type: slack, url: http://x/}\n", "monitor.alerts type 'slack' must be json, dingtalk, wecom or smtp");
  expect_err("monitor:\n  alerts:\n    - {type: json}\n", "monitor.alerts json item needs a url");
  expect_err("monitor:\n  alerts:\n    - {type: wecom, url: smtp://x}\n", "monitor.alerts wecom url 'smtp://x' must start with http://");
  expect_err("monitor:\n  alerts:\n    - {type: smtp, url: http://x/, from: a@b, to: c@d}\n", "monitor.alerts smtp url 'http://x/' must start with smtp://");
  expect_err("monitor:\n  alerts:\n    - {type: smtp, url: smtp://x}\n", "monitor.alerts smtp item needs from and to");
  expect_err("monitor:\n  alerts:\n    - {type: smtp, url: smtp://x, from: a@b, to: [nobody]}\n", "monitor.alerts to 'nobody' is not an e-mail address");
  expect_err("monitor:\n  alerts:\n    - {type: json, url: http://x/, to: a@b}\n", "from, to, user and password are for smtp only");
  expect_err("monitor:\n  alerts:\n    - {type: json, url: http://x/, token: 1}\n", "unknown key 'monitor.alerts.token'");
  /* the listen check on its own (serve --listen uses it) */
  CHECK_INT(gw_config_check_listen("localhost:9464"), GW_OK);
  CHECK_INT(gw_config_check_listen("[::1]:80"), GW_OK);
  CHECK_INT(gw_config_check_listen("[zz]:80"), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "'zz' is not an IPv6 address");
  CHECK_INT(gw_config_check_listen("1.2.3.4:65536"), GW_EINVAL);
}

int main(void)
{
  test_defaults();
  test_full();
  test_errors();
  return gw_test_done();
}
