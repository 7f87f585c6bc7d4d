/* The register's records: units, websites and new-media accounts.
 *
 * These are plain data shared by the register (which validates them), the
 * store (which keeps them) and every later stage (which reads them). Strings
 * are owned by the record and freed by the matching *_clear function; an id
 * of 0 means "not stored yet". Times are Unix seconds (UTC). */
#ifndef GW_STORE_RECORDS_H
#define GW_STORE_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Unit kinds: 地区 (a government of a region), 部门 (a department), 乡镇/街道. */
enum gw_unit_kind { GW_UNIT_REGION = 1, GW_UNIT_DEPARTMENT = 2, GW_UNIT_TOWN = 3 };

struct gw_unit {
  int64_t id;
  int64_t parent_id;      /* 0 = a root of the tree */
  char *name;             /* unique among its siblings, e.g. 青溪县教育局 */
  enum gw_unit_kind kind;
  char *region_code;      /* 6-digit 行政区划代码, optional (NULL) */
  char *contact;          /* responsible person / phone for tickets, optional */
  int64_t created_at, updated_at;
};

enum gw_site_kind { GW_SITE_PORTAL = 1, GW_SITE_DEPARTMENT = 2 };
enum gw_site_status { GW_SITE_RUNNING = 1, GW_SITE_CLOSED = 2, GW_SITE_MIGRATED = 3 };

struct gw_site {
  int64_t id;
  char *name;             /* 网站名称 */
  char *url;              /* normalised homepage URL, unique */
  char *code;             /* 网站标识码: 10 digits or bm + 8 digits; unique */
  int64_t unit_id;        /* the responsible register unit */
  enum gw_site_kind kind;
  bool external_service;  /* 有对外服务功能 (scored out of 100, else 75 x 4/3) */
  char *sponsor;          /* 主办单位 */
  char *supervisor;       /* 主管单位 */
  enum gw_site_status status;
  char *note;             /* free text, e.g. where it migrated to; optional */
  int64_t created_at, updated_at;
};

enum gw_platform {
  GW_PLATFORM_WECHAT_SUB = 1, /* 微信订阅号 */
  GW_PLATFORM_WECHAT_SVC,     /* 微信服务号 */
  GW_PLATFORM_WEIBO,          /* 微博 */
  GW_PLATFORM_DOUYIN,         /* 抖音 */
  GW_PLATFORM_TOUTIAO,        /* 今日头条 */
  GW_PLATFORM_KUAISHOU,       /* 快手 */
  GW_PLATFORM_APP,            /* 客户端 */
  GW_PLATFORM_OTHER           /* 其他 */
};
enum gw_account_status { GW_ACCOUNT_RUNNING = 1, GW_ACCOUNT_SUSPENDED = 2, GW_ACCOUNT_CLOSED = 3 };

struct gw_account {
  int64_t id;
  char *name;             /* 账号名称; unique per platform */
  enum gw_platform platform;
  int64_t unit_id;        /* 开设主体 (the register unit that runs it) */
  char *cert_subject;     /* 认证主体 as shown on the platform; optional */
  char *url;              /* homepage or feed URL; optional */
  enum gw_account_status status;
  char *note;
  int64_t created_at, updated_at;
};

struct gw_unit_list { struct gw_unit *v; size_t n; };
struct gw_site_list { struct gw_site *v; size_t n; };
struct gw_account_list { struct gw_account *v; size_t n; };

void gw_unit_clear(struct gw_unit *u);
void gw_site_clear(struct gw_site *s);
void gw_account_clear(struct gw_account *a);
void gw_unit_list_free(struct gw_unit_list *l);
void gw_site_list_free(struct gw_site_list *l);
void gw_account_list_free(struct gw_account_list *l);

/* Enum <-> the Chinese labels users read and the national reporting systems
 * use (地区/部门/乡镇; 政府门户网站/部门网站; 运行中/已关停/已迁移; 微信订阅号 …) and
 * the English keywords the CLI accepts (region, portal, running, wechat-sub …).
 * *_parse accepts either form; returns GW_EINVAL with a message listing the
 * accepted values otherwise. */
const char *gw_unit_kind_label(enum gw_unit_kind k);
const char *gw_unit_kind_key(enum gw_unit_kind k);
int gw_unit_kind_parse(const char *s, enum gw_unit_kind *out);
const char *gw_site_kind_label(enum gw_site_kind k);
const char *gw_site_kind_key(enum gw_site_kind k);
int gw_site_kind_parse(const char *s, enum gw_site_kind *out);
const char *gw_site_status_label(enum gw_site_status k);
const char *gw_site_status_key(enum gw_site_status k);
int gw_site_status_parse(const char *s, enum gw_site_status *out);
const char *gw_platform_label(enum gw_platform k);
const char *gw_platform_key(enum gw_platform k);
int gw_platform_parse(const char *s, enum gw_platform *out);
const char *gw_account_status_label(enum gw_account_status k);
const char *gw_account_status_key(enum gw_account_status k);
int gw_account_status_parse(const char *s, enum gw_account_status *out);

#endif
