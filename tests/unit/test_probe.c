/* Probes against the fixture server on loopback: answers, redirects
 * followed hop by hop (chain, loop, too many, missing Location), error
 * classes, the body cap, HEAD, mapped_only without a look-up, retries of
 * 5xx, resets and 429 (Retry-After), gzip, and IPv4/IPv6 forced. */
#include <arpa/inet.h>
#include <jansson.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/str.h"
#include "fetch/probe.h"
#include "fixsrv.h"
#include "tap.h"

#define BIG_LEN 100000

static const char g_ok[] = "<html><head><title>正常页面</title></head><body>页面内容</body></html>";

static int handler(void *ctx, const char *host, const char *path, const char *ua, struct gw_sample_resp *out)
{
  (void)ctx;
  struct gw_buf b = GW_BUF_INIT;
  memset(out, 0, sizeof *out);
  gw_strlcpy(out->content_type, "text/html; charset=UTF-8", sizeof out->content_type);
  out->status = 200;
  if (strcmp(host, "www.probe.test") != 0) {
    out->status = 404;
    gw_buf_puts(&b, "unknown host");
  } else if (strcmp(path, "/ok") == 0 || gw_str_starts(path, "/retry/")) {
    gw_buf_puts(&b, g_ok);
  } else if (strcmp(path, "/ua") == 0) {
    gw_buf_printf(&b, "ua=%s", ua ? ua : "");
  } else if (strcmp(path, "/r1") == 0) {
    out->status = 302;
    gw_strlcpy(out->location, "/r2", sizeof out->location);
  } else if (strcmp(path, "/r2") == 0) {
    out->status = 301;
    gw_strlcpy(out->location, "http://www.probe.test/ok", sizeof out->location);
  } else if (strcmp(path, "/to404") == 0) {
    out->status = 302;
    gw_strlcpy(out->location, "/missing", sizeof out->location);
  } else if (strcmp(path, "/loop/a") == 0) {
    out->status = 302;
    gw_strlcpy(out->location, "/loop/b", sizeof out->location);
  } else if (strcmp(path, "/loop/b") == 0) {
    out->status = 302;
    gw_strlcpy(out->location, "/loop/a", sizeof out->location);
  } else if (gw_str_starts(path, "/hop/")) {
    long n = strtol(path + 5, NULL, 10);
    out->status = 302;
    snprintf(out->location, sizeof out->location, "/hop/%ld", n + 1);
  } else if (strcmp(path, "/nolocation") == 0) {
    out->status = 302;
  } else if (strcmp(path, "/away") == 0) {
    out->status = 302;
    gw_strlcpy(out->location, "http://unmapped.test/", sizeof out->location);
  } else if (strcmp(path, "/forbidden") == 0) {
    out->status = 403;
    gw_buf_puts(&b, "<html><body>访问被拒绝</body></html>");
  } else if (strcmp(path, "/auth") == 0) {
    out->status = 401;
    gw_buf_puts(&b, "login");
  } else if (strcmp(path, "/big") == 0) {
    for (size_t i = 0; i < BIG_LEN / 10; i++)
      gw_buf_puts(&b, "0123456789");
  } else {
    out->status = 404;
    gw_buf_puts(&b, "<html><head><title>提示信息</title></head><body>页面不存在</body></html>");
  }
  out->len = b.len;
  out->body = gw_buf_steal(&b);
  return 0;
}

struct srv {
  struct gw_fixsrv *s;
  char map[128];
  char *maps[1];
  struct gw_probe_opts o;
};

static bool start(struct srv *v, enum gw_fault fault, unsigned times, bool ipv6)
{
  struct gw_fixsrv_opts fo;
  gw_fixsrv_opts_default(&fo);
  fo.handler = handler;
  fo.fault = fault;
  fo.fault_times = times;
  fo.retry_after = 1;
  fo.slow_ms = 300;
  fo.ipv6 = ipv6;
  v->s = NULL;
  if (gw_fixsrv_start(&v->s, &fo) != GW_OK) {
    CHECK_MSG(0, "fixture server: %s", gw_err_msg());
    return false;
  }
  snprintf(v->map, sizeof v->map, ipv6 ? "www.probe.test::[::1]:%u" : "www.probe.test::127.0.0.1:%u",
           (unsigned)gw_fixsrv_port(v->s));
  v->maps[0] = v->map;
  gw_probe_opts_default(&v->o);
  v->o.connect_to = v->maps;
  v->o.n_connect_to = 1;
  v->o.mapped_only = true;
  v->o.retry_base_ms = 10;
  v->o.timeout_ms = 10000;
  v->o.connect_timeout_ms = 5000;
  return true;
}

