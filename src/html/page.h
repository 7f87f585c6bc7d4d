/* The page model: what every check reads about one fetched HTML page.
 *
 * gw_page_parse converts the bytes to UTF-8 (html/charset.h), parses them
 * with libxml2's HTML parser (the only code in GovWatch that does) and
 * extracts, read-only from then on: the title, the visible text with byte
 * offsets for evidence snippets, every URL reference with its kind, anchor
 * text, source line, footer membership and whether (and why) it is visually
 * hidden, the <meta> tags, the publish date and where it came from, the
 * items and pagination of list (column) pages, and the footer block with
 * its identifiers (网站标识码, ICP, 公安备案, 党政机关标识, 我为政府网站找错).
 * Hostile input (deep nesting, huge attributes, NUL bytes, broken tags)
 * never fails or hangs a parse; caps on input, links and text truncate the
 * model and set a flag instead. docs/internals/html.md explains the
 * heuristics and their limits. */
#ifndef GW_HTML_PAGE_H
#define GW_HTML_PAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "html/charset.h"
#include "html/dates.h"

/* Offsets that point nowhere (a hidden link's text is not in page->text). */
#define GW_PAGE_NOPOS ((size_t)-1)

/* Default caps (used when the input gives 0). */
#define GW_PAGE_MAX_BYTES (8u << 20)
#define GW_PAGE_MAX_LINKS 20000u
#define GW_PAGE_MAX_TEXT (2u << 20)

/* The element or construct a URL reference came from. */
enum gw_link_kind {
  GW_LINK_A = 0,      /* <a href> */
  GW_LINK_AREA,       /* <area href> */
  GW_LINK_IMG,        /* <img src>, <input type=image src> */
  GW_LINK_SCRIPT,     /* <script src> */
  GW_LINK_STYLESHEET, /* <link rel=stylesheet href> */
  GW_LINK_ICON,       /* <link rel=icon|shortcut icon|apple-touch-icon href> */
  GW_LINK_LINK,       /* any other <link href> (alternate, canonical, ...) */
  GW_LINK_IFRAME,     /* <iframe src> */
  GW_LINK_FRAME,      /* <frame src> */
  GW_LINK_FORM,       /* <form action> */
  GW_LINK_REFRESH,    /* <meta http-equiv=refresh content="N; url=..."> */
  GW_LINK_CSS,        /* url(...) or @import in a style attribute or <style> block */
  GW_LINK_EMBED,      /* <embed src> */
  GW_LINK_OBJECT,     /* <object data> */
  GW_LINK_SOURCE,     /* <source src> */
  GW_LINK_VIDEO,      /* <video src|poster> */
  GW_LINK_AUDIO,      /* <audio src> */
  GW_LINK_KIND_COUNT_
};

/* Short English name of a kind ("a", "img", "stylesheet", ...); never NULL. */
const char *gw_link_kind_name(enum gw_link_kind k);

/* Why a link is visually hidden: a bit set; 0 = visible. Each reason may
 * be on the element itself or an ancestor (see gw_link.hidden_line). */
enum gw_hide {
  GW_HIDE_DISPLAY_NONE = 1u << 0, /* display:none */
  GW_HIDE_VISIBILITY = 1u << 1,   /* visibility:hidden|collapse */
  GW_HIDE_FONT_SIZE = 1u << 2,    /* font-size 0 (or at most 1px) */
  GW_HIDE_ZERO_SIZE = 1u << 3,    /* width or height at most 1px with overflow:hidden */
  GW_HIDE_OFFSCREEN = 1u << 4,    /* position absolute|fixed with left/top <= -500px */
  GW_HIDE_TEXT_INDENT = 1u << 5,  /* text-indent <= -500px */
  GW_HIDE_CLIP = 1u << 6,         /* clip: rect(0 ...) or clip-path inset(50%)/circle(0) collapsed to nothing */
  GW_HIDE_SAME_COLOR = 1u << 7,   /* text colour equal to the background set here or above
                                   * (style attributes, <font color>, bgcolor, .class/#id rules) */
  GW_HIDE_ATTRIBUTE = 1u << 8,    /* the hidden attribute */
  GW_HIDE_INPUT_HIDDEN = 1u << 9, /* type=hidden */
  GW_HIDE_MARQUEE = 1u << 10,     /* <marquee> at most 5px wide or high */
  GW_HIDE_CSS_RULE = 1u << 11,    /* a .class or #id rule in a <style> block of the page hides it */
  GW_HIDE_TINY_FRAME = 1u << 12,  /* inside or being an <iframe>/<frame> at most 2px wide or high */
  GW_HIDE_SCRIPT_WRITE = 1u << 13, /* an anchor written by document.write() in an inline script:
                                    * absent from the markup a reviewer reads (its own CSS bits added) */
  GW_HIDE_COUNT_ = 14
};

