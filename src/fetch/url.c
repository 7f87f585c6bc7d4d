/* URL normalisation (over libcurl's URL API), scope and trap heuristics. */
#include "fetch/url.h"

#include <curl/curl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/str.h"
#include "core/utf8.h"

/* How much of an offending reference a message quotes. */
#define QUOTE 160

/* ---- percent-encoding ---- */

static bool is_hex(char c)
{
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int hex_val(char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return c - 'A' + 10;
}

static bool unreserved(unsigned char c)
{
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

/* Bytes that must not appear raw in a URL (RFC 3986 plus what browsers
 * escape): controls, space, DEL, non-ASCII and " < > \ ^ ` { | }. */
static bool must_escape(unsigned char c)
{
  return c <= 0x20 || c >= 0x7F || c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' || c == '`' ||
         c == '{' || c == '|' || c == '}';
}

static void put_escape(struct gw_buf *b, unsigned char c)
{
  static const char hex[] = "0123456789ABCDEF";
  char e[3] = {'%', hex[c >> 4], hex[c & 15]};
  gw_buf_append(b, e, 3);
}

/* Append s with its percent-encoding made consistent (see url.h). */
static void pct_norm(struct gw_buf *b, const char *s)
{
  for (const char *p = s; *p; p++) {
    unsigned char c = (unsigned char)*p;
    if (c == '%' && is_hex(p[1]) && is_hex(p[2])) {
      unsigned char v = (unsigned char)(hex_val(p[1]) * 16 + hex_val(p[2]));
      if (unreserved(v))
        gw_buf_putc(b, (char)v);
      else
        put_escape(b, v);
      p += 2;
    } else if (c == '%' || must_escape(c)) {
      put_escape(b, c);
    } else {
      gw_buf_putc(b, (char)c);
    }
  }
}

char *gw_url_pct_normalize(const char *s, size_t len)
{
  char *tmp = gw_strndup(s, len);
  struct gw_buf b = GW_BUF_INIT;
  gw_buf_puts(&b, "");
  pct_norm(&b, tmp);
  free(tmp);
  return gw_buf_steal(&b);
}

/* ---- normalisation ---- */

/* A host CURLU accepted: an IPv6 literal in brackets, or letters, digits,
 * '-', '_' and '.', where non-ASCII (an internationalised name, kept as
 * written) must be well-formed UTF-8. CURLU lets arbitrary bytes through. */
static bool host_ok(const char *h, size_t len)
{
  if (h[0] == '[')
    return h[len - 1] == ']';
  if (!gw_utf8_valid(h, len))
    return false;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)h[i];
    if (c >= 0x80)
      continue;
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
      return false;
  }
  return true;
}

/* What a browser does to an href before parsing it: leading and trailing
 * C0 controls and spaces go, tabs and newlines anywhere go, and a backslash
 * before the query or fragment is a slash. */
static char *clean_ref(const char *ref)
{
  size_t len = strlen(ref);
  while (len > 0 && (unsigned char)ref[len - 1] <= 0x20)
    len--;
  while (len > 0 && (unsigned char)*ref <= 0x20) {
    ref++;
    len--;
  }
  char *out = gw_malloc(len + 1);
  size_t n = 0;
  bool in_path = true;
  for (size_t i = 0; i < len; i++) {
    char c = ref[i];
    if (c == '\t' || c == '\n' || c == '\r')
      continue;
    if (c == '?' || c == '#')
      in_path = false;
    out[n++] = (in_path && c == '\\') ? '/' : c;
  }
  out[n] = '\0';
  return out;
}

/* Parse `s` (absolute, or relative to what u already holds) into u. */
static int set_url(CURLU *u, const char *s, const char *ref)
{
  CURLUcode rc = curl_url_set(u, CURLUPART_URL, s, CURLU_ALLOW_SPACE | CURLU_NON_SUPPORT_SCHEME);
  if (rc != CURLUE_OK)
    return gw_err_set(GW_EINVAL, "'%.*s': not a usable URL (%s)", QUOTE, ref, curl_url_strerror(rc));
  return GW_OK;
}

/* One pass: read the parts CURLU parsed and write the normalised form. */
static int rebuild(CURLU *u, const char *ref, char **out)
{
  char *scheme = NULL, *host = NULL, *port = NULL, *path = NULL, *query = NULL, *user = NULL, *pass = NULL;
  struct gw_buf b = GW_BUF_INIT;
  int rc = GW_OK;
  if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK) {
    rc = gw_err_set(GW_EINVAL, "'%.*s': a relative URL without a base", QUOTE, ref);
    goto done;
  }
  gw_str_lower(scheme);
  if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0) {
    rc = gw_err_set(GW_EINVAL, "'%.*s': scheme '%.*s' is not http or https", QUOTE, ref, 20, scheme);
    goto done;
  }
  if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK || !*host) {
    rc = gw_err_set(GW_EINVAL, "'%.*s': the URL has no host", QUOTE, ref);
    goto done;
  }
  gw_str_lower(host);
  size_t hl = strlen(host);
  while (hl > 0 && host[hl - 1] == '.')
    host[--hl] = '\0';
  if (!hl) {
    rc = gw_err_set(GW_EINVAL, "'%.*s': the URL has no host", QUOTE, ref);
    goto done;
  }
  if (!host_ok(host, hl)) {
    rc = gw_err_set(GW_EINVAL, "'%.*s': '%.*s' is not a host name", QUOTE, ref, QUOTE, host);
    goto done;
  }
  curl_url_get(u, CURLUPART_PORT, &port, 0);
  if (port && ((strcmp(scheme, "http") == 0 && strcmp(port, "80") == 0) ||
               (strcmp(scheme, "https") == 0 && strcmp(port, "443") == 0))) {
    curl_free(port);
    port = NULL;
  }
  curl_url_get(u, CURLUPART_USER, &user, 0);
  curl_url_get(u, CURLUPART_PASSWORD, &pass, 0);
  curl_url_get(u, CURLUPART_PATH, &path, 0);
  curl_url_get(u, CURLUPART_QUERY, &query, 0);

  gw_buf_puts(&b, scheme);
  gw_buf_puts(&b, "://");
  if (user) {
    pct_norm(&b, user);
    if (pass) {
      gw_buf_putc(&b, ':');
      pct_norm(&b, pass);
    }
    gw_buf_putc(&b, '@');
  }
  gw_buf_puts(&b, host);
  if (port) {
    gw_buf_putc(&b, ':');
    gw_buf_puts(&b, port);
  }
  if (!path || !*path)
    gw_buf_putc(&b, '/');
  else
    pct_norm(&b, path);
  if (query && *query) {
    gw_buf_putc(&b, '?');
    pct_norm(&b, query);
  }
  *out = gw_buf_steal(&b);
done:
  curl_free(scheme);
  curl_free(host);
  curl_free(port);
  curl_free(path);
  curl_free(query);
  curl_free(user);
  curl_free(pass);
  gw_buf_free(&b);
  return rc;
}

int gw_url_normalize(const char *base, const char *ref, char **out)
{
  if (!ref)
    return gw_err_set(GW_EINVAL, "no URL given");
  if (strlen(ref) > GW_URL_MAX)
    return gw_err_set(GW_ELIMIT, "'%.*s...': URL longer than %d bytes", QUOTE, ref, GW_URL_MAX);
  CURLU *u = curl_url();
  if (!u)
    return gw_err_set(GW_ENOMEM, "out of memory (curl_url)");
  char *clean = clean_ref(ref), *cur = NULL;
  int rc = GW_OK;
  if (base && (rc = set_url(u, base, base)) != GW_OK)
    goto done;
  /* An empty reference or a bare fragment is the base document itself
   * (RFC 3986 5.2.2); CURLU would resolve "" to the base's directory. */
  if (base && (!*clean || *clean == '#')) {
    if ((rc = rebuild(u, base, &cur)) != GW_OK)
      goto done;
  } else if ((rc = set_url(u, clean, ref)) != GW_OK || (rc = rebuild(u, ref, &cur)) != GW_OK) {
    goto done;
  }
  /* Decoding %2E can make new dot segments and CURLU may read the rebuilt
   * string slightly differently; parse again until the text is stable, so
   * the result is a fixed point. Two rounds settle every case we know; the
   * bound only guards against a loop. */
  for (int round = 0; round < 4; round++) {
    char *next = NULL;
    if ((rc = set_url(u, cur, ref)) != GW_OK || (rc = rebuild(u, ref, &next)) != GW_OK)
      goto done;
    bool same = strcmp(next, cur) == 0;
    free(cur);
    cur = next;
    if (same)
      break;
    if (round == 3) {
      rc = gw_err_set(GW_EINVAL, "'%.*s': the URL does not settle to one normal form", QUOTE, ref);
      goto done;
    }
  }
  if (strlen(cur) > GW_URL_MAX) {
    rc = gw_err_set(GW_ELIMIT, "'%.*s...': URL longer than %d bytes once normalised", QUOTE, ref, GW_URL_MAX);
    goto done;
  }
  *out = cur;
  cur = NULL;
done:
  free(cur);
  free(clean);
  curl_url_cleanup(u);
  return rc;
}

/* ---- views ---- */

bool gw_url_view(const char *url, struct gw_url_view *v)
{
  const char *sep = strstr(url, "://");
  if (!sep || sep == url)
    return false;
  memset(v, 0, sizeof *v);
  v->scheme = url;
  v->scheme_len = (size_t)(sep - url);
  const char *a = sep + 3;
  size_t alen = strcspn(a, "/?#");
  const char *at = memchr(a, '@', alen);
  if (at) {
    alen -= (size_t)(at + 1 - a);
    a = at + 1;
  }
  if (!alen)
    return false;
  v->authority = a;
  v->authority_len = alen;
  v->host = a;
  if (*a == '[') {
    const char *close = memchr(a, ']', alen);
    if (!close)
      return false;
    v->host_len = (size_t)(close + 1 - a);
  } else {
    const char *colon = memchr(a, ':', alen);
    v->host_len = colon ? (size_t)(colon - a) : alen;
  }
  const char *p = a + alen;
  if (*p != '/')
    return false;
  v->path = p;
  v->path_len = strcspn(p, "?#");
  p += v->path_len;
  if (*p == '?') {
    v->query = p + 1;
    v->query_len = strcspn(p + 1, "#");
  }
  return true;
}

bool gw_url_host(const char *url, char *buf, size_t size)
{
  struct gw_url_view v;
  if (!gw_url_view(url, &v) || v.host_len >= size)
    return false;
  memcpy(buf, v.host, v.host_len);
  buf[v.host_len] = '\0';
  return true;
}

/* ---- scope ---- */

static void scope_add_host(struct gw_scope *sc, const char *h)
{
  for (size_t i = 0; i < sc->n_hosts; i++)
    if (strcmp(sc->hosts[i], h) == 0)
      return;
  sc->hosts = gw_reallocarray(sc->hosts, sc->n_hosts + 1, sizeof *sc->hosts);
  sc->hosts[sc->n_hosts++] = gw_strdup(h);
}

/* Add host h and its www./bare twin. */
static void scope_add_pair(struct gw_scope *sc, const char *h)
{
  scope_add_host(sc, h);
  if (gw_str_starts(h, "www.") && strchr(h + 4, '.')) {
    scope_add_host(sc, h + 4);
  } else if (h[0] != '[' && strchr(h, '.')) {
    char twin[300];
    if ((size_t)snprintf(twin, sizeof twin, "www.%s", h) < sizeof twin)
      scope_add_host(sc, twin);
  }
}

int gw_scope_init(struct gw_scope *sc, const char *site_url, const char *const *aliases, size_t n_aliases)
{
  struct gw_scope s = {0};
  char *norm = NULL;
  char host[300];
  struct gw_url_view v;
  int rc = gw_url_normalize(NULL, site_url, &norm);
  if (rc != GW_OK)
    return gw_err_prefix(rc, "site URL");
  if (!gw_url_view(norm, &v) || !gw_url_host(norm, host, sizeof host)) {
    rc = gw_err_set(GW_EINVAL, "site URL '%.*s': cannot read its host", QUOTE, site_url);
    goto fail;
  }
  scope_add_pair(&s, host);
  for (size_t i = 0; i < n_aliases; i++) {
    if (gw_str_empty(aliases[i]))
      continue;
    char *an = NULL;
    char *withscheme = NULL;
    struct gw_buf b = GW_BUF_INIT;
    gw_buf_printf(&b, "http://%s/", aliases[i]);
    withscheme = gw_buf_steal(&b);
    rc = gw_url_normalize(NULL, withscheme, &an);
    free(withscheme);
    if (rc == GW_OK && !gw_url_host(an, host, sizeof host))
      rc = GW_EINVAL;
    free(an);
    if (rc != GW_OK) {
      rc = gw_err_set(GW_EINVAL, "alias host '%.*s' is not a host name", QUOTE, aliases[i]);
      goto fail;
    }
    scope_add_pair(&s, host);
  }
  /* the registered path's directory */
  const char *last = v.path;
  for (size_t i = 0; i < v.path_len; i++)
    if (v.path[i] == '/')
      last = v.path + i;
  const char *seg = last + 1;
  size_t seg_len = (size_t)(v.path + v.path_len - seg);
  struct gw_buf pb = GW_BUF_INIT;
  gw_buf_append(&pb, v.path, (size_t)(seg - v.path));
  if (seg_len && !memchr(seg, '.', seg_len)) {
    gw_buf_append(&pb, seg, seg_len);
    gw_buf_putc(&pb, '/');
  }
  s.prefix = gw_buf_steal(&pb);
  free(norm);
  *sc = s;
  return GW_OK;
fail:
  free(norm);
  gw_scope_free(&s);
  return rc;
}

bool gw_scope_has_host(const struct gw_scope *sc, const char *host)
{
  for (size_t i = 0; i < sc->n_hosts; i++)
    if (strcmp(sc->hosts[i], host) == 0)
      return true;
  return false;
}

enum gw_scope_kind gw_scope_of(const struct gw_scope *sc, const char *url)
{
  struct gw_url_view v;
  char host[300];
  if (!gw_url_view(url, &v) || v.host_len >= sizeof host)
    return GW_SCOPE_EXTERNAL;
  if (!((v.scheme_len == 4 && memcmp(v.scheme, "http", 4) == 0) ||
        (v.scheme_len == 5 && memcmp(v.scheme, "https", 5) == 0)))
    return GW_SCOPE_EXTERNAL;
  memcpy(host, v.host, v.host_len);
  host[v.host_len] = '\0';
  if (!gw_scope_has_host(sc, host))
    return GW_SCOPE_EXTERNAL;
  size_t pl = strlen(sc->prefix);
  if (v.path_len >= pl && memcmp(v.path, sc->prefix, pl) == 0)
    return GW_SCOPE_INTERNAL;
  /* "/sub" itself belongs to the prefix "/sub/" */
  if (v.path_len + 1 == pl && memcmp(v.path, sc->prefix, v.path_len) == 0)
    return GW_SCOPE_INTERNAL;
  return GW_SCOPE_OUTSIDE;
}

void gw_scope_free(struct gw_scope *sc)
{
  for (size_t i = 0; i < sc->n_hosts; i++)
    free(sc->hosts[i]);
  free(sc->hosts);
  free(sc->prefix);
  memset(sc, 0, sizeof *sc);
}

/* ---- traps: path ---- */

/* A component of a URL: a path segment or a query parameter. */
struct comp {
  const char *s;
  size_t len;
};

/* Up to `max` non-empty-or-empty segments of the path (between slashes). */
static size_t split(const char *s, size_t len, char sep, struct comp *out, size_t max)
{
  size_t n = 0;
  const char *p = s, *end = s + len;
  while (p <= end && n < max) {
    const char *q = memchr(p, sep, (size_t)(end - p));
    if (!q)
      q = end;
    out[n].s = p;
    out[n].len = (size_t)(q - p);
    n++;
    p = q + 1;
  }
  return n;
}

bool gw_url_trap_path(const char *url, char *why, size_t size)
{
  struct gw_url_view v;
  if (strlen(url) > GW_TRAP_MAX_URL) {
    snprintf(why, size, "URL longer than %d bytes", GW_TRAP_MAX_URL);
    return true;
  }
  if (!gw_url_view(url, &v))
    return false;
  struct comp seg[GW_TRAP_MAX_SEGMENTS + 2];
  /* skip the leading '/' */
  size_t n = split(v.path + 1, v.path_len - 1, '/', seg, GW_TRAP_MAX_SEGMENTS + 2);
  if (n > GW_TRAP_MAX_SEGMENTS) {
    snprintf(why, size, "more than %d path segments", GW_TRAP_MAX_SEGMENTS);
    return true;
  }
  for (size_t i = 0; i < n; i++) {
    if (!seg[i].len)
      continue;
    unsigned count = 1;
    for (size_t j = i + 1; j < n; j++)
      if (seg[j].len == seg[i].len && memcmp(seg[j].s, seg[i].s, seg[i].len) == 0)
        count++;
    if (count >= GW_TRAP_SEGMENT_REPEAT) {
      snprintf(why, size, "path segment '%.*s' repeats %u times", (int)(seg[i].len > 60 ? 60 : seg[i].len),
               seg[i].s, count);
      return true;
    }
  }
  return false;
}

/* ---- traps: calendars ---- */

static bool all_digits(const char *s, size_t len)
{
  if (!len)
    return false;
  for (size_t i = 0; i < len; i++)
    if (s[i] < '0' || s[i] > '9')
      return false;
  return true;
}

static int num(const char *s, size_t len)
{
  int v = 0;
  for (size_t i = 0; i < len; i++)
    v = v * 10 + (s[i] - '0');
  return v;
}

static bool is_year(const char *s, size_t len)
{
  return len == 4 && all_digits(s, 4) && s[0] != '0';
}

/* 2025-03, 2025.3.12, 2025_03, 2025/03/12 (a '/' only inside a query value). */
static bool sep_date(const char *s, size_t len)
{
  if (len < 6 || !is_year(s, 4))
    return false;
  char sep = s[4];
  if (sep != '-' && sep != '.' && sep != '_' && sep != '/')
    return false;
  const char *p = s + 5, *end = s + len;
  int parts[2], np = 0;
  while (p < end && np < 2) {
    const char *q = p;
    while (q < end && *q >= '0' && *q <= '9')
      q++;
    size_t l = (size_t)(q - p);
    if (l < 1 || l > 2)
      return false;
    parts[np++] = num(p, l);
    p = q;
    if (p < end) {
      if (*p != sep || np == 2)
        return false;
      p++;
      if (p == end)
        return false;
    }
  }
  if (p != end || np == 0)
    return false;
  if (parts[0] < 1 || parts[0] > 12)
    return false;
  return np == 1 || (parts[1] >= 1 && parts[1] <= 31);
}

/* 202503 or 20250312. */
static bool compact_date(const char *s, size_t len)
{
  if ((len != 6 && len != 8) || !all_digits(s, len) || s[0] == '0')
    return false;
  int m = num(s + 4, 2);
  if (m < 1 || m > 12)
    return false;
  return len == 6 || (num(s + 6, 2) >= 1 && num(s + 6, 2) <= 31);
}

static bool date_key(const char *k, size_t len)
{
  char low[32];
  if (!len || len >= sizeof low)
    return false;
  for (size_t i = 0; i < len; i++)
    low[i] = (char)((k[i] >= 'A' && k[i] <= 'Z') ? k[i] + 32 : k[i]);
  low[len] = '\0';
  static const char *const exact[] = {"y", "m", "d", "ym", "ymd", "yyyy", "mm", "dd", "yyyymm", "yyyymmdd"};
  for (size_t i = 0; i < sizeof exact / sizeof *exact; i++)
    if (strcmp(low, exact[i]) == 0)
      return true;
  return strstr(low, "date") || strstr(low, "year") || strstr(low, "month") || strstr(low, "day");
}

static bool dateish_query(const struct comp *c)
{
  const char *eq = memchr(c->s, '=', c->len);
  if (!eq)
    return false;
  size_t kl = (size_t)(eq - c->s);
  const char *v = eq + 1;
  size_t vl = c->len - kl - 1;
  /* an escaped separator ("2025%2F03") reads as the plain one */
  char buf[64];
  size_t bl = 0;
  for (size_t i = 0; i < vl && bl < sizeof buf; i++) {
    if (v[i] == '%' && i + 2 < vl && is_hex(v[i + 1]) && is_hex(v[i + 2])) {
      buf[bl++] = (char)(hex_val(v[i + 1]) * 16 + hex_val(v[i + 2]));
      i += 2;
    } else {
      buf[bl++] = v[i];
    }
  }
  if (bl >= sizeof buf)
    return false;
  if (sep_date(buf, bl))
    return true;
  return date_key(c->s, kl) && bl <= 8 && all_digits(buf, bl);
}

static bool dateish_segment(const struct comp *seg, size_t i, size_t n)
{
  const struct comp *c = &seg[i];
  if (sep_date(c->s, c->len) || compact_date(c->s, c->len))
    return true;
  bool small = c->len >= 1 && c->len <= 2 && all_digits(c->s, c->len);
  if (small && i > 0 && is_year(seg[i - 1].s, seg[i - 1].len))
    return true;
  if (is_year(c->s, c->len) && i + 1 < n && seg[i + 1].len >= 1 && seg[i + 1].len <= 2 &&
      all_digits(seg[i + 1].s, seg[i + 1].len))
    return true;
  return false;
}

static bool comp_eq(const struct comp *a, const struct comp *b)
{
  return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
}

#define CAL_MAX 64

bool gw_url_calendar_step(const char *from, const char *to)
{
  struct gw_url_view a, b;
  if (!gw_url_view(from, &a) || !gw_url_view(to, &b))
    return false;
  if (a.authority_len != b.authority_len || memcmp(a.authority, b.authority, a.authority_len) != 0)
    return false;
  struct comp sa[CAL_MAX], sb[CAL_MAX];
  size_t na = split(a.path + 1, a.path_len - 1, '/', sa, CAL_MAX);
  size_t nb = split(b.path + 1, b.path_len - 1, '/', sb, CAL_MAX);
  if (na != nb || na == CAL_MAX)
    return false;
  bool differ = false;
  for (size_t i = 0; i < na; i++) {
    if (comp_eq(&sa[i], &sb[i]))
      continue;
    if (!dateish_segment(sa, i, na) || !dateish_segment(sb, i, nb))
      return false;
    differ = true;
  }
  if (!a.query != !b.query)
    return false;
  if (a.query) {
    struct comp qa[CAL_MAX], qb[CAL_MAX];
    size_t ma = split(a.query, a.query_len, '&', qa, CAL_MAX);
    size_t mb = split(b.query, b.query_len, '&', qb, CAL_MAX);
    if (ma != mb || ma == CAL_MAX)
      return false;
    for (size_t i = 0; i < ma; i++) {
      if (comp_eq(&qa[i], &qb[i]))
        continue;
      const char *ea = memchr(qa[i].s, '=', qa[i].len), *eb = memchr(qb[i].s, '=', qb[i].len);
      size_t ka = ea ? (size_t)(ea - qa[i].s) : qa[i].len, kb = eb ? (size_t)(eb - qb[i].s) : qb[i].len;
      if (ka != kb || memcmp(qa[i].s, qb[i].s, ka) != 0)
        return false; /* a different key: another shape */
      if (!dateish_query(&qa[i]) || !dateish_query(&qb[i]))
        return false;
      differ = true;
    }
  }
  return differ;
}

/* ---- traps: query permutations and variants ---- */

static int comp_cmp(const void *x, const void *y)
{
  const struct comp *a = x, *b = y;
  size_t n = a->len < b->len ? a->len : b->len;
  int c = memcmp(a->s, b->s, n);
  if (c)
    return c;
  return a->len < b->len ? -1 : a->len > b->len;
}

char *gw_url_query_key(const char *url)
{
  struct gw_url_view v;
  if (!gw_url_view(url, &v) || !v.query)
    return NULL;
  size_t cap = 1;
  for (size_t i = 0; i < v.query_len; i++)
    cap += v.query[i] == '&';
  if (cap < 2)
    return NULL;
  struct comp *q = gw_calloc(cap, sizeof *q);
  size_t n = split(v.query, v.query_len, '&', q, cap);
  qsort(q, n, sizeof *q, comp_cmp);
  struct gw_buf b = GW_BUF_INIT;
  gw_buf_append(&b, v.authority, v.authority_len);
  gw_buf_append(&b, v.path, v.path_len);
  gw_buf_putc(&b, '?');
  for (size_t i = 0; i < n; i++) {
    if (i)
      gw_buf_putc(&b, '&');
    gw_buf_append(&b, q[i].s, q[i].len);
  }
  free(q);
  return gw_buf_steal(&b);
}

/* authority + path of a URL with a query, or NULL. */
static char *variant_key(const char *url)
{
  struct gw_url_view v;
  if (!gw_url_view(url, &v) || !v.query)
    return NULL;
  struct gw_buf b = GW_BUF_INIT;
  gw_buf_append(&b, v.authority, v.authority_len);
  gw_buf_append(&b, v.path, v.path_len);
  return gw_buf_steal(&b);
}

void gw_traps_init(struct gw_traps *t, unsigned calendar_depth, unsigned query_variants)
{
  memset(t, 0, sizeof *t);
  t->calendar_depth = calendar_depth;
  t->query_variants = query_variants;
}

void gw_traps_free(struct gw_traps *t)
{
  for (size_t i = 0; i < t->perm.cap; i++)
    if (t->perm.slots[i].key)
      free(t->perm.slots[i].val);
  gw_map_free(&t->perm);
  gw_map_free(&t->variants);
}

bool gw_traps_check(const struct gw_traps *t, const char *from, unsigned from_depth, const char *url,
                    unsigned *depth_out, char *why, size_t size)
{
  if (gw_url_trap_path(url, why, size))
    return false;
  unsigned depth = 0;
  if (from && gw_url_calendar_step(from, url)) {
    depth = from_depth + 1;
    if (t->calendar_depth && depth > t->calendar_depth) {
      snprintf(why, size, "calendar: more than %u date steps in a row (from %.300s)", t->calendar_depth, from);
      return false;
    }
  }
  char *key = gw_url_query_key(url);
  if (key) {
    const char *other = gw_map_get(&t->perm, key);
    free(key);
    if (other && strcmp(other, url) != 0) {
      snprintf(why, size, "query permutation of %.600s", other);
      return false;
    }
  }
  char *vk = variant_key(url);
  if (vk) {
    uintptr_t n = (uintptr_t)gw_map_get(&t->variants, vk);
    if (t->query_variants && n >= t->query_variants) {
      snprintf(why, size, "more than %u query variants of %.600s", t->query_variants, vk);
      free(vk);
      return false;
    }
    free(vk);
  }
  *depth_out = depth;
  return true;
}

void gw_traps_note(struct gw_traps *t, const char *url)
{
  char *key = gw_url_query_key(url);
  if (key) {
    if (!gw_map_has(&t->perm, key))
      gw_map_put(&t->perm, key, gw_strdup(url));
    free(key);
  }
  char *vk = variant_key(url);
  if (vk) {
    uintptr_t n = (uintptr_t)gw_map_get(&t->variants, vk);
    gw_map_put(&t->variants, vk, (void *)(n + 1));
    free(vk);
  }
}
