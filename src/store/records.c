#include "store/records.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/error.h"

void gw_unit_clear(struct gw_unit *u)
{
  free(u->name);
  free(u->region_code);
  free(u->contact);
  memset(u, 0, sizeof *u);
}

void gw_site_clear(struct gw_site *s)
{
  free(s->name);
  free(s->url);
  free(s->code);
  free(s->sponsor);
  free(s->supervisor);
  free(s->note);
  memset(s, 0, sizeof *s);
}

void gw_account_clear(struct gw_account *a)
{
  free(a->name);
  free(a->cert_subject);
  free(a->url);
  free(a->note);
  memset(a, 0, sizeof *a);
}

#define LIST_FREE(fn, type, clear)            \
  void fn(type *l)                            \
  {                                           \
    for (size_t i = 0; i < l->n; i++)         \
      clear(&l->v[i]);                        \
    free(l->v);                               \
    l->v = NULL;                              \
    l->n = 0;                                 \
  }
LIST_FREE(gw_unit_list_free, struct gw_unit_list, gw_unit_clear)
LIST_FREE(gw_site_list_free, struct gw_site_list, gw_site_clear)
LIST_FREE(gw_account_list_free, struct gw_account_list, gw_account_clear)

/* One table per enum: value, CLI keyword, the label users read, and other
 * spellings found in national reporting-system exports. */
struct label {
  int value;
  const char *key;
  const char *label;
  const char *alt[4];
};

static const struct label g_unit_kinds[] = {
  {GW_UNIT_REGION, "region", "地区", {"地区政府", "政府", "区域"}},
  {GW_UNIT_DEPARTMENT, "department", "部门", {"部门单位", "单位"}},
  {GW_UNIT_TOWN, "town", "乡镇", {"乡镇街道", "街道", "乡镇（街道）"}},
  {0, NULL, NULL, {NULL}},
};
static const struct label g_site_kinds[] = {
  {GW_SITE_PORTAL, "portal", "政府门户网站", {"门户网站", "门户", "政府门户"}},
  {GW_SITE_DEPARTMENT, "department", "部门网站", {"部门", "政府部门网站"}},
  {0, NULL, NULL, {NULL}},
};
static const struct label g_site_status[] = {
  {GW_SITE_RUNNING, "running", "运行中", {"正常运行", "正常", "运行"}},
  {GW_SITE_CLOSED, "closed", "已关停", {"关停", "关闭", "已关闭"}},
  {GW_SITE_MIGRATED, "migrated", "已迁移", {"迁移", "整合迁移", "已整合"}},
  {0, NULL, NULL, {NULL}},
};
static const struct label g_platforms[] = {
  {GW_PLATFORM_WECHAT_SUB, "wechat-sub", "微信订阅号", {"订阅号", "微信公众号", NULL}},
  {GW_PLATFORM_WECHAT_SVC, "wechat-svc", "微信服务号", {"服务号", NULL}},
  {GW_PLATFORM_WEIBO, "weibo", "微博", {"新浪微博", "政务微博", NULL}},
  {GW_PLATFORM_DOUYIN, "douyin", "抖音", {"抖音短视频", "抖音号", NULL}},
  {GW_PLATFORM_TOUTIAO, "toutiao", "今日头条", {"头条号", "头条", NULL}},
  {GW_PLATFORM_KUAISHOU, "kuaishou", "快手", {"快手号", NULL}},
  {GW_PLATFORM_APP, "app", "客户端", {"移动客户端", "APP", NULL}},
  {GW_PLATFORM_OTHER, "other", "其他", {"其它", NULL}},
  {0, NULL, NULL, {NULL}},
};
static const struct label g_account_status[] = {
  {GW_ACCOUNT_RUNNING, "running", "运行中", {"正常运行", "正常", "运营中"}},
  {GW_ACCOUNT_SUSPENDED, "suspended", "已停更", {"停更", "暂停", "暂停更新"}},
  {GW_ACCOUNT_CLOSED, "closed", "已注销", {"注销", "关停", "已关停"}},
  {0, NULL, NULL, {NULL}},
};

static const struct label *find_value(const struct label *t, int v)
{
  for (; t->key; t++)
    if (t->value == v)
      return t;
  return NULL;
}

static int parse(const struct label *t, const char *what, const char *s, int *out)
{
  for (const struct label *e = t; e->key; e++) {
    if (strcmp(s, e->key) == 0 || strcmp(s, e->label) == 0) {
      *out = e->value;
      return GW_OK;
    }
    for (int i = 0; i < 4 && e->alt[i]; i++) {
      if (strcasecmp(s, e->alt[i]) == 0) {
        *out = e->value;
        return GW_OK;
      }
    }
  }
  char list[512];
  size_t off = 0;
  for (const struct label *e = t; e->key && off < sizeof list; e++) {
    int n = snprintf(list + off, sizeof list - off, "%s%s (%s)", e == t ? "" : ", ", e->key, e->label);
    if (n < 0)
      break;
    off += (size_t)n;
  }
  return gw_err_set(GW_EINVAL, "unknown %s '%s' (expected one of: %s)", what, s, list);
}

#define ENUM_FUNCS(prefix, type, table, what)                                   \
  const char *prefix##_label(type k)                                            \
  {                                                                             \
    const struct label *e = find_value(table, (int)k);                          \
    return e ? e->label : "?";                                                  \
  }                                                                             \
  const char *prefix##_key(type k)                                              \
  {                                                                             \
    const struct label *e = find_value(table, (int)k);                          \
    return e ? e->key : "?";                                                    \
  }                                                                             \
  int prefix##_parse(const char *s, type *out)                                  \
  {                                                                             \
    int v;                                                                      \
    int rc = parse(table, what, s, &v);                                         \
    if (rc == GW_OK)                                                            \
      *out = (type)v;                                                           \
    return rc;                                                                  \
  }

ENUM_FUNCS(gw_unit_kind, enum gw_unit_kind, g_unit_kinds, "unit kind")
ENUM_FUNCS(gw_site_kind, enum gw_site_kind, g_site_kinds, "site kind")
ENUM_FUNCS(gw_site_status, enum gw_site_status, g_site_status, "site status")
ENUM_FUNCS(gw_platform, enum gw_platform, g_platforms, "platform")
ENUM_FUNCS(gw_account_status, enum gw_account_status, g_account_status, "account status")
