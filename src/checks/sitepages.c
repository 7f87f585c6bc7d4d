/* The fetched HTML pages of a crawl (sitepages.h). */
#include "checks/sitepages.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "fetch/url.h"

bool gw_sitepages_row_ok(const struct gw_crawl_url *u)
{
  if (u->state != GW_URL_DONE)
    return false;
  if (u->http_status >= 200 && u->http_status <= 299)
    return true;
  return u->http_status == 304 && u->reused_id;
}

struct collect {
  struct gw_sitepages *p;
  size_t cap;
};

static int on_row(void *ctx, const struct gw_crawl_url *u)
{
  struct collect *c = ctx;
  if (u->kind != GW_URL_PAGE || !u->internal || !u->parsed || !gw_sitepages_row_ok(u))
    return 0;
  struct gw_sitepages *p = c->p;
  if (p->n == c->cap) {
    c->cap = c->cap ? c->cap * 2 : 256;
    p->v = gw_reallocarray(p->v, c->cap, sizeof *p->v);
  }
  p->v[p->n].id = u->id;
  p->v[p->n].url = gw_strdup(u->url);
  p->v[p->n].depth = u->depth;
  p->n++;
  if (!p->home_id && u->depth == 0) {
    p->home_id = u->id;
    p->home_url = gw_strdup(u->url);
  }
  return 0;
}

void gw_sitepages_free(struct gw_sitepages *p)
{
  if (!p)
    return;
  for (size_t i = 0; i < p->n; i++)
    free(p->v[i].url);
  free(p->v);
  free(p->home_url);
  memset(p, 0, sizeof *p);
}

int gw_sitepages_collect(struct gw_check_view *v, struct gw_sitepages *out)
{
  struct gw_sitepages p;
  memset(&p, 0, sizeof p);
  struct collect c = {&p, 0};
  int rc = gw_check_view_urls(v, GW_URL_DONE, on_row, &c);
  if (rc != GW_OK) {
    gw_sitepages_free(&p);
    return rc;
  }
  *out = p;
  return GW_OK;
}

int gw_sitepages_find(struct gw_check_view *v, const char *url, struct gw_crawl_url *out)
{
  char *norm = NULL;
  if (gw_url_normalize(NULL, url, &norm) != GW_OK) {
    gw_err_clear();
    return GW_ENOTFOUND;
  }
  int rc = gw_check_view_url_find(v, norm, out);
  if (rc == GW_ENOTFOUND)
    gw_err_clear();
  free(norm);
  return rc;
}

size_t gw_sitepages_chars(const char *s)
{
  size_t n = 0;
  for (; s && *s; s++)
    if (((unsigned char)*s & 0xC0) != 0x80)
      n++;
  return n;
}
