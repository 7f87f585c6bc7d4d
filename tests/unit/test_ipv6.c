/* IPv6 support: the probe's dual-stack mapping (a probe forced to one
 * family uses that family's connect_to rule, a host mapped only to the
 * other family fails as DNS without a look-up) and the assessment and
 * findings of ipv6.support against two fixture servers on loopback: one on
 * 127.0.0.1 and one on 127.0.0.1 and [::1] whose pages can differ (IPv6
 * content, failing pages). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "checks/check.h"
#include "checks/ipv6.h"
#include "checks_fixture.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/str.h"
#include "fetch/probe.h"
#include "fixsrv.h"
#include "tap.h"

#define HOST "www.example.gov.cn"

/* What one server answers. */
struct site {
  const char *title;   /* the homepage's title */
  const char *extra;   /* one more homepage link, NULL none */
  int fail_l3;         /* third-level pages numbered below this answer 404 */
};

static int handler(void *ctx, const char *host, const char *path, const char *ua, struct gw_sample_resp *out)
{
  (void)ua;
  const struct site *s = ctx;
  memset(out, 0, sizeof *out);
  gw_strlcpy(out->content_type, "text/html; charset=UTF-8", sizeof out->content_type);
  struct gw_buf b = GW_BUF_INIT;
  int n = -1;
  out->status = 200;
  if (strcmp(host, HOST) != 0) {
    out->status = 404;
    gw_buf_puts(&b, "<html><body>no such host</body></html>");
  } else if (strcmp(path, "/") == 0) {
    gw_buf_printf(&b, "<html><head><title>%s</title></head><body><h1>青溪县示例局</h1><p>欢迎访问。</p>", s->title);
    for (int i = 0; i < 10; i++)
      gw_buf_printf(&b, "<a href=\"/l2/%d.html\">栏目%d</a>", i, i);
    if (s->extra)
      gw_buf_printf(&b, "<a href=\"%s\">其他</a>", s->extra);
    gw_buf_puts(&b, "</body></html>");
  } else if (sscanf(path, "/l2/%d.html", &n) == 1) {
    gw_buf_printf(&b, "<html><head><title>栏目%d</title></head><body>栏目</body></html>", n);
  } else if (sscanf(path, "/l3/%d.html", &n) == 1) {
    if (n < s->fail_l3) {
      out->status = 404;
      gw_buf_puts(&b, "<html><body>页面不存在</body></html>");
    } else {
      gw_buf_printf(&b, "<html><head><title>文章%d</title></head><body>文章</body></html>", n);
    }
  } else {
    out->status = 404;
    gw_buf_puts(&b, "<html><body>页面不存在</body></html>");
  }
  out->len = b.len;
  out->body = gw_buf_steal(&b);
  return 0;
}

struct world {
  struct site s4, s6;
  struct gw_fixsrv *v4, *v6; /* v6 also listens on 127.0.0.1 */
  char rule4[128], rule6[128];
  char *rules[2];
  struct gw_probe_opts po;
};

static void world_start(struct world *w, bool dual)
{
  struct gw_fixsrv_opts o;
  gw_fixsrv_opts_default(&o);
  o.handler = handler;
  o.ctx = &w->s4;
  if (gw_fixsrv_start(&w->v4, &o))
    fx_die("fixsrv v4");
  o.ctx = &w->s6;
  o.ipv6 = true;
  if (gw_fixsrv_start(&w->v6, &o))
    fx_die("fixsrv v6");
  snprintf(w->rule4, sizeof w->rule4, HOST ":80:127.0.0.1:%u", (unsigned)gw_fixsrv_port(w->v4));
  snprintf(w->rule6, sizeof w->rule6, HOST ":80:[::1]:%u", (unsigned)gw_fixsrv_port(w->v6));
  w->rules[0] = w->rule4;
  w->rules[1] = w->rule6;
  gw_probe_opts_default(&w->po);
  w->po.connect_to = w->rules;
  w->po.n_connect_to = dual ? 2 : 1;
  w->po.mapped_only = true;
  w->po.attempts = 1;
  w->po.timeout_ms = 5000;
}

static void world_stop(struct world *w)
{
  gw_fixsrv_stop(&w->v4);
  gw_fixsrv_stop(&w->v6);
}

