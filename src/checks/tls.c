/* The check transport.tls (tls.h). The Chinese wording users read is in
 * the tables and format strings here. */
#include "checks/tls.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/error.h"
#include "core/str.h"
#include "fetch/map.h"
#include "fetch/url.h"

static const struct {
  const char *key, *label;
} g_problem[] = {
  [GW_TLS_OK] = {"ok", "证书有效"},
  [GW_TLS_EXPIRED] = {"expired", "证书已过期"},
  [GW_TLS_NOT_YET_VALID] = {"not_yet_valid", "证书尚未生效"},
  [GW_TLS_NAME] = {"name", "证书与网站域名不符"},
  [GW_TLS_UNTRUSTED] = {"untrusted", "证书不受信任（自签名或证书链不完整）"},
  [GW_TLS_OTHER] = {"other", "证书校验失败"},
};

const char *gw_tls_problem_key(enum gw_tls_problem p)
{
  return (int)p >= 0 && p <= GW_TLS_OTHER ? g_problem[p].key : "?";
}

const char *gw_tls_problem_label(enum gw_tls_problem p)
{
  return (int)p >= 0 && p <= GW_TLS_OTHER ? g_problem[p].label : "?";
}

static bool has(const char *s, const char *w)
{
  size_t m = strlen(w);
  for (; s && *s; s++)
    if (strncasecmp(s, w, m) == 0)
      return true;
  return false;
}

enum gw_tls_problem gw_tls_classify(const char *error_text, int64_t not_before, int64_t not_after, int64_t now)
{
  if (not_after && not_after < now)
    return GW_TLS_EXPIRED;
  if (not_before && not_before > now)
    return GW_TLS_NOT_YET_VALID;
  if (has(error_text, "expired"))
    return GW_TLS_EXPIRED;
  if (has(error_text, "not yet valid"))
    return GW_TLS_NOT_YET_VALID;
  if (has(error_text, "subject name") || has(error_text, "host name") || has(error_text, "hostname"))
    return GW_TLS_NAME;
  if (has(error_text, "self-signed") || has(error_text, "self signed") || has(error_text, "issuer") ||
      has(error_text, "chain"))
    return GW_TLS_UNTRUSTED;
  return GW_TLS_OTHER;
}

bool gw_tls_version_old(const char *v)
{
  return v && (strcmp(v, "SSLv2") == 0 || strcmp(v, "SSLv3") == 0 || strcmp(v, "TLSv1") == 0 ||
               strcmp(v, "TLSv1.0") == 0 || strcmp(v, "TLSv1.1") == 0);
}

/* ---- helpers ---- */

static json_t *jstr(const char *s)
{
  if (!s)
    return json_null();
  json_t *j = json_string(s);
  return j ? j : json_string("?");
}

static json_t *jtime(int64_t t)
{
  char buf[40];
  return t ? json_string(gw_time_format_iso(t, buf, sizeof buf)) : json_null();
}

static int emit(struct gw_check_ctx *ctx, const char *rule, const char *key, const char *title, const char *url,
                const char *target, const char *locator, const char *detail, json_t *obs)
{
  char *obs_text = json_dumps(obs, JSON_COMPACT | JSON_SORT_KEYS);
  struct gw_finding f;
  memset(&f, 0, sizeof f);
  f.rule = (char *)rule;
  f.severity = GW_SEV_INFO;
  f.key = (char *)key;
  f.url = (char *)url;
  f.target = (char *)target;
  f.locator = (char *)locator;
  f.title = (char *)title;
  f.detail = (char *)detail;
  f.observed_json = obs_text;
  int rc = gw_check_emit(ctx, &f);
  free(obs_text);
  return rc;
}

/* ---- the homepage over HTTPS ---- */

