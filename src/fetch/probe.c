/* Probes: single synchronous fetches with the crawler's network rules
 * (see probe.h). */
#include "fetch/probe.h"
#include "fetch/fetch_error.h"

#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/error.h"
#include "core/str.h"
#include "fetch/frontier.h"
#include "fetch/url.h"

void gw_probe_opts_default(struct gw_probe_opts *o)
{
  memset(o, 0, sizeof *o);
  o->user_agent = "GovWatch/0.1 (government website inspection)";
  o->timeout_ms = 15000;
  o->connect_timeout_ms = 10000;
  o->attempts = 3;
  o->retry_base_ms = 1000;
  o->max_body = 10u << 20;
}

void gw_probe_opts_from_config(struct gw_probe_opts *o, const struct gw_config *cfg)
{
  gw_probe_opts_default(o);
  if (cfg->user_agent && *cfg->user_agent)
    o->user_agent = cfg->user_agent;
  o->connect_to = cfg->connect_to.v;
  o->n_connect_to = cfg->connect_to.n;
  o->mapped_only = cfg->mapped_only;
  o->timeout_ms = cfg->timeout_s * 1000;
  o->connect_timeout_ms = cfg->connect_timeout_s * 1000;
  o->attempts = (int)cfg->attempts;
  o->retry_base_ms = cfg->retry_base_ms;
  o->max_body = (size_t)cfg->max_body;
}

void gw_probe_result_clear(struct gw_probe_result *r)
{
  free(r->url);
  free(r->error_text);
  free(r->method);
  free(r->final_url);
  free(r->redirect_chain);
  free(r->content_type);
  free(r->body);
  free(r->ip);
  free(r->tls.version);
  free(r->tls.cipher);
  free(r->tls.subject);
  free(r->tls.issuer);
  free(r->tls.san);
  memset(r, 0, sizeof *r);
}

/* ---- libcurl set-up ---- */

static pthread_once_t g_curl_once = PTHREAD_ONCE_INIT;
static CURLcode g_curl_init = CURLE_OK;

static void curl_init_once(void)
{
  g_curl_init = curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* The address family of a connect_to rule's CONNECT_HOST: 6 for a
 * bracketed IPv6 address, 4 for a dotted IPv4 address, 0 for a name or an
 * empty host (either family). */
static int rule_family(const char *s)
{
  const char *p = s;
  for (int field = 0; field < 2; field++) { /* skip HOST and PORT */
    if (*p == '[') {
      const char *close = strchr(p, ']');
      p = close ? close + 1 : p + strlen(p);
    }
    p += strcspn(p, ":");
    if (*p == ':')
      p++;
  }
  if (*p == '[')
    return 6;
  size_t n = strcspn(p, ":");
  if (n == 0)
    return 0;
  for (size_t i = 0; i < n; i++)
    if (!((p[i] >= '0' && p[i] <= '9') || p[i] == '.'))
      return 0;
  return 4;
}

/* Can a rule serve a probe forced to ip_version (0 = any)? A host mapped
 * twice, to an IPv4 and to an IPv6 address, is how a dual-stack host is
 * written: a probe forced to IPv6 uses the IPv6 rule, one forced to IPv4
 * the IPv4 rule, an unforced one the first (curl's order). */
static bool rule_fits(const char *s, int ip_version)
{
  int f = rule_family(s);
  return ip_version == 0 || f == 0 || f == ip_version;
}

/* Does a connect_to rule ("HOST:PORT:..."; empty HOST or PORT = any) that
 * fits ip_version map the host and port of the normalised URL? */
static bool mapped(const struct gw_probe_opts *o, const char *url, int ip_version)
{
  struct gw_url_view v;
  if (!gw_url_view(url, &v))
    return false;
  char port[8];
  const char *ap = v.authority + v.host_len;
  const char *end = v.authority + v.authority_len;
  if (ap < end && *ap == ':')
    snprintf(port, sizeof port, "%.*s", (int)(end - ap - 1), ap + 1);
  else
    snprintf(port, sizeof port, "%s", v.scheme_len == 5 ? "443" : "80");
  for (size_t i = 0; i < o->n_connect_to; i++) {
    const char *s = o->connect_to[i];
    if (!rule_fits(s, ip_version))
      continue;
    const char *p = s;
    if (*p == '[') {
      const char *close = strchr(p, ']');
      p = close ? close + 1 : p + strlen(p);
    } else {
      p += strcspn(p, ":");
    }
    size_t hlen = (size_t)(p - s);
    const char *rport = *p == ':' ? p + 1 : p;
    size_t plen = strcspn(rport, ":");
    bool host_ok = hlen == 0 || (hlen == v.host_len && strncasecmp(s, v.host, hlen) == 0);
    bool port_ok = plen == 0 || (plen == strlen(port) && strncmp(rport, port, plen) == 0);
    if (host_ok && port_ok)
      return true;
  }
  return false;
}

/* ---- one request ---- */

struct xfer {
  struct gw_buf body;
  bool too_large;
  bool keep; /* false for a redirect's body, which is read and dropped */
  bool checked;
  CURL *h;
};

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
  struct xfer *x = ud;
  size_t len = size * n;
  if (!x->checked) {
    x->checked = true;
    long code = 0;
    curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &code);
    x->keep = !(code >= 300 && code < 400);
  }
  if (!x->keep)
    return len;
  size_t room = x->body.max > x->body.len ? x->body.max - x->body.len : 0;
  if (len > room) {
    if (room)
      gw_buf_append(&x->body, p, room);
    x->too_large = true;
    return 0; /* stop the transfer: the cap is reached */
  }
  gw_buf_append(&x->body, p, len);
  return len;
}