/* Write the reasons in `hide` as "display:none,font-size:0" (English CSS
 * terms) into buf; returns buf ("" for 0). */
char *gw_page_hide_describe(unsigned hide, char *buf, size_t size);

/* One URL reference. Strings are owned by the page. */
struct gw_link {
  enum gw_link_kind kind;
  const char *raw;    /* the attribute value as written (entities decoded) */
  const char *url;    /* absolute http(s) URL, resolved against the base, no fragment */
  const char *text;   /* anchor text (collapsed), for img/area the alt or title; "" if none */
  long line;          /* source line of the element (1-based, 0 unknown) */
  bool in_footer;     /* inside the footer block */
  unsigned hidden;    /* enum gw_hide bits; 0 = visible */
  long hidden_line;   /* line of the element that hides it (itself or an ancestor), 0 if visible */
  size_t text_off;    /* offset of the anchor text in page->text, GW_PAGE_NOPOS if not there */
};

/* Which attribute named a <meta>. */
enum gw_meta_attr { GW_META_NAME = 0, GW_META_PROPERTY, GW_META_HTTP_EQUIV };

struct gw_meta {
  enum gw_meta_attr attr;
  const char *name;    /* as written */
  const char *content; /* "" when absent */
  long line;
};

/* Well-known meta fields; gw_page_meta_field tries the usual spellings. */
enum gw_meta_field {
  GW_MF_ARTICLE_TITLE = 0, /* ArticleTitle, og:title */
  GW_MF_PUBDATE,           /* PubDate, publishdate, article:published_time, ... */
  GW_MF_CONTENT_SOURCE,    /* ContentSource, source */
  GW_MF_SITE_NAME,         /* SiteName, og:site_name */
  GW_MF_SITE_DOMAIN,       /* SiteDomain */
  GW_MF_SITE_ID_CODE,      /* SiteIDCode (网站标识码) */
  GW_MF_COLUMN_NAME,       /* ColumnName */
  GW_MF_COLUMN_TYPE,       /* ColumnType */
  GW_MF_KEYWORDS,          /* keywords */
  GW_MF_DESCRIPTION,       /* description, og:description */
  GW_MF_COUNT_
};

/* Where the publish date came from. */
enum gw_pubdate_source {
  GW_PUBDATE_NONE = 0,
  GW_PUBDATE_META,  /* a <meta> (PubDate, publishdate, article:published_time, ...) */
  GW_PUBDATE_LABEL, /* a labelled date (发布时间：...) near the top of the content */
  GW_PUBDATE_TEXT   /* the first plausible date of the main text */
};

/* English name of a source ("none", "meta", "label", "text"). */
const char *gw_pubdate_source_name(enum gw_pubdate_source s);

/* One entry of a list (column) page. */
struct gw_list_item {
  const char *title;  /* the principal anchor's text (its title attribute when the text is cut short with ...) */
  const char *url;    /* its absolute URL */
  bool has_date;
  struct gw_date_hit date; /* offsets relative to page->text; valid when has_date */
  long line;          /* source line of the anchor */
  size_t link;        /* index of the anchor in page->links */
};

/* Pagination of a list page. */
struct gw_pagination {
  const char *next;   /* the next page's URL, NULL if none found */
  const char **urls;  /* every page URL found (links and generated), distinct, in order */
  size_t n_urls;
  int total;          /* total number of pages when the page shows it, 0 if unknown */
  int current;        /* the current page (1-based) when known, 0 if unknown */
};

