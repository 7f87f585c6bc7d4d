/* One homepage probe: a single libcurl easy request, whole body read, with
 * libcurl's own phase timings (CURLINFO_*_TIME_T). */
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "core/str.h"
#include "monitor/monitor.h"
#include "fetch/fetch_error.h"
#include "store/crawl_records.h"

void gw_monitor_probe_opts_default(struct gw_monitor_probe_opts *o)
{
  memset(o, 0, sizeof *o);
  o->timeout_ms = 15000;
  o->max_body = 10L << 20;
}

struct sink {
  int64_t bytes;
  long max;
  bool capped;
};

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
  (void)p;
  struct sink *s = ud;
  size_t len = size * n;
  s->bytes += (int64_t)len;
  if (s->max > 0 && s->bytes > s->max) {
    /* The page is loading; a homepage this big is open, and reading on
     * would only spend bandwidth. */
    s->capped = true;
    return 0;
  }
  return len;
}

/* The family of an IP literal at the start of the connect-to target field
 * ("[::1]" 6, "127.0.0.1" 4, a name 0). */
static int literal_family(const char *target)
{
  if (target[0] == '[')
    return 6;
  int dots = 0;
  const char *p = target;
  for (; *p && *p != ':'; p++) {
    if (*p == '.')
      dots++;
    else if (*p < '0' || *p > '9')
      return 0;
  }
  return dots == 3 ? 4 : 0;
}

/* Does rule "HOST:PORT:..." apply to host:port? Empty HOST or PORT = any. */
static bool rule_matches(const char *rule, const char *host, long port)
{
  const char *c1 = strchr(rule, ':');
  if (!c1)
    return false;
  size_t hl = (size_t)(c1 - rule);
  if (hl && (hl != strlen(host) || strncasecmp(rule, host, hl) != 0))
    return false;
  const char *c2 = strchr(c1 + 1, ':');
  if (!c2)
    return false;
  if (c2 > c1 + 1) {
    char pb[16];
    size_t pl = (size_t)(c2 - c1 - 1);
    if (pl >= sizeof pb)
      return false;
    memcpy(pb, c1 + 1, pl);
    pb[pl] = '\0';
    int64_t v;
    if (gw_parse_i64(pb, &v) != GW_OK || v != port)
      return false;
  }
  return true;
}

/* The third field of a rule (its connect-to host). */
static const char *rule_target(const char *rule)
{
  const char *c1 = strchr(rule, ':');
  const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
  return c2 ? c2 + 1 : "";
}

