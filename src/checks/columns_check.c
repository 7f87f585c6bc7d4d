/* The checks "columns.update" and "homepage.update", and the homepage
 * judgement (see checks/columns.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/columns.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/error.h"
#include "core/str.h"
#include "store/column_store.h"

static int64_t day_of(int64_t t)
{
  struct gw_civil c;
  gw_civil_from_time(t, &c);
  return gw_days_from_civil(c.year, c.month, c.day);
}

static void day_text(int64_t day, char *buf, size_t size)
{
  int y, m, d;
  gw_civil_from_days(day, &y, &m, &d);
  snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
}

/* ---- the homepage ---- */

void gw_homepage_update_clear(struct gw_homepage_update *h)
{
  if (!h)
    return;
  free(h->url);
  free(h->latest_url);
  free(h->latest_text);
  free(h->new_link);
  free(h->new_link_text);
  memset(h, 0, sizeof *h);
}

static void take(struct gw_homepage_update *h, int64_t day, const char *url, const char *text)
{
  if (h->has_latest && day <= h->latest)
    return;
  h->has_latest = true;
  h->latest = day;
  free(h->latest_url);
  free(h->latest_text);
  h->latest_url = gw_strdup(url ? url : "");
  h->latest_text = gw_strdup(text ? text : "");
}

struct home_rows {
  int64_t home_id;
  int64_t home_fetched;
  int64_t *depth1;
  size_t n1;
};

static int home_row(void *ctx, const struct gw_crawl_url *u)
{
  struct home_rows *r = ctx;
  if (u->kind != GW_URL_PAGE || !u->internal)
    return 0;
  if (!((u->http_status >= 200 && u->http_status < 300) || u->http_status == 304))
    return 0;
  if (u->depth == 0 && !r->home_id) {
    r->home_id = u->id;
    r->home_fetched = u->fetched_at;
  }
  else if (u->depth == 1) {
    r->depth1 = gw_reallocarray(r->depth1, r->n1 + 1, sizeof *r->depth1);
    r->depth1[r->n1++] = u->id;
  }
  return 0;
}

/* Is a date at text offset `off` on a line holding a visible, non-footer
 * link? Returns that link, or NULL. */
static const struct gw_link *line_link(const struct gw_page *p, size_t off)
{
  size_t ls = off, le = off;
  while (ls > 0 && p->text[ls - 1] != '\n')
    ls--;
  while (le < p->text_len && p->text[le] != '\n')
    le++;
  if (p->footer.found && off >= p->footer.text_off && off < p->footer.text_off + strlen(p->footer.text))
    return NULL;
  for (size_t i = 0; i < p->n_links; i++) {
    const struct gw_link *l = &p->links[i];
    if (l->kind == GW_LINK_A && !l->in_footer && !l->hidden && l->text_off != GW_PAGE_NOPOS && l->text_off >= ls &&
        l->text_off < le)
      return l;
  }
  return NULL;
}

/* A date shown on the homepage next to a link. */
struct shown {
  int64_t day;
  bool inferred; /* written without a year */
  char *url, *text;
};

/* The dates on the homepage's lines that hold a link (outside the footer);
 * *n their count. The page may be evicted from the view's cache later, so
 * everything is copied. */
static struct shown *page_dates(const struct gw_page *p, int64_t as_of, size_t *n)
{
  struct shown *v = NULL;
  size_t k = 0;
  struct gw_date_iter it;
  struct gw_date_hit hit;
  gw_date_extract_iter(&it, p->text, p->text_len, as_of);
  while (gw_date_extract_next(&it, &hit)) {
    const struct gw_link *l = line_link(p, hit.offset);
    if (!l)
      continue;
    v = gw_reallocarray(v, k + 1, sizeof *v);
    v[k].day = gw_days_from_civil(hit.civil.year, hit.civil.month, hit.civil.day);
    v[k].inferred = hit.year_inferred;
    v[k].url = gw_strdup(l->url);
    v[k].text = gw_strdup(l->text);
    k++;
  }
  *n = k;
  return v;
}

/* A date written without a year ([06-22]) is only a guess (the latest such
 * day not after the as-of time): the linked article's own publish date,
 * when the crawl has it, says which year. */