static int probe(struct srv *v, const char *url, struct gw_probe_result *r)
{
  struct gw_probe_req q;
  memset(&q, 0, sizeof q);
  q.url = url;
  return gw_probe_fetch(&v->o, &q, r);
}

static void test_answers(void)
{
  struct srv v;
  if (!start(&v, GW_FAULT_NONE, 0, false))
    return;
  struct gw_probe_result r;
  CHECK_INT(probe(&v, "http://www.probe.test/ok", &r), GW_OK);
  CHECK_INT(r.status, 200);
  CHECK_INT(r.error, GW_FE_NONE);
  CHECK(r.error_text == NULL);
  CHECK_STR(r.body, g_ok);
  CHECK_INT(r.body_len, strlen(g_ok));
  CHECK_STR(r.content_type, "text/html; charset=UTF-8");
  CHECK_STR(r.method, "GET");
  CHECK_INT(r.redirects, 0);
  CHECK(r.final_url == NULL && r.redirect_chain == NULL);
  CHECK_INT(r.attempts, 1);
  CHECK_STR(r.ip, "127.0.0.1");
  CHECK_INT(r.ip_family, 4);
  CHECK(r.fetched_at > 0);
  CHECK_STR(r.url, "http://www.probe.test/ok");
  gw_probe_result_clear(&r);

  /* the User-Agent: the configured one, or the request's own */
  CHECK_INT(probe(&v, "http://www.probe.test/ua", &r), GW_OK);
  CHECK_STR(r.body, "ua=GovWatch/0.1 (government website inspection)");
  gw_probe_result_clear(&r);
  struct gw_probe_req q;
  memset(&q, 0, sizeof q);
  q.url = "http://www.probe.test/ua";
  q.user_agent = "Baiduspider";
  CHECK_INT(gw_probe_fetch(&v.o, &q, &r), GW_OK);
  CHECK_STR(r.body, "ua=Baiduspider");
  gw_probe_result_clear(&r);

  /* HEAD */
  memset(&q, 0, sizeof q);
  q.url = "http://www.probe.test/ok";
  q.head = true;
  CHECK_INT(gw_probe_fetch(&v.o, &q, &r), GW_OK);
  CHECK_INT(r.status, 200);
  CHECK_STR(r.method, "HEAD");
  CHECK_INT(r.body_len, 0);
  CHECK_STR(r.body, "");
  gw_probe_result_clear(&r);

  /* error classes */
  CHECK_INT(probe(&v, "http://www.probe.test/nothing-here", &r), GW_OK);
  CHECK_INT(r.status, 404);
  CHECK_INT(r.error, GW_FE_HTTP);
  CHECK_STR(r.error_text, "HTTP 404");
  CHECK_CONTAINS(r.body, "页面不存在"); /* the error page's body is kept: the canary needs it */
  gw_probe_result_clear(&r);
  CHECK_INT(probe(&v, "http://www.probe.test/forbidden", &r), GW_OK);
  CHECK_INT(r.status, 403);
  CHECK_INT(r.error, GW_FE_BLOCKED);
  gw_probe_result_clear(&r);
  CHECK_INT(probe(&v, "http://www.probe.test/auth", &r), GW_OK);
  CHECK_INT(r.status, 401);
  CHECK_INT(r.error, GW_FE_HTTP);
  gw_probe_result_clear(&r);

  /* the body cap */
  memset(&q, 0, sizeof q);
  q.url = "http://www.probe.test/big";
  q.max_body = 1000;
  CHECK_INT(gw_probe_fetch(&v.o, &q, &r), GW_OK);
  CHECK_INT(r.status, 200);
  CHECK_INT(r.error, GW_FE_TOO_LARGE);
  CHECK(r.body_truncated);
  CHECK_INT(r.body_len, 1000);
  CHECK_INT(strlen(r.body), 1000);
  gw_probe_result_clear(&r);
  CHECK_INT(probe(&v, "http://www.probe.test/big", &r), GW_OK);
  CHECK_INT(r.error, GW_FE_NONE);
  CHECK_INT(r.body_len, BIG_LEN);
  CHECK(!r.body_truncated);
  gw_probe_result_clear(&r);

  /* usage errors name the input */
  CHECK_INT(probe(&v, "ftp://www.probe.test/", &r), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "probe");
  CHECK_INT(probe(&v, "/relative", &r), GW_EINVAL);
  memset(&q, 0, sizeof q);
  q.url = "http://www.probe.test/ok";
  q.ip_version = 5;
  CHECK_INT(gw_probe_fetch(&v.o, &q, &r), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "IP version 5");
  q.ip_version = 0;
  q.attempts = -1;
  CHECK_INT(gw_probe_fetch(&v.o, &q, &r), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "attempts");
  gw_fixsrv_stop(&v.s);
}

