/* Anchors written by document.write() / document.writeln() in an inline
 * script. Spam-link injectors favour them because the links are not in the
 * markup a reviewer reads, and a crawler that does not run scripts never
 * sees them either. This is not a JavaScript engine: only string literals
 * ('...', "...", `...` without ${}) joined with + are taken; a variable or
 * a call inside the argument ends that argument. The writes of one script
 * are joined (injectors split a tag over several writes), parsed as an HTML
 * fragment with libxml2, and every <a href> in it is reported with the
 * hiding its own markup gives it (inline styles, the hidden attribute, a
 * tiny marquee). docs/internals/html.md lists the limits. */
#include <ctype.h>
#include <libxml/HTMLparser.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/utf8.h"
#include "html/page_int.h"

/* The most script-written HTML looked at per script element. */
#define WRITES_MAX (256u << 10)
#define ANCHOR_MAX 1024

static int hexv(int c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  c = tolower(c);
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

/* Read `count` hex digits at s (within end); -1 if they are not there. */
static long hex_run(const char *s, const char *end, int count)
{
  long v = 0;
  for (int i = 0; i < count; i++) {
    if (s + i >= end || hexv((unsigned char)s[i]) < 0)
      return -1;
    v = v * 16 + hexv((unsigned char)s[i]);
  }
  return v;
}

/* One string literal starting at *pp (on its quote): its value appended to
 * out with escapes decoded; *pp moves past it. False when it is not a
 * closed literal (or a template literal with ${}). */
static bool literal(const char **pp, const char *end, struct gw_buf *out)
{
  const char *p = *pp;
  char q = *p++;
  while (p < end && *p != q) {
    char c = *p++;
    if (q == '`' && c == '$' && p < end && *p == '{')
      return false;
    if (c == '\n' && q != '`')
      return false;
    if (c != '\\') {
      gw_buf_putc(out, c);
      continue;
    }
    if (p >= end)
      return false;
    c = *p++;
    long v;
    char u[4];
    switch (c) {
    case 'n':
      gw_buf_putc(out, '\n');
      break;
    case 't':
      gw_buf_putc(out, '\t');
      break;
    case 'r':
      break;
    case '\n':
      break; /* a line continuation */
    case 'x':
      v = hex_run(p, end, 2);
      if (v < 0)
        return false;
      p += 2;
      gw_buf_append(out, u, gw_utf8_encode((uint32_t)v, u));
      break;
    case 'u':
      v = hex_run(p, end, 4);
      if (v < 0)
        return false;
      p += 4;
      if (v >= 0xD800 && v <= 0xDFFF)
        v = 0xFFFD; /* surrogate halves are not joined; anchors never need them */
      gw_buf_append(out, u, gw_utf8_encode((uint32_t)v, u));
      break;
    default:
      gw_buf_putc(out, c); /* \' \" \\ \/ and anything else: the character */
      break;
    }
  }
  if (p >= end)
    return false;
  *pp = p + 1;
  return true;
}

/* The literals of one call's argument list starting after '('. */
static void call_args(const char *p, const char *end, struct gw_buf *out)
{
  for (;;) {
    while (p < end && isspace((unsigned char)*p))
      p++;
    if (p >= end || (*p != '\'' && *p != '"' && *p != '`'))
      return;
    if (!literal(&p, end, out))
      return;
    while (p < end && isspace((unsigned char)*p))
      p++;
    if (p >= end || *p != '+')
      return;
    p++;
  }
}

struct frag_walk {
  void (*fn)(void *ctx, const char *href, const char *text, long line, unsigned hide);
  void *ctx;
  long line;
};

static unsigned own_hide(xmlNode *n)
{
  unsigned h = 0;
  const char *style = gw_page_attr(n, "style");
  struct gw_style st = {0};
  if (style) {
    gw_page_style_parse(style, strlen(style), &st);
    h |= st.hide;
  }
  if (gw_page_attr(n, "hidden"))
    h |= GW_HIDE_ATTRIBUTE;
  if (gw_page_tag_is(n, "marquee")) {
    const char *wd = gw_page_attr(n, "width"), *ht = gw_page_attr(n, "height");
    if ((wd && strtol(wd, NULL, 10) <= 5 && isdigit((unsigned char)*wd)) ||
        (ht && strtol(ht, NULL, 10) <= 5 && isdigit((unsigned char)*ht)) || st.tiny_box)
      h |= GW_HIDE_MARQUEE;
  }
  return h;
}

/* The text of an element with white space collapsed, capped. */
static void node_text(xmlNode *n, struct gw_buf *b)
{
  for (xmlNode *c = n->children; c && b->len < ANCHOR_MAX; c = c->next) {
    if (c->type == XML_TEXT_NODE && c->content) {
      for (const char *s = (const char *)c->content; *s && b->len < ANCHOR_MAX; s++) {
        bool sp = isspace((unsigned char)*s);
        if (sp && (b->len == 0 || b->data[b->len - 1] == ' '))
          continue;
        gw_buf_putc(b, sp ? ' ' : *s);
      }
    } else if (c->type == XML_ELEMENT_NODE) {
      node_text(c, b);
    }
  }
}

static void frag_visit(struct frag_walk *fw, xmlNode *n, unsigned hide, int depth)
{
  for (; n; n = n->next) {
    if (n->type != XML_ELEMENT_NODE)
      continue;
    unsigned h = hide | own_hide(n);
    if (gw_page_tag_is(n, "a")) {
      const char *href = gw_page_attr(n, "href");
      if (href) {
        struct gw_buf t = GW_BUF_INIT;
        node_text(n, &t);
        while (t.len && t.data[t.len - 1] == ' ')
          t.len--;
        size_t keep = gw_page_utf8_cut(t.len ? t.data : "", t.len, ANCHOR_MAX);
        gw_buf_putc(&t, '\0');
        t.data[keep] = '\0';
        fw->fn(fw->ctx, href, t.data, fw->line, h);
        gw_buf_free(&t);
      }
    }
    if (depth < 64)
      frag_visit(fw, n->children, h, depth + 1);
  }
}

void gw_page_script_writes(const char *js, size_t len, long line,
                           void (*fn)(void *ctx, const char *href, const char *text, long line, unsigned hide),
                           void *ctx)
{
  struct gw_buf html = GW_BUF_INIT;
  const char *end = js + len, *p = js;
  long first_line = 0, lines = 0;
  const char *counted = js;
  while (p < end && html.len < WRITES_MAX) {
    const char *hit = NULL;
    for (const char *q = p; q + 14 <= end; q++) {
      if (*q == 'd' && memcmp(q, "document.write", 14) == 0) {
        hit = q;
        break;
      }
    }
    if (!hit)
      break;
    const char *a = hit + 14;
    if (a + 2 <= end && memcmp(a, "ln", 2) == 0)
      a += 2;
    while (a < end && isspace((unsigned char)*a))
      a++;
    p = a;
    if (a >= end || *a != '(')
      continue;
    size_t before = html.len;
    call_args(a + 1, end, &html);
    if (html.len > before && first_line == 0) {
      for (; counted < hit; counted++)
        if (*counted == '\n')
          lines++;
      first_line = line + lines;
    }
  }
  if (html.len == 0) {
    gw_buf_free(&html);
    return;
  }
  if (!gw_page_istrstr(gw_buf_cstr(&html), "<a")) {
    gw_buf_free(&html);
    return;
  }
  const int opts = HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                   HTML_PARSE_NOIMPLIED;
  htmlDocPtr doc = htmlReadMemory(html.data, (int)html.len, NULL, "UTF-8", opts);
  if (doc) {
    struct frag_walk fw = {fn, ctx, first_line};
    frag_visit(&fw, doc->children, 0, 0);
    xmlFreeDoc(doc);
  }
  gw_buf_free(&html);
}
