/* Internals shared by the page model's source files (page.c: parse, walk,
 * text and links; page_style.c: CSS and hiding; page_extract.c: publish
 * date, footer, list items, pagination). Not for use outside src/html. */
#ifndef GW_HTML_PAGE_INT_H
#define GW_HTML_PAGE_INT_H

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "html/page.h"
#include "html/phrases.h"

struct gw_arena_chunk;

/* What the walk learns about each element; element nodes point at theirs
 * through xmlNode._private. Indexes are the document (pre-)order. */
struct gw_einfo {
  xmlNode *node;
  size_t parent;      /* index of the parent element, SIZE_MAX for a root */
  size_t last;        /* index of the last element inside this one (itself when empty) */
  size_t text_start;  /* this element's visible text is text[text_start, text_end) */
  size_t text_end;
  size_t link_first;  /* links created inside it are [link_first, link_end) */
  size_t link_end;
  unsigned hidden;    /* effective enum gw_hide bits (own and inherited) */
  long hidden_line;   /* line of the element that hid it */
  uint32_t bg;        /* nearest background colour (0xRRGGBB), when has_bg */
  bool has_bg;
  bool skip;          /* not rendered as text (script, style, head, template, ...) */
  unsigned char tag_id;    /* page.c's tag table: which known tag, if any */
  unsigned char tag_flags; /* and its skip/block/cell flags */
};

/* A CSS rule of the page's <style> blocks that hides elements by class or id. */
struct gw_css_hide {
  char *name;         /* class or id, as written */
  bool is_id;
  unsigned hide;      /* enum gw_hide bits of its declarations */
  bool has_color, has_bg; /* colour and background set by its rules (the last one wins) */
  uint32_t color, bg;
};

struct gw_page_priv {
  struct gw_arena_chunk *arena;
  xmlDoc *doc;                  /* freed at the end of gw_page_parse */
  struct gw_einfo *el;
  size_t n_el;
  struct gw_css_hide *css;      /* open-addressing table, size css_cap (power of 2) */
  size_t css_cap, n_css;
  size_t *link_el;              /* element index of each link */
  size_t footer_el;             /* element index of the footer, SIZE_MAX if none */
  size_t marker_el;             /* element holding the last footer marker, SIZE_MAX if none */
  void *base_h;                 /* CURLU of the base URL (parse time only) */
  char *scripts;                /* inline script text (capped), for pagination and conac */
  size_t scripts_len;
  int64_t as_of;
  /* element names seen, by their pointer into the document's dictionary
   * (libxml2 interns them: one pointer per name in a document), and what
   * the tag table says of each (NULL: not in it) */
  struct {
    const void *name;
    const void *info;
  } tag_seen[64];
};

/* Text that marks a footer block (版权所有, 主办单位, 网站标识码, ICP备, ...),
 * one set for the walk and the footer finder (page.c). */
extern struct gw_phrases gw_page_footer_markers;

/* Arena strings: live as long as the page. */
char *gw_page_strndup(struct gw_page *p, const char *s, size_t n);
char *gw_page_strdup(struct gw_page *p, const char *s);
/* The largest length <= max (and <= n) that ends s on a UTF-8 character
 * boundary. */
size_t gw_page_utf8_cut(const char *s, size_t n, size_t max);

/* Decoded parse of a CSS declaration block (a style attribute or a rule). */
struct gw_style {
  unsigned hide;      /* reasons decided by this block alone */
  bool has_color, has_bg;
  uint32_t color, bg;
  bool tiny_box;      /* width or height at most 5px (for <marquee>) */
  bool tiny_frame;    /* width or height at most 2px (for <iframe>) */
};

/* Parse declarations "a:b; c:d" from css[0..len). */
void gw_page_style_parse(const char *css, size_t len, struct gw_style *st);
/* Parse a colour value (#rgb, #rrggbb, rgb(), a few names); false if none. */
bool gw_page_color_parse(const char *s, size_t len, uint32_t *rgb);
/* Read the <style> block text into the class/id hide table. */
void gw_page_css_collect(struct gw_page *p, const char *css, size_t len);
/* Hide bits from the class/id rules that apply to an element. */
unsigned gw_page_css_lookup(const struct gw_page *p, const char *cls, const char *id);
/* The colour and background the class/id rules give an element (only the
 * has_color/color/has_bg/bg fields of *out are set; the rest is zeroed). */
void gw_page_css_colors(const struct gw_page *p, const char *cls, const char *id, struct gw_style *out);
/* Call fn for every url(...) and @import "..." in css[0..len), with the
 * number of newlines before it. */
void gw_page_css_urls(const char *css, size_t len,
                      void (*fn)(void *ctx, const char *url, size_t n, long line_delta), void *ctx);

/* The anchors that document.write()/writeln() string literals in the
 * inline script js[0..len) write (page_script.c): fn gets each href as
 * written, its anchor text, the source line of the first write (line =
 * the script element's line) and the enum gw_hide bits the written markup
 * itself gives the anchor. */
void gw_page_script_writes(const char *js, size_t len, long line,
                           void (*fn)(void *ctx, const char *href, const char *text, long line, unsigned hide),
                           void *ctx);

/* Extraction passes run after the walk (page_extract.c). */
void gw_page_find_footer(struct gw_page *p);
void gw_page_find_pubdate(struct gw_page *p);
void gw_page_find_list(struct gw_page *p);
void gw_page_find_pagination(struct gw_page *p);

/* Attribute value helpers over libxml2 nodes. */
const char *gw_page_attr(xmlNode *n, const char *name);
bool gw_page_tag_is(const xmlNode *n, const char *name);
/* Resolve raw against the page base into an arena string; NULL when it is
 * not an http(s) reference. */
const char *gw_page_resolve(struct gw_page *p, const char *raw);
/* ASCII case-insensitive strstr (strcasestr is a GNU extension). */
const char *gw_page_istrstr(const char *hay, const char *needle);
/* Whether the id or class attribute of n contains one of the words
 * (ASCII case-insensitive substring match). */
bool gw_page_attr_has_word(xmlNode *n, const char *const *words);

#endif