static int settle_year(struct gw_check_view *v, struct shown *s)
{
  struct gw_crawl_url u;
  memset(&u, 0, sizeof u);
  int rc = gw_check_view_url_find(v, s->url, &u);
  if (rc == GW_ENOTFOUND) {
    gw_err_clear();
    return GW_OK;
  }
  if (rc != GW_OK)
    return rc;
  const struct gw_page *p;
  rc = gw_check_view_page(v, u.id, &p);
  gw_crawl_url_clear(&u);
  if (rc == GW_ENOTFOUND) {
    gw_err_clear();
    return GW_OK;
  }
  if (rc != GW_OK)
    return rc;
  if (p->pubdate_source == GW_PUBDATE_META || p->pubdate_source == GW_PUBDATE_LABEL) {
    int64_t d = day_of(p->pubdate);
    int y, m, dd, y2, m2, d2;
    gw_civil_from_days(d, &y, &m, &dd);
    gw_civil_from_days(s->day, &y2, &m2, &d2);
    if (m == m2 && dd == d2) /* the same day of another year */
      s->day = d;
  }
  return GW_OK;
}

/* ---- content history ---- */

struct linkset {
  char **url;
  char **text;
  size_t n;
  int64_t fetched_at;
};

static void linkset_free(struct linkset *l)
{
  for (size_t i = 0; i < l->n; i++) {
    free(l->url[i]);
    free(l->text[i]);
  }
  free(l->url);
  free(l->text);
  memset(l, 0, sizeof *l);
}

/* The visible non-footer <a> links of a page. */
static void linkset_of(const struct gw_page *p, struct linkset *out)
{
  memset(out, 0, sizeof *out);
  for (size_t i = 0; i < p->n_links; i++) {
    const struct gw_link *l = &p->links[i];
    if (l->kind != GW_LINK_A || l->in_footer || l->hidden)
      continue;
    out->url = gw_reallocarray(out->url, out->n + 1, sizeof *out->url);
    out->text = gw_reallocarray(out->text, out->n + 1, sizeof *out->text);
    out->url[out->n] = gw_strdup(l->url);
    out->text[out->n] = gw_strdup(l->text);
    out->n++;
  }
}

static bool linkset_has(const struct linkset *l, const char *url)
{
  for (size_t i = 0; i < l->n; i++)
    if (strcmp(l->url[i], url) == 0)
      return true;
  return false;
}

struct first_home {
  struct gw_crawl_url u;
  bool found;
};

static int first_home_row(void *ctx, const struct gw_crawl_url *u)
{
  struct first_home *f = ctx;
  if (u->kind != GW_URL_PAGE || u->depth != 0)
    return 0;
  if (u->state != GW_URL_DONE || !u->body_id || u->http_status < 200 || u->http_status >= 300)
    return 1; /* the homepage, without a usable answer */
  f->u.id = u->id;
  f->u.body_id = u->body_id;
  f->u.fetched_at = u->fetched_at;
  f->u.url = gw_strdup(u->final_url ? u->final_url : u->url);
  f->u.content_type = u->content_type ? gw_strdup(u->content_type) : NULL;
  f->found = true;
  return 1;
}

/* The homepage links of an earlier crawl; *found false when it has none. */
static int old_home(struct gw_store *st, const struct gw_crawl *c, int64_t as_of, struct linkset *out, bool *found)
{
  struct first_home f;
  memset(&f, 0, sizeof f);
  *found = false;
  int rc = gw_store_crawl_url_each(st, c->id, 0, first_home_row, &f);
  if (rc == 1)
    rc = GW_OK;
  if (rc != GW_OK || !f.found) {
    gw_crawl_url_clear(&f.u);
    return rc;
  }
  char *data = NULL;
  size_t len = 0;
  rc = gw_store_body_get(st, f.u.body_id, &data, &len);
  if (rc == GW_OK) {
    struct gw_page_input in;
    memset(&in, 0, sizeof in);
    in.url = f.u.url;
    in.data = data;
    in.len = len;
    in.content_type = f.u.content_type;
    in.as_of = as_of;
    struct gw_page *p = NULL;
    rc = gw_page_parse(&p, &in);
    if (rc == GW_OK) {
      linkset_of(p, out);
      out->fetched_at = f.u.fetched_at;
      *found = true;
    } else if (rc == GW_EINVAL) { /* a URL the parser refuses: no history from it */
      gw_err_clear();
      rc = GW_OK;
    }
    gw_page_free(&p);
  }
  free(data);
  gw_crawl_url_clear(&f.u);
  return rc;
}

