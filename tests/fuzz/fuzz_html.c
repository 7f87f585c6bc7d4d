/* Fuzz the page model: gw_page_parse on arbitrary bytes must not crash,
 * hang or leak, and the model must keep its contract: every link URL is
 * absolute http(s), every string is valid UTF-8, offsets point into the
 * text, caps hold. The first byte picks the Content-Type and the caps so
 * labelled, unlabelled and capped parses are all reached. */
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "fuzz.h"
#include "html/page.h"

static void utf8(const char *s)
{
  if (!s || !gw_utf8_valid(s, strlen(s)))
    abort();
}

static void check_url(const char *u)
{
  if (!u || (strncmp(u, "http://", 7) != 0 && strncmp(u, "https://", 8) != 0))
    abort();
  if (strchr(u, '#') || strchr(u, ' '))
    abort();
  utf8(u);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static const char *const types[] = {NULL, "text/html", "text/html; charset=utf-8",
                                      "text/html; charset=gbk", "text/html; charset=big5",
                                      "text/html; charset=utf-16le"};
  unsigned sel = size ? data[0] : 0;
  struct gw_page_input in = {
    .url = "http://www.qingxi.gov.cn/col/col1/index.html",
    .data = (const char *)data,
    .len = size,
    .content_type = types[sel % 6],
    .as_of = 1743393600, /* 2025-03-31 12:00 +08:00 */
    .max_links = (sel & 0x40) ? 16 : 0,
    .max_text = (sel & 0x80) ? 256 : 0,
  };
  struct gw_page *p = NULL;
  if (gw_page_parse(&p, &in) != 0 || !p)
    abort();
  check_url(p->url);
  check_url(p->base);
  utf8(p->title);
  utf8(p->text);
  if (strlen(p->text) != p->text_len)
    abort();
  size_t max_text = in.max_text ? in.max_text : GW_PAGE_MAX_TEXT;
  size_t max_links = in.max_links ? in.max_links : GW_PAGE_MAX_LINKS;
  if (p->text_len > max_text || p->n_links > max_links)
    abort();
  for (size_t i = 0; i < p->n_links; i++) {
    const struct gw_link *l = &p->links[i];
    check_url(l->url);
    utf8(l->raw);
    utf8(l->text);
    if ((unsigned)l->kind >= GW_LINK_KIND_COUNT_)
      abort();
    if (l->text_off != GW_PAGE_NOPOS && l->text_off >= p->text_len)
      abort();
    if ((l->hidden != 0) != (l->hidden_line != 0))
      abort();
    if (l->hidden && l->text_off != GW_PAGE_NOPOS)
      abort();
  }
  for (size_t i = 0; i < p->n_metas; i++) {
    utf8(p->metas[i].name);
    utf8(p->metas[i].content);
  }
  for (size_t i = 0; i < p->n_items; i++) {
    const struct gw_list_item *it = &p->items[i];
    utf8(it->title);
    check_url(it->url);
    if (it->link >= p->n_links || strcmp(p->links[it->link].url, it->url) != 0)
      abort();
    if (it->has_date && it->date.offset + it->date.length > p->text_len)
      abort();
  }
  if (p->pubdate_source == GW_PUBDATE_LABEL || p->pubdate_source == GW_PUBDATE_TEXT) {
    if (p->pubdate_hit.offset + p->pubdate_hit.length > p->text_len ||
        p->pubdate != p->pubdate_hit.time)
      abort();
  }
  for (size_t i = 0; i < p->pages.n_urls; i++)
    check_url(p->pages.urls[i]);
  if (p->pages.next)
    check_url(p->pages.next);
  utf8(p->footer.text);
  if (p->footer.found && p->footer.text_off + strlen(p->footer.text) > p->text_len)
    abort();
  if (!p->footer.found && p->footer.text[0])
    abort();
  if (p->footer.site_code)
    utf8(p->footer.site_code);
  if (p->footer.icp)
    utf8(p->footer.icp);
  if (p->footer.psb)
    utf8(p->footer.psb);
  char snip[128];
  gw_page_snippet(p, p->text_len / 2, 10, 20, snip, sizeof snip);
  utf8(snip);
  gw_page_free(&p);
  if (p)
    abort();
  return 0;
}