static void test_probe_families(void)
{
  struct world w;
  memset(&w, 0, sizeof w);
  w.s4.title = "IPv4首页";
  w.s6.title = "IPv6首页";
  world_start(&w, true);
  struct gw_probe_req r;
  memset(&r, 0, sizeof r);
  r.url = "http://" HOST "/";
  struct gw_probe_result res;
  /* unforced: the first rule (IPv4) */
  CHECK_INT(gw_probe_fetch(&w.po, &r, &res), GW_OK);
  CHECK_INT(res.status, 200);
  CHECK_CONTAINS(res.body, "IPv4首页");
  CHECK_STR(res.ip, "127.0.0.1");
  gw_probe_result_clear(&res);
  r.ip_version = 6;
  CHECK_INT(gw_probe_fetch(&w.po, &r, &res), GW_OK);
  CHECK_INT(res.status, 200);
  CHECK_CONTAINS(res.body, "IPv6首页");
  CHECK_STR(res.ip, "::1");
  CHECK_INT(res.ip_family, 6);
  gw_probe_result_clear(&res);
  r.ip_version = 4;
  CHECK_INT(gw_probe_fetch(&w.po, &r, &res), GW_OK);
  CHECK_CONTAINS(res.body, "IPv4首页");
  CHECK_INT(res.ip_family, 4);
  gw_probe_result_clear(&res);
  /* IPv6 only: forced IPv4 finds no address */
  w.po.connect_to = &w.rules[1];
  w.po.n_connect_to = 1;
  CHECK_INT(gw_probe_fetch(&w.po, &r, &res), GW_OK);
  CHECK_INT(res.status, 0);
  CHECK_INT(res.error, GW_FE_DNS);
  CHECK_CONTAINS(res.error_text, "to no IPv4 address");
  gw_probe_result_clear(&res);
  /* IPv4 only: forced IPv6 finds none, even without mapped_only */
  w.po.connect_to = &w.rules[0];
  w.po.mapped_only = false;
  r.ip_version = 6;
  CHECK_INT(gw_probe_fetch(&w.po, &r, &res), GW_OK);
  CHECK_INT(res.error, GW_FE_DNS);
  CHECK_CONTAINS(res.error_text, "to no IPv6 address");
  gw_probe_result_clear(&res);
  world_stop(&w);
}

/* The fixture's crawl: homepage, 10 second-level and 10 third-level pages
 * (2xx), plus rows that are never sampled. */
static void crawl_rows(struct fx *x)
{
  struct fx_row r = {0};
  r.url = "http://" HOST "/";
  r.internal = true;
  r.state = GW_URL_DONE;
  r.status = 200;
  fx_add(x, x->crawl_id, &r);
  char url[64];
  for (int i = 0; i < 10; i++) {
    snprintf(url, sizeof url, "http://" HOST "/l2/%d.html", i);
    r.url = url;
    r.depth = 1;
    fx_add(x, x->crawl_id, &r);
    snprintf(url, sizeof url, "http://" HOST "/l3/%d.html", i);
    r.depth = 2;
    fx_add(x, x->crawl_id, &r);
  }
  r.url = "http://" HOST "/gone.html";
  r.depth = 1;
  r.status = 404;
  r.error = GW_FE_HTTP;
  fx_add(x, x->crawl_id, &r);
  memset(&r, 0, sizeof r);
  r.url = "http://" HOST "/logo.png";
  r.kind = GW_URL_RESOURCE;
  r.internal = true;
  r.depth = 1;
  r.state = GW_URL_DONE;
  r.status = 200;
  fx_add(x, x->crawl_id, &r);
}

/* Assess with the world's probe over fx's crawl. */
static int assess(struct fx *x, struct world *w, const struct gw_ipv6_opts *o, struct gw_ipv6_report *out)
{
  struct gw_check_view *v = NULL;
  if (gw_check_view_open(&v, x->st, x->crawl_id, 0))
    fx_die("view");
  struct gw_check_ctx ctx;
  memset(&ctx, 0, sizeof ctx);
  ctx.check = &gw_check_ipv6_support;
  ctx.site = &x->site;
  ctx.as_of = x->as_of;
  ctx.view = v;
  ctx.probe = w ? gw_check_probe_network : NULL;
  ctx.probe_ctx = w ? &w->po : NULL;
  int rc = gw_ipv6_assess(&ctx, o, out);
  gw_check_view_free(&v);
  return rc;
}

static void fx_open_host(struct fx *x)
{
  fx_open(x);
  /* fx's site is http://www.example.gov.cn/ already */
  CHECK_STR(x->site.url, "http://" HOST "/");
  crawl_rows(x);
}