/* Walk back through the site's earlier crawls to the newest change. */
static int history(struct gw_check_view *v, const struct gw_page *home, int64_t home_fetched, int64_t as_of,
                   struct gw_homepage_update *h)
{
  const struct gw_crawl *cur = gw_check_view_crawl(v);
  struct gw_store *st = gw_check_view_store(v);
  struct gw_crawl_list l = {NULL, 0};
  int rc = gw_store_crawl_list(st, cur->site_id, &l);
  if (rc != GW_OK)
    return rc;
  struct linkset newer, older;
  linkset_of(home, &newer);
  newer.fetched_at = home_fetched;
  int64_t newer_crawl = cur->id;
  memset(&older, 0, sizeof older);
  for (size_t k = l.n; k-- > 0 && rc == GW_OK && h->history_crawls < GW_HOMEPAGE_HISTORY;) {
    const struct gw_crawl *c = &l.v[k];
    if (c->id >= cur->id || c->state != GW_CRAWL_DONE)
      continue;
    bool found;
    rc = old_home(st, c, as_of, &older, &found);
    if (rc != GW_OK || !found || older.fetched_at > as_of || older.fetched_at >= newer.fetched_at) {
      linkset_free(&older);
      continue;
    }
    h->history_crawls++;
    size_t fresh = 0, first = SIZE_MAX;
    for (size_t i = 0; i < newer.n; i++) {
      if (linkset_has(&older, newer.url[i]))
        continue;
      bool dup = false; /* the same link twice on the page counts once */
      for (size_t j = 0; j < i && !dup; j++)
        dup = strcmp(newer.url[j], newer.url[i]) == 0;
      if (dup)
        continue;
      fresh++;
      if (first == SIZE_MAX)
        first = i;
    }
    if (fresh) {
      h->changed = true;
      h->changed_at = newer.fetched_at;
      h->changed_crawl = newer_crawl;
      h->new_links = fresh;
      h->new_link = gw_strdup(newer.url[first]);
      h->new_link_text = gw_strdup(newer.text[first]);
      linkset_free(&older);
      break;
    }
    linkset_free(&newer);
    newer = older;
    newer_crawl = c->id;
    memset(&older, 0, sizeof older);
  }
  linkset_free(&newer);
  linkset_free(&older);
  gw_crawl_list_free(&l);
  return rc;
}

int gw_homepage_update_analyze(struct gw_check_view *v, const struct gw_col_dict *d, struct gw_homepage_update *out)
{
  struct home_rows rows;
  memset(&rows, 0, sizeof rows);
  struct gw_homepage_update h;
  memset(&h, 0, sizeof h);
  int64_t as_of = gw_check_view_as_of(v), as_of_day = day_of(as_of);
  int rc = gw_check_view_urls(v, GW_URL_DONE, home_row, &rows);
  if (rc != GW_OK)
    goto done;
  if (!rows.home_id) {
    rc = gw_err_set(GW_ENOTFOUND, "crawl %lld has no homepage that answered",
                    (long long)gw_check_view_crawl(v)->id);
    goto done;
  }
  const struct gw_page *home;
  if ((rc = gw_check_view_page(v, rows.home_id, &home)) != GW_OK)
    goto done;
  h.url = gw_strdup(home->url);
  h.window = gw_col_dict_homepage_window(d);
  h.window_start = gw_col_window_start(&h.window, as_of);
  if ((rc = history(v, home, rows.home_fetched, as_of, &h)) != GW_OK)
    goto done;
  if ((rc = gw_check_view_page(v, rows.home_id, &home)) != GW_OK) /* history may have evicted it */
    goto done;
  size_t n_shown = 0;
  struct shown *shown = page_dates(home, as_of, &n_shown);
  for (size_t i = 0; i < n_shown && rc == GW_OK; i++) {
    if (shown[i].inferred)
      rc = settle_year(v, &shown[i]);
    if (rc == GW_OK && shown[i].day <= as_of_day) {
      h.dated++;
      take(&h, shown[i].day, shown[i].url, shown[i].text);
    }
  }
  for (size_t i = 0; i < n_shown; i++) {
    free(shown[i].url);
    free(shown[i].text);
  }
  free(shown);
  if (rc != GW_OK)
    goto done;
  if (h.dated == 0) {
    /* a navigation page: every second-level page */
    h.navigation_only = true;
    for (size_t i = 0; i < rows.n1 && rc == GW_OK; i++) {
      const struct gw_page *p;
      rc = gw_check_view_page(v, rows.depth1[i], &p);
      if (rc == GW_ENOTFOUND) {
        gw_err_clear();
        rc = GW_OK;
        continue;
      }
      if (rc != GW_OK)
        break;
      h.pages++;
      for (size_t k = 0; k < p->n_items; k++) {
        const struct gw_list_item *it = &p->items[k];
        if (!it->has_date)
          continue;
        int64_t day = gw_days_from_civil(it->date.civil.year, it->date.civil.month, it->date.civil.day);
        if (day > as_of_day)
          continue;
        h.dated++;
        take(&h, day, it->url, it->title);
      }
      if (p->pubdate_source != GW_PUBDATE_NONE) {
        int64_t day = day_of(p->pubdate);
        if (day <= as_of_day) {
          h.dated++;
          take(&h, day, p->url, p->title);
        }
      }
    }
    if (rc != GW_OK)
      goto done;
  }
  h.stale = (!h.has_latest || h.latest < h.window_start) && !(h.changed && day_of(h.changed_at) >= h.window_start);
done:
  free(rows.depth1);
  if (rc != GW_OK) {
    gw_homepage_update_clear(&h);
    return rc;
  }
  *out = h;
  return GW_OK;
}

