/* CSS as far as the page model needs it: inline style declarations that
 * hide an element, colours (for text coloured like its background), the
 * .class / #id rules of the page's own <style> blocks that hide, and the
 * url(...) references of style attributes and blocks. This is not a CSS
 * engine: no cascade, no specificity, no external stylesheets; see
 * docs/internals/html.md for what that misses. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/str.h"
#include "html/page_int.h"

/* Thresholds in CSS pixels (see enum gw_hide). */
#define FAR_NEGATIVE_PX (-500.0)
#define TINY_PX 1.0
#define TINY_BOX_PX 5.0
#define TINY_FRAME_PX 2.0
#define CSS_RULES_MAX 4096

static const struct { const char *name; uint32_t rgb; } COLOR_NAMES[] = {
  {"black", 0x000000}, {"white", 0xFFFFFF}, {"red", 0xFF0000}, {"green", 0x008000},
  {"blue", 0x0000FF}, {"yellow", 0xFFFF00}, {"gray", 0x808080}, {"grey", 0x808080},
  {"silver", 0xC0C0C0}, {"orange", 0xFFA500}, {"purple", 0x800080}, {"navy", 0x000080},
  {"maroon", 0x800000}, {"lime", 0x00FF00}, {"aqua", 0x00FFFF}, {"cyan", 0x00FFFF},
  {"fuchsia", 0xFF00FF}, {"magenta", 0xFF00FF}, {"teal", 0x008080}, {"olive", 0x808000},
  {"whitesmoke", 0xF5F5F5}, {"snow", 0xFFFAFA}, {"ivory", 0xFFFFF0},
};

