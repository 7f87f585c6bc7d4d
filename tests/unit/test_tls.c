/* HTTPS and transport: the verification classifier, the probe's TLS
 * details (protocol, certificate, validity) against the fixture server with
 * TLS and certificates made at test time (tests/fixtures/tlscert.h), and
 * the findings of transport.tls: valid, expiring, expired, wrong name,
 * untrusted, no HTTPS, mixed content. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "checks/check.h"
#include "checks/tls.h"
#include "checks_fixture.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/str.h"
#include "fetch/probe.h"
#include "fixsrv.h"
#include "tap.h"
#include "tlscert.h"

#define HOST "www.example.gov.cn"
#define DAY 86400

static void test_classify(void)
{
  int64_t now = 1750000000;
  CHECK_INT(gw_tls_classify("SSL certificate problem: certificate has expired", 0, 0, now), GW_TLS_EXPIRED);
  CHECK_INT(gw_tls_classify("whatever", now - 10 * DAY, now - DAY, now), GW_TLS_EXPIRED);
  CHECK_INT(gw_tls_classify("whatever", now + DAY, now + 10 * DAY, now), GW_TLS_NOT_YET_VALID);
  CHECK_INT(gw_tls_classify("SSL: no alternative certificate subject name matches target host name 'a'", now - DAY,
                            now + DAY, now),
            GW_TLS_NAME);
  CHECK_INT(gw_tls_classify("SSL certificate problem: self-signed certificate", 0, 0, now), GW_TLS_UNTRUSTED);
  CHECK_INT(gw_tls_classify("SSL certificate problem: unable to get local issuer certificate", 0, 0, now),
            GW_TLS_UNTRUSTED);
  CHECK_INT(gw_tls_classify("something else", 0, 0, now), GW_TLS_OTHER);
  CHECK_INT(gw_tls_classify(NULL, 0, 0, now), GW_TLS_OTHER);
  CHECK_STR(gw_tls_problem_key(GW_TLS_NAME), "name");
  CHECK_STR(gw_tls_problem_label(GW_TLS_EXPIRED), "证书已过期");
  CHECK_STR(gw_tls_problem_key((enum gw_tls_problem)42), "?");
  CHECK(gw_tls_version_old("TLSv1"));
  CHECK(gw_tls_version_old("TLSv1.1"));
  CHECK(gw_tls_version_old("SSLv3"));
  CHECK(!gw_tls_version_old("TLSv1.2"));
  CHECK(!gw_tls_version_old("TLSv1.3"));
  CHECK(!gw_tls_version_old(NULL));
}

static int handler(void *ctx, const char *host, const char *path, const char *ua, struct gw_sample_resp *out)
{
  (void)ctx;
  (void)host;
  (void)path;
  (void)ua;
  memset(out, 0, sizeof *out);
  out->status = 200;
  gw_strlcpy(out->content_type, "text/html; charset=UTF-8", sizeof out->content_type);
  out->body = gw_strdup("<html><head><title>青溪县示例局</title></head><body>欢迎</body></html>");
  out->len = strlen(out->body);
  return 0;
}

/* An HTTPS fixture server with a certificate for `name` valid over
 * [now + from, now + to], the probe options that reach it (mapped on port
 * 443) and trust its authority (trust_ca). */
struct tls_world {
  struct gw_tlscert cert;
  struct gw_fixsrv *srv;
  char rule[128];
  char *rules[1];
  char ca_path[512];
  struct gw_probe_opts po;
};

static void world_start(struct tls_world *w, const char *name, int64_t from, int64_t to, bool trust_ca)
{
  memset(w, 0, sizeof *w);
  int64_t now = (int64_t)time(NULL); /* OpenSSL verifies against the real clock */
  if (gw_tlscert_make(name, now + from, now + to, &w->cert))
    fx_die("tlscert");
  struct gw_fixsrv_opts so;
  gw_fixsrv_opts_default(&so);
  so.handler = handler;
  so.tls_cert = w->cert.cert_pem;
  so.tls_key = w->cert.key_pem;
  if (gw_fixsrv_start(&w->srv, &so))
    fx_die("fixsrv tls");
  snprintf(w->rule, sizeof w->rule, HOST ":443:127.0.0.1:%u", (unsigned)gw_fixsrv_port(w->srv));
  w->rules[0] = w->rule;
  snprintf(w->ca_path, sizeof w->ca_path, "%s/ca-%s.pem", gw_test_tmpdir(), name);
  FILE *f = fopen(w->ca_path, "w");
  if (!f || fputs(w->cert.ca_pem, f) < 0 || fclose(f) != 0)
    fx_die("ca file");
  gw_probe_opts_default(&w->po);
  w->po.connect_to = w->rules;
  w->po.n_connect_to = 1;
  w->po.mapped_only = true;
  w->po.attempts = 1;
  w->po.timeout_ms = 5000;
  w->po.ca_file = trust_ca ? w->ca_path : NULL;
}