/* ---- the checks ---- */

static int load_dict(struct gw_col_dict **d)
{
  int rc = gw_col_dict_load(gw_col_dict_default_dir(), d);
  if (rc != GW_OK)
    return gw_err_prefix(rc, "column dictionary (set GW_DICT_DIR to the directory holding columns/)");
  return GW_OK;
}

/* The site's overrides as analysis input; *keep owns their strings. */
static int load_overrides(struct gw_check_ctx *ctx, struct gw_column_override_list *keep,
                          struct gw_col_override_in **out)
{
  int rc = gw_store_column_override_list(gw_check_view_store(ctx->view), ctx->site->id, keep);
  if (rc != GW_OK)
    return rc;
  struct gw_col_override_in *in = gw_calloc(keep->n ? keep->n : 1, sizeof *in);
  for (size_t i = 0; i < keep->n; i++) {
    in[i].url = keep->v[i].url;
    in[i].reason = keep->v[i].reason;
    if (gw_col_class_parse(keep->v[i].cls, &in[i].cls) != GW_OK) {
      rc = gw_err_prefix(GW_EINVAL, "column override of %s (site %lld): stored class", keep->v[i].url,
                         (long long)ctx->site->id);
      free(in);
      return rc;
    }
  }
  *out = in;
  return GW_OK;
}

int gw_columns_site_report(struct gw_check_view *v, int64_t site_id, const struct gw_col_dict *d,
                           struct gw_column_report *out)
{
  struct gw_column_override_list keep = {NULL, 0};
  struct gw_check_ctx ctx;
  memset(&ctx, 0, sizeof ctx);
  struct gw_site site;
  memset(&site, 0, sizeof site);
  site.id = site_id;
  ctx.site = &site;
  ctx.view = v;
  struct gw_col_override_in *in = NULL;
  int rc = load_overrides(&ctx, &keep, &in);
  if (rc == GW_OK)
    rc = gw_columns_analyze(v, d, in, keep.n, out);
  free(in);
  gw_column_override_list_free(&keep);
  return rc;
}

static const char *level_label(int level)
{
  return level <= 1 ? "一级" : "二级";
}