static void tls_json(json_t *o, const struct gw_probe_tls *t, int64_t now)
{
  json_object_set_new(o, "tls_version", jstr(t->version));
  json_object_set_new(o, "cipher", jstr(t->cipher));
  json_object_set_new(o, "subject", jstr(t->subject));
  json_object_set_new(o, "issuer", jstr(t->issuer));
  json_object_set_new(o, "subject_alt_names", jstr(t->san));
  json_object_set_new(o, "not_before", jtime(t->not_before));
  json_object_set_new(o, "not_after", jtime(t->not_after));
  json_object_set_new(o, "days_to_expiry",
                      t->not_after ? json_integer((json_int_t)((t->not_after - now) / 86400)) : json_null());
  json_object_set_new(o, "chain_certificates", json_integer(t->chain));
}

static void cert_text(struct gw_buf *d, const struct gw_probe_tls *t)
{
  char a[32], b[32];
  if (t->subject)
    gw_buf_printf(d, "证书主体：%s；", t->subject);
  if (t->issuer)
    gw_buf_printf(d, "颁发者：%s；", t->issuer);
  if (t->not_before && t->not_after)
    gw_buf_printf(d, "有效期：%s 至 %s；", gw_time_format(t->not_before, a, sizeof a),
                  gw_time_format(t->not_after, b, sizeof b));
  if (t->version)
    gw_buf_printf(d, "协议版本：%s。", t->version);
}

static int check_https(struct gw_check_ctx *ctx, const char *https_url)
{
  struct gw_probe_req req;
  memset(&req, 0, sizeof req);
  req.url = https_url;
  req.tls_info = true;
  struct gw_probe_result a, b;
  int rc = gw_check_probe(ctx, &req, &a);
  if (rc != GW_OK)
    return rc;
  memset(&b, 0, sizeof b);
  bool have_b = false, available, verified;
  const struct gw_probe_tls *t = &a.tls;
  if (a.error == GW_FE_TLS) {
    req.tls_no_verify = true;
    rc = gw_check_probe(ctx, &req, &b);
    if (rc != GW_OK)
      goto done;
    have_b = true;
    available = b.status > 0;
    verified = false;
    t = &b.tls;
  } else {
    available = a.status > 0;
    verified = available;
  }
  int64_t now = have_b ? b.fetched_at : a.fetched_at;
  json_t *obs = json_object();
  json_object_set_new(obs, "https_url", json_string(https_url));
  json_object_set_new(obs, "available", json_boolean(available));
  json_object_set_new(obs, "verified", json_boolean(verified));
  json_object_set_new(obs, "status", a.status ? json_integer(a.status) : have_b && b.status ? json_integer(b.status)
                                                                                          : json_null());
  json_object_set_new(obs, "error", a.error ? json_string(gw_fetch_error_key(a.error)) : json_null());
  json_object_set_new(obs, "error_text", jstr(a.error_text));
  json_object_set_new(obs, "checked_at", jtime(now));
  tls_json(obs, t, now);
  struct gw_buf d = GW_BUF_INIT;
  const char *url = ctx->site->url;
  if (!available && a.error != GW_FE_TLS) {
    gw_buf_printf(&d, "以 HTTPS 访问 %s 失败（%s：%s），网站未提供 HTTPS 访问。（提示项，不计分）", https_url,
                  a.error ? gw_fetch_error_key(a.error) : "无应答", a.error_text ? a.error_text : "");
    json_object_set_new(obs, "problem", json_string("https_unavailable"));
    rc = emit(ctx, GW_RULE_TRANSPORT_TLS, "https.unavailable", "网站首页不支持HTTPS访问", url, https_url, "网站首页",
              gw_buf_cstr(&d), obs);
  } else if (!available) {
    gw_buf_printf(&d, "与 %s 的 HTTPS 握手失败：%s。（提示项，不计分）", https_url, a.error_text ? a.error_text : "");
    json_object_set_new(obs, "problem", json_string("handshake"));
    rc = emit(ctx, GW_RULE_TRANSPORT_TLS, "handshake", "网站HTTPS握手失败", url, https_url, "网站首页", gw_buf_cstr(&d),
              obs);
  } else if (!verified) {
    enum gw_tls_problem p = gw_tls_classify(a.error_text, t->not_before, t->not_after, now);
    gw_buf_printf(&d, "%s 的 HTTPS 证书校验失败：%s（%s）。", https_url, gw_tls_problem_label(p),
                  a.error_text ? a.error_text : "");
    cert_text(&d, t);
    gw_buf_puts(&d, "（提示项，不计分）");
    json_object_set_new(obs, "problem", json_string(gw_tls_problem_key(p)));
    json_object_set_new(obs, "problem_label", json_string(gw_tls_problem_label(p)));
    rc = emit(ctx, GW_RULE_TRANSPORT_TLS, "cert.invalid", "网站HTTPS证书无效", url, https_url, "网站首页",
              gw_buf_cstr(&d), obs);
  } else {
    if (t->not_after && (t->not_after - now) / 86400 <= GW_TLS_EXPIRY_WARN_DAYS) {
      gw_buf_printf(&d, "%s 的 HTTPS 证书将在 %lld 天后过期。", https_url, (long long)((t->not_after - now) / 86400));
      cert_text(&d, t);
      gw_buf_puts(&d, "（提示项，不计分）");
      json_object_set_new(obs, "problem", json_string("expiring"));
      rc = emit(ctx, GW_RULE_TRANSPORT_TLS, "cert.expiring", "网站HTTPS证书即将过期", url, https_url, "网站首页",
                gw_buf_cstr(&d), obs);
    }
    if (rc == GW_OK && gw_tls_version_old(t->version)) {
      gw_buf_reset(&d);
      gw_buf_printf(&d, "%s 使用 %s 协议，低于 TLS 1.2。", https_url, t->version);
      cert_text(&d, t);
      gw_buf_puts(&d, "（提示项，不计分）");
      json_object_set_new(obs, "problem", json_string("old_protocol"));
      rc = emit(ctx, GW_RULE_TRANSPORT_TLS, "protocol.old", "网站HTTPS使用过时的协议版本", url, https_url, "网站首页",
                gw_buf_cstr(&d), obs);
    }
  }
  json_decref(obs);
  gw_buf_free(&d);
done:
  gw_probe_result_clear(&a);
  if (have_b)
    gw_probe_result_clear(&b);
  return rc;
}