int gw_monitor_http_probe(const struct gw_monitor_probe_opts *o, const char *url, int family, struct gw_monitor_probe_result *out)
{
  struct gw_monitor_probe_result r;
  struct curl_slist *rules = NULL;
  CURLU *u = NULL;
  CURL *h = NULL;
  char *host = NULL, *portstr = NULL;
  struct sink sink = {0, o->max_body, false};
  char errbuf[CURL_ERROR_SIZE] = "";
  int rc = GW_OK;
  memset(&r, 0, sizeof r);
  if (family != 4 && family != 6)
    return gw_err_set(GW_EINVAL, "probe of %s: family %d is neither 4 nor 6", url ? url : "(null)", family);
  u = curl_url();
  if (!url || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
      curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
      curl_url_get(u, CURLUPART_PORT, &portstr, CURLU_DEFAULT_PORT) != CURLUE_OK) {
    rc = gw_err_set(GW_EINVAL, "probe: '%s' is not an http(s) URL", url ? url : "(null)");
    goto done;
  }
  int64_t port = 0;
  gw_parse_i64(portstr, &port);
  bool mapped = false;
  for (size_t i = 0; i < o->n_connect_to; i++) {
    int lf = literal_family(rule_target(o->connect_to[i]));
    if (lf && lf != family)
      continue;
    if (rule_matches(o->connect_to[i], host, (long)port))
      mapped = true;
    rules = curl_slist_append(rules, o->connect_to[i]);
  }
  if (o->mapped_only && !mapped) {
    r.error = GW_FE_DNS;
    snprintf(r.error_text, sizeof r.error_text, "host %.200s is not mapped by network.connect_to for IPv%d "
             "(network.mapped_only)", host, family);
    *out = r;
    goto done;
  }
  h = curl_easy_init();
  if (!h) {
    rc = gw_err_set(GW_ENOMEM, "probe of %s: cannot create a libcurl handle", url);
    goto done;
  }
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, o->timeout_ms > 0 ? o->timeout_ms : 15000L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   o->connect_timeout_ms > 0 ? o->connect_timeout_ms : (o->timeout_ms > 0 ? o->timeout_ms : 15000L));
  curl_easy_setopt(h, CURLOPT_IPRESOLVE, family == 4 ? (long)CURL_IPRESOLVE_V4 : (long)CURL_IPRESOLVE_V6);
  curl_easy_setopt(h, CURLOPT_USERAGENT, o->user_agent ? o->user_agent : "GovWatch-availability/1");
  curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
  /* A fresh connection every time: a reused one would hide DNS, connect
   * and TLS failures, which are what a probe is for. */
  curl_easy_setopt(h, CURLOPT_FRESH_CONNECT, 1L);
  curl_easy_setopt(h, CURLOPT_FORBID_REUSE, 1L);
  curl_easy_setopt(h, CURLOPT_DNS_CACHE_TIMEOUT, 0L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
  if (rules)
    curl_easy_setopt(h, CURLOPT_CONNECT_TO, rules);
  CURLcode cc = curl_easy_perform(h);
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  r.http_status = (int)status;
  curl_off_t t;
  if (curl_easy_getinfo(h, CURLINFO_NAMELOOKUP_TIME_T, &t) == CURLE_OK)
    r.dns_us = t;
  if (curl_easy_getinfo(h, CURLINFO_CONNECT_TIME_T, &t) == CURLE_OK)
    r.connect_us = t;
  if (curl_easy_getinfo(h, CURLINFO_APPCONNECT_TIME_T, &t) == CURLE_OK)
    r.tls_us = t;
  if (curl_easy_getinfo(h, CURLINFO_STARTTRANSFER_TIME_T, &t) == CURLE_OK)
    r.ttfb_us = t;
  if (curl_easy_getinfo(h, CURLINFO_TOTAL_TIME_T, &t) == CURLE_OK)
    r.total_us = t;
  char *ip = NULL;
  if (curl_easy_getinfo(h, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK && ip)
    gw_strlcpy(r.ip, ip, sizeof r.ip);
  r.bytes = sink.bytes;
  if (cc == CURLE_WRITE_ERROR && sink.capped)
    cc = CURLE_OK;
  r.error = gw_fetch_error_from_curl(cc);
  if (cc != CURLE_OK)
    snprintf(r.error_text, sizeof r.error_text, "%s", errbuf[0] ? errbuf : curl_easy_strerror(cc));
  *out = r;
done:
  curl_easy_cleanup(h);
  curl_slist_free_all(rules);
  curl_free(host);
  curl_free(portstr);
  curl_url_cleanup(u);
  return rc;
}

enum gw_avail_verdict gw_monitor_classify(const struct gw_monitor_probe_result *r, enum gw_avail_reason *reason)
{
  enum gw_avail_reason why = GW_AR_NONE;
  enum gw_avail_verdict v = GW_AV_FAIL;
  switch (r->error) {
  case GW_FE_NONE:
    if (r->http_status == 403 || r->http_status == 429) {
      v = GW_AV_UNKNOWN;
      why = GW_AR_WAF;
    } else if (r->http_status >= 500) {
      why = GW_AR_HTTP_5XX;
    } else if (r->http_status >= 400) {
      why = GW_AR_HTTP_4XX;
    } else if (r->http_status >= 200) {
      v = GW_AV_OK;
    } else {
      why = GW_AR_OTHER;
    }
    break;
  case GW_FE_DNS:
    why = GW_AR_DNS;
    break;
  case GW_FE_CONNECT:
    why = GW_AR_REFUSED;
    break;
  case GW_FE_TIMEOUT:
    why = GW_AR_TIMEOUT;
    break;
  case GW_FE_RESET:
    why = GW_AR_RESET;
    break;
  case GW_FE_TLS:
    why = GW_AR_TLS;
    break;
  default:
    why = GW_AR_OTHER;
    break;
  }
  *reason = why;
  return v;
}
