/* Column discovery, classification and judgement over a crawl (see
 * checks/columns.h; docs/columns.md has the rules and their limits). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/columns.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/error.h"
#include "core/str.h"
#include "fetch/url.h"

/* ---- what is kept of each page ---- */

struct item {
  char *url;
  char *title;
  bool has_date;
  int64_t day; /* days since 1970 of its date */
};

struct nav {
  char *url;
  char *text;
};

struct pinfo {
  int64_t id;
  int depth;
  char *url;           /* the page's final URL */
  char *title;         /* <title> */
  char *colname;       /* ColumnName meta, NULL if none */
  char *crumb_tail;    /* the breadcrumb's last segment, NULL if none */
  bool home, article, empty_marker, has_crumb, sitemap;
  struct item *items;
  size_t n_items;
  char **pg;           /* pagination URLs */
  size_t n_pg;
  int pg_current;
  bool pager;
  struct nav *crumbs;  /* breadcrumb links other than the homepage and the page itself */
  size_t n_crumbs;
  struct nav *links;   /* visible non-footer <a> links (non-article pages only) */
  size_t n_links;
  size_t group;        /* union-find parent */
  bool column;         /* a column page */
};

struct navref;

struct disc {
  struct gw_check_view *v;
  int64_t as_of, as_of_day;
  struct pinfo *p;
  size_t n, cap;
  int64_t *ids;        /* URL rows to read */
  int *depths;
  size_t n_ids, cap_ids;
  char *home_url;
  char *home_host;     /* scheme://authority/ of the homepage */
  size_t *by_url;      /* indexes of p sorted by url */
  struct navref *navs; /* navigation links, sorted (build_navrefs) */
  size_t n_navs;
};

static void item_free(struct item *it)
{
  free(it->url);
  free(it->title);
}

static void nav_free(struct nav *n)
{
  free(n->url);
  free(n->text);
}

static void pinfo_free(struct pinfo *p)
{
  free(p->url);
  free(p->title);
  free(p->colname);
  free(p->crumb_tail);
  for (size_t i = 0; i < p->n_items; i++)
    item_free(&p->items[i]);
  free(p->items);
  for (size_t i = 0; i < p->n_pg; i++)
    free(p->pg[i]);
  free(p->pg);
  for (size_t i = 0; i < p->n_crumbs; i++)
    nav_free(&p->crumbs[i]);
  free(p->crumbs);
  for (size_t i = 0; i < p->n_links; i++)
    nav_free(&p->links[i]);
  free(p->links);
}

static void disc_free(struct disc *d)
{
  for (size_t i = 0; i < d->n; i++)
    pinfo_free(&d->p[i]);
  free(d->p);
  free(d->ids);
  free(d->depths);
  free(d->home_url);
  free(d->home_host);
  free(d->by_url);
  free(d->navs);
}

static int64_t day_of(int64_t t)
{
  struct gw_civil c;
  gw_civil_from_time(t, &c);
  return gw_days_from_civil(c.year, c.month, c.day);
}

static int64_t day_of_civil(const struct gw_civil *c)
{
  return gw_days_from_civil(c->year, c->month, c->day);
}

/* "scheme://authority/" of an absolute URL (malloc'd), or NULL. */
static char *origin_of(const char *url)
{
  const char *p = strstr(url, "://");
  if (!p)
    return NULL;
  const char *slash = strchr(p + 3, '/');
  size_t n = slash ? (size_t)(slash - url) : strlen(url);
  char *o = gw_malloc(n + 2);
  memcpy(o, url, n);
  o[n] = '/';
  o[n + 1] = 0;
  return o;
}

/* The site root or a root index page: never a column. */
static bool is_root(const struct disc *d, const char *url)
{
  if (!d->home_host || !gw_str_starts(url, d->home_host))
    return false;
  const char *rest = url + strlen(d->home_host);
  return !*rest || strcmp(rest, "index.html") == 0 || strcmp(rest, "index.htm") == 0 ||
         strcmp(rest, "index.shtml") == 0 || strcmp(rest, "default.htm") == 0 || strcmp(rest, "index.jsp") == 0 ||
         strcmp(rest, "index.php") == 0;
}

static bool same_site(const struct disc *d, const char *url)
{
  return d->home_host && gw_str_starts(url, d->home_host);
}