static const char *header(CURL *h, const char *name)
{
  struct curl_header *hd = NULL;
  if (curl_easy_header(h, name, 0, CURLH_HEADER, -1, &hd) == CURLHE_OK && hd)
    return hd->value;
  return NULL;
}

static void sleep_ms(long ms)
{
  if (ms <= 0)
    return;
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0)
    ;
}

/* ---- TLS details (req.tls_info) ---- */

/* "Mar  1 12:00:00 2025 GMT" (OpenSSL's ASN1_TIME_print) as Unix seconds, 0
 * when it does not parse. */
static int64_t cert_time(const char *s)
{
  static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
  char mon[4] = "";
  int d, h, mi, se, y;
  if (sscanf(s, "%3s %d %d:%d:%d %d", mon, &d, &h, &mi, &se, &y) != 6)
    return 0;
  const char *m = strstr(months, mon);
  if (!m || strlen(mon) != 3 || (m - months) % 3 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
    return 0;
  return gw_days_from_civil(y, (int)((m - months) / 3) + 1, d) * 86400 + h * 3600 + mi * 60 + se;
}

static void tls_clear(struct gw_probe_tls *t)
{
  free(t->version);
  free(t->cipher);
  free(t->subject);
  free(t->issuer);
  free(t->san);
  memset(t, 0, sizeof *t);
}

/* libcurl's informational lines: OpenSSL's "SSL connection using TLSv1.3 /
 * TLS_AES_256_GCM_SHA384" names the protocol and cipher. */
static int on_debug(CURL *h, curl_infotype type, char *data, size_t size, void *ud)
{
  (void)h;
  struct gw_probe_tls *t = ud;
  static const char lead[] = "SSL connection using ";
  size_t ll = sizeof lead - 1;
  if (type != CURLINFO_TEXT || size <= ll || memcmp(data, lead, ll) != 0)
    return 0;
  const char *p = data + ll;
  size_t n = size - ll;
  while (n && (p[n - 1] == '\n' || p[n - 1] == '\r'))
    n--;
  const char *end = p + n;
  const char *slash = memchr(p, '/', n);
  const char *vend = slash ? slash : end;
  while (vend > p && vend[-1] == ' ')
    vend--;
  free(t->version);
  t->version = gw_strndup(p, (size_t)(vend - p));
  if (slash) {
    const char *c = slash + 1;
    while (c < end && *c == ' ')
      c++;
    free(t->cipher);
    t->cipher = gw_strndup(c, (size_t)(end - c));
  }
  return 0;
}

/* The leaf certificate of the session from CURLINFO_CERTINFO. */
static void read_certinfo(CURL *h, struct gw_probe_tls *t)
{
  struct curl_certinfo *ci = NULL;
  if (curl_easy_getinfo(h, CURLINFO_CERTINFO, &ci) != CURLE_OK || !ci || ci->num_of_certs <= 0)
    return;
  t->present = true;
  t->chain = ci->num_of_certs;
  for (struct curl_slist *l = ci->certinfo[0]; l; l = l->next) {
    const char *v = strchr(l->data, ':');
    if (!v)
      continue;
    size_t kl = (size_t)(v - l->data);
    v++;
    if (kl == 7 && strncmp(l->data, "Subject", 7) == 0 && !t->subject)
      t->subject = gw_strdup(v);
    else if (kl == 6 && strncmp(l->data, "Issuer", 6) == 0 && !t->issuer)
      t->issuer = gw_strdup(v);
    else if (kl == 10 && strncmp(l->data, "Start date", 10) == 0)
      t->not_before = cert_time(v);
    else if (kl == 11 && strncmp(l->data, "Expire date", 11) == 0)
      t->not_after = cert_time(v);
    else if (kl == 31 && strncmp(l->data, "X509v3 Subject Alternative Name", 31) == 0 && !t->san)
      t->san = gw_strdup(v);
  }
}

/* What one request gave. */
struct answer {
  CURLcode cc;
  long status;
  enum gw_fetch_error error; /* of the transfer itself (network), NONE when an answer came */
  char text[CURL_ERROR_SIZE + 64];
  char *content_type;
  char *location;
  long retry_after;
  int ms;
  char *ip;
  struct gw_probe_tls tls;
};

static void answer_clear(struct answer *a)
{
  free(a->content_type);
  free(a->location);
  free(a->ip);
  tls_clear(&a->tls);
  memset(a, 0, sizeof *a);
}

static void request(CURL *h, const struct gw_probe_opts *o, const struct gw_probe_req *r,
                    struct curl_slist *connect_to, struct curl_slist *hdrs, const char *url, bool head,
                    size_t cap, struct xfer *x, struct answer *a)
{
  char err[CURL_ERROR_SIZE];
  err[0] = '\0';
  curl_easy_reset(h);
  gw_buf_free(&x->body);
  gw_buf_init(&x->body, cap);
  x->too_large = false;
  x->keep = true;
  x->checked = false;
  x->h = h;
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_NOBODY, head ? 1L : 0L);
  curl_easy_setopt(h, CURLOPT_USERAGENT, r->user_agent ? r->user_agent : o->user_agent);
  curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, o->timeout_ms);
  curl_easy_setopt(h, CURLOPT_IPRESOLVE, r->ip_version == 4   ? (long)CURL_IPRESOLVE_V4
                                         : r->ip_version == 6 ? (long)CURL_IPRESOLVE_V6
                                                              : (long)CURL_IPRESOLVE_WHATEVER);
  if (connect_to)
    curl_easy_setopt(h, CURLOPT_CONNECT_TO, connect_to);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, x);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, err);
  if (o->ca_file)
    curl_easy_setopt(h, CURLOPT_CAINFO, o->ca_file);
  if (r->tls_no_verify) {
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (r->tls_info) {
    curl_easy_setopt(h, CURLOPT_CERTINFO, 1L);
    curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, on_debug);
    curl_easy_setopt(h, CURLOPT_DEBUGDATA, &a->tls);
    curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
  }
  a->cc = curl_easy_perform(h);
  if (r->tls_info)
    read_certinfo(h, &a->tls);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
  char *ct = NULL, *ip = NULL;
  curl_off_t tt = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &a->status);
  curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &ct);
  curl_easy_getinfo(h, CURLINFO_PRIMARY_IP, &ip);
  curl_easy_getinfo(h, CURLINFO_TOTAL_TIME_T, &tt);
  a->content_type = ct && *ct ? gw_strdup(ct) : NULL;
  a->ip = ip && *ip ? gw_strdup(ip) : NULL;
  a->ms = (int)(tt / 1000 > 2000000000 ? 2000000000 : tt / 1000);
  bool ours = a->cc == CURLE_WRITE_ERROR && x->too_large;
  a->error = (a->cc == CURLE_OK || ours) ? GW_FE_NONE : gw_fetch_error_from_curl(a->cc);
  snprintf(a->text, sizeof a->text, "%s", err[0] ? err : curl_easy_strerror(a->cc));
  a->retry_after = -1;
  if (a->error == GW_FE_NONE && a->status) {
    const char *loc = header(h, "Location");
    a->location = loc ? gw_strdup(loc) : NULL;
    const char *ra = header(h, "Retry-After");
    long secs;
    if (ra && gw_retry_after_parse(ra, gw_now(), &secs))
      a->retry_after = secs;
  }
}