static void test_redirects(void)
{
  struct srv v;
  if (!start(&v, GW_FAULT_NONE, 0, false))
    return;
  struct gw_probe_result r;
  CHECK_INT(probe(&v, "http://www.probe.test/r1", &r), GW_OK);
  CHECK_INT(r.status, 200);
  CHECK_INT(r.error, GW_FE_NONE);
  CHECK_INT(r.redirects, 2);
  CHECK_STR(r.final_url, "http://www.probe.test/ok");
  CHECK_STR(r.body, g_ok);
  json_error_t je;
  json_t *chain = json_loads(r.redirect_chain, 0, &je);
  CHECK(json_array_size(chain) == 2);
  CHECK_STR(json_string_value(json_object_get(json_array_get(chain, 0), "url")), "http://www.probe.test/r1");
  CHECK_INT(json_integer_value(json_object_get(json_array_get(chain, 0), "status")), 302);
  CHECK_STR(json_string_value(json_object_get(json_array_get(chain, 0), "location")), "/r2");
  CHECK_INT(json_integer_value(json_object_get(json_array_get(chain, 1), "status")), 301);
  json_decref(chain);
  gw_probe_result_clear(&r);

  /* not followed when asked */
  struct gw_probe_req q;
  memset(&q, 0, sizeof q);
  q.url = "http://www.probe.test/r1";
  q.no_follow = true;
  CHECK_INT(gw_probe_fetch(&v.o, &q, &r), GW_OK);
  CHECK_INT(r.status, 302);
  CHECK_INT(r.error, GW_FE_NONE);
  CHECK_INT(r.redirects, 0);
  gw_probe_result_clear(&r);

  CHECK_INT(probe(&v, "http://www.probe.test/to404", &r), GW_OK);
  CHECK_INT(r.status, 404);
  CHECK_INT(r.error, GW_FE_HTTP);
  CHECK_INT(r.redirects, 1);
  CHECK_STR(r.final_url, "http://www.probe.test/missing");
  gw_probe_result_clear(&r);

  CHECK_INT(probe(&v, "http://www.probe.test/loop/a", &r), GW_OK);
  CHECK_INT(r.error, GW_FE_REDIRECT_LOOP);
  CHECK_INT(r.redirects, 2);
  CHECK_CONTAINS(r.error_text, "redirect loop");
  CHECK_STR(r.final_url, "http://www.probe.test/loop/a");
  gw_probe_result_clear(&r);

  CHECK_INT(probe(&v, "http://www.probe.test/hop/1", &r), GW_OK);
  CHECK_INT(r.error, GW_FE_TOO_MANY_REDIRECTS);
  CHECK_INT(r.redirects, GW_PROBE_MAX_REDIRECTS + 1);
  gw_probe_result_clear(&r);

  CHECK_INT(probe(&v, "http://www.probe.test/nolocation", &r), GW_OK);
  CHECK_INT(r.error, GW_FE_BAD_REDIRECT);
  CHECK_CONTAINS(r.error_text, "without a Location");
  gw_probe_result_clear(&r);

  /* a redirect to an unmapped host under mapped_only: DNS, no look-up */
  CHECK_INT(probe(&v, "http://www.probe.test/away", &r), GW_OK);
  CHECK_INT(r.error, GW_FE_DNS);
  CHECK_INT(r.status, 0);
  CHECK_CONTAINS(r.error_text, "not mapped by network.connect_to");
  CHECK_STR(r.final_url, "http://unmapped.test/");
  gw_probe_result_clear(&r);
  CHECK_INT(probe(&v, "http://www.xx-bet-casino.com/", &r), GW_OK);
  CHECK_INT(r.error, GW_FE_DNS);
  CHECK_INT(r.attempts, 1);
  gw_probe_result_clear(&r);
  /* "HOST::ADDR:PORT" (empty port) maps the host on any port */
  CHECK_INT(probe(&v, "http://www.probe.test:8081/ok", &r), GW_OK);
  CHECK_INT(r.status, 200);
  gw_probe_result_clear(&r);
  gw_fixsrv_stop(&v.s);
}