static void world_stop(struct tls_world *w)
{
  gw_fixsrv_stop(&w->srv);
  gw_tlscert_clear(&w->cert);
}

static void test_tlscert_errors(void)
{
  struct gw_tlscert c;
  CHECK_INT(gw_tlscert_make("", 0, 10, &c), GW_EINVAL);
  CHECK_INT(gw_tlscert_make("a.gov.cn", 10, 10, &c), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "validity ends before it begins");
  struct gw_fixsrv_opts so;
  gw_fixsrv_opts_default(&so);
  so.handler = handler;
  so.tls_cert = "x";
  struct gw_fixsrv *s = NULL;
  CHECK_INT(gw_fixsrv_start(&s, &so), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "both a certificate and a key");
}

static void test_probe_tls(void)
{
  struct tls_world w;
  world_start(&w, HOST, -DAY, 40 * DAY, true);
  struct gw_probe_req r;
  memset(&r, 0, sizeof r);
  r.url = "https://" HOST "/";
  r.tls_info = true;
  struct gw_probe_result res;
  CHECK_INT(gw_probe_fetch(&w.po, &r, &res), GW_OK);
  CHECK_INT(res.status, 200);
  CHECK_INT(res.error, GW_FE_NONE);
  CHECK(res.tls.present);
  CHECK_MSG(res.tls.version && gw_str_starts(res.tls.version, "TLSv1."), "version %s",
            res.tls.version ? res.tls.version : "(null)");
  CHECK(res.tls.cipher != NULL);
  CHECK_CONTAINS(res.tls.subject, HOST);
  CHECK_CONTAINS(res.tls.issuer, "GovWatch Test CA");
  CHECK_CONTAINS(res.tls.san, "DNS:" HOST);
  CHECK(res.tls.not_after - res.tls.not_before == 41 * DAY);
  CHECK_INT(res.tls.chain, 1);
  gw_probe_result_clear(&res);
  /* without the authority the verification fails; without verifying it answers */
  w.po.ca_file = NULL;
  CHECK_INT(gw_probe_fetch(&w.po, &r, &res), GW_OK);
  CHECK_INT(res.error, GW_FE_TLS);
  CHECK(!res.tls.present);
  gw_probe_result_clear(&res);
  r.tls_no_verify = true;
  CHECK_INT(gw_probe_fetch(&w.po, &r, &res), GW_OK);
  CHECK_INT(res.status, 200);
  CHECK(res.tls.present);
  gw_probe_result_clear(&res);
  /* no tls_info: nothing collected */
  r.tls_info = false;
  CHECK_INT(gw_probe_fetch(&w.po, &r, &res), GW_OK);
  CHECK(!res.tls.present && !res.tls.version);
  gw_probe_result_clear(&res);
  world_stop(&w);
}

/* ---- the check ---- */

struct got {
  size_t n;
  json_t *all; /* key -> {rule, title, detail, severity, observed} */
};

static int got_row(void *ctx, const struct gw_finding_row *r)
{
  struct got *g = ctx;
  json_t *o = json_object();
  json_object_set_new(o, "rule", json_string(r->f.rule));
  json_object_set_new(o, "title", json_string(r->f.title));
  json_object_set_new(o, "detail", json_string(r->f.detail));
  json_object_set_new(o, "url", json_string(r->f.url));
  json_object_set_new(o, "target", r->f.target ? json_string(r->f.target) : json_null());
  json_object_set_new(o, "severity", json_integer(r->f.severity));
  json_error_t je;
  json_object_set_new(o, "observed", json_loads(r->f.observed_json, 0, &je));
  json_object_set_new(g->all, r->f.key, o);
  g->n++;
  return 0;
}

static void run(struct fx *x, struct gw_probe_opts *po, struct got *g)
{
  const char *only[1] = {"transport.tls"};
  struct gw_check_run_opts o;
  memset(&o, 0, sizeof o);
  o.only = only;
  o.n_only = 1;
  o.probe = po ? gw_check_probe_network : NULL;
  o.probe_ctx = po;
  struct gw_check_run_report rep;
  g->n = 0;
  g->all = json_object();
  CHECK_INT(gw_check_run_site(x->st, &x->site, &o, &rep), GW_OK);
  CHECK_INT(rep.failed, 0);
  if (rep.failed)
    fprintf(stderr, "%s\n", rep.v[0].error);
  CHECK_INT(gw_store_finding_each(x->st, rep.run_id, "transport.tls", got_row, g), GW_OK);
  gw_check_run_report_clear(&rep);
}