static const char *const g_crumb_marks[] = {"当前位置", "您的位置", "您现在的位置", "所在位置", "当前路径", "您当前的位置"};
static const char *const g_empty_marks[] = {"暂无信息", "暂无数据", "暂无内容", "暂无记录", "没有记录", "暂无相关信息",
                                            "无相关信息", "暂无文章", "本栏目暂无"};
static const char *const g_nav_words[] = {"更多", "more", "MORE", "More", "首页", "返回", ">>", "»", "查看全部"};

/* An anchor text that names no column (更多, MORE+, 首页). */
static bool nav_word(const char *s)
{
  if (!s || !*s)
    return true;
  for (size_t i = 0; i < sizeof g_nav_words / sizeof g_nav_words[0]; i++)
    if (strstr(s, g_nav_words[i]))
      return true;
  return false;
}

/* The breadcrumb of a page: its links and its last segment. */
static void read_crumbs(struct disc *d, const struct gw_page *pg, struct pinfo *pi)
{
  const char *hit = NULL;
  for (size_t i = 0; i < sizeof g_crumb_marks / sizeof g_crumb_marks[0] && !hit; i++)
    hit = strstr(pg->text, g_crumb_marks[i]);
  if (!hit)
    return;
  pi->has_crumb = true;
  size_t start = (size_t)(hit - pg->text);
  const char *nl = strchr(hit, '\n');
  size_t end = nl ? (size_t)(nl - pg->text) : pg->text_len;
  for (size_t i = 0; i < pg->n_links; i++) {
    const struct gw_link *l = &pg->links[i];
    if (l->kind != GW_LINK_A || l->text_off == GW_PAGE_NOPOS || l->text_off < start || l->text_off >= end)
      continue;
    if (is_root(d, l->url) || strcmp(l->url, pg->url) == 0 || !same_site(d, l->url))
      continue;
    pi->crumbs = gw_reallocarray(pi->crumbs, pi->n_crumbs + 1, sizeof *pi->crumbs);
    pi->crumbs[pi->n_crumbs].url = gw_strdup(l->url);
    pi->crumbs[pi->n_crumbs].text = gw_strdup(l->text);
    pi->n_crumbs++;
  }
  /* the tail: after the last separator */
  char *line = gw_strndup(pg->text + start, end - start);
  static const char *const seps[] = {">", "＞", "»", "→", "/"};
  char *tail = NULL;
  for (size_t i = 0; i < sizeof seps / sizeof seps[0]; i++) {
    char *last = NULL, *q = line;
    while ((q = strstr(q, seps[i])) != NULL) {
      last = q + strlen(seps[i]);
      q = last;
    }
    if (last && (!tail || last > tail))
      tail = last;
  }
  if (tail) {
    char *t = gw_str_trim(tail);
    if (*t && !nav_word(t))
      pi->crumb_tail = gw_strdup(t);
  }
  free(line);
}

static bool has_empty_marker(const struct gw_page *pg)
{
  for (size_t i = 0; i < sizeof g_empty_marks / sizeof g_empty_marks[0]; i++)
    if (strstr(pg->text, g_empty_marks[i]))
      return true;
  return false;
}

static int on_row(void *ctx, const struct gw_crawl_url *u)
{
  struct disc *d = ctx;
  if (u->kind != GW_URL_PAGE || !u->internal || u->state != GW_URL_DONE)
    return 0;
  if (!((u->http_status >= 200 && u->http_status < 300) || u->http_status == 304))
    return 0;
  if (!d->home_url && u->depth == 0)
    d->home_url = gw_strdup(u->final_url ? u->final_url : u->url);
  if (d->n_ids == d->cap_ids) {
    d->cap_ids = d->cap_ids ? d->cap_ids * 2 : 256;
    d->ids = gw_reallocarray(d->ids, d->cap_ids, sizeof *d->ids);
    d->depths = gw_reallocarray(d->depths, d->cap_ids, sizeof *d->depths);
  }
  d->ids[d->n_ids] = u->id;
  d->depths[d->n_ids] = u->depth;
  d->n_ids++;
  return 0;
}

static const struct disc *g_sort_disc; /* qsort has no context argument in C11 */

static int by_url_cmp(const void *a, const void *b)
{
  const struct pinfo *x = &g_sort_disc->p[*(const size_t *)a], *y = &g_sort_disc->p[*(const size_t *)b];
  int c = strcmp(x->url, y->url);
  if (c)
    return c;
  return x->id < y->id ? -1 : x->id > y->id;
}

