/* Publication statistics per source unit (pubstats.h). */
#include "checks/pubstats.h"

#include <stdlib.h>
#include <string.h>

#include "checks/check.h"
#include "checks/sitepages.h"
#include "core/alloc.h"
#include "core/date.h"
#include "core/error.h"
#include "core/str.h"

#define SOURCE_MAX 90 /* bytes of a 来源 text kept */

static const struct gw_unit *unit_by_id(const struct gw_unit_list *all, int64_t id)
{
  for (size_t i = 0; i < all->n; i++)
    if (all->v[i].id == id)
      return &all->v[i];
  return NULL;
}

/* The unit's name without the name of its nearest ancestor that prefixes
 * it (青溪县教育局 under 青溪县 -> 教育局), and through *level that
 * ancestor's last character (县), which a source may write before the short
 * name (县教育局). NULL when no ancestor prefixes it. */
static const char *short_name(const struct gw_unit *u, const struct gw_unit_list *all, const char **level,
                              size_t *level_len)
{
  int guard = 0;
  for (const struct gw_unit *p = unit_by_id(all, u->parent_id); p && guard < 64;
       p = unit_by_id(all, p->parent_id), guard++) {
    size_t n = strlen(p->name);
    if (n == 0 || strncmp(u->name, p->name, n) != 0 || !u->name[n])
      continue;
    size_t k = n - 1;
    while (k > 0 && ((unsigned char)p->name[k] & 0xC0) == 0x80)
      k--;
    *level = p->name + k;
    *level_len = n - k;
    return u->name + n;
  }
  return NULL;
}

long gw_pubstats_attribute(const char *source, const struct gw_unit *units, size_t n, const struct gw_unit_list *all)
{
  long best = -1;
  size_t best_score = 0;
  size_t sl = strlen(source);
  for (size_t i = 0; i < n; i++) {
    const char *name = units[i].name;
    size_t nl = strlen(name), score = 0;
    if (sl == nl && strcmp(source, name) == 0) {
      score = 3 * nl + 2;
    } else if (sl > nl && strncmp(source, name, nl) == 0) {
      score = 3 * nl;
    } else {
      const char *level = NULL;
      size_t level_len = 0;
      const char *sh = short_name(&units[i], all, &level, &level_len);
      size_t shl = sh ? strlen(sh) : 0;
      if (shl >= 6 && sl >= shl && strcmp(source + sl - shl, sh) == 0 &&
          (sl == shl || (sl - shl == level_len && strncmp(source, level, level_len) == 0)))
        score = 3 * shl + 1;
    }
    if (score > best_score) {
      best_score = score;
      best = (long)i;
    }
  }
  return best;
}

/* The 来源 of a page: meta ContentSource, else the text after 来源：. */
static char *page_source(const struct gw_page *p)
{
  const char *m = gw_page_meta_field(p, GW_MF_CONTENT_SOURCE);
  if (m && *m) {
    char *s = gw_strndup(m, strnlen(m, SOURCE_MAX));
    char *t = gw_str_trim(s);
    if (!*t) {
      free(s);
      return NULL;
    }
    memmove(s, t, strlen(t) + 1);
    return s;
  }
  static const char *const labels[] = {"来源：", "来源:", NULL};
  for (size_t i = 0; labels[i]; i++) {
    const char *hit = strstr(p->text, labels[i]);
    if (!hit)
      continue;
    const char *s = hit + strlen(labels[i]);
    while (*s == ' ' || strncmp(s, "　", 3) == 0)
      s += *s == ' ' ? 1 : 3;
    const char *e = s;
    while (*e && *e != ' ' && *e != '\n' && *e != '\t' && *e != '|' && strncmp(e, "　", 3) != 0 &&
           (size_t)(e - s) < SOURCE_MAX)
      e++;
    if (e > s)
      return gw_strndup(s, (size_t)(e - s));
  }
  return NULL;
}

static bool is_article(const struct gw_page *p)
{
  if (p->n_items > 2)
    return false;
  return p->pubdate_source == GW_PUBDATE_META || p->pubdate_source == GW_PUBDATE_LABEL;
}