static const char *obs(struct got *g, const char *key, const char *field)
{
  static char buf[64];
  json_t *v = json_object_get(json_object_get(json_object_get(g->all, key), "observed"), field);
  if (json_is_integer(v)) {
    snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
    return buf;
  }
  if (json_is_boolean(v))
    return json_is_true(v) ? "true" : "false";
  return json_is_string(v) ? json_string_value(v) : "null";
}

static const char *fld(struct got *g, const char *key, const char *field)
{
  json_t *v = json_object_get(json_object_get(g->all, key), field);
  if (json_is_integer(v))
    return json_integer_value(v) == GW_SEV_INFO ? "info" : "not info";
  return json_is_string(v) ? json_string_value(v) : "null";
}

static void homepage_row(struct fx *x)
{
  struct fx_row r = {0};
  r.url = "http://" HOST "/";
  r.internal = true;
  r.state = GW_URL_DONE;
  r.status = 200;
  r.body = "<html><body>首页</body></html>";
  fx_add(x, x->crawl_id, &r);
}

static void test_check_certs(void)
{
  struct fx x;
  fx_open(&x);
  homepage_row(&x);
  struct got g;
  struct tls_world w;

  /* valid for 40 more days: nothing to say */
  world_start(&w, HOST, -DAY, 40 * DAY + DAY / 2, true);
  run(&x, &w.po, &g);
  CHECK_INT(g.n, 0);
  json_decref(g.all);
  world_stop(&w);

  /* valid for 10 more days */
  world_start(&w, HOST, -DAY, 10 * DAY + DAY / 2, true);
  run(&x, &w.po, &g);
  CHECK_INT(g.n, 1);
  CHECK_STR(fld(&g, "cert.expiring", "rule"), "transport.tls");
  CHECK_STR(fld(&g, "cert.expiring", "severity"), "info");
  CHECK_STR(fld(&g, "cert.expiring", "title"), "网站HTTPS证书即将过期");
  CHECK_STR(fld(&g, "cert.expiring", "target"), "https://" HOST "/");
  CHECK_STR(fld(&g, "cert.expiring", "url"), "http://" HOST "/");
  CHECK_CONTAINS(fld(&g, "cert.expiring", "detail"), "的 HTTPS 证书将在 10 天后过期");
  CHECK_CONTAINS(fld(&g, "cert.expiring", "detail"), "（提示项，不计分）");
  CHECK_STR(obs(&g, "cert.expiring", "days_to_expiry"), "10");
  CHECK_STR(obs(&g, "cert.expiring", "verified"), "true");
  CHECK_CONTAINS(obs(&g, "cert.expiring", "tls_version"), "TLSv1.");
  json_decref(g.all);
  world_stop(&w);

  /* expired two days ago */
  world_start(&w, HOST, -30 * DAY, -2 * DAY, true);
  run(&x, &w.po, &g);
  CHECK_INT(g.n, 1);
  CHECK_STR(fld(&g, "cert.invalid", "title"), "网站HTTPS证书无效");
  CHECK_STR(obs(&g, "cert.invalid", "problem"), "expired");
  CHECK_STR(obs(&g, "cert.invalid", "available"), "true");
  CHECK_STR(obs(&g, "cert.invalid", "verified"), "false");
  CHECK_STR(obs(&g, "cert.invalid", "error"), "tls");
  CHECK_STR(obs(&g, "cert.invalid", "days_to_expiry"), "-2");
  CHECK_CONTAINS(fld(&g, "cert.invalid", "detail"), "证书已过期");
  CHECK_CONTAINS(fld(&g, "cert.invalid", "detail"), "证书主体：");
  json_decref(g.all);
  world_stop(&w);

  /* a certificate for another name */
  world_start(&w, "www.other.gov.cn", -DAY, 90 * DAY, true);
  run(&x, &w.po, &g);
  CHECK_INT(g.n, 1);
  CHECK_STR(obs(&g, "cert.invalid", "problem"), "name");
  CHECK_CONTAINS(obs(&g, "cert.invalid", "subject_alt_names"), "www.other.gov.cn");
  CHECK_CONTAINS(fld(&g, "cert.invalid", "detail"), "证书与网站域名不符");
  json_decref(g.all);
  world_stop(&w);

  /* an authority nobody trusts */
  world_start(&w, HOST, -DAY, 90 * DAY, false);
  run(&x, &w.po, &g);
  CHECK_INT(g.n, 1);
  CHECK_STR(obs(&g, "cert.invalid", "problem"), "untrusted");
  json_decref(g.all);

  /* no HTTPS at all: port 443 not mapped */
  w.po.n_connect_to = 0;
  run(&x, &w.po, &g);
  CHECK_INT(g.n, 1);
  CHECK_STR(fld(&g, "https.unavailable", "title"), "网站首页不支持HTTPS访问");
  CHECK_STR(obs(&g, "https.unavailable", "available"), "false");
  CHECK_STR(obs(&g, "https.unavailable", "error"), "dns");
  CHECK_CONTAINS(fld(&g, "https.unavailable", "detail"), "以 HTTPS 访问 https://" HOST "/ 失败");
  json_decref(g.all);

  /* probing off: nothing asked, nothing claimed */
  run(&x, NULL, &g);
  CHECK_INT(g.n, 0);
  json_decref(g.all);
  world_stop(&w);
  fx_close(&x);
}