static size_t find_url(const struct disc *d, const char *url)
{
  size_t lo = 0, hi = d->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(url, d->p[d->by_url[mid]].url);
    if (c == 0)
      return d->by_url[mid];
    if (c < 0)
      hi = mid;
    else
      lo = mid + 1;
  }
  return SIZE_MAX;
}

/* Read one page into a pinfo. */
static int read_page(struct disc *d, int64_t id, int depth)
{
  const struct gw_page *pg;
  int rc = gw_check_view_page(d->v, id, &pg);
  if (rc == GW_ENOTFOUND) {
    gw_err_clear();
    return GW_OK;
  }
  if (rc != GW_OK)
    return rc;
  if (d->n == d->cap) {
    d->cap = d->cap ? d->cap * 2 : 128;
    d->p = gw_reallocarray(d->p, d->cap, sizeof *d->p);
  }
  struct pinfo *pi = &d->p[d->n++];
  memset(pi, 0, sizeof *pi);
  pi->id = id;
  pi->depth = depth;
  pi->url = gw_strdup(pg->url);
  pi->title = gw_strdup(pg->title);
  const char *cn = gw_page_meta_field(pg, GW_MF_COLUMN_NAME);
  pi->colname = cn && *cn ? gw_strdup(cn) : NULL;
  pi->home = depth == 0 || is_root(d, pg->url);
  pi->pager = pg->pages.n_urls > 0 || pg->pages.total > 0 || pg->pages.next;
  pi->pg_current = pg->pages.current;
  /* An article: a stated publish date (meta or 发布时间) and no real list. */
  pi->article = (pg->pubdate_source == GW_PUBDATE_META || pg->pubdate_source == GW_PUBDATE_LABEL) &&
                pg->n_items < 3 && !pi->pager;
  pi->sitemap = strstr(pg->title, "网站地图") || strstr(pg->title, "站点地图");
  if (pi->article)
    return GW_OK;
  pi->empty_marker = has_empty_marker(pg);
  read_crumbs(d, pg, pi);
  if (pg->n_items) {
    pi->items = gw_calloc(pg->n_items, sizeof *pi->items);
    for (size_t i = 0; i < pg->n_items; i++) {
      const struct gw_list_item *it = &pg->items[i];
      struct item *x = &pi->items[pi->n_items++];
      x->url = gw_strdup(it->url);
      x->title = gw_strdup(it->title);
      x->has_date = it->has_date;
      if (it->has_date)
        x->day = day_of_civil(&it->date.civil);
    }
  }
  if (pg->pages.n_urls) {
    pi->pg = gw_calloc(pg->pages.n_urls, sizeof *pi->pg);
    for (size_t i = 0; i < pg->pages.n_urls; i++)
      pi->pg[pi->n_pg++] = gw_strdup(pg->pages.urls[i]);
  }
  for (size_t i = 0; i < pg->n_links; i++) {
    const struct gw_link *l = &pg->links[i];
    if (l->kind != GW_LINK_A || l->in_footer || l->hidden || !same_site(d, l->url))
      continue;
    pi->links = gw_reallocarray(pi->links, pi->n_links + 1, sizeof *pi->links);
    pi->links[pi->n_links].url = gw_strdup(l->url);
    pi->links[pi->n_links].text = gw_strdup(l->text);
    pi->n_links++;
  }
  return GW_OK;
}

static size_t uf_find(struct disc *d, size_t i)
{
  while (d->p[i].group != i) {
    d->p[i].group = d->p[d->p[i].group].group;
    i = d->p[i].group;
  }
  return i;
}

static void uf_union(struct disc *d, size_t a, size_t b)
{
  a = uf_find(d, a);
  b = uf_find(d, b);
  if (a == b)
    return;
  if (d->p[a].id < d->p[b].id)
    d->p[b].group = a;
  else
    d->p[a].group = b;
}

/* Every navigation link (homepage, site map, list pages), sorted by target
 * URL, then by source (site map first, then the homepage, then list pages),
 * then in page order. */
struct navref {
  const char *url, *text;
  int pass;
  size_t seq;
};