static int emit_column(struct gw_check_ctx *ctx, const struct gw_column *c)
{
  char latest[16] = "", wtext[16], start[16] = "";
  if (c->has_latest)
    day_text(c->latest, latest, sizeof latest);
  gw_col_window_text(&c->window, wtext, sizeof wtext);
  if (c->window.n > 0)
    day_text(c->window_start, start, sizeof start);
  struct gw_buf key = GW_BUF_INIT, loc = GW_BUF_INIT, detail = GW_BUF_INIT, title = GW_BUF_INIT;
  gw_buf_printf(&key, "column|%s", c->url);
  gw_buf_printf(&loc, "栏目：%s（%s%s）", c->title, level_label(c->level),
                c->parent_title ? "" : "");
  if (c->parent_title)
    gw_buf_printf(&loc, "，上级栏目：%s", c->parent_title);
  const char *cls = gw_col_class_label(c->cls);
  if (c->state == GW_COLS_EMPTY) {
    gw_buf_printf(&title, "空白栏目：%s", c->title);
    gw_buf_printf(&detail, "%s栏目“%s”（%s%s）共 %zu 个列表页，没有任何信息条目（有栏目无内容）。", level_label(c->level),
                  c->title, cls, c->overridden ? "，检查人员指定" : "", c->n_pages);
  } else {
    const char *what = c->veto_v4_1 ? (c->cls == GW_COL_NEWS ? "动态要闻类栏目超过2周未更新"
                                       : c->cls == GW_COL_NOTICE ? "通知公告类一级栏目超过6个月未更新"
                                                                 : "政策文件类一级栏目超过6个月未更新")
                                    : "应更新栏目长期未更新";
    gw_buf_printf(&title, "%s：%s", what, c->title);
    gw_buf_printf(&detail, "%s栏目“%s”（%s%s，更新期限 %s）共 %zu 条信息，", level_label(c->level), c->title, cls,
                  c->overridden ? "，检查人员指定" : "", wtext, c->items);
    if (c->has_latest)
      gw_buf_printf(&detail, "最新一条发布于 %s（%s），早于期限起点 %s。", latest,
                    c->latest_title ? c->latest_title : "", start);
    else
      gw_buf_printf(&detail, "均无发布日期（无日期的信息视为未更新），期限起点 %s。", start);
    if (c->undated && c->has_latest)
      gw_buf_printf(&detail, "另有 %zu 条没有发布日期。", c->undated);
  }
  char asof[32];
  gw_date_format(ctx->as_of, asof, sizeof asof);
  gw_buf_printf(&detail, "监测时间点 %s。", asof);
  json_t *obs = gw_column_json(c);
  char *obs_text = json_dumps(obs, JSON_COMPACT | JSON_SORT_KEYS);
  json_decref(obs);
  struct gw_finding f;
  memset(&f, 0, sizeof f);
  f.rule = (char *)c->rule;
  f.severity = c->veto_v4_1 || c->state == GW_COLS_EMPTY ? GW_SEV_VETO : GW_SEV_DEDUCT;
  f.key = (char *)gw_buf_cstr(&key);
  f.url = c->url;
  f.target = c->url;
  f.locator = (char *)gw_buf_cstr(&loc);
  f.snippet = c->latest_title;
  f.title = (char *)gw_buf_cstr(&title);
  f.detail = (char *)gw_buf_cstr(&detail);
  f.observed_json = obs_text;
  int rc = gw_check_emit(ctx, &f);
  free(obs_text);
  gw_buf_free(&key);
  gw_buf_free(&loc);
  gw_buf_free(&detail);
  gw_buf_free(&title);
  return rc;
}

static int columns_update_run(struct gw_check_ctx *ctx)
{
  struct gw_col_dict *d = NULL;
  struct gw_column_report r;
  memset(&r, 0, sizeof r);
  int rc = load_dict(&d);
  if (rc == GW_OK)
    rc = gw_columns_site_report(ctx->view, ctx->site->id, d, &r);
  for (size_t i = 0; rc == GW_OK && i < r.n; i++)
    if (r.v[i].rule)
      rc = emit_column(ctx, &r.v[i]);
  gw_column_report_free(&r);
  gw_col_dict_free(&d);
  return rc;
}

