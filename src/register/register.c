/* Validation and references of the register (see register.h). */
#include "register/register.h"

#include <ctype.h>
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/utf8.h"

/* The rule texts users read, in one place. */
#define MSG_SITE_CODE "网站标识码 must be 10 digits starting with a province code, or bm + 8 digits"
#define MSG_REGION_CODE "行政区划代码 must be 6 digits starting with a province code"

/* How many candidates an "ambiguous" message lists before "...". */
#define AMBIGUOUS_SHOWN 8

static bool all_digits(const char *s, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9')
      return false;
  return true;
}

/* ---- URLs ---- */

/* Length of a leading URL scheme ("http" in "http://"), 0 if none. A
 * "host:port" such as "www.qx.gov.cn:8080/" is not a scheme. */
static size_t scheme_len(const char *s)
{
  size_t i = 0;
  if (!isalpha((unsigned char)s[0]))
    return 0;
  while (isalnum((unsigned char)s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.')
    i++;
  if (s[i] != ':')
    return 0;
  if (s[i + 1] == '/' && s[i + 2] == '/')
    return i;
  /* "host:8080" or "host:8080/path" is a host and port, not a scheme */
  size_t j = i + 1;
  while (s[j] >= '0' && s[j] <= '9')
    j++;
  if (j > i + 1 && (s[j] == '\0' || s[j] == '/' || s[j] == '?' || s[j] == '#'))
    return 0;
  return i;
}

/* An IPv6 literal is bracketed; other hosts must not have empty labels. */
static bool host_ok(const char *h)
{
  if (!*h)
    return false;
  if (h[0] == '[')
    return true;
  if (h[0] == '.' || strstr(h, "..") || h[strlen(h) - 1] == '.')
    return false;
  return true;
}

int gw_reg_url_normalize(const char *in, bool assume_http, char **out)
{
  int rc = GW_OK;
  CURLU *u = NULL;
  char *host = NULL, *user = NULL, *res = NULL;
  struct gw_buf b = GW_BUF_INIT;
  char *s = gw_strdup(in ? in : "");
  gw_str_trim(s);

  if (!*s) {
    rc = gw_err_set(GW_EINVAL, "URL is empty");
    goto done;
  }
  if (strlen(s) > GW_REG_URL_MAX) {
    rc = gw_err_set(GW_ELIMIT, "URL is longer than %d bytes", GW_REG_URL_MAX);
    goto done;
  }
  if (!gw_utf8_valid(s, strlen(s))) {
    rc = gw_err_set(GW_EINVAL, "URL is not valid UTF-8");
    goto done;
  }
  for (const char *p = s; *p; p++) {
    if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == ' ') {
      rc = gw_err_set(GW_EINVAL, "URL contains white space or a control character");
      goto done;
    }
  }
  size_t sl = scheme_len(s);
  if (sl == 0) {
    if (!assume_http) {
      rc = gw_err_set(GW_EINVAL, "URL has no scheme (write http:// or https://)");
      goto done;
    }
    gw_buf_puts(&b, "http://");
  } else {
    char scheme[16];
    if (sl >= sizeof scheme || s[sl + 1] != '/' || s[sl + 2] != '/') {
      rc = gw_err_set(GW_EINVAL, "only http:// and https:// URLs can be registered");
      goto done;
    }
    memcpy(scheme, s, sl);
    scheme[sl] = '\0';
    gw_str_lower(scheme);
    if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0) {
      rc = gw_err_set(GW_EINVAL, "scheme '%s' is not http or https", scheme);
      goto done;
    }
  }
  gw_buf_puts(&b, s);
  const char *auth = strstr(gw_buf_cstr(&b), "://") + 3;
  size_t alen = strcspn(auth, "/?#");
  if (alen == 0) {
    rc = gw_err_set(GW_EINVAL, "URL has no host");
    goto done;
  }
  /* curl decodes %XX in a host name; a registered host is written plainly */
  if (memchr(auth, '%', alen)) {
    rc = gw_err_set(GW_EINVAL, "URL host must not be percent-encoded");
    goto done;
  }

  u = curl_url();
  if (!u) {
    rc = gw_err_set(GW_ENOMEM, "out of memory parsing a URL");
    goto done;
  }
  CURLUcode uc = curl_url_set(u, CURLUPART_URL, gw_buf_cstr(&b), 0);
  if (uc != CURLUE_OK) {
    rc = gw_err_set(GW_EINVAL, "not a valid URL (%s)", curl_url_strerror(uc));
    goto done;
  }
  if (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK ||
      curl_url_get(u, CURLUPART_PASSWORD, &user, 0) == CURLUE_OK) {
    rc = gw_err_set(GW_EINVAL, "URL must not contain a user name or password");
    goto done;
  }
  if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK || !host_ok(host)) {
    rc = gw_err_set(GW_EINVAL, "URL has no valid host");
    goto done;
  }
  for (char *p = host; *p; p++)
    if (*p >= 'A' && *p <= 'Z')
      *p = (char)(*p - 'A' + 'a');
  if (curl_url_set(u, CURLUPART_HOST, host, 0) != CURLUE_OK ||
      curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0) != CURLUE_OK) {
    rc = gw_err_set(GW_EINVAL, "URL has no valid host");
    goto done;
  }
  uc = curl_url_get(u, CURLUPART_URL, &res, CURLU_NO_DEFAULT_PORT);
  if (uc != CURLUE_OK) {
    rc = gw_err_set(GW_EINVAL, "not a valid URL (%s)", curl_url_strerror(uc));
    goto done;
  }
  if (!gw_utf8_valid(res, strlen(res))) {
    rc = gw_err_set(GW_EINVAL, "URL is not valid UTF-8");
    goto done;
  }
  *out = gw_strdup(res);