/* ---- mixed content ---- */

struct mixed {
  struct gw_map https_pages; /* "id" -> page URL (malloc'd) of HTML pages served over HTTPS */
  struct gw_map http_res;    /* "id" -> resource URL (malloc'd) of http:// URLs */
  size_t occurrences;
  struct gw_map pages_seen;  /* page ids with mixed content */
  json_t *ev;
};

static void id_key(int64_t id, char *buf, size_t size)
{
  snprintf(buf, size, "%lld", (long long)id);
}

static int mixed_url(void *ctx, const struct gw_crawl_url *u)
{
  struct mixed *m = ctx;
  char k[32];
  id_key(u->id, k, sizeof k);
  const char *where = u->final_url ? u->final_url : u->url;
  if (u->kind == GW_URL_PAGE && u->parsed && strncasecmp(where, "https://", 8) == 0)
    gw_map_put(&m->https_pages, k, gw_strdup(where));
  if (strncasecmp(u->url, "http://", 7) == 0)
    gw_map_put(&m->http_res, k, gw_strdup(u->url));
  return 0;
}

static bool subresource(const char *tag)
{
  static const char *const tags[] = {"img", "script", "stylesheet", "iframe", "frame", "embed", "object",
                                     "source", "video", "audio", "css", "icon"};
  for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++)
    if (tag && strcmp(tag, tags[i]) == 0)
      return true;
  return false;
}

static int mixed_link(void *ctx, const struct gw_link_row *l)
{
  struct mixed *m = ctx;
  if (!subresource(l->tag))
    return 0;
  char kf[32], kt[32];
  id_key(l->from_id, kf, sizeof kf);
  id_key(l->to_id, kt, sizeof kt);
  const char *page = gw_map_get(&m->https_pages, kf), *res = gw_map_get(&m->http_res, kt);
  if (!page || !res)
    return 0;
  m->occurrences++;
  if (!gw_map_has(&m->pages_seen, kf))
    gw_map_put(&m->pages_seen, kf, NULL);
  if (json_array_size(m->ev) < GW_TLS_EVIDENCE) {
    json_t *e = json_object();
    json_object_set_new(e, "page", jstr(page));
    json_object_set_new(e, "resource", jstr(res));
    json_object_set_new(e, "tag", jstr(l->tag));
    json_object_set_new(e, "line", l->line > 0 ? json_integer(l->line) : json_null());
    json_array_append_new(m->ev, e);
  }
  return 0;
}