static void test_faults(void)
{
  struct srv v;
  struct gw_probe_result r;
  struct gw_probe_req q;

  /* 503 twice, then the page: three tries get it, two do not */
  if (start(&v, GW_FAULT_5XX, 2, false)) {
    CHECK_INT(probe(&v, "http://www.probe.test/retry/a", &r), GW_OK);
    CHECK_INT(r.status, 200);
    CHECK_INT(r.error, GW_FE_NONE);
    CHECK_INT(r.attempts, 3);
    gw_probe_result_clear(&r);
    memset(&q, 0, sizeof q);
    q.url = "http://www.probe.test/retry/b";
    q.attempts = 2;
    CHECK_INT(gw_probe_fetch(&v.o, &q, &r), GW_OK);
    CHECK_INT(r.status, 503);
    CHECK_INT(r.error, GW_FE_HTTP);
    CHECK_INT(r.attempts, 2);
    gw_probe_result_clear(&r);
    gw_fixsrv_stop(&v.s);
  }
  /* a reset, then the page */
  if (start(&v, GW_FAULT_RESET, 1, false)) {
    memset(&q, 0, sizeof q);
    q.url = "http://www.probe.test/retry/c";
    q.attempts = 1;
    CHECK_INT(gw_probe_fetch(&v.o, &q, &r), GW_OK);
    CHECK_INT(r.error, GW_FE_RESET);
    CHECK_INT(r.status, 0);
    CHECK(r.error_text != NULL);
    gw_probe_result_clear(&r);
    CHECK_INT(probe(&v, "http://www.probe.test/retry/d", &r), GW_OK);
    CHECK_INT(r.status, 200);
    CHECK_INT(r.attempts, 2);
    gw_probe_result_clear(&r);
    gw_fixsrv_stop(&v.s);
  }
  /* 429 with Retry-After: 1, then the page */
  if (start(&v, GW_FAULT_429, 1, false)) {
    CHECK_INT(probe(&v, "http://www.probe.test/retry/e", &r), GW_OK);
    CHECK_INT(r.status, 200);
    CHECK_INT(r.attempts, 2);
    CHECK_INT(r.retry_after, 1);
    gw_probe_result_clear(&r);
    memset(&q, 0, sizeof q);
    q.url = "http://www.probe.test/retry/f";
    q.attempts = 1;
    CHECK_INT(gw_probe_fetch(&v.o, &q, &r), GW_OK);
    CHECK_INT(r.status, 429);
    CHECK_INT(r.error, GW_FE_BLOCKED);
    gw_probe_result_clear(&r);
    gw_fixsrv_stop(&v.s);
  }
  /* truncated bodies are retried like resets */
  if (start(&v, GW_FAULT_TRUNCATE, 1, false)) {
    CHECK_INT(probe(&v, "http://www.probe.test/retry/g", &r), GW_OK);
    CHECK_INT(r.status, 200);
    CHECK_STR(r.body, g_ok);
    CHECK_INT(r.attempts, 2);
    gw_probe_result_clear(&r);
    gw_fixsrv_stop(&v.s);
  }
  /* gzip is decoded */
  if (start(&v, GW_FAULT_GZIP, 0, false)) {
    CHECK_INT(probe(&v, "http://www.probe.test/ok", &r), GW_OK);
    CHECK_INT(r.status, 200);
    CHECK_STR(r.body, g_ok);
    CHECK(gw_fixsrv_faults(v.s) >= 1);
    gw_probe_result_clear(&r);
    gw_fixsrv_stop(&v.s);
  }
  /* slow answers within the timeout are answers */
  if (start(&v, GW_FAULT_SLOW, 0, false)) {
    CHECK_INT(probe(&v, "http://www.probe.test/ok", &r), GW_OK);
    CHECK_INT(r.status, 200);
    CHECK_STR(r.body, g_ok);
    gw_probe_result_clear(&r);
    /* and beyond it a timeout */
    v.o.timeout_ms = 100;
    memset(&q, 0, sizeof q);
    q.url = "http://www.probe.test/ok";
    q.attempts = 1;
    CHECK_INT(gw_probe_fetch(&v.o, &q, &r), GW_OK);
    CHECK_INT(r.error, GW_FE_TIMEOUT);
    gw_probe_result_clear(&r);
    gw_fixsrv_stop(&v.s);
  }
}