static int hexv(int c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  c = tolower(c);
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

bool gw_page_color_parse(const char *s, size_t len, uint32_t *rgb)
{
  while (len && isspace((unsigned char)*s)) {
    s++;
    len--;
  }
  while (len && isspace((unsigned char)s[len - 1]))
    len--;
  if (len == 0 || len > 64)
    return false;
  if (s[0] == '#') {
    int d[6];
    if (len != 4 && len != 7)
      return false;
    for (size_t i = 1; i < len; i++)
      if ((d[i - 1] = hexv((unsigned char)s[i])) < 0)
        return false;
    if (len == 4)
      *rgb = (uint32_t)(d[0] * 17) << 16 | (uint32_t)(d[1] * 17) << 8 | (uint32_t)(d[2] * 17);
    else
      *rgb = (uint32_t)(d[0] << 20 | d[1] << 16 | d[2] << 12 | d[3] << 8 | d[4] << 4 | d[5]);
    return true;
  }
  if (len > 4 && strncasecmp(s, "rgb", 3) == 0) {
    const char *p = memchr(s, '(', len);
    if (!p)
      return false;
    p++;
    long v[4] = {0, 0, 0, 1};
    int n = 0;
    const char *end = s + len;
    while (p < end && n < 4) {
      while (p < end && (isspace((unsigned char)*p) || *p == ','))
        p++;
      if (p >= end || *p == ')')
        break;
      char *e;
      double x = strtod(p, &e);
      if (e == p || e > end)
        return false;
      v[n++] = (long)x;
      p = e;
      if (p < end && *p == '%')
        return false;
    }
    if (n < 3)
      return false;
    if (n == 4 && v[3] == 0 && strncasecmp(s, "rgba", 4) == 0)
      return false; /* fully transparent: no colour */
    for (int i = 0; i < 3; i++)
      if (v[i] < 0 || v[i] > 255)
        return false;
    *rgb = (uint32_t)(v[0] << 16 | v[1] << 8 | v[2]);
    return true;
  }
  for (size_t i = 0; i < sizeof COLOR_NAMES / sizeof COLOR_NAMES[0]; i++) {
    if (strlen(COLOR_NAMES[i].name) == len && strncasecmp(s, COLOR_NAMES[i].name, len) == 0) {
      *rgb = COLOR_NAMES[i].rgb;
      return true;
    }
  }
  return false;
}

/* A CSS length in pixels (16px em); false for none, auto, percentages. */
static bool len_px(const char *v, double *px)
{
  char *e;
  double x = strtod(v, &e);
  if (e == v)
    return false;
  while (*e == ' ')
    e++;
  if (*e == '\0' || strncmp(e, "px", 2) == 0)
    *px = x;
  else if (strncmp(e, "pt", 2) == 0)
    *px = x * 4.0 / 3.0;
  else if (strncmp(e, "em", 2) == 0 || strncmp(e, "rem", 3) == 0)
    *px = x * 16.0;
  else if (strncmp(e, "cm", 2) == 0)
    *px = x * 37.8;
  else if (strncmp(e, "mm", 2) == 0)
    *px = x * 3.78;
  else if (strncmp(e, "in", 2) == 0)
    *px = x * 96.0;
  else if (x == 0.0)
    *px = 0.0;
  else
    return false;
  return true;
}

/* The first colour among the words of a `background` shorthand. */
static bool background_color(const char *v, uint32_t *rgb)
{
  const char *p = v;
  while (*p) {
    while (*p == ' ')
      p++;
    const char *s = p;
    int depth = 0;
    while (*p && (depth > 0 || *p != ' ')) {
      if (*p == '(')
        depth++;
      else if (*p == ')' && depth > 0)
        depth--;
      p++;
    }
    if (p > s && gw_page_color_parse(s, (size_t)(p - s), rgb))
      return true;
  }
  return false;
}

/* clip-path shapes that leave nothing visible: inset(50%) (or more) from
 * every side, circle(0), ellipse(0 0), polygon() of one point. */
static bool clip_path_empty(const char *v)
{
  double px;
  char *e;
  if (strncmp(v, "inset(", 6) == 0) {
    double x = strtod(v + 6, &e);
    if (e == v + 6)
      return false;
    if (*e == '%')
      return x >= 50.0;
    return false;
  }
  if (strncmp(v, "circle(", 7) == 0) {
    const char *q = v + 7;
    while (*q == ' ')
      q++;
    if (*q == ')' || strncmp(q, "at ", 3) == 0)
      return false; /* the default radius (closest-side) */
    char r[32];
    size_t n = 0;
    while (q[n] && q[n] != ' ' && q[n] != ')' && n + 1 < sizeof r) {
      r[n] = q[n];
      n++;
    }
    r[n] = '\0';
    if (strchr(r, '%'))
      return strtod(r, NULL) == 0.0;
    return len_px(r, &px) && px <= TINY_PX;
  }
  if (strncmp(v, "polygon(", 8) == 0)
    return strchr(v, ',') == NULL; /* a single point */
  return false;
}

void gw_page_style_parse(const char *css, size_t len, struct gw_style *st)
{
  memset(st, 0, sizeof *st);
  bool overflow_hidden = false, zero_box = false, positioned = false, far = false;
  size_t i = 0;
  while (i < len) {
    /* one declaration: up to ';' outside parentheses and quotes */
    size_t start = i;
    int depth = 0;
    char quote = 0;
    while (i < len) {
      char c = css[i];
      if (quote) {
        if (c == quote)
          quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '(') {
        depth++;
      } else if (c == ')' && depth > 0) {
        depth--;
      } else if (c == ';' && depth == 0) {
        break;
      }
      i++;
    }
    size_t end = i;
    i++;
    const char *colon = memchr(css + start, ':', end - start);
    if (!colon)
      continue;
    char prop[32], val[256];
    size_t pl = (size_t)(colon - (css + start)), vl = end - (size_t)(colon + 1 - css);
    while (pl && isspace((unsigned char)css[start])) {
      start++;
      pl--;
    }
    while (pl && isspace((unsigned char)css[start + pl - 1]))
      pl--;
    if (pl == 0 || pl >= sizeof prop)
      continue;
    for (size_t k = 0; k < pl; k++)
      prop[k] = (char)tolower((unsigned char)css[start + k]);
    prop[pl] = '\0';
    if (vl >= sizeof val)
      vl = sizeof val - 1;
    for (size_t k = 0; k < vl; k++) {
      char c = colon[1 + k];
      val[k] = (char)(c == '\t' || c == '\n' || c == '\r' ? ' ' : tolower((unsigned char)c));
    }
    val[vl] = '\0';
    char *imp = strstr(val, "!important");
    if (imp)
      *imp = '\0';
    char *v = gw_str_trim(val);
    double px;
    if (strcmp(prop, "display") == 0) {
      if (strcmp(v, "none") == 0)
        st->hide |= GW_HIDE_DISPLAY_NONE;
    } else if (strcmp(prop, "visibility") == 0) {
      if (strcmp(v, "hidden") == 0 || strcmp(v, "collapse") == 0)
        st->hide |= GW_HIDE_VISIBILITY;
    } else if (strcmp(prop, "font-size") == 0) {
      if (len_px(v, &px) && px <= TINY_PX)
        st->hide |= GW_HIDE_FONT_SIZE;
    } else if (strcmp(prop, "width") == 0 || strcmp(prop, "height") == 0 ||
               strcmp(prop, "max-width") == 0 || strcmp(prop, "max-height") == 0) {
      if (len_px(v, &px)) {
        if (px <= TINY_PX)
          zero_box = true;
        if (px <= TINY_BOX_PX)
          st->tiny_box = true;
        if (px <= TINY_FRAME_PX && prop[0] != 'm')
          st->tiny_frame = true;
      }
    } else if (strcmp(prop, "overflow") == 0 || strcmp(prop, "overflow-x") == 0 ||
               strcmp(prop, "overflow-y") == 0) {
      if (strncmp(v, "hidden", 6) == 0 || strncmp(v, "clip", 4) == 0)
        overflow_hidden = true;
    } else if (strcmp(prop, "position") == 0) {
      positioned = strcmp(v, "absolute") == 0 || strcmp(v, "fixed") == 0;
    } else if (strcmp(prop, "left") == 0 || strcmp(prop, "top") == 0) {
      if (len_px(v, &px) && px <= FAR_NEGATIVE_PX)
        far = true;
    } else if (strcmp(prop, "text-indent") == 0) {
      if (len_px(v, &px) && px <= FAR_NEGATIVE_PX)
        st->hide |= GW_HIDE_TEXT_INDENT;
    } else if (strcmp(prop, "clip") == 0) {
      if (strncmp(v, "rect(", 5) == 0) {
        /* rect(0 0 0 0), rect(0,0,0,0), rect(1px 1px 1px 1px): nothing shows */
        const char *q = v + 5;
        bool tiny = true;
        int count = 0;
        while (*q && *q != ')') {
          while (*q == ' ' || *q == ',')
            q++;
          if (!*q || *q == ')')
            break;
          char *e;
          double x = strtod(q, &e);
          if (e == q) {
            tiny = false;
            break;
          }
          if (x > TINY_PX)
            tiny = false;
          count++;
          q = e;
          while (isalpha((unsigned char)*q))
            q++;
        }
        if (tiny && count > 0)
          st->hide |= GW_HIDE_CLIP;
      }
    } else if (strcmp(prop, "clip-path") == 0 || strcmp(prop, "-webkit-clip-path") == 0) {
      if (clip_path_empty(v))
        st->hide |= GW_HIDE_CLIP;
    } else if (strcmp(prop, "color") == 0) {
      st->has_color = gw_page_color_parse(v, strlen(v), &st->color);
    } else if (strcmp(prop, "background-color") == 0) {
      st->has_bg = gw_page_color_parse(v, strlen(v), &st->bg);
    } else if (strcmp(prop, "background") == 0) {
      st->has_bg = background_color(v, &st->bg);
    }
  }
  if (zero_box && overflow_hidden)
    st->hide |= GW_HIDE_ZERO_SIZE;
  if (positioned && far)
    st->hide |= GW_HIDE_OFFSCREEN;
  if (st->has_color && st->has_bg && st->color == st->bg)
    st->hide |= GW_HIDE_SAME_COLOR;
}

/* ---- class / id rules -------------------------------------------------- */

static uint64_t hash_name(const char *s, size_t n, bool is_id)
{
  uint64_t h = 1469598103934665603ull ^ (is_id ? 0x9E3779B97F4A7C15ull : 0);
  for (size_t i = 0; i < n; i++) {
    h ^= (unsigned char)s[i];
    h *= 1099511628211ull;
  }
  return h;
}

static struct gw_css_hide *css_slot(struct gw_css_hide *t, size_t cap, const char *s, size_t n,
                                    bool is_id)
{
  size_t i = (size_t)hash_name(s, n, is_id) & (cap - 1);
  for (;;) {
    struct gw_css_hide *e = &t[i];
    if (!e->name || (e->is_id == is_id && strlen(e->name) == n && memcmp(e->name, s, n) == 0))
      return e;
    i = (i + 1) & (cap - 1);
  }
}

static void css_add(struct gw_page_priv *pv, const char *s, size_t n, bool is_id, unsigned hide,
                    const struct gw_style *st)
{
  if (pv->n_css >= CSS_RULES_MAX)
    return;
  if ((pv->n_css + 1) * 2 > pv->css_cap) {
    size_t nc = pv->css_cap ? pv->css_cap * 2 : 64;
    struct gw_css_hide *nt = gw_calloc(nc, sizeof *nt);
    for (size_t i = 0; i < pv->css_cap; i++) {
      if (!pv->css[i].name)
        continue;
      *css_slot(nt, nc, pv->css[i].name, strlen(pv->css[i].name), pv->css[i].is_id) = pv->css[i];
    }
    free(pv->css);
    pv->css = nt;
    pv->css_cap = nc;
  }
  struct gw_css_hide *e = css_slot(pv->css, pv->css_cap, s, n, is_id);
  if (!e->name) {
    e->name = gw_strndup(s, n);
    e->is_id = is_id;
    pv->n_css++;
  }
  e->hide |= hide;
  if (st && st->has_color) {
    e->has_color = true;
    e->color = st->color;
  }
  if (st && st->has_bg) {
    e->has_bg = true;
    e->bg = st->bg;
  }
}

static bool ident_char(char c)
{
  return isalnum((unsigned char)c) || c == '-' || c == '_' || (unsigned char)c >= 0x80;
}

/* One selector: [tag](.class|#id), nothing else. */
static void css_selector(struct gw_page_priv *pv, const char *s, size_t n, unsigned hide,
                         const struct gw_style *st)
{
  while (n && isspace((unsigned char)*s)) {
    s++;
    n--;
  }
  while (n && isspace((unsigned char)s[n - 1]))
    n--;
  size_t i = 0;
  while (i < n && isalnum((unsigned char)s[i]))
    i++;
  if (i >= n || (s[i] != '.' && s[i] != '#'))
    return;
  bool is_id = s[i] == '#';
  size_t start = ++i;
  while (i < n && ident_char(s[i]))
    i++;
  if (i != n || i == start)
    return;
  css_add(pv, s + start, n - start, is_id, hide, st);
}

void gw_page_css_collect(struct gw_page *p, const char *css, size_t len)
{
  /* Blank the comments in a copy so offsets stay put. */
  char *c = gw_strndup(css, len);
  for (size_t i = 0; i + 1 < len; i++) {
    if (c[i] == '/' && c[i + 1] == '*') {
      size_t j = i + 2;
      while (j + 1 < len && !(c[j] == '*' && c[j + 1] == '/'))
        j++;
      size_t e = j + 1 < len ? j + 2 : len;
      memset(c + i, ' ', e - i);
      i = e - 1;
    }
  }
  size_t i = 0;
  while (i < len) {
    while (i < len && (isspace((unsigned char)c[i]) || c[i] == '}' || c[i] == ';'))
      i++;
    if (i >= len)
      break;
    size_t sel = i;
    while (i < len && c[i] != '{' && c[i] != ';')
      i++;
    if (i >= len)
      break;
    if (c[sel] == '@' || c[i] == ';') {
      /* At-rules (@media, @font-face, @import ...): skip their block whole. */
      if (c[i] == ';') {
        i++;
        continue;
      }
      int depth = 0;
      while (i < len) {
        if (c[i] == '{')
          depth++;
        else if (c[i] == '}' && --depth == 0)
          break;
        i++;
      }
      i++;
      continue;
    }
    size_t sel_end = i;
    size_t body = ++i;
    while (i < len && c[i] != '}')
      i++;
    struct gw_style st;
    gw_page_style_parse(c + body, i - body, &st);
    /* A rule that hides marks its elements GW_HIDE_CSS_RULE; one that sets a
     * colour or background is kept so an element coloured like the
     * background its rules (or its ancestors) give it is found. */
    unsigned hide = st.hide & ~(unsigned)(GW_HIDE_SAME_COLOR | GW_HIDE_TINY_FRAME);
    if (hide || st.has_color || st.has_bg) {
      size_t s = sel;
      for (size_t k = sel; k <= sel_end; k++) {
        if (k == sel_end || c[k] == ',') {
          css_selector(p->priv, c + s, k - s, hide ? GW_HIDE_CSS_RULE : 0, &st);
          s = k + 1;
        }
      }
    }
    i++;
  }
  free(c);
}

unsigned gw_page_css_lookup(const struct gw_page *p, const char *cls, const char *id)
{
  const struct gw_page_priv *pv = p->priv;
  if (!pv->n_css)
    return 0;
  unsigned hide = 0;
  if (id && *id) {
    const struct gw_css_hide *e = css_slot(pv->css, pv->css_cap, id, strlen(id), true);
    if (e->name)
      hide |= e->hide;
  }
  if (cls) {
    const char *s = cls;
    int words = 0;
    while (*s && words < 64) {
      while (*s && isspace((unsigned char)*s))
        s++;
      const char *w = s;
      while (*s && !isspace((unsigned char)*s))
        s++;
      if (s > w) {
        const struct gw_css_hide *e = css_slot(pv->css, pv->css_cap, w, (size_t)(s - w), false);
        if (e->name)
          hide |= e->hide;
        words++;
      }
    }
  }
  return hide;
}

void gw_page_css_colors(const struct gw_page *p, const char *cls, const char *id, struct gw_style *out)
{
  memset(out, 0, sizeof *out);
  const struct gw_page_priv *pv = p->priv;
  if (!pv->n_css)
    return;
  /* Classes first, the id last: an id rule is the more specific one. */
  if (cls) {
    const char *s = cls;
    int words = 0;
    while (*s && words < 64) {
      while (*s && isspace((unsigned char)*s))
        s++;
      const char *w = s;
      while (*s && !isspace((unsigned char)*s))
        s++;
      if (s > w) {
        const struct gw_css_hide *e = css_slot(pv->css, pv->css_cap, w, (size_t)(s - w), false);
        if (e->name && e->has_color) {
          out->has_color = true;
          out->color = e->color;
        }
        if (e->name && e->has_bg) {
          out->has_bg = true;
          out->bg = e->bg;
        }
        words++;
      }
    }
  }
  if (id && *id) {
    const struct gw_css_hide *e = css_slot(pv->css, pv->css_cap, id, strlen(id), true);
    if (e->name && e->has_color) {
      out->has_color = true;
      out->color = e->color;
    }
    if (e->name && e->has_bg) {
      out->has_bg = true;
      out->bg = e->bg;
    }
  }
}

void gw_page_css_urls(const char *css, size_t len,
                      void (*fn)(void *ctx, const char *url, size_t n, long line_delta), void *ctx)
{
  long lines = 0;
  size_t i = 0;
  while (i < len) {
    char ch = css[i];
    if (ch == '\n') {
      lines++;
      i++;
      continue;
    }
    bool is_url = (ch == 'u' || ch == 'U') && i + 4 <= len && strncasecmp(css + i, "url(", 4) == 0 &&
                  (i == 0 || !ident_char(css[i - 1]));
    bool is_import = ch == '@' && i + 7 <= len && strncasecmp(css + i, "@import", 7) == 0;
    if (!is_url && !is_import) {
      i++;
      continue;
    }
    size_t j = i + (is_url ? 4 : 7);
    while (j < len && isspace((unsigned char)css[j]))
      j++;
    if (is_import) {
      /* @import url(...) is found as url( on the next round */
      if (j >= len || (css[j] != '"' && css[j] != '\'')) {
        i = j;
        continue;
      }
    }
    size_t s, e;
    if (j < len && (css[j] == '"' || css[j] == '\'')) {
      char q = css[j];
      s = ++j;
      while (j < len && css[j] != q && css[j] != '\n')
        j++;
      e = j;
    } else {
      s = j;
      while (j < len && css[j] != ')' && css[j] != '\n')
        j++;
      e = j;
      while (e > s && isspace((unsigned char)css[e - 1]))
        e--;
    }
    if (e > s)
      fn(ctx, css + s, e - s, lines);
    i = j > i ? j : i + 1;
  }
}