done:
  curl_free(res);
  curl_free(host);
  curl_free(user);
  curl_url_cleanup(u);
  gw_buf_free(&b);
  free(s);
  return rc;
}

const char *gw_reg_url_key(const char *url)
{
  const char *p = strstr(url, "://");
  return p ? p + 3 : url;
}

/* ---- Codes ---- */

bool gw_reg_province_ok(int d)
{
  return (d >= 11 && d <= 15) || (d >= 21 && d <= 23) || (d >= 31 && d <= 37) ||
         (d >= 41 && d <= 46) || (d >= 50 && d <= 54) || (d >= 61 && d <= 65) || d == 71 ||
         d == 81 || d == 82;
}

/* The region rule on the first six digits of s; on failure sets the detail
 * in parentheses after `rule`. */
static int region_rule(const char *s, const char *rule)
{
  int prov = (s[0] - '0') * 10 + (s[1] - '0');
  if (!gw_reg_province_ok(prov))
    return gw_err_set(GW_EINVAL, "%s (%.2s is not a province code)", rule, s);
  if (s[2] == '0' && s[3] == '0' && !(s[4] == '0' && s[5] == '0'))
    return gw_err_set(GW_EINVAL, "%s (a county part %.2s under city part 00)", rule, s + 4);
  return GW_OK;
}

int gw_reg_region_code_check(const char *code)
{
  if (!code || strlen(code) != 6 || !all_digits(code, 6))
    return gw_err_set(GW_EINVAL, "%s", MSG_REGION_CODE);
  return region_rule(code, MSG_REGION_CODE);
}

int gw_reg_site_code_normalize(const char *in, char **out)
{
  int rc = GW_OK;
  char *s = gw_strdup(in ? in : "");
  gw_str_trim(s);
  size_t n = strlen(s);
  if (n == 10 && all_digits(s, 10)) {
    rc = region_rule(s, MSG_SITE_CODE);
  } else if (n == 10 && (s[0] == 'b' || s[0] == 'B') && (s[1] == 'm' || s[1] == 'M') &&
             all_digits(s + 2, 8)) {
    s[0] = 'b';
    s[1] = 'm';
  } else {
    rc = gw_err_set(GW_EINVAL, "%s", MSG_SITE_CODE);
  }
  if (rc == GW_OK)
    *out = s;
  else
    free(s);
  return rc;
}

int gw_reg_yesno_parse(const char *s, bool *out)
{
  static const char *const yes[] = {"有", "是", "yes", "y", "true", "1", NULL};
  static const char *const no[] = {"无", "否", "no", "n", "false", "0", NULL};
  for (int i = 0; yes[i]; i++) {
    if (gw_str_ieq(s, yes[i])) {
      *out = true;
      return GW_OK;
    }
    if (gw_str_ieq(s, no[i])) {
      *out = false;
      return GW_OK;
    }
  }
  return gw_err_set(GW_EINVAL, "'%s' is not yes or no (有/无, 是/否, yes/no)", s);
}

