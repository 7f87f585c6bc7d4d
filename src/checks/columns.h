/* Columns (栏目): discovery from a crawl, classification by title, update
 * windows, and the checks "columns.update" (stale and empty columns, the
 * V4 rules) and "homepage.update" (V3 首页不更新).
 *
 * A column is a list page of the site and the pages that continue it
 * (pagination), found among the crawl's pages: a page whose model has list
 * items or a pager (html/page.h) and is not an article; or, for a column
 * without content (有栏目无内容), a non-article page without items that the
 * homepage, the site map or a list page links and that names itself a
 * column (a ColumnName meta, an "暂无信息"-like marker, or a title of a known
 * class). The level (一级/二级) comes from the page's breadcrumb (当前位置：
 * 首页 > 工作动态 > 基层动态), else from URL nesting under another column.
 *
 * Each column is classified by its title with keyword lists that are data
 * (dict/columns/keywords.tsv; the classes' update windows in
 * dict/columns/windows.tsv; format in docs/columns.md), unless an inspector
 * set its class (store/column_store.h), which wins. Windows are measured in
 * Shanghai calendar days from the as-of day: a column is up to date when its
 * newest dated item falls on or after the as-of day minus the window (14
 * days before, or the same day number 6 or 12 months before, clamped to the
 * month's end: 2025-08-31 − 6 months = 2025-02-28). So an item exactly 14
 * days or exactly 6 months old still counts; one day more is stale. Items
 * without a date count as not updated; dates after the as-of day are
 * ignored (counted in `future`). docs/columns.md explains the rest. */
#ifndef GW_CHECKS_COLUMNS_H
#define GW_CHECKS_COLUMNS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "checks/check.h"

/* The checks (registered in checks/registry.c). */
extern const struct gw_check gw_check_columns_update;
extern const struct gw_check gw_check_homepage_update;

/* The rule keys they emit (rules/national-2019.yaml). */
#define GW_RULE_COLUMN_STALE_DYNAMIC "column.stale.dynamic"
#define GW_RULE_COLUMN_STALE_NOTICE_L1 "column.stale.notice_l1"
#define GW_RULE_COLUMN_STALE_POLICY_L1 "column.stale.policy_l1"
#define GW_RULE_COLUMN_STALE_LONG "column.stale.long"
#define GW_RULE_COLUMN_EMPTY "column.empty"
#define GW_RULE_HOMEPAGE_STALE "homepage.stale"

/* The indicator classes (names as in the sample manifest). The rules a
 * class feeds are fixed here; its keywords and window are data. */
enum gw_col_class {
  GW_COL_NEWS = 0,       /* 动态要闻 */
  GW_COL_NOTICE,         /* 通知公告 */
  GW_COL_POLICY,         /* 政策文件 */
  GW_COL_PERSONNEL,      /* 人事信息 */
  GW_COL_PLAN,           /* 规划计划 */
  GW_COL_FINANCE,        /* 财政信息 */
  GW_COL_LEADERS,        /* 领导信息 */
  GW_COL_ORGANIZATION,   /* 机构职能 */
  GW_COL_INTERPRETATION, /* 政策解读 */
  GW_COL_ANNUAL_REPORT,  /* 政府信息公开年报 */
  GW_COL_SITE_REPORT,    /* 网站工作年度报表 */
  GW_COL_MAILBOX,        /* 政务咨询 (信箱, 留言) */
  GW_COL_INTERVIEW,      /* 在线访谈 */
  GW_COL_SURVEY,         /* 调查征集 */
  GW_COL_TOPIC,          /* 专题专栏 */
  GW_COL_OTHER,          /* other basic information */
  GW_COL_COUNT_
};

/* English key ("news") and Chinese label ("动态要闻类"); "?" out of range. */
const char *gw_col_class_key(enum gw_col_class c);
const char *gw_col_class_label(enum gw_col_class c);
/* The class named by an English key; GW_EINVAL naming it and listing the
 * known keys otherwise. */