static void chain_add(json_t **chain, const char *url, long status, const char *loc)
{
  if (!*chain)
    *chain = json_array();
  json_t *hop = json_object();
  json_object_set_new(hop, "url", json_string(url));
  json_object_set_new(hop, "status", json_integer(status));
  json_object_set_new(hop, "location", loc ? json_string(loc) : json_null());
  json_array_append_new(*chain, hop);
}

/* The wait after try `tries` failed: base * 2^(tries-1), at most
 * GW_PROBE_MAX_WAIT_MS. No jitter: a probe is one request, not a crowd. */
static long backoff(const struct gw_probe_opts *o, int tries)
{
  long w = o->retry_base_ms;
  for (int i = 1; i < tries && w < GW_PROBE_MAX_WAIT_MS; i++)
    w *= 2;
  return w < GW_PROBE_MAX_WAIT_MS ? w : GW_PROBE_MAX_WAIT_MS;
}

static bool seen_has(const struct gw_strv *seen, const char *url)
{
  for (size_t i = 0; i < seen->n; i++)
    if (strcmp(seen->v[i], url) == 0)
      return true;
  return false;
}

int gw_probe_fetch(const struct gw_probe_opts *o, const struct gw_probe_req *r, struct gw_probe_result *out)
{
  if (!o || !r || !out || !r->url)
    return gw_err_set(GW_EINVAL, "probe: missing argument");
  if (r->ip_version != 0 && r->ip_version != 4 && r->ip_version != 6)
    return gw_err_set(GW_EINVAL, "probe %s: IP version %d (expected 0, 4 or 6)", r->url, r->ip_version);
  int attempts = r->attempts ? r->attempts : o->attempts;
  if (attempts < 1 || attempts > 100)
    return gw_err_set(GW_EINVAL, "probe %s: %d attempts (expected 1 to 100)", r->url, attempts);
  if (o->timeout_ms <= 0 || o->connect_timeout_ms <= 0 || o->retry_base_ms < 0)
    return gw_err_set(GW_EINVAL, "probe %s: timeouts must be positive", r->url);
  size_t cap = r->max_body ? r->max_body : o->max_body;
  if (cap == 0)
    return gw_err_set(GW_EINVAL, "probe %s: a body cap of 0 bytes", r->url);
  char *cur = NULL;
  int rc = gw_url_normalize(NULL, r->url, &cur);
  if (rc != GW_OK)
    return gw_err_prefix(rc, "probe");
  pthread_once(&g_curl_once, curl_init_once);
  if (g_curl_init != CURLE_OK) {
    free(cur);
    return gw_err_set(GW_ENOMEM, "probe %s: libcurl cannot start: %s", r->url, curl_easy_strerror(g_curl_init));
  }
  CURL *h = curl_easy_init();
  if (!h) {
    free(cur);
    return gw_err_set(GW_ENOMEM, "probe %s: cannot create a libcurl handle", r->url);
  }
  struct curl_slist *connect_to = NULL, *hdrs = NULL;
  for (size_t i = 0; i < o->n_connect_to; i++)
    if (rule_fits(o->connect_to[i], r->ip_version))
      connect_to = curl_slist_append(connect_to, o->connect_to[i]);
  hdrs = curl_slist_append(hdrs, "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
  hdrs = curl_slist_append(hdrs, "Accept-Language: zh-CN,zh;q=0.9,en;q=0.5");

  struct gw_probe_result res;
  memset(&res, 0, sizeof res);
  res.url = gw_strdup(cur);
  res.retry_after = -1;
  struct xfer x;
  memset(&x, 0, sizeof x);
  struct answer a;
  memset(&a, 0, sizeof a);
  struct gw_strv seen = {0};
  json_t *chain = NULL;
  bool head = r->head, fell_back = false;
  int tries = 0;    /* of the current hop */
  long status = 0;
  enum gw_fetch_error fe = GW_FE_NONE;
  char *text = NULL;

  for (;;) {
    answer_clear(&a);
    /* a host mapped only to addresses of the other family has no address
     * of this one: no look-up (the mapping stands for the host's DNS) */
    bool other_family = r->ip_version && mapped(o, cur, 0) && !mapped(o, cur, r->ip_version);
    if ((o->mapped_only && !mapped(o, cur, 0)) || other_family) {
      char t[400];
      if (other_family)
        snprintf(t, sizeof t, "host of %.300s is mapped by network.connect_to to no IPv%d address", cur,
                 r->ip_version);
      else
        snprintf(t, sizeof t, "host of %.300s is not mapped by network.connect_to (network.mapped_only)", cur);
      res.attempts++;
      status = 0;
      fe = GW_FE_DNS;
      text = gw_strdup(t);
      gw_buf_reset(&x.body);
      break;
    }
    tries++;
    res.attempts++;
    request(h, o, r, connect_to, hdrs, cur, head, cap, &x, &a);
    res.total_ms += a.ms;
    if (a.error != GW_FE_NONE) {
      if (head && !fell_back && (a.error == GW_FE_RESET || a.error == GW_FE_PROTOCOL || a.error == GW_FE_OTHER)) {
        head = false; /* some servers cannot answer HEAD */
        fell_back = true;
        continue;
      }
      if (gw_fetch_error_transient(a.error) && tries < attempts) {
        sleep_ms(backoff(o, tries));
        continue;
      }
      status = a.status;
      fe = a.error;
      text = gw_strdup(a.text);
      gw_buf_reset(&x.body);
      break;
    }
    status = a.status;
    if (a.retry_after >= 0)
      res.retry_after = a.retry_after;
    if ((status == 301 || status == 302 || status == 303 || status == 307 || status == 308) && !r->no_follow) {
      chain_add(&chain, cur, status, a.location);
      res.redirects++;
      char t[700];
      char *next = NULL;
      if (!a.location || !*a.location) {
        snprintf(t, sizeof t, "%ld answer without a Location header", status);
        fe = GW_FE_BAD_REDIRECT;
      } else if (gw_url_normalize(cur, a.location, &next) != GW_OK) {
        snprintf(t, sizeof t, "redirect to an unusable Location: %s", gw_err_msg());
        gw_err_clear();
        fe = GW_FE_BAD_REDIRECT;
      } else {
        gw_strv_push(&seen, cur);
        if (seen_has(&seen, next)) {
          snprintf(t, sizeof t, "redirect loop: %.600s comes back", next);
          fe = GW_FE_REDIRECT_LOOP;
        } else if (res.redirects > GW_PROBE_MAX_REDIRECTS) {
          snprintf(t, sizeof t, "more than %d redirects", GW_PROBE_MAX_REDIRECTS);
          fe = GW_FE_TOO_MANY_REDIRECTS;
        }
        free(cur);
        cur = next;
      }
      if (fe != GW_FE_NONE) {
        text = gw_strdup(t);
        gw_buf_reset(&x.body);
        break;
      }
      tries = 0; /* each hop has its own tries */
      continue;
    }
    if (head && !fell_back && status >= 400 && status != 404 && status != 410 && !gw_fetch_status_transient(status)) {
      head = false; /* 405, 501 and other refusals of HEAD: the GET answer decides */
      fell_back = true;
      continue;
    }
    if (gw_fetch_status_transient(status) && tries < attempts) {
      long wait = backoff(o, tries);
      if (a.retry_after >= 0 && a.retry_after * 1000 > wait)
        wait = a.retry_after * 1000;
      if (wait <= GW_PROBE_MAX_WAIT_MS) {
        sleep_ms(wait);
        continue;
      }
    }
    if (x.too_large)
      fe = GW_FE_TOO_LARGE;
    else if (status == 403 || status == 429)
      fe = GW_FE_BLOCKED;
    else if (status >= 400)
      fe = GW_FE_HTTP;
    else if (status < 200)
      fe = GW_FE_PROTOCOL;
    if (fe == GW_FE_TOO_LARGE) {
      char t[160];
      snprintf(t, sizeof t, "body larger than %zu bytes; kept cut at the cap", cap);
      text = gw_strdup(t);
    } else if (fe != GW_FE_NONE) {
      char t[64];
      snprintf(t, sizeof t, "HTTP %ld", status);
      text = gw_strdup(t);
    }
    break;
  }

  res.status = (int)status;
  res.error = fe;
  res.error_text = text;
  res.method = gw_strdup(head ? "HEAD" : "GET");
  if (res.redirects) {
    res.final_url = gw_strdup(cur);
    res.redirect_chain = json_dumps(chain, JSON_COMPACT);
  }
  res.content_type = a.content_type;
  a.content_type = NULL;
  res.ip = a.ip;
  a.ip = NULL;
  res.ip_family = res.ip ? (strchr(res.ip, ':') ? 6 : 4) : 0;
  res.elapsed_ms = a.ms;
  res.tls = a.tls;
  memset(&a.tls, 0, sizeof a.tls);
  if (!res.tls.present && !res.tls.version)
    tls_clear(&res.tls);
  res.body_truncated = x.too_large && fe == GW_FE_TOO_LARGE;
  res.body_len = x.body.len;
  res.body = x.body.data ? gw_buf_steal(&x.body) : gw_strdup("");
  res.fetched_at = gw_now();
  *out = res;

  answer_clear(&a);
  gw_buf_free(&x.body);
  gw_strv_free(&seen);
  json_decref(chain);
  curl_slist_free_all(connect_to);
  curl_slist_free_all(hdrs);
  curl_easy_cleanup(h);
  free(cur);
  return GW_OK;
}