static void free_values(struct gw_map *mp)
{
  for (size_t i = 0; i < mp->cap; i++)
    if (mp->slots[i].key)
      free(mp->slots[i].val);
  gw_map_free(mp);
}

static int check_mixed(struct gw_check_ctx *ctx)
{
  struct mixed m;
  memset(&m, 0, sizeof m);
  m.ev = json_array();
  int rc = gw_check_view_urls(ctx->view, 0, mixed_url, &m);
  if (rc == GW_OK && m.https_pages.n && m.http_res.n)
    rc = gw_check_view_links(ctx->view, 0, 0, mixed_link, &m);
  if (rc == GW_OK && m.occurrences) {
    struct gw_buf d = GW_BUF_INIT;
    json_t *e0 = json_array_get(m.ev, 0);
    gw_buf_printf(&d, "%zu 个 HTTPS 页面共 %zu 处引用了 http:// 资源（图片、脚本、样式表等），浏览器会拦截或提示不安全。如：%s 引用 %s。"
                      "（提示项，不计分）",
                  m.pages_seen.n, m.occurrences, json_string_value(json_object_get(e0, "page")),
                  json_string_value(json_object_get(e0, "resource")));
    json_t *obs = json_object();
    json_object_set_new(obs, "problem", json_string("mixed_content"));
    json_object_set_new(obs, "pages_affected", json_integer((json_int_t)m.pages_seen.n));
    json_object_set_new(obs, "occurrences", json_integer((json_int_t)m.occurrences));
    json_object_set_new(obs, "examples", json_incref(m.ev));
    rc = emit(ctx, GW_RULE_TRANSPORT_MIXED, "mixed", "HTTPS页面引用了HTTP资源（混合内容）",
              json_string_value(json_object_get(e0, "page")), json_string_value(json_object_get(e0, "resource")),
              "页面资源引用", gw_buf_cstr(&d), obs);
    json_decref(obs);
    gw_buf_free(&d);
  }
  free_values(&m.https_pages);
  free_values(&m.http_res);
  gw_map_free(&m.pages_seen);
  json_decref(m.ev);
  return rc;
}

static int transport_tls_run(struct gw_check_ctx *ctx)
{
  struct gw_url_view v;
  if (!ctx->site || !ctx->site->url || !gw_url_view(ctx->site->url, &v))
    return gw_err_set(GW_EINVAL, "transport.tls: site %lld: homepage URL '%s' is not a normalised URL",
                      ctx->site ? (long long)ctx->site->id : 0LL, ctx->site && ctx->site->url ? ctx->site->url : "");
  int rc = GW_OK;
  if (ctx->probe) {
    /* the homepage host on the default HTTPS port, the homepage's path */
    struct gw_buf u = GW_BUF_INIT;
    gw_buf_printf(&u, "https://%.*s%.*s", (int)v.host_len, v.host, (int)v.path_len, v.path);
    if (!v.path_len)
      gw_buf_putc(&u, '/');
    rc = check_https(ctx, gw_buf_cstr(&u));
    gw_buf_free(&u);
  }
  if (rc == GW_OK && ctx->view)
    rc = check_mixed(ctx);
  return rc;
}

static const char *const g_rules[] = {GW_RULE_TRANSPORT_TLS, GW_RULE_TRANSPORT_MIXED, NULL};

const struct gw_check gw_check_transport_tls = {
  .id = "transport.tls",
  .title = "HTTPS与传输安全",
  .summary = "HTTPS on the homepage host, certificate validity (chain, name, dates), days to expiry, protocol "
             "version, and http:// resources on HTTPS pages; informational",
  .rules = g_rules,
  .needs = GW_CHECK_NEEDS_CRAWL | GW_CHECK_NEEDS_PROBE,
  .run = transport_tls_run,
};