/* The footer block and what it identifies. */
struct gw_footer {
  bool found;
  const char *text;       /* its visible text; "" if not found */
  size_t text_off;        /* offset of text in page->text */
  long line;              /* source line of the footer element */
  const char *site_code;  /* 网站标识码 (10 digits, or bm + 8 digits), NULL if none */
  const char *icp;        /* ICP number as written, e.g. 浙ICP备05012345号-1, NULL if none */
  const char *psb;        /* 公安备案 number, e.g. 浙公网安备33012202000123号, NULL if none */
  bool has_conac;         /* a 党政机关网站标识 (link or script to *.conac.cn, or its image) on the page */
  bool has_jiucuo;        /* a 我为政府网站找错 entry (text, or link/script with zfwzgl or jiucuo) on the page */
};

/* One <form>, for the checks that must use a page's forms (the search box). */
struct gw_form {
  const char *action;  /* absolute URL of the action (the page's base when empty or absent) */
  const char *method;  /* "get" or "post", lower case ("get" when absent or unknown) */
  const char *query;   /* name of its first text or search <input> (type text, search or none), NULL if none */
  long line;           /* source line of the <form> */
  unsigned hidden;     /* enum gw_hide bits of the form element */
};

/* Forms kept per page (more are counted in n_forms_skipped). */
#define GW_PAGE_MAX_FORMS 64u

/* The parse input. Strings are borrowed for the call. */
struct gw_page_input {
  const char *url;          /* final URL of the response (absolute http or https); required */
  const char *data;         /* the raw body */
  size_t len;
  const char *content_type; /* Content-Type header value, may be NULL */
  int64_t as_of;            /* the inspection's as-of time (dates without a year) */
  size_t max_bytes;         /* input cap, 0 = GW_PAGE_MAX_BYTES */
  size_t max_links;         /* link cap, 0 = GW_PAGE_MAX_LINKS */
  size_t max_text;          /* visible text cap in bytes, 0 = GW_PAGE_MAX_TEXT */
};

struct gw_page_priv;

/* A parsed page; every string is UTF-8, owned by the page, never NULL unless
 * a field says so. Read-only after gw_page_parse. */
struct gw_page {
  const char *url;         /* the input URL (normalised by libcurl) */
  const char *base;        /* <base href> resolved, else url */
  const char *title;       /* <title>, trimmed, white space collapsed */
  const char *text;        /* visible text: block elements on their own lines, blanks collapsed */
  size_t text_len;
  struct gw_charset_info charset;
  struct gw_link *links;   /* in document order */
  size_t n_links;
  size_t n_skipped;        /* references not kept: javascript:, mailto:, tel:, data:, unresolvable */
  struct gw_meta *metas;
  size_t n_metas;
  int64_t pubdate;         /* valid when pubdate_source != NONE */
  enum gw_pubdate_source pubdate_source;
  struct gw_date_hit pubdate_hit; /* for LABEL and TEXT: offsets in text; for META: in the meta content */
  struct gw_list_item *items;     /* list items when the page looks like a column page */
  size_t n_items;
  struct gw_pagination pages;
  struct gw_footer footer;
  struct gw_form *forms;   /* in document order, at most GW_PAGE_MAX_FORMS */
  size_t n_forms;
  size_t n_forms_skipped;  /* forms past the cap or with an unusable action */
  bool input_truncated;    /* the body was longer than max_bytes */
  bool links_truncated;    /* more references than max_links */
  bool text_truncated;     /* the visible text reached max_text */
  struct gw_page_priv *priv;
};

/* Parse a fetched page. in->url must be an absolute http(s) URL (else
 * GW_EINVAL naming it); everything about the body is handled: empty or
 * unparseable bodies give an empty model, oversized ones a truncated model
 * with the flags set. On success *out is a new page to free with
 * gw_page_free; on failure *out is untouched. */
int gw_page_parse(struct gw_page **out, const struct gw_page_input *in);

/* Free a page and set *p to NULL; NULL and *p == NULL are fine. */
void gw_page_free(struct gw_page **p);

/* The content of the first <meta> whose name, property or http-equiv equals
 * `name` (ASCII case-insensitive), or NULL. */
const char *gw_page_meta(const struct gw_page *p, const char *name);

/* The first non-empty content among the usual spellings of a field, or NULL. */
const char *gw_page_meta_field(const struct gw_page *p, enum gw_meta_field f);

/* A snippet of page->text around [off, off + len): up to `context` bytes
 * either side, cut on UTF-8 boundaries, newlines shown as " / ", written
 * into buf (always terminated); returns buf. */
char *gw_page_snippet(const struct gw_page *p, size_t off, size_t len, size_t context, char *buf,
                      size_t size);

#endif
