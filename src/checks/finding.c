#include "checks/finding.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"

void gw_finding_clear(struct gw_finding *f)
{
  free(f->rule);
  free(f->key);
  free(f->url);
  free(f->target);
  free(f->locator);
  free(f->snippet);
  free(f->title);
  free(f->detail);
  free(f->observed_json);
  memset(f, 0, sizeof *f);
}

void gw_finding_list_push(struct gw_finding_list *l, const struct gw_finding *f)
{
  if (l->n == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 16;
    l->v = gw_reallocarray(l->v, l->cap, sizeof *l->v);
  }
  struct gw_finding *d = &l->v[l->n++];
  *d = *f;
  d->rule = gw_strdup(f->rule);
  d->key = gw_strdup(f->key);
  d->url = gw_strdup(f->url);
  d->target = gw_strdup(f->target);
  d->locator = gw_strdup(f->locator);
  d->snippet = gw_strdup(f->snippet);
  d->title = gw_strdup(f->title);
  d->detail = gw_strdup(f->detail);
  d->observed_json = gw_strdup(f->observed_json);
}

void gw_finding_list_free(struct gw_finding_list *l)
{
  for (size_t i = 0; i < l->n; i++)
    gw_finding_clear(&l->v[i]);
  free(l->v);
  memset(l, 0, sizeof *l);
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
  const unsigned char *s = p;
  for (size_t i = 0; i < n; i++) {
    h ^= s[i];
    h *= 1099511628211ULL;
  }
  return h;
}

void gw_finding_fingerprint(const struct gw_finding *f, char out[17])
{
  uint64_t h = 14695981039346656037ULL;
  const char *check = f->check ? f->check : "";
  const char *key = f->key ? f->key : "";
  /* Fixed-width little-endian ids so the result does not depend on the host. */
  unsigned char ids[17];
  uint64_t site = (uint64_t)f->site_id, acct = (uint64_t)f->account_id;
  for (int i = 0; i < 8; i++) {
    ids[i] = (unsigned char)(site >> (8 * i));
    ids[8 + i] = (unsigned char)(acct >> (8 * i));
  }
  ids[16] = 0x1f;
  h = fnv(h, check, strlen(check));
  h = fnv(h, "\x1f", 1);
  h = fnv(h, ids, sizeof ids);
  h = fnv(h, key, strlen(key));
  static const char hex[] = "0123456789abcdef";
  for (int i = 0; i < 16; i++)
    out[i] = hex[(h >> (60 - 4 * i)) & 0xf];
  out[16] = '\0';
}

static const struct {
  enum gw_severity v;
  const char *key, *label;
} g_sev[] = {
  {GW_SEV_VETO, "veto", "单项否决"},
  {GW_SEV_DEDUCT, "deduct", "扣分"},
  {GW_SEV_WARN, "warn", "预警"},
  {GW_SEV_INFO, "info", "提示"},
};

const char *gw_severity_label(enum gw_severity s)
{
  for (size_t i = 0; i < sizeof g_sev / sizeof g_sev[0]; i++)
    if (g_sev[i].v == s)
      return g_sev[i].label;
  return "?";
}

const char *gw_severity_key(enum gw_severity s)
{
  for (size_t i = 0; i < sizeof g_sev / sizeof g_sev[0]; i++)
    if (g_sev[i].v == s)
      return g_sev[i].key;
  return "?";
}

int gw_severity_parse(const char *s, enum gw_severity *out)
{
  for (size_t i = 0; i < sizeof g_sev / sizeof g_sev[0]; i++) {
    if (strcmp(s, g_sev[i].key) == 0 || strcmp(s, g_sev[i].label) == 0) {
      *out = g_sev[i].v;
      return GW_OK;
    }
  }
  return gw_err_set(GW_EINVAL, "unknown severity '%s' (expected veto, deduct, warn or info)", s);
}