static int homepage_update_run(struct gw_check_ctx *ctx)
{
  struct gw_col_dict *d = NULL;
  struct gw_homepage_update h;
  memset(&h, 0, sizeof h);
  int rc = load_dict(&d);
  if (rc == GW_OK) {
    rc = gw_homepage_update_analyze(ctx->view, d, &h);
    if (rc == GW_ENOTFOUND) { /* no homepage answered: availability's business, not this check's */
      gw_err_clear();
      gw_col_dict_free(&d);
      return GW_OK;
    }
  }
  if (rc == GW_OK && h.stale) {
    char latest[16] = "", start[16], asof[32], wtext[16];
    if (h.has_latest)
      day_text(h.latest, latest, sizeof latest);
    day_text(h.window_start, start, sizeof start);
    gw_date_format(ctx->as_of, asof, sizeof asof);
    gw_col_window_text(&h.window, wtext, sizeof wtext);
    struct gw_buf detail = GW_BUF_INIT;
    if (h.navigation_only)
      gw_buf_printf(&detail, "首页为导航页（未显示带日期的信息），已查看 %zu 个二级页面：", h.pages);
    else
      gw_buf_printf(&detail, "首页显示的带日期信息共 %zu 条：", h.dated);
    if (h.has_latest)
      gw_buf_printf(&detail, "最新日期 %s（%s），早于期限起点 %s。", latest, h.latest_text, start);
    else
      gw_buf_printf(&detail, "均无可识别的发布日期。");
    if (h.history_crawls && h.changed) {
      char ch[32];
      gw_time_format(h.changed_at, ch, sizeof ch);
      gw_buf_printf(&detail, "与此前 %zu 次抓取的首页相比，最近一次出现新链接是 %s（%zu 个，如“%s”），也早于期限起点。",
                    h.history_crawls, ch, h.new_links, h.new_link_text ? h.new_link_text : "");
    } else if (h.history_crawls) {
      gw_buf_printf(&detail, "与此前 %zu 次抓取的首页相比，没有出现新链接。", h.history_crawls);
    }
    gw_buf_printf(&detail, "监测时间点 %s，期限 %s。", asof, wtext);
    json_t *o = json_object();
    json_object_set_new(o, "homepage", json_string(h.url));
    json_object_set_new(o, "navigation_only", json_boolean(h.navigation_only));
    json_object_set_new(o, "latest", h.has_latest ? json_string(latest) : json_null());
    json_object_set_new(o, "latest_url", h.has_latest ? json_string(h.latest_url) : json_null());
    json_object_set_new(o, "latest_title", h.has_latest ? json_string(h.latest_text) : json_null());
    json_object_set_new(o, "dated", json_integer((json_int_t)h.dated));
    json_object_set_new(o, "pages", json_integer((json_int_t)h.pages));
    json_object_set_new(o, "history_crawls", json_integer((json_int_t)h.history_crawls));
    if (h.changed) {
      char ch[32];
      gw_time_format_iso(h.changed_at, ch, sizeof ch);
      json_object_set_new(o, "changed_at", json_string(ch));
      json_object_set_new(o, "changed_crawl", json_integer((json_int_t)h.changed_crawl));
      json_object_set_new(o, "new_links", json_integer((json_int_t)h.new_links));
      json_object_set_new(o, "new_link", json_string(h.new_link));
    } else {
      json_object_set_new(o, "changed_at", json_null());
    }
    json_object_set_new(o, "window", json_string(wtext));
    json_object_set_new(o, "window_start", json_string(start));
    char *obs = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(o);
    struct gw_finding f;
    memset(&f, 0, sizeof f);
    f.rule = (char *)GW_RULE_HOMEPAGE_STALE;
    f.severity = GW_SEV_VETO;
    f.key = (char *)"homepage";
    f.url = h.url;
    f.target = h.has_latest ? h.latest_url : NULL;
    f.locator = (char *)(h.navigation_only ? "首页（导航页）及二级页面" : "首页");
    f.snippet = h.has_latest ? h.latest_text : NULL;
    f.title = (char *)"首页超过2周无更新";
    f.detail = (char *)gw_buf_cstr(&detail);
    f.observed_json = obs;
    rc = gw_check_emit(ctx, &f);
    free(obs);
    gw_buf_free(&detail);
  }
  gw_homepage_update_clear(&h);
  gw_col_dict_free(&d);
  return rc;
}

static const char *const g_column_rules[] = {GW_RULE_COLUMN_STALE_DYNAMIC, GW_RULE_COLUMN_STALE_NOTICE_L1,
                                             GW_RULE_COLUMN_STALE_POLICY_L1, GW_RULE_COLUMN_STALE_LONG,
                                             GW_RULE_COLUMN_EMPTY, NULL};
static const char *const g_homepage_rules[] = {GW_RULE_HOMEPAGE_STALE, NULL};

const struct gw_check gw_check_columns_update = {
  .id = "columns.update",
  .title = "栏目更新",
  .summary = "columns not updated within their class's window (动态要闻 2 weeks, 通知公告/政策文件 6 months, "
             "basic information 1 year) and columns without content",
  .rules = g_column_rules,
  .needs = GW_CHECK_NEEDS_CRAWL,
  .run = columns_update_run,
};

const struct gw_check gw_check_homepage_update = {
  .id = "homepage.update",
  .title = "首页更新",
  .summary = "a homepage showing no new information within 2 weeks (a navigation homepage: its second-level pages)",
  .rules = g_homepage_rules,
  .needs = GW_CHECK_NEEDS_CRAWL,
  .run = homepage_update_run,
};