static void test_full(void)
{
  struct fx x;
  fx_open_host(&x);
  struct world w;
  memset(&w, 0, sizeof w);
  w.s4.title = w.s6.title = "青溪县示例局";
  world_start(&w, true);
  struct gw_ipv6_report r;
  CHECK_INT(assess(&x, &w, NULL, &r), GW_OK);
  CHECK_INT(r.degree, GW_IPV6_FULL);
  CHECK(r.aaaa);
  CHECK(r.v4_ok && r.v6_ok);
  CHECK_STR(r.v6_ip, "::1");
  CHECK(r.compared && r.same_title && r.consistent);
  CHECK(r.text_similarity == 1.0);
  CHECK(r.link_overlap == 1.0);
  CHECK_INT(r.level2.candidates, 10);
  CHECK_INT(r.level2.probed, 10);
  CHECK_INT(r.level2.ok, 10);
  CHECK_INT(r.level3.probed, 10);
  CHECK_INT(r.level3.ok, 10);
  json_t *j = gw_ipv6_report_json(&r, NULL);
  CHECK_STR(json_string_value(json_object_get(j, "degree_label")), "支持");
  json_decref(j);
  gw_ipv6_report_clear(&r);
  /* a bounded sample */
  struct gw_ipv6_opts o;
  gw_ipv6_opts_default(&o);
  o.sample_level2 = 3;
  o.sample_level3 = 4;
  uint64_t before = gw_fixsrv_requests(w.v6);
  CHECK_INT(assess(&x, &w, &o, &r), GW_OK);
  CHECK_INT(r.level2.probed, 3);
  CHECK_INT(r.level2.candidates, 10);
  CHECK_INT(r.level3.probed, 4);
  CHECK_INT(gw_fixsrv_requests(w.v6) - before, 1 + 3 + 4);
  gw_ipv6_report_clear(&r);
  /* the check: no finding */
  struct gw_check_run_opts ro;
  memset(&ro, 0, sizeof ro);
  const char *only[1] = {"ipv6.support"};
  ro.only = only;
  ro.n_only = 1;
  ro.probe = gw_check_probe_network;
  ro.probe_ctx = &w.po;
  struct gw_check_run_report rep;
  CHECK_INT(gw_check_run_site(x.st, &x.site, &ro, &rep), GW_OK);
  CHECK_INT(rep.failed, 0);
  CHECK_INT(rep.findings, 0);
  gw_check_run_report_clear(&rep);
  world_stop(&w);
  fx_close(&x);
}

struct one {
  struct gw_finding f;
  json_t *obs;
  size_t n;
};

static int one_row(void *ctx, const struct gw_finding_row *r)
{
  struct one *o = ctx;
  o->n++;
  o->f.rule = gw_strdup(r->f.rule);
  o->f.title = gw_strdup(r->f.title);
  o->f.detail = gw_strdup(r->f.detail);
  o->f.url = gw_strdup(r->f.url);
  o->f.key = gw_strdup(r->f.key);
  json_error_t je;
  o->obs = json_loads(r->f.observed_json, 0, &je);
  return 0;
}

/* Run ipv6.support over fx with w's probe (NULL = probing off); its one
 * finding, if any, into *out. */
static size_t run_check(struct fx *x, struct world *w, struct one *out)
{
  struct gw_check_run_opts ro;
  memset(&ro, 0, sizeof ro);
  const char *only[1] = {"ipv6.support"};
  ro.only = only;
  ro.n_only = 1;
  ro.probe = w ? gw_check_probe_network : NULL;
  ro.probe_ctx = w ? &w->po : NULL;
  struct gw_check_run_report rep;
  memset(out, 0, sizeof *out);
  CHECK_INT(gw_check_run_site(x->st, &x->site, &ro, &rep), GW_OK);
  CHECK_INT(rep.failed, 0);
  CHECK_INT(gw_store_finding_each(x->st, rep.run_id, "ipv6.support", one_row, out), GW_OK);
  gw_check_run_report_clear(&rep);
  return out->n;
}

static void one_clear(struct one *o)
{
  gw_finding_clear(&o->f);
  json_decref(o->obs);
  memset(o, 0, sizeof *o);
}

static const char *jpath(json_t *j, const char *a, const char *b)
{
  static char buf[64];
  json_t *v = json_object_get(j, a);
  if (b)
    v = json_object_get(v, b);
  if (json_is_string(v))
    return json_string_value(v);
  if (json_is_integer(v)) {
    snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
    return buf;
  }
  if (json_is_real(v)) {
    snprintf(buf, sizeof buf, "%.3f", json_real_value(v));
    return buf;
  }
  return json_is_true(v) ? "true" : json_is_false(v) ? "false" : "null";
}