static bool have_ipv6_loopback(void)
{
  int fd = socket(AF_INET6, SOCK_STREAM, 0);
  if (fd < 0)
    return false;
  struct sockaddr_in6 a;
  memset(&a, 0, sizeof a);
  a.sin6_family = AF_INET6;
  a.sin6_addr = in6addr_loopback;
  bool ok = bind(fd, (struct sockaddr *)&a, sizeof a) == 0;
  close(fd);
  return ok;
}

static void test_ip_version(void)
{
  struct srv v;
  struct gw_probe_result r;
  struct gw_probe_req q;
  if (start(&v, GW_FAULT_NONE, 0, false)) {
    memset(&q, 0, sizeof q);
    q.url = "http://www.probe.test/ok";
    q.ip_version = 4;
    CHECK_INT(gw_probe_fetch(&v.o, &q, &r), GW_OK);
    CHECK_INT(r.status, 200);
    CHECK_INT(r.ip_family, 4);
    gw_probe_result_clear(&r);
    /* IPv6 forced towards an IPv4-only address: no connection */
    q.ip_version = 6;
    q.attempts = 1;
    CHECK_INT(gw_probe_fetch(&v.o, &q, &r), GW_OK);
    CHECK(r.error != GW_FE_NONE);
    CHECK_INT(r.status, 0);
    gw_probe_result_clear(&r);
    gw_fixsrv_stop(&v.s);
  }
  if (!have_ipv6_loopback()) {
    printf("# note: no ::1 on this machine, the IPv6 probe is not tried\n");
    return;
  }
  if (start(&v, GW_FAULT_NONE, 0, true)) {
    memset(&q, 0, sizeof q);
    q.url = "http://www.probe.test/ok";
    q.ip_version = 6;
    CHECK_INT(gw_probe_fetch(&v.o, &q, &r), GW_OK);
    CHECK_INT(r.status, 200);
    CHECK_INT(r.ip_family, 6);
    CHECK_STR(r.ip, "::1");
    gw_probe_result_clear(&r);
    q.ip_version = 4;
    q.attempts = 1;
    CHECK_INT(gw_probe_fetch(&v.o, &q, &r), GW_OK);
    CHECK(r.error != GW_FE_NONE);
    gw_probe_result_clear(&r);
    gw_fixsrv_stop(&v.s);
  }
}

static void test_opts(void)
{
  struct gw_config c;
  gw_config_defaults(&c);
  gw_strv_push(&c.connect_to, "a.test::127.0.0.1:1");
  c.mapped_only = true;
  c.timeout_s = 7;
  c.attempts = 5;
  struct gw_probe_opts o;
  gw_probe_opts_from_config(&o, &c);
  CHECK_INT(o.timeout_ms, 7000);
  CHECK_INT(o.connect_timeout_ms, 10000);
  CHECK_INT(o.attempts, 5);
  CHECK_INT(o.n_connect_to, 1);
  CHECK_STR(o.connect_to[0], "a.test::127.0.0.1:1");
  CHECK(o.mapped_only);
  CHECK_STR(o.user_agent, c.user_agent);
  CHECK_INT(o.max_body, 10u << 20);
  gw_config_clear(&c);
}

int main(void)
{
  test_opts();
  test_answers();
  test_redirects();
  test_faults();
  test_ip_version();
  return gw_test_done();
}