int gw_col_class_parse(const char *key, enum gw_col_class *out);

/* An update window: `n` days or months; n 0 = not judged by date. */
struct gw_col_window {
  int n;
  bool months;
};

/* "14d", "6m", "1y" (12 months), "-" for none. */
const char *gw_col_window_text(const struct gw_col_window *w, char *buf, size_t size);

/* The first day (days since 1970-01-01) an item may carry and still count
 * as an update within window w at as-of time `as_of` (see the top comment
 * for the edges). Only meaningful for w->n > 0. */
int64_t gw_col_window_start(const struct gw_col_window *w, int64_t as_of);

/* The keyword dictionary. */
struct gw_col_dict;

/* Load dir/windows.tsv and dir/keywords.tsv (normally dict/columns). Every
 * class must have exactly one window; a keyword names a known class.
 * GW_ENOTFOUND for a missing file, GW_EPARSE with "file:line: ..." for a
 * bad line, GW_ELIMIT for a file over 1 MiB. *out written on success; free
 * with gw_col_dict_free. */
int gw_col_dict_load(const char *dir, struct gw_col_dict **out);
void gw_col_dict_free(struct gw_col_dict **d);
/* The dictionary directory the checks and the CLI use: $GW_DICT_DIR/columns
 * when GW_DICT_DIR is set, else ./dict/columns when it exists, else the
 * source tree's dict/columns (compiled in). Returns a static string. */
const char *gw_col_dict_default_dir(void);
/* The window of a class, and of the homepage (line "homepage" of
 * windows.tsv: V3 首页不更新, 2 weeks). */
struct gw_col_window gw_col_dict_window(const struct gw_col_dict *d, enum gw_col_class c);
struct gw_col_window gw_col_dict_homepage_window(const struct gw_col_dict *d);
/* Classify a column title: the longest keyword found in it wins (a
 * keyword "^X" must start the title, "X$" end it), ties go to the earlier
 * line; no keyword gives GW_COL_OTHER. *kw (may be NULL) receives the
 * keyword that decided, NULL for none (pointer into the dictionary). */
enum gw_col_class gw_col_classify(const struct gw_col_dict *d, const char *title, const char **kw);

/* The state of a column at the as-of time. */
enum gw_col_state {
  GW_COLS_OK = 0,      /* 正常 */
  GW_COLS_STALE,       /* 超期未更新 */
  GW_COLS_EMPTY,       /* 空栏目 */
  GW_COLS_NOT_JUDGED,  /* 不按时间判断 (a class without a window) */
  GW_COLS_CONTAINER    /* 栏目导航: no items of its own, only sub-columns */
};
const char *gw_col_state_key(enum gw_col_state s);   /* ok, stale, empty, not_judged, container */
const char *gw_col_state_label(enum gw_col_state s); /* 正常, 超期未更新, 空栏目, 不按时间判断, 栏目导航 */

struct gw_column {
  char *url;               /* the first list page */
  char *title;
  int level;               /* 1 = 一级, 2 = 二级 (or deeper) */
  char *parent_url;        /* NULL for level 1 or unknown */
  char *parent_title;
  char *level_source;      /* "breadcrumb", "url", "default" */
  enum gw_col_class cls;
  const char *keyword;     /* the keyword that classified it (dictionary's), NULL if none or overridden */
  bool overridden;         /* the class is an inspector's */
  char *override_reason;
  enum gw_col_class title_cls; /* what the title alone gives */
  char **pages;            /* its list pages' URLs, first page first */
  size_t n_pages;
  size_t items;            /* distinct items over all its pages */
  size_t undated;          /* items without a date */
  size_t future;           /* items dated after the as-of day (ignored) */
  size_t children;         /* sub-columns */
  bool has_latest;
  int64_t latest;          /* the newest item's date (valid when has_latest) */
  char *latest_url;
  char *latest_title;
  struct gw_col_window window;
  int64_t window_start;    /* days since 1970, when window.n > 0 */
  enum gw_col_state state;
  const char *rule;        /* the rule key of a stale or empty column, else NULL */
  bool veto_v4_1;          /* counts toward V4(1) */
};