int gw_reg_text_check(const char *s, size_t max, bool required, bool multiline)
{
  if (!s || !*s) {
    if (required)
      return gw_err_set(GW_EINVAL, "must not be empty");
    return GW_OK;
  }
  size_t n = strlen(s);
  if (n > max)
    return gw_err_set(GW_ELIMIT, "is longer than %zu bytes", max);
  if (!gw_utf8_valid(s, n))
    return gw_err_set(GW_EINVAL, "is not valid UTF-8");
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if ((c < 0x20 || c == 0x7f) && !(multiline && (c == '\n' || c == '\t' || c == '\r')))
      return gw_err_set(GW_EINVAL, "contains a control character (byte %zu)", i + 1);
  }
  return GW_OK;
}

int gw_reg_unit_name_check(const char *name)
{
  int rc = gw_reg_text_check(name, GW_REG_NAME_MAX, true, false);
  if (rc)
    return rc;
  if (strchr(name, '/'))
    return gw_err_set(GW_EINVAL, "a unit name must not contain '/' (it separates the names in a unit path)");
  return GW_OK;
}

/* ---- The unit tree ---- */

long gw_reg_unit_index(const struct gw_unit_list *all, int64_t id)
{
  for (size_t i = 0; i < all->n; i++)
    if (all->v[i].id == id)
      return (long)i;
  return -1;
}

char *gw_reg_unit_path(const struct gw_unit_list *all, int64_t id)
{
  long i = gw_reg_unit_index(all, id);
  if (i < 0)
    return NULL;
  /* collect the chain upwards (bounded by the list size against cycles) */
  size_t *chain = gw_calloc(all->n + 1, sizeof *chain);
  size_t n = 0;
  while (i >= 0 && n <= all->n) {
    chain[n++] = (size_t)i;
    if (all->v[i].parent_id == 0)
      break;
    i = gw_reg_unit_index(all, all->v[i].parent_id);
    for (size_t k = 0; i >= 0 && k < n; k++)
      if (chain[k] == (size_t)i)
        i = -1;
  }
  struct gw_buf b = GW_BUF_INIT;
  for (size_t k = n; k-- > 0;) {
    gw_buf_puts(&b, all->v[chain[k]].name);
    if (k)
      gw_buf_putc(&b, '/');
  }
  free(chain);
  char *s = gw_buf_steal(&b);
  return s ? s : gw_strdup("");
}

char *gw_reg_unit_ref(const struct gw_unit_list *all, int64_t id)
{
  long i = gw_reg_unit_index(all, id);
  if (i < 0)
    return NULL;
  size_t same = 0;
  for (size_t k = 0; k < all->n; k++)
    if (strcmp(all->v[k].name, all->v[i].name) == 0)
      same++;
  return same == 1 ? gw_strdup(all->v[i].name) : gw_reg_unit_path(all, id);
}

bool gw_reg_unit_is_ancestor(const struct gw_unit_list *all, int64_t ancestor, int64_t id)
{
  int64_t cur = id;
  for (size_t steps = 0; cur != 0 && steps <= all->n; steps++) {
    if (cur == ancestor)
      return true;
    long i = gw_reg_unit_index(all, cur);
    if (i < 0)
      return false;
    cur = all->v[i].parent_id;
  }
  return false;
}

struct child_key {
  int64_t parent, id;
  size_t idx;
};

static int child_cmp(const void *a, const void *b)
{
  const struct child_key *x = a, *y = b;
  if (x->parent != y->parent)
    return x->parent < y->parent ? -1 : 1;
  if (x->id != y->id)
    return x->id < y->id ? -1 : 1;
  return 0;
}