static bool under(const struct gw_unit *u, int64_t root, const struct gw_unit_list *all)
{
  int guard = 0;
  for (const struct gw_unit *p = u; p && guard < 64; p = unit_by_id(all, p->parent_id), guard++)
    if (p->id == root)
      return true;
  return false;
}

static int cmp_unit(const void *a, const void *b)
{
  const struct gw_pubstats_unit *x = a, *y = b;
  if (x->articles != y->articles)
    return x->articles > y->articles ? -1 : 1;
  return strcmp(x->name, y->name);
}

static int cmp_source(const void *a, const void *b)
{
  const struct gw_pubstats_source *x = a, *y = b;
  if (x->articles != y->articles)
    return x->articles > y->articles ? -1 : 1;
  return strcmp(x->source, y->source);
}

void gw_pubstats_free(struct gw_pubstats *s)
{
  if (!s)
    return;
  for (size_t i = 0; i < s->n_units; i++)
    free(s->units[i].name);
  free(s->units);
  for (size_t i = 0; i < s->n_other; i++)
    free(s->other[i].source);
  free(s->other);
  memset(s, 0, sizeof *s);
}

static void add_other(struct gw_pubstats *s, const char *src, size_t *cap)
{
  for (size_t i = 0; i < s->n_other; i++)
    if (strcmp(s->other[i].source, src) == 0) {
      s->other[i].articles++;
      return;
    }
  if (s->n_other == *cap) {
    *cap = *cap ? *cap * 2 : 8;
    s->other = gw_reallocarray(s->other, *cap, sizeof *s->other);
  }
  s->other[s->n_other].source = gw_strdup(src);
  s->other[s->n_other].articles = 1;
  s->n_other++;
}

int gw_pubstats_compute(struct gw_store *st, int64_t site_id, int year, int quarter, const struct gw_pubstats_opts *o,
                        struct gw_pubstats *out)
{
  if (quarter < 1 || quarter > 4)
    return gw_err_set(GW_EINVAL, "pubstats: quarter %d is not 1-4", quarter);
  if (year < 1990 || year > 2199)
    return gw_err_set(GW_EINVAL, "pubstats: year %d is out of range 1990-2199", year);
  int target = o && o->target ? o->target : GW_PUBSTATS_TARGET_DEFAULT;
  int floor_ = o && o->floor ? o->floor : GW_PUBSTATS_FLOOR_DEFAULT;
  if ((o && (o->target < 0 || o->floor < 0)))
    return gw_err_set(GW_EINVAL, "pubstats: target %d and floor %d must not be negative", o->target, o->floor);
  struct gw_site site;
  struct gw_crawl crawl;
  struct gw_unit_list all = {0};
  struct gw_check_view *v = NULL;
  struct gw_sitepages sp;
  struct gw_pubstats s;
  memset(&site, 0, sizeof site);
  memset(&crawl, 0, sizeof crawl);
  memset(&sp, 0, sizeof sp);
  memset(&s, 0, sizeof s);
  bool have_site = false, have_crawl = false;
  size_t cap_other = 0;
  int rc = gw_store_site_get(st, site_id, &site);
  if (rc != GW_OK)
    goto out;
  have_site = true;
  rc = gw_store_crawl_last(st, site_id, true, &crawl);
  if (rc == GW_ENOTFOUND)
    rc = gw_err_set(GW_ENOTFOUND, "pubstats: %s (%s) has no finished crawl (govwatch crawl %s)", site.name, site.url,
                    site.code ? site.code : "");
  if (rc != GW_OK)
    goto out;
  have_crawl = true;
  if ((rc = gw_store_unit_list(st, &all)) != GW_OK)
    goto out;
  s.site_id = site_id;
  s.crawl_id = crawl.id;
  s.year = year;
  s.quarter = quarter;
  s.target = target;
  s.floor = floor_;
  gw_quarter_bounds(year, quarter, &s.start, &s.end);
  /* the candidates: the site's unit and every unit under it */
  struct gw_unit *cand = gw_calloc(all.n ? all.n : 1, sizeof *cand);
  size_t nc = 0;
  for (size_t i = 0; i < all.n; i++)
    if (under(&all.v[i], site.unit_id, &all))
      cand[nc++] = all.v[i]; /* shallow: names stay owned by `all` */
  s.units = gw_calloc(nc ? nc : 1, sizeof *s.units);
  s.n_units = nc;
  for (size_t i = 0; i < nc; i++) {
    s.units[i].unit_id = cand[i].id;
    s.units[i].name = gw_strdup(cand[i].name);
  }
  if ((rc = gw_check_view_open(&v, st, crawl.id, 0)) == GW_OK)
    rc = gw_sitepages_collect(v, &sp);
  for (size_t i = 0; i < sp.n && rc == GW_OK; i++) {
    if (sp.v[i].id == sp.home_id)
      continue;
    const struct gw_page *p = NULL;
    rc = gw_check_view_page(v, sp.v[i].id, &p);
    if (rc == GW_ENOTFOUND) {
      gw_err_clear();
      rc = GW_OK;
      continue;
    }
    if (rc != GW_OK || !is_article(p) || p->pubdate < s.start || p->pubdate >= s.end)
      continue;
    s.articles++;
    char *src = page_source(p);
    if (!src) {
      s.no_source++;
      continue;
    }
    long k = gw_pubstats_attribute(src, cand, nc, &all);
    if (k >= 0) {
      s.units[k].articles++;
      s.attributed++;
    } else {
      add_other(&s, src, &cap_other);
    }
    free(src);
  }
  free(cand);
  if (rc != GW_OK)
    goto out;
  for (size_t i = 0; i < s.n_units; i++) {
    s.units[i].at_target = s.units[i].articles >= (size_t)target;
    s.units[i].below_floor = s.units[i].articles < (size_t)floor_;
  }
  if (s.n_units > 1)
    qsort(s.units, s.n_units, sizeof *s.units, cmp_unit);
  if (s.n_other > 1)
    qsort(s.other, s.n_other, sizeof *s.other, cmp_source);
  *out = s;
  memset(&s, 0, sizeof s);
out:
  gw_pubstats_free(&s);
  gw_sitepages_free(&sp);
  gw_check_view_free(&v);
  gw_unit_list_free(&all);
  if (have_crawl)
    gw_crawl_clear(&crawl);
  if (have_site)
    gw_site_clear(&site);
  return rc;
}