static int navref_cmp(const void *a, const void *b)
{
  const struct navref *x = a, *y = b;
  int c = strcmp(x->url, y->url);
  if (c)
    return c;
  if (x->pass != y->pass)
    return x->pass < y->pass ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void build_navrefs(struct disc *d)
{
  size_t n = 0;
  for (size_t i = 0; i < d->n; i++) {
    const struct pinfo *p = &d->p[i];
    if (p->sitemap || p->home || p->column)
      n += p->n_links;
  }
  d->navs = gw_calloc(n ? n : 1, sizeof *d->navs);
  for (size_t i = 0; i < d->n; i++) {
    const struct pinfo *p = &d->p[i];
    int pass = p->sitemap ? 0 : p->home ? 1 : p->column ? 2 : -1;
    if (pass < 0)
      continue;
    for (size_t k = 0; k < p->n_links; k++) {
      struct navref *r = &d->navs[d->n_navs];
      r->url = p->links[k].url;
      r->text = p->links[k].text;
      r->pass = pass;
      r->seq = d->n_navs++;
    }
  }
  qsort(d->navs, d->n_navs, sizeof *d->navs, navref_cmp);
}

/* Where a column page is linked from navigation (homepage, site map, list
 * pages): the first anchor text that names it, or NULL; *linked whether
 * any such link exists. */
static const char *nav_text(const struct disc *d, const char *url, bool *linked)
{
  *linked = false;
  if (!d->navs)
    return NULL;
  size_t lo = 0, hi = d->n_navs;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(d->navs[mid].url, url) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  for (size_t i = lo; i < d->n_navs && strcmp(d->navs[i].url, url) == 0; i++) {
    *linked = true;
    if (!nav_word(d->navs[i].text) && strlen(d->navs[i].text) >= 2)
      return d->navs[i].text;
  }
  return NULL;
}

/* The title of a column page: ColumnName meta, breadcrumb tail, navigation
 * anchor, <title> up to its first separator. malloc'd. */
static char *column_title(const struct disc *d, const struct pinfo *p)
{
  if (p->colname)
    return gw_strdup(p->colname);
  if (p->crumb_tail)
    return gw_strdup(p->crumb_tail);
  bool linked;
  const char *t = nav_text(d, p->url, &linked);
  if (t)
    return gw_strdup(t);
  char *s = gw_strdup(p->title ? p->title : "");
  static const char *const seps[] = {"_", " - ", "-", "|", "－", "——"};
  for (size_t i = 0; i < sizeof seps / sizeof seps[0]; i++) {
    char *q = strstr(s, seps[i]);
    if (q && q > s)
      *q = 0;
  }
  gw_str_trim(s);
  if (!*s) {
    free(s);
    s = gw_strdup(p->url);
  }
  return s;
}

/* The directory of a URL ("http://h/a/b/" of "http://h/a/b/index.html"). */
static size_t dir_len(const char *url)
{
  const char *q = strchr(url, '?');
  size_t n = q ? (size_t)(q - url) : strlen(url);
  while (n > 0 && url[n - 1] != '/')
    n--;
  return n;
}

static void column_free(struct gw_column *c)
{
  free(c->url);
  free(c->title);
  free(c->parent_url);
  free(c->parent_title);
  free(c->level_source);
  free(c->override_reason);
  for (size_t i = 0; i < c->n_pages; i++)
    free(c->pages[i]);
  free(c->pages);
  free(c->latest_url);
  free(c->latest_title);
}

void gw_column_report_free(struct gw_column_report *r)
{
  if (!r)
    return;
  for (size_t i = 0; i < r->n; i++)
    column_free(&r->v[i]);
  free(r->v);
  free(r->homepage);
  memset(r, 0, sizeof *r);
}

struct grp {
  size_t root;     /* pinfo index of the group representative */
  size_t first;    /* pinfo index of its first page */
  size_t *members;
  size_t n;
};

static const struct disc *g_member_disc;

static int member_cmp(const void *a, const void *b)
{
  const struct pinfo *x = &g_member_disc->p[*(const size_t *)a], *y = &g_member_disc->p[*(const size_t *)b];
  int cx = x->pg_current > 0 ? x->pg_current : 1 << 20, cy = y->pg_current > 0 ? y->pg_current : 1 << 20;
  if (cx != cy)
    return cx < cy ? -1 : 1;
  if (x->depth != y->depth)
    return x->depth < y->depth ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

static int item_url_cmp(const void *a, const void *b)
{
  const struct item *x = *(const struct item *const *)a, *y = *(const struct item *const *)b;
  return strcmp(x->url, y->url);
}

/* Items, latest date over a group's pages. */
static void count_items(const struct disc *d, const struct grp *g, struct gw_column *c)
{
  size_t total = 0;
  for (size_t k = 0; k < g->n; k++)
    total += d->p[g->members[k]].n_items;
  const struct item **all = gw_calloc(total ? total : 1, sizeof *all);
  size_t n = 0;
  for (size_t k = 0; k < g->n; k++) {
    const struct pinfo *p = &d->p[g->members[k]];
    for (size_t i = 0; i < p->n_items; i++)
      all[n++] = &p->items[i];
  }
  qsort(all, n, sizeof *all, item_url_cmp);
  for (size_t i = 0; i < n; i++) {
    const struct item *it = all[i];
    if (i > 0 && strcmp(all[i - 1]->url, it->url) == 0)
      continue; /* the same item on two pages of the list */
    c->items++;
    if (!it->has_date) {
      c->undated++;
      continue;
    }
    if (it->day > d->as_of_day) {
      c->future++;
      continue;
    }
    if (!c->has_latest || it->day > c->latest) {
      c->has_latest = true;
      c->latest = it->day;
      free(c->latest_url);
      free(c->latest_title);
      c->latest_url = gw_strdup(it->url);
      c->latest_title = gw_strdup(it->title);
    }
  }
  free(all);
}

static void judge(const struct gw_col_dict *dict, int64_t as_of, struct gw_column *c)
{
  c->window = gw_col_dict_window(dict, c->cls);
  if (c->window.n > 0)
    c->window_start = gw_col_window_start(&c->window, as_of);
  c->rule = NULL;
  c->veto_v4_1 = false;
  if (c->items == 0) {
    c->state = c->children ? GW_COLS_CONTAINER : GW_COLS_EMPTY;
    if (c->state == GW_COLS_EMPTY)
      c->rule = GW_RULE_COLUMN_EMPTY;
    return;
  }
  if (c->window.n == 0) {
    c->state = GW_COLS_NOT_JUDGED;
    return;
  }
  if (c->has_latest && c->latest >= c->window_start) {
    c->state = GW_COLS_OK;
    return;
  }
  c->state = GW_COLS_STALE;
  if (c->cls == GW_COL_NEWS) {
    c->rule = GW_RULE_COLUMN_STALE_DYNAMIC;
    c->veto_v4_1 = true;
  } else if (c->cls == GW_COL_NOTICE && c->level == 1) {
    c->rule = GW_RULE_COLUMN_STALE_NOTICE_L1;
    c->veto_v4_1 = true;
  } else if (c->cls == GW_COL_POLICY && c->level == 1) {
    c->rule = GW_RULE_COLUMN_STALE_POLICY_L1;
    c->veto_v4_1 = true;
  } else {
    c->rule = GW_RULE_COLUMN_STALE_LONG;
  }
}

/* Two URLs equal as the crawler normalises them (an override is stored
 * normalised; page models write URLs as libcurl does). */
static bool same_url(const char *a, const char *b)
{
  if (strcmp(a, b) == 0)
    return true;
  char *na = NULL, *nb = NULL;
  bool eq = gw_url_normalize(NULL, a, &na) == GW_OK && gw_url_normalize(NULL, b, &nb) == GW_OK && strcmp(na, nb) == 0;
  gw_err_clear();
  free(na);
  free(nb);
  return eq;
}

struct order {
  size_t idx;
  int64_t root_id, id;
  int level;
};

static int order_cmp(const void *a, const void *b)
{
  const struct order *x = a, *y = b;
  if (x->root_id != y->root_id)
    return x->root_id < y->root_id ? -1 : 1;
  if (x->level != y->level)
    return x->level < y->level ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

int gw_columns_analyze(struct gw_check_view *v, const struct gw_col_dict *dict, const struct gw_col_override_in *ov,
                       size_t n_ov, struct gw_column_report *out)
{
  struct disc d;
  memset(&d, 0, sizeof d);
  d.v = v;
  d.as_of = gw_check_view_as_of(v);
  d.as_of_day = day_of(d.as_of);
  struct grp *groups = NULL;
  size_t n_groups = 0;
  int64_t *col_ids = NULL;
  struct gw_column_report r;
  memset(&r, 0, sizeof r);
  int rc = gw_check_view_urls(v, GW_URL_DONE, on_row, &d);
  if (rc != GW_OK)
    goto done;
  if (d.home_url)
    d.home_host = origin_of(d.home_url);
  for (size_t i = 0; i < d.n_ids && rc == GW_OK; i++)
    rc = read_page(&d, d.ids[i], d.depths[i]);
  if (rc != GW_OK)
    goto done;
  /* A redirect ends on a page read already (/old/ -> /news/): keep the
   * first row of each final URL. */
  d.by_url = gw_calloc(d.n ? d.n : 1, sizeof *d.by_url);
  for (size_t i = 0; i < d.n; i++)
    d.by_url[i] = i;
  g_sort_disc = &d;
  qsort(d.by_url, d.n, sizeof *d.by_url, by_url_cmp);
  g_sort_disc = NULL;
  bool *drop = gw_calloc(d.n ? d.n : 1, sizeof *drop);
  for (size_t k = 1; k < d.n; k++)
    if (strcmp(d.p[d.by_url[k]].url, d.p[d.by_url[k - 1]].url) == 0)
      drop[d.by_url[k]] = true; /* by_url_cmp orders equal URLs by id: the first one stays */
  size_t kept = 0;
  for (size_t i = 0; i < d.n; i++) {
    if (drop[i])
      pinfo_free(&d.p[i]);
    else
      d.p[kept++] = d.p[i];
  }
  free(drop);
  d.n = kept;
  for (size_t i = 0; i < d.n; i++) {
    d.by_url[i] = i;
    d.p[i].group = i;
  }
  g_sort_disc = &d;
  qsort(d.by_url, d.n, sizeof *d.by_url, by_url_cmp);
  g_sort_disc = NULL;

  /* site maps: also pages a 网站地图 link points to */
  for (size_t i = 0; i < d.n; i++) {
    if (!d.p[i].home)
      continue;
    for (size_t k = 0; k < d.p[i].n_links; k++)
      if (strstr(d.p[i].links[k].text, "网站地图")) {
        size_t j = find_url(&d, d.p[i].links[k].url);
        if (j != SIZE_MAX)
          d.p[j].sitemap = true;
      }
  }
  /* list pages */
  for (size_t i = 0; i < d.n; i++) {
    struct pinfo *p = &d.p[i];
    p->column = !p->home && !p->article && !p->sitemap && (p->n_items > 0 || p->pager);
  }
  build_navrefs(&d);
  /* pages without items that navigation names as columns */
  for (size_t i = 0; i < d.n; i++) {
    struct pinfo *p = &d.p[i];
    if (p->home || p->article || p->sitemap || p->column)
      continue;
    bool linked;
    const char *t = nav_text(&d, p->url, &linked);
    if (!linked)
      continue;
    char *title = column_title(&d, p);
    bool named = p->colname || p->empty_marker || gw_col_classify(dict, title, NULL) != GW_COL_OTHER ||
                 (t && gw_col_classify(dict, t, NULL) != GW_COL_OTHER);
    free(title);
    p->column = named;
  }
  /* pagination joins pages into one column */
  for (size_t i = 0; i < d.n; i++) {
    struct pinfo *p = &d.p[i];
    if (!p->column)
      continue;
    for (size_t k = 0; k < p->n_pg; k++) {
      size_t j = find_url(&d, p->pg[k]);
      if (j != SIZE_MAX && j != i && d.p[j].column)
        uf_union(&d, i, j);
    }
  }
  /* groups */
  size_t *gindex = gw_calloc(d.n ? d.n : 1, sizeof *gindex);
  for (size_t i = 0; i < d.n; i++)
    gindex[i] = SIZE_MAX;
  for (size_t i = 0; i < d.n; i++) {
    if (!d.p[i].column)
      continue;
    size_t root = uf_find(&d, i);
    if (gindex[root] == SIZE_MAX) {
      groups = gw_reallocarray(groups, n_groups + 1, sizeof *groups);
      memset(&groups[n_groups], 0, sizeof *groups);
      groups[n_groups].root = root;
      gindex[root] = n_groups++;
    }
    struct grp *g = &groups[gindex[root]];
    g->members = gw_reallocarray(g->members, g->n + 1, sizeof *g->members);
    g->members[g->n++] = i;
  }
  g_member_disc = &d;
  for (size_t k = 0; k < n_groups; k++) {
    qsort(groups[k].members, groups[k].n, sizeof *groups[k].members, member_cmp);
    groups[k].first = groups[k].members[0];
  }
  g_member_disc = NULL;
  /* page -> column index, for breadcrumbs */
  size_t *col_of = gw_calloc(d.n ? d.n : 1, sizeof *col_of);
  for (size_t i = 0; i < d.n; i++)
    col_of[i] = d.p[i].column ? gindex[uf_find(&d, i)] : SIZE_MAX;
  free(gindex);

  r.v = gw_calloc(n_groups ? n_groups : 1, sizeof *r.v);
  r.n = n_groups;
  for (size_t k = 0; k < n_groups; k++) {
    const struct grp *g = &groups[k];
    const struct pinfo *p = &d.p[g->first];
    struct gw_column *c = &r.v[k];
    c->url = gw_strdup(p->url);
    c->title = column_title(&d, p);
    c->pages = gw_calloc(g->n, sizeof *c->pages);
    for (size_t m = 0; m < g->n; m++)
      c->pages[c->n_pages++] = gw_strdup(d.p[g->members[m]].url);
    count_items(&d, g, c);
  }
  /* levels: the breadcrumb, else URL nesting */
  for (size_t k = 0; k < n_groups; k++) {
    const struct pinfo *p = &d.p[groups[k].first];
    struct gw_column *c = &r.v[k];
    if (p->has_crumb) {
      size_t anc = 0;
      const struct nav *last = NULL;
      for (size_t i = 0; i < p->n_crumbs; i++) {
        size_t j = find_url(&d, p->crumbs[i].url);
        if (j != SIZE_MAX && col_of[j] == k)
          continue; /* a link to itself (another page of the column) */
        anc++;
        last = &p->crumbs[i];
      }
      c->level = anc ? (int)anc + 1 : 1;
      c->level_source = gw_strdup("breadcrumb");
      if (last) {
        size_t j = find_url(&d, last->url);
        c->parent_url = gw_strdup(j != SIZE_MAX && col_of[j] != SIZE_MAX ? r.v[col_of[j]].url : last->url);
        c->parent_title = gw_strdup(last->text);
      }
      continue;
    }
    size_t best = SIZE_MAX, best_len = 0, own = dir_len(c->url);
    for (size_t o = 0; o < n_groups; o++) {
      if (o == k)
        continue;
      size_t dl = dir_len(r.v[o].url);
      if (dl < own && dl > best_len && strncmp(r.v[o].url, c->url, dl) == 0 &&
          !(d.home_host && dl <= strlen(d.home_host))) {
        best = o;
        best_len = dl;
      }
    }
    if (best != SIZE_MAX) {
      c->level = 2;
      c->level_source = gw_strdup("url");
      c->parent_url = gw_strdup(r.v[best].url);
      c->parent_title = gw_strdup(r.v[best].title);
    } else {
      c->level = 1;
      c->level_source = gw_strdup("default");
    }
  }
  free(col_of);
  for (size_t k = 0; k < n_groups; k++)
    for (size_t o = 0; o < n_groups; o++)
      if (o != k && r.v[o].parent_url && strcmp(r.v[o].parent_url, r.v[k].url) == 0)
        r.v[k].children++;
  /* class, override, judgement */
  for (size_t k = 0; k < n_groups; k++) {
    struct gw_column *c = &r.v[k];
    c->title_cls = gw_col_classify(dict, c->title, &c->keyword);
    c->cls = c->title_cls;
    for (size_t i = 0; i < n_ov; i++) {
      bool match = same_url(ov[i].url, c->url);
      for (size_t m = 0; m < c->n_pages && !match; m++)
        match = same_url(ov[i].url, c->pages[m]);
      if (match) {
        c->cls = ov[i].cls;
        c->overridden = true;
        c->keyword = NULL;
        c->override_reason = gw_strdup(ov[i].reason ? ov[i].reason : "");
        break;
      }
    }
    judge(dict, d.as_of, c);
  }
  /* order: level-1 columns by crawl order, each followed by its children */
  struct order *ord = gw_calloc(n_groups ? n_groups : 1, sizeof *ord);
  col_ids = gw_calloc(n_groups ? n_groups : 1, sizeof *col_ids);
  for (size_t k = 0; k < n_groups; k++)
    col_ids[k] = d.p[groups[k].first].id;
  for (size_t k = 0; k < n_groups; k++) {
    size_t top = k;
    for (int hop = 0; hop < 8 && r.v[top].parent_url; hop++) {
      size_t up = SIZE_MAX;
      for (size_t o = 0; o < n_groups && up == SIZE_MAX; o++)
        if (strcmp(r.v[o].url, r.v[top].parent_url) == 0)
          up = o;
      if (up == SIZE_MAX || up == top)
        break;
      top = up;
    }
    ord[k].idx = k;
    ord[k].root_id = col_ids[top];
    ord[k].id = col_ids[k];
    ord[k].level = r.v[k].level;
  }
  qsort(ord, n_groups, sizeof *ord, order_cmp);
  struct gw_column *sorted = gw_calloc(n_groups ? n_groups : 1, sizeof *sorted);
  for (size_t k = 0; k < n_groups; k++)
    sorted[k] = r.v[ord[k].idx];
  free(r.v);
  r.v = sorted;
  free(ord);
  for (size_t k = 0; k < r.n; k++) {
    const struct gw_column *c = &r.v[k];
    if (c->state == GW_COLS_STALE)
      r.stale++;
    if (c->state == GW_COLS_EMPTY)
      r.empty++;
    if (c->rule == NULL)
      continue;
    static const char *const keys[5] = {GW_RULE_COLUMN_STALE_DYNAMIC, GW_RULE_COLUMN_STALE_NOTICE_L1,
                                        GW_RULE_COLUMN_STALE_POLICY_L1, GW_RULE_COLUMN_STALE_LONG,
                                        GW_RULE_COLUMN_EMPTY};
    for (int i = 0; i < 5; i++)
      if (strcmp(c->rule, keys[i]) == 0)
        r.by_rule[i]++;
  }
  r.crawl_id = gw_check_view_crawl(v)->id;
  r.as_of = d.as_of;
  r.homepage = d.home_url ? gw_strdup(d.home_url) : NULL;
done:
  for (size_t k = 0; k < n_groups; k++)
    free(groups[k].members);
  free(groups);
  free(col_ids);
  disc_free(&d);
  if (rc != GW_OK) {
    gw_column_report_free(&r);
    return rc;
  }
  *out = r;
  return GW_OK;
}

static json_t *jstr(const char *s)
{
  return s ? json_string(s) : json_null();
}

static json_t *jday(bool has, int64_t day)
{
  if (!has)
    return json_null();
  int y, m, dd;
  gw_civil_from_days(day, &y, &m, &dd);
  char buf[16];
  snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, dd);
  return json_string(buf);
}

json_t *gw_column_json(const struct gw_column *c)
{
  char w[16];
  json_t *j = json_object();
  json_object_set_new(j, "url", jstr(c->url));
  json_object_set_new(j, "title", jstr(c->title));
  json_object_set_new(j, "level", json_integer(c->level));
  json_object_set_new(j, "level_source", jstr(c->level_source));
  json_object_set_new(j, "parent", jstr(c->parent_title));
  json_object_set_new(j, "parent_url", jstr(c->parent_url));
  json_object_set_new(j, "class", json_string(gw_col_class_key(c->cls)));
  json_object_set_new(j, "class_label", json_string(gw_col_class_label(c->cls)));
  json_object_set_new(j, "title_class", json_string(gw_col_class_key(c->title_cls)));
  json_object_set_new(j, "keyword", jstr(c->keyword));
  json_object_set_new(j, "overridden", json_boolean(c->overridden));
  json_object_set_new(j, "override_reason", jstr(c->override_reason));
  json_object_set_new(j, "items", json_integer((json_int_t)c->items));
  json_object_set_new(j, "undated", json_integer((json_int_t)c->undated));
  json_object_set_new(j, "future", json_integer((json_int_t)c->future));
  json_object_set_new(j, "children", json_integer((json_int_t)c->children));
  json_t *pages = json_array();
  for (size_t i = 0; i < c->n_pages; i++)
    json_array_append_new(pages, json_string(c->pages[i]));
  json_object_set_new(j, "pages", pages);
  json_object_set_new(j, "latest", jday(c->has_latest, c->latest));
  json_object_set_new(j, "latest_url", jstr(c->latest_url));
  json_object_set_new(j, "latest_title", jstr(c->latest_title));
  json_object_set_new(j, "window", c->window.n ? json_string(gw_col_window_text(&c->window, w, sizeof w)) : json_null());
  json_object_set_new(j, "window_start", jday(c->window.n > 0, c->window_start));
  json_object_set_new(j, "state", json_string(gw_col_state_key(c->state)));
  json_object_set_new(j, "state_label", json_string(gw_col_state_label(c->state)));
  json_object_set_new(j, "rule", jstr(c->rule));
  json_object_set_new(j, "counts_toward_v4_1", json_boolean(c->veto_v4_1));
  return j;
}