struct gw_column_report {
  int64_t crawl_id;
  int64_t as_of;
  char *homepage;          /* the crawl's homepage URL, NULL if none */
  struct gw_column *v;     /* ordered by level-1 position (URL), children after their parent */
  size_t n;
  size_t stale, empty;     /* columns in those states */
  size_t by_rule[5];       /* stale dynamic, notice_l1, policy_l1, long, empty */
};

/* An inspector's class for a column (store/column_store.h reads them). */
struct gw_col_override_in {
  const char *url;
  enum gw_col_class cls;
  const char *reason;
};

/* Discover, classify and judge the columns of the view's crawl at the
 * view's as-of time. overrides (n may be 0) replace the title's class of the
 * columns with those URLs. Store errors are errors; on success *out is
 * filled (free with gw_column_report_free). */
int gw_columns_analyze(struct gw_check_view *v, const struct gw_col_dict *d, const struct gw_col_override_in *ov,
                       size_t n_ov, struct gw_column_report *out);
void gw_column_report_free(struct gw_column_report *r);

/* gw_columns_analyze with the inspector overrides of site `site_id` read
 * from the view's store (store/column_store.h): what the check and
 * `govwatch columns` use. A stored class that is no class is GW_EINVAL
 * naming the column. */
int gw_columns_site_report(struct gw_check_view *v, int64_t site_id, const struct gw_col_dict *d,
                           struct gw_column_report *out);

/* A column as JSON (the finding's evidence and `govwatch columns --json`):
 * url, title, level, parent, class, class_label, overridden, reason,
 * keyword, items, undated, pages, latest, latest_url, latest_title,
 * window, window_start, state, state_label, rule, counts_toward_v4_1.
 * The caller owns the result. */
json_t *gw_column_json(const struct gw_column *c);

/* ---- The homepage ---- */

/* Earlier crawls compared for the homepage's content history. */
#define GW_HOMEPAGE_HISTORY 10

struct gw_homepage_update {
  char *url;               /* the homepage */
  bool navigation_only;    /* it shows no dated item: judged from the second-level pages */
  bool has_latest;
  int64_t latest;          /* the newest date found */
  char *latest_url;        /* the page or item it belongs to */
  char *latest_text;       /* the item's title or the page's */
  size_t dated;            /* dated items (or second-level pages) looked at */
  size_t pages;            /* second-level pages looked at (navigation_only) */
  /* content history: the homepage's links compared with earlier crawls' */
  size_t history_crawls;   /* earlier finished crawls whose homepage was compared */
  bool changed;            /* a crawl's homepage showed a link the crawl before did not */
  int64_t changed_at;      /* when that homepage was fetched (the newest such change) */
  int64_t changed_crawl;   /* and in which crawl */
  size_t new_links;        /* links new at that change */
  char *new_link;          /* one of them (URL) */
  char *new_link_text;     /* its anchor */
  struct gw_col_window window; /* the dictionary's homepage window */
  int64_t window_start;    /* days since 1970 (14 days before the as-of day) */
  bool stale;
};

/* Judge the view's homepage: the dates of the items it links (dates on a
 * line that holds a link, outside the footer; a date written without a
 * year takes the linked article's year); when it shows no dated item at
 * all, the newest date of every second-level page (depth 1: their items and
 * publish dates). Content history: the homepage's visible links are
 * compared with those of the site's earlier finished crawls (up to
 * GW_HOMEPAGE_HISTORY of them, fetched at or before the as-of time); a link
 * that appeared since the crawl before is new information on the day its
 * homepage was fetched. The homepage is stale when neither its newest date
 * nor its newest observed change falls within the window.
 * GW_ENOTFOUND when the crawl has no readable homepage. */
int gw_homepage_update_analyze(struct gw_check_view *v, const struct gw_col_dict *d, struct gw_homepage_update *out);
void gw_homepage_update_clear(struct gw_homepage_update *h);

#endif