static void test_none(void)
{
  struct fx x;
  fx_open_host(&x);
  struct world w;
  memset(&w, 0, sizeof w);
  w.s4.title = w.s6.title = "青溪县示例局";
  world_start(&w, false); /* only the IPv4 rule */
  struct one o;
  CHECK_INT(run_check(&x, &w, &o), 1);
  CHECK_STR(o.f.rule, "ipv6.unsupported");
  CHECK_STR(o.f.key, "ipv6");
  CHECK_STR(o.f.title, "网站不支持IPv6访问");
  CHECK_STR(o.f.url, "http://" HOST "/");
  CHECK_CONTAINS(o.f.detail, "IPv6 支持度：不支持。AAAA 记录（IPv6 地址）：无；首页 IPv6 访问：失败（dns）");
  CHECK_STR(jpath(o.obs, "aaaa", NULL), "false");
  CHECK_STR(jpath(o.obs, "degree", NULL), "none");
  CHECK_STR(jpath(o.obs, "homepage_access", "v4_status"), "200");
  CHECK_STR(jpath(o.obs, "homepage_access", "v6_error"), "dns");
  CHECK_STR(jpath(o.obs, "level2", "probed"), "0");
  one_clear(&o);
  /* probing off: nothing measured, nothing claimed */
  CHECK_INT(run_check(&x, NULL, &o), 0);
  one_clear(&o);
  struct gw_ipv6_report r;
  CHECK_INT(assess(&x, NULL, NULL, &r), GW_ENOTFOUND);
  CHECK_CONTAINS(gw_err_msg(), "probing is off");
  world_stop(&w);
  fx_close(&x);
}

static void test_partial(void)
{
  struct fx x;
  fx_open_host(&x);
  struct world w;
  memset(&w, 0, sizeof w);
  w.s4.title = w.s6.title = "青溪县示例局";
  w.s6.fail_l3 = 2; /* 2 of 10 third-level pages fail over IPv6: 80 % < 90 % */
  world_start(&w, true);
  struct one o;
  CHECK_INT(run_check(&x, &w, &o), 1);
  CHECK_STR(o.f.title, "网站IPv6支持不完整");
  CHECK_CONTAINS(o.f.detail, "IPv6 支持度：部分支持。AAAA 记录（IPv6 地址）：有；首页 IPv6 访问：正常（HTTP 200）");
  CHECK_CONTAINS(o.f.detail, "二级页面抽查 10 个（共 10 个），IPv6 可访问 10 个（100%）");
  CHECK_CONTAINS(o.f.detail, "三级页面抽查 10 个（共 10 个），IPv6 可访问 8 个（80%）");
  CHECK_STR(jpath(o.obs, "level3", "ratio"), "0.800");
  CHECK_STR(jpath(o.obs, "content", "consistent"), "true");
  json_t *fails = json_object_get(json_object_get(o.obs, "level3"), "failures");
  CHECK_INT(json_array_size(fails), 2);
  CHECK_STR(json_string_value(json_object_get(json_array_get(fails, 0), "url")), "http://" HOST "/l3/0.html");
  CHECK_INT(json_integer_value(json_object_get(json_array_get(fails, 0), "status")), 404);
  one_clear(&o);
  /* 1 of 10 fails: 90 % meets the threshold */
  w.s6.fail_l3 = 1;
  CHECK_INT(run_check(&x, &w, &o), 0);
  one_clear(&o);
  /* a different homepage over IPv6 */
  w.s6.fail_l3 = 0;
  w.s6.title = "网站维护中";
  CHECK_INT(run_check(&x, &w, &o), 1);
  CHECK_STR(jpath(o.obs, "content", "same_title"), "false");
  CHECK_STR(jpath(o.obs, "content", "consistent"), "false");
  CHECK_CONTAINS(o.f.detail, "IPv4 与 IPv6 首页内容不一致（标题不同");
  one_clear(&o);
  /* the same title, another link set: 10 / 11 links shared, 0.909 */
  w.s6.title = "青溪县示例局";
  w.s6.extra = "/extra.html";
  struct gw_ipv6_report r;
  CHECK_INT(assess(&x, &w, NULL, &r), GW_OK);
  CHECK(r.link_overlap > 0.90 && r.link_overlap < 0.91);
  CHECK(r.consistent);
  CHECK_INT(r.degree, GW_IPV6_FULL);
  gw_ipv6_report_clear(&r);
  world_stop(&w);
  fx_close(&x);
}

static void test_similarity(void)
{
  CHECK(gw_ipv6_text_similarity("", 0, "", 0) == 1.0);
  CHECK(gw_ipv6_text_similarity("abcd", 4, "abcd", 4) == 1.0);
  CHECK(gw_ipv6_text_similarity("abcd", 4, "", 0) == 0.0);
  CHECK(gw_ipv6_text_similarity("abXd", 4, "abcd", 4) == 0.75);
  CHECK(gw_ipv6_text_similarity("aaaa", 4, "aa", 2) == 0.5); /* head and tail never overlap */
  CHECK_STR(gw_ipv6_degree_key(GW_IPV6_PARTIAL), "partial");
  CHECK_STR(gw_ipv6_degree_label(GW_IPV6_NONE), "不支持");
  CHECK_STR(gw_ipv6_degree_key((enum gw_ipv6_degree)9), "?");
}

int main(void)
{
  test_similarity();
  test_probe_families();
  test_full();
  test_none();
  test_partial();
  return gw_test_done();
}