json_t *gw_pubstats_json(const struct gw_pubstats *s)
{
  char a[32], b[32];
  json_t *j = json_object();
  json_object_set_new(j, "site_id", json_integer(s->site_id));
  json_object_set_new(j, "crawl_id", json_integer(s->crawl_id));
  char q[16];
  snprintf(q, sizeof q, "%dQ%d", s->year, s->quarter);
  json_object_set_new(j, "quarter", json_string(q));
  json_object_set_new(j, "from", json_string(gw_date_format(s->start, a, sizeof a)));
  json_object_set_new(j, "to", json_string(gw_date_format(s->end - 1, b, sizeof b)));
  json_object_set_new(j, "target", json_integer(s->target));
  json_object_set_new(j, "floor", json_integer(s->floor));
  json_object_set_new(j, "articles", json_integer((json_int_t)s->articles));
  json_object_set_new(j, "attributed", json_integer((json_int_t)s->attributed));
  json_object_set_new(j, "no_source", json_integer((json_int_t)s->no_source));
  json_t *u = json_array();
  for (size_t i = 0; i < s->n_units; i++) {
    json_t *o = json_object();
    json_object_set_new(o, "unit_id", json_integer(s->units[i].unit_id));
    json_object_set_new(o, "unit", json_string(s->units[i].name));
    json_object_set_new(o, "articles", json_integer((json_int_t)s->units[i].articles));
    json_object_set_new(o, "at_target", json_boolean(s->units[i].at_target));
    json_object_set_new(o, "below_floor", json_boolean(s->units[i].below_floor));
    json_array_append_new(u, o);
  }
  json_object_set_new(j, "units", u);
  json_t *ot = json_array();
  for (size_t i = 0; i < s->n_other; i++) {
    json_t *o = json_object();
    json_object_set_new(o, "source", json_string(s->other[i].source));
    json_object_set_new(o, "articles", json_integer((json_int_t)s->other[i].articles));
    json_array_append_new(ot, o);
  }
  json_object_set_new(j, "unattributed", ot);
  return j;
}