/* First index in the sorted keys with this parent; nk if none. */
static size_t children_of(const struct child_key *k, size_t nk, int64_t parent)
{
  size_t lo = 0, hi = nk;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (k[mid].parent < parent)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

struct frame {
  size_t idx;
  int depth;
};

/* Push the unvisited children of `parent` (reverse id order, so they pop in
 * id order). */
static void push_children(const struct child_key *k, size_t nk, int64_t parent, int depth,
                          const bool *seen, struct frame *stack, size_t *sp)
{
  size_t first = children_of(k, nk, parent), last = first;
  while (last < nk && k[last].parent == parent)
    last++;
  for (size_t j = last; j-- > first;) {
    if (!seen[k[j].idx]) {
      stack[*sp].idx = k[j].idx;
      stack[*sp].depth = depth;
      (*sp)++;
    }
  }
}

int gw_reg_unit_tree(const struct gw_unit_list *all, int64_t root, size_t **order, int **depth,
                     size_t *n)
{
  if (root != 0 && gw_reg_unit_index(all, root) < 0)
    return gw_err_set(GW_ENOTFOUND, "no unit with id %lld", (long long)root);
  size_t nu = all->n;
  struct child_key *k = gw_calloc(nu + 1, sizeof *k);
  for (size_t i = 0; i < nu; i++) {
    k[i].parent = all->v[i].parent_id;
    k[i].id = all->v[i].id;
    k[i].idx = i;
  }
  qsort(k, nu, sizeof *k, child_cmp);
  bool *seen = gw_calloc(nu + 1, sizeof *seen);
  /* each unit is pushed at most once per parent visit, and visited once */
  struct frame *stack = gw_calloc(nu + 1, sizeof *stack);
  size_t *ord = gw_calloc(nu + 1, sizeof *ord);
  int *dep = gw_calloc(nu + 1, sizeof *dep);
  size_t cnt = 0, sp = 0;

  /* With root 0, the roots; afterwards, in id order, anything a cycle or a
   * dangling parent kept out of the walk. */
  for (size_t start = 0; start <= nu; start++) {
    if (start == 0) {
      push_children(k, nu, root, 0, seen, stack, &sp);
    } else {
      if (root != 0)
        break;
      size_t i = start - 1; /* list order */
      if (seen[i])
        continue;
      stack[sp].idx = i;
      stack[sp].depth = 0;
      sp++;
    }
    while (sp > 0) {
      struct frame f = stack[--sp];
      if (seen[f.idx])
        continue;
      seen[f.idx] = true;
      ord[cnt] = f.idx;
      dep[cnt] = f.depth;
      cnt++;
      push_children(k, nu, all->v[f.idx].id, f.depth + 1, seen, stack, &sp);
    }
  }
  free(stack);
  free(seen);
  free(k);
  *order = ord;
  *depth = dep;
  *n = cnt;
  return GW_OK;
}

/* ---- References ---- */

static char *trimmed(const char *ref)
{
  char *s = gw_strdup(ref ? ref : "");
  return gw_str_trim(s);
}

/* Parse a positive decimal id; false if s is not one. */
static bool parse_id(const char *s, int64_t *id)
{
  size_t n = strlen(s);
  if (n == 0 || n > 18 || !all_digits(s, n))
    return false;
  return gw_parse_i64(s, id) == GW_OK && *id > 0;
}

/* Find the child of `parent` (0 = roots) named `name`; -1 if none. */
static long unit_child(const struct gw_unit_list *all, int64_t parent, const char *name)
{
  for (size_t i = 0; i < all->n; i++)
    if (all->v[i].parent_id == parent && strcmp(all->v[i].name, name) == 0)
      return (long)i;
  return -1;
}

static int unit_by_path(const struct gw_unit_list *all, const char *ref, size_t *idx)
{
  char *s = gw_strdup(ref);
  int rc = GW_OK;
  int64_t parent = 0;
  long found = -1;
  char *p = s;
  if (*p == '/')
    p++;
  struct gw_buf sofar = GW_BUF_INIT;
  for (;;) {
    char *slash = strchr(p, '/');
    if (slash)
      *slash = '\0';
    gw_str_trim(p);
    if (!*p) {
      rc = gw_err_set(GW_EINVAL, "a unit path has an empty name between '/'");
      goto done;
    }
    found = unit_child(all, parent, p);
    if (found < 0) {
      if (parent == 0)
        rc = gw_err_set(GW_ENOTFOUND, "no such unit (no top-level unit '%s')", p);
      else
        rc = gw_err_set(GW_ENOTFOUND, "no such unit (no '%s' under '%s')", p, gw_buf_cstr(&sofar));
      goto done;
    }
    if (sofar.len)
      gw_buf_putc(&sofar, '/');
    gw_buf_puts(&sofar, p);
    parent = all->v[found].id;
    if (!slash)
      break;
    p = slash + 1;
  }
  *idx = (size_t)found;
done:
  gw_buf_free(&sofar);
  free(s);
  return rc;
}

int gw_reg_unit_lookup(const struct gw_unit_list *all, const char *ref, size_t *idx)
{
  char *s = trimmed(ref);
  int rc = GW_OK;
  int64_t id;
  if (!*s) {
    rc = gw_err_set(GW_EINVAL, "empty unit reference");
    goto done;
  }
  if (parse_id(s, &id)) {
    long i = gw_reg_unit_index(all, id);
    if (i >= 0) {
      *idx = (size_t)i;
      goto done;
    }
  }
  if (strchr(s, '/')) {
    rc = unit_by_path(all, s, idx);
    goto done;
  }
  size_t nmatch = 0, first = 0;
  for (size_t i = 0; i < all->n; i++) {
    if (strcmp(all->v[i].name, s) == 0) {
      if (nmatch++ == 0)
        first = i;
    }
  }
  if (nmatch == 0) {
    rc = gw_err_set(GW_ENOTFOUND, "no such unit");
  } else if (nmatch == 1) {
    *idx = first;
  } else {
    struct gw_buf b = GW_BUF_INIT;
    size_t shown = 0;
    for (size_t i = 0; i < all->n; i++) {
      if (strcmp(all->v[i].name, s) != 0)
        continue;
      if (shown == AMBIGUOUS_SHOWN) {
        gw_buf_puts(&b, ", ...");
        break;
      }
      char *path = gw_reg_unit_path(all, all->v[i].id);
      gw_buf_printf(&b, "%s%s (id %lld)", shown ? ", " : "", path, (long long)all->v[i].id);
      free(path);
      shown++;
    }
    rc = gw_err_set(GW_EINVAL, "ambiguous: %zu units are named '%s': %s; give the path or the id",
                    nmatch, s, gw_buf_cstr(&b));
    gw_buf_free(&b);
  }
done:
  free(s);
  return rc;
}

int gw_reg_site_lookup(const struct gw_site_list *all, const char *ref, size_t *idx)
{
  char *s = trimmed(ref);
  char *code = NULL, *url = NULL;
  int rc = GW_OK;
  int64_t id;
  if (!*s) {
    rc = gw_err_set(GW_EINVAL, "empty site reference");
    goto done;
  }
  if (gw_reg_site_code_normalize(s, &code) == GW_OK) {
    for (size_t i = 0; i < all->n; i++) {
      if (gw_str_eq(all->v[i].code, code)) {
        *idx = i;
        goto done;
      }
    }
    rc = gw_err_set(GW_ENOTFOUND, "no such site (no site has this 网站标识码)");
    goto done;
  }
  if (parse_id(s, &id)) {
    for (size_t i = 0; i < all->n; i++) {
      if (all->v[i].id == id) {
        *idx = i;
        goto done;
      }
    }
    rc = gw_err_set(GW_ENOTFOUND, "no such site (no site has this id)");
    goto done;
  }
  if (gw_reg_url_normalize(s, true, &url) != GW_OK) {
    rc = gw_err_prefix(GW_EINVAL, "not a site id, 网站标识码 or URL");
    goto done;
  }
  long other = -1;
  for (size_t i = 0; i < all->n; i++) {
    if (gw_str_eq(all->v[i].url, url)) {
      *idx = i;
      goto done;
    }
    if (other < 0 && strcmp(gw_reg_url_key(all->v[i].url), gw_reg_url_key(url)) == 0)
      other = (long)i;
  }
  if (other >= 0) {
    *idx = (size_t)other;
    goto done;
  }
  rc = gw_err_set(GW_ENOTFOUND, "no such site (no site has the URL %s)", url);
done:
  free(url);
  free(code);
  free(s);
  return rc;
}

int gw_reg_account_lookup(const struct gw_account_list *all, const char *ref, size_t *idx)
{
  char *s = trimmed(ref);
  int rc = GW_OK;
  int64_t id;
  if (!*s) {
    rc = gw_err_set(GW_EINVAL, "empty account reference");
    goto done;
  }
  if (parse_id(s, &id)) {
    for (size_t i = 0; i < all->n; i++) {
      if (all->v[i].id == id) {
        *idx = i;
        goto done;
      }
    }
  }
  /* "平台:名称" with an ASCII or a full-width colon */
  char *colon = strchr(s, ':');
  size_t clen = 1;
  char *wide = strstr(s, "\xEF\xBC\x9A");
  if (wide && (!colon || wide < colon)) {
    colon = wide;
    clen = 3;
  }
  if (colon) {
    char *plat = gw_strndup(s, (size_t)(colon - s));
    char *name = gw_strdup(colon + clen);
    gw_str_trim(plat);
    gw_str_trim(name);
    enum gw_platform p;
    bool ok = gw_platform_parse(plat, &p) == GW_OK;
    long hit = -1;
    for (size_t i = 0; ok && i < all->n; i++)
      if (all->v[i].platform == p && strcmp(all->v[i].name, name) == 0)
        hit = (long)i;
    free(plat);
    free(name);
    if (ok) {
      if (hit >= 0)
        *idx = (size_t)hit;
      else
        rc = gw_err_set(GW_ENOTFOUND, "no such account");
      goto done;
    }
    /* not a platform: the colon is part of a name */
  }
  size_t nmatch = 0, first = 0;
  for (size_t i = 0; i < all->n; i++)
    if (strcmp(all->v[i].name, s) == 0 && nmatch++ == 0)
      first = i;
  if (nmatch == 0) {
    rc = gw_err_set(GW_ENOTFOUND, "no such account");
  } else if (nmatch == 1) {
    *idx = first;
  } else {
    struct gw_buf b = GW_BUF_INIT;
    size_t shown = 0;
    for (size_t i = 0; i < all->n; i++) {
      if (strcmp(all->v[i].name, s) != 0)
        continue;
      if (shown == AMBIGUOUS_SHOWN) {
        gw_buf_puts(&b, ", ...");
        break;
      }
      gw_buf_printf(&b, "%s%s:%s (id %lld)", shown ? ", " : "",
                    gw_platform_label(all->v[i].platform), all->v[i].name, (long long)all->v[i].id);
      shown++;
    }
    rc = gw_err_set(GW_EINVAL, "ambiguous: %zu accounts are named '%s': %s; give 平台:名称 or the id",
                    nmatch, s, gw_buf_cstr(&b));
    gw_buf_free(&b);
  }
done:
  free(s);
  return rc;
}

int gw_reg_unit_resolve(struct gw_store *st, const char *ref, struct gw_unit *out)
{
  struct gw_unit_list all = {0};
  size_t i;
  int rc = gw_store_unit_list(st, &all);
  if (rc)
    return rc;
  rc = gw_reg_unit_lookup(&all, ref, &i);
  if (rc == GW_OK)
    gw_reg_unit_copy(out, &all.v[i]);
  gw_unit_list_free(&all);
  return rc;
}

int gw_reg_site_resolve(struct gw_store *st, const char *ref, struct gw_site *out)
{
  struct gw_site_list all = {0};
  size_t i;
  int rc = gw_store_site_list(st, 0, &all);
  if (rc)
    return rc;
  rc = gw_reg_site_lookup(&all, ref, &i);
  if (rc == GW_OK)
    gw_reg_site_copy(out, &all.v[i]);
  gw_site_list_free(&all);
  return rc;
}

int gw_reg_account_resolve(struct gw_store *st, const char *ref, struct gw_account *out)
{
  struct gw_account_list all = {0};
  size_t i;
  int rc = gw_store_account_list(st, 0, &all);
  if (rc)
    return rc;
  rc = gw_reg_account_lookup(&all, ref, &i);
  if (rc == GW_OK)
    gw_reg_account_copy(out, &all.v[i]);
  gw_account_list_free(&all);
  return rc;
}

void gw_reg_unit_copy(struct gw_unit *dst, const struct gw_unit *src)
{
  *dst = *src;
  dst->name = gw_strdup(src->name);
  dst->region_code = gw_strdup(src->region_code);
  dst->contact = gw_strdup(src->contact);
}

void gw_reg_site_copy(struct gw_site *dst, const struct gw_site *src)
{
  *dst = *src;
  dst->name = gw_strdup(src->name);
  dst->url = gw_strdup(src->url);
  dst->code = gw_strdup(src->code);
  dst->sponsor = gw_strdup(src->sponsor);
  dst->supervisor = gw_strdup(src->supervisor);
  dst->note = gw_strdup(src->note);
}

void gw_reg_account_copy(struct gw_account *dst, const struct gw_account *src)
{
  *dst = *src;
  dst->name = gw_strdup(src->name);
  dst->cert_subject = gw_strdup(src->cert_subject);
  dst->url = gw_strdup(src->url);
  dst->note = gw_strdup(src->note);
}

long gw_reg_site_clash(const struct gw_site_list *all, const struct gw_site *s, const char **field)
{
  if (s->url) {
    for (size_t i = 0; i < all->n; i++) {
      if (all->v[i].id != s->id && all->v[i].url &&
          strcmp(gw_reg_url_key(all->v[i].url), gw_reg_url_key(s->url)) == 0) {
        *field = "url";
        return (long)i;
      }
    }
  }
  if (s->code) {
    for (size_t i = 0; i < all->n; i++) {
      if (all->v[i].id != s->id && gw_str_eq(all->v[i].code, s->code)) {
        *field = "code";
        return (long)i;
      }
    }
  }
  return -1;
}