static void test_mixed(void)
{
  struct fx x;
  fx_open(&x);
  struct fx_row r = {0};
  r.url = "https://" HOST "/";
  r.internal = true;
  r.state = GW_URL_DONE;
  r.status = 200;
  r.body = "<html><body>首页</body></html>";
  int64_t home = fx_add(&x, x.crawl_id, &r);
  r.url = "http://" HOST "/old.html";
  r.depth = 1;
  r.redirects = 1;
  r.final_url = "https://" HOST "/old.html";
  int64_t old = fx_add(&x, x.crawl_id, &r);
  r.url = "http://" HOST "/plain.html";
  r.redirects = 0;
  r.final_url = NULL;
  int64_t plain = fx_add(&x, x.crawl_id, &r);
  struct fx_row res = {0};
  res.kind = GW_URL_RESOURCE;
  res.internal = true;
  res.depth = 1;
  res.state = GW_URL_DONE;
  res.status = 200;
  res.url = "http://" HOST "/logo.png";
  int64_t logo = fx_add(&x, x.crawl_id, &res);
  res.url = "https://" HOST "/site.css";
  int64_t css = fx_add(&x, x.crawl_id, &res);
  res.kind = GW_URL_EXTERNAL;
  res.url = "http://stats.example.com/s.js";
  int64_t js = fx_add(&x, x.crawl_id, &res);
  fx_link(&x, home, 0, logo, "img", "标志", true, 12, 0);
  fx_link(&x, home, 1, css, "stylesheet", "", true, 3, 0);
  fx_link(&x, home, 2, plain, "a", "普通页面", true, 20, 0); /* a link, not a resource */
  fx_link(&x, old, 0, js, "script", "", false, 7, 0);
  fx_link(&x, old, 1, logo, "img", "标志", false, 9, 0);
  fx_link(&x, plain, 0, logo, "img", "标志", false, 9, 0); /* an http page: not mixed */
  struct got g;
  run(&x, NULL, &g);
  CHECK_INT(g.n, 1);
  CHECK_STR(fld(&g, "mixed", "rule"), "transport.mixed_content");
  CHECK_STR(fld(&g, "mixed", "severity"), "info");
  CHECK_STR(fld(&g, "mixed", "url"), "https://" HOST "/");
  CHECK_STR(fld(&g, "mixed", "target"), "http://" HOST "/logo.png");
  CHECK_STR(obs(&g, "mixed", "pages_affected"), "2");
  CHECK_STR(obs(&g, "mixed", "occurrences"), "3");
  CHECK_CONTAINS(fld(&g, "mixed", "detail"), "2 个 HTTPS 页面共 3 处引用了 http:// 资源");
  json_t *ex = json_object_get(json_object_get(json_object_get(g.all, "mixed"), "observed"), "examples");
  CHECK_INT(json_array_size(ex), 3);
  CHECK_STR(json_string_value(json_object_get(json_array_get(ex, 1), "page")), "https://" HOST "/old.html");
  CHECK_STR(json_string_value(json_object_get(json_array_get(ex, 1), "tag")), "script");
  json_decref(g.all);
  fx_close(&x);
}

int main(void)
{
  test_classify();
  test_tlscert_errors();
  test_probe_tls();
  test_check_certs();
  test_mixed();
  return gw_test_done();
}
