/* Publication statistics (checks/pubstats.h): attribution of sources to
 * register units, the quarter's bounds, target and floor, and errors. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/pubstats.h"
#include "checks_fixture.h"
#include "tap.h"

#define HOST "http://www.example.gov.cn"

static int64_t add_unit(struct fx *x, const char *name, int64_t parent, enum gw_unit_kind kind)
{
  struct gw_unit u;
  memset(&u, 0, sizeof u);
  u.name = (char *)name;
  u.parent_id = parent;
  u.kind = kind;
  if (gw_store_unit_insert(x->st, &u))
    fx_die(name);
  return u.id;
}

static void add_article(struct fx *x, int n, const char *pubdate, const char *meta_source, const char *text_source)
{
  char url[128], mid[1024], title[64];
  snprintf(url, sizeof url, HOST "/art/%d.html", n);
  snprintf(title, sizeof title, "第%d篇文章", n);
  snprintf(mid, sizeof mid, "%s%s%s<meta name=\"PubDate\" content=\"%s\"><h1>%s</h1><p>%s%s</p><p>正文。</p>",
           meta_source ? "<meta name=\"ContentSource\" content=\"" : "", meta_source ? meta_source : "",
           meta_source ? "\">" : "", pubdate, title, text_source ? "来源：" : "", text_source ? text_source : "");
  char *page = fx_page(title, mid);
  struct fx_row r;
  memset(&r, 0, sizeof r);
  r.url = url;
  r.internal = true;
  r.depth = 2;
  r.state = GW_URL_DONE;
  r.status = 200;
  r.body = page;
  fx_add(x, x->crawl_id, &r);
  free(page);
}

static const struct gw_pubstats_unit *unit_named(const struct gw_pubstats *s, const char *name)
{
  for (size_t i = 0; i < s->n_units; i++)
    if (strcmp(s->units[i].name, name) == 0)
      return &s->units[i];
  return NULL;
}

int main(void)
{
  struct fx x;
  fx_open(&x);
  /* the register: 青溪县 with two bureaus and a town; the site belongs to the county */
  int64_t county = add_unit(&x, "青溪县", 0, GW_UNIT_REGION);
  add_unit(&x, "青溪县教育局", county, GW_UNIT_DEPARTMENT);
  add_unit(&x, "青溪县卫生健康局", county, GW_UNIT_DEPARTMENT);
  add_unit(&x, "青溪县青溪镇人民政府", county, GW_UNIT_TOWN);
  x.site.unit_id = county;
  CHECK_INT(gw_store_site_update(x.st, &x.site), GW_OK);

  struct gw_unit_list all = {0};
  CHECK_INT(gw_store_unit_list(x.st, &all), GW_OK);
  long k = gw_pubstats_attribute("县教育局", all.v, all.n, &all);
  CHECK(k >= 0 && strcmp(all.v[k].name, "青溪县教育局") == 0);
  k = gw_pubstats_attribute("教育局", all.v, all.n, &all);
  CHECK(k >= 0 && strcmp(all.v[k].name, "青溪县教育局") == 0);
  k = gw_pubstats_attribute("青溪县人民政府办公室", all.v, all.n, &all);
  CHECK(k >= 0 && strcmp(all.v[k].name, "青溪县") == 0);
  CHECK_INT(gw_pubstats_attribute("新华社", all.v, all.n, &all), -1);
  CHECK_INT(gw_pubstats_attribute("市教育局", all.v, all.n, &all), -1); /* the city's bureau is not the county's */
  gw_unit_list_free(&all);

  /* 2025Q1: Jan 1 00:00 .. Mar 31 23:59 */
  add_article(&x, 1, "2025-01-01 00:00", "青溪县教育局", NULL);
  add_article(&x, 2, "2025-02-10 10:00", NULL, "县教育局");
  add_article(&x, 3, "2025-03-31 23:59", "教育局", NULL);
  add_article(&x, 4, "2025-03-02 10:00", "青溪县卫生健康局", NULL);
  add_article(&x, 5, "2025-03-03 10:00", "新华社", NULL);
  add_article(&x, 6, "2025-03-04 10:00", NULL, NULL);
  add_article(&x, 7, "2024-12-31 23:59", "青溪县教育局", NULL); /* the quarter before */
  add_article(&x, 8, "2025-04-01 00:00", "青溪县教育局", NULL); /* the quarter after */

  struct gw_pubstats_opts o = {3, 2};
  struct gw_pubstats s;
  CHECK_INT(gw_pubstats_compute(x.st, x.site_id, 2025, 1, &o, &s), GW_OK);
  CHECK_INT(s.articles, 6);
  CHECK_INT(s.attributed, 4);
  CHECK_INT(s.no_source, 1);
  CHECK_INT(s.n_units, 4);
  const struct gw_pubstats_unit *u = unit_named(&s, "青溪县教育局");
  CHECK(u && u->articles == 3 && u->at_target && !u->below_floor);
  u = unit_named(&s, "青溪县卫生健康局");
  CHECK(u && u->articles == 1 && !u->at_target && u->below_floor);
  u = unit_named(&s, "青溪县青溪镇人民政府");
  CHECK(u && u->articles == 0 && u->below_floor);
  CHECK_STR(s.units[0].name, "青溪县教育局"); /* most articles first */
  CHECK_INT(s.n_other, 1);
  CHECK_STR(s.other[0].source, "新华社");
  json_t *j = gw_pubstats_json(&s);
  CHECK_STR(json_string_value(json_object_get(j, "quarter")), "2025Q1");
  CHECK_STR(json_string_value(json_object_get(j, "to")), "2025-03-31");
  CHECK_INT(json_integer_value(json_object_get(j, "target")), 3);
  json_decref(j);
  gw_pubstats_free(&s);

  /* defaults */
  CHECK_INT(gw_pubstats_compute(x.st, x.site_id, 2025, 2, NULL, &s), GW_OK);
  CHECK_INT(s.articles, 1);
  CHECK_INT(s.target, GW_PUBSTATS_TARGET_DEFAULT);
  CHECK_INT(s.floor, GW_PUBSTATS_FLOOR_DEFAULT);
  gw_pubstats_free(&s);

  /* errors */
  CHECK_INT(gw_pubstats_compute(x.st, x.site_id, 2025, 5, NULL, &s), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "quarter 5");
  struct gw_pubstats_opts bad = {-1, 0};
  CHECK_INT(gw_pubstats_compute(x.st, x.site_id, 2025, 1, &bad, &s), GW_EINVAL);
  CHECK_INT(gw_pubstats_compute(x.st, 99999, 2025, 1, NULL, &s), GW_ENOTFOUND);
  int64_t other = fx_site(&x, "没有抓取的网站", "http://other.example.gov.cn/", "3399229002");
  CHECK_INT(gw_pubstats_compute(x.st, other, 2025, 1, NULL, &s), GW_ENOTFOUND);
  CHECK_CONTAINS(gw_err_msg(), "has no finished crawl");
  fx_close(&x);
  return gw_test_done();
}
