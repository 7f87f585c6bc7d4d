#include "html/charset.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <uchardet/uchardet.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/str.h"
#include "core/utf8.h"

/* The part of a page a <meta> charset declaration must lie in (as in the
 * HTML standard's prescan, which looks at the first 1024 bytes; government
 * templates often put long <script> blocks first, so we look further). */
#define META_SCAN_BYTES 4096
/* uchardet needs no more than this to make up its mind. */
#define DETECT_BYTES (256u * 1024u)
/* A legacy-labelled page is taken as UTF-8 only if its bytes are valid
 * UTF-8 holding at least this many multi-byte characters: a short run of
 * GBK bytes can be valid UTF-8 by chance, a page of it cannot. */
#define UTF8_EVIDENCE_CHARS 3

static const char REPLACEMENT[] = "\xEF\xBF\xBD";

const char *gw_charset_source_name(enum gw_charset_source s)
{
  switch (s) {
  case GW_CHARSET_SRC_BOM: return "bom";
  case GW_CHARSET_SRC_HEADER: return "header";
  case GW_CHARSET_SRC_META: return "meta";
  case GW_CHARSET_SRC_DETECTED: return "detected";
  case GW_CHARSET_SRC_DEFAULT: return "default";
  }
  return "unknown";
}

/* Labels that browsers and this module treat as another charset. */
static const struct { const char *label, *name; } ALIASES[] = {
  {"gb2312", "GB18030"}, {"gbk", "GB18030"}, {"x-gbk", "GB18030"}, {"gb18030", "GB18030"},
  {"cp936", "GB18030"}, {"windows-936", "GB18030"}, {"ms936", "GB18030"}, {"euc-cn", "GB18030"},
  {"csgb2312", "GB18030"}, {"chinese", "GB18030"}, {"gb_2312-80", "GB18030"}, {"gb_2312", "GB18030"},
  {"iso-ir-58", "GB18030"}, {"csiso58gb231280", "GB18030"}, {"hz-gb-2312", "GB18030"},
  {"utf-8", "UTF-8"}, {"utf8", "UTF-8"}, {"unicode-1-1-utf-8", "UTF-8"}, {"x-unicode20utf8", "UTF-8"},
  {"iso-8859-1", "WINDOWS-1252"}, {"iso8859-1", "WINDOWS-1252"}, {"latin1", "WINDOWS-1252"},
  {"l1", "WINDOWS-1252"}, {"us-ascii", "WINDOWS-1252"}, {"ascii", "WINDOWS-1252"},
  {"ansi_x3.4-1968", "WINDOWS-1252"}, {"windows-1252", "WINDOWS-1252"}, {"cp1252", "WINDOWS-1252"},
  {"big5", "BIG5"}, {"big5-hkscs", "BIG5-HKSCS"}, {"x-x-big5", "BIG5"}, {"cn-big5", "BIG5"},
  {"utf-16", "UTF-16LE"}, {"utf-16le", "UTF-16LE"}, {"utf-16be", "UTF-16BE"},
  {"unicode", "UTF-16LE"}, {"ucs-2", "UTF-16LE"},
};

bool gw_charset_canonical(const char *label, size_t len, char *out, size_t size)
{
  if (size)
    out[0] = '\0';
  if (!label || size < 32)
    return false;
  while (len && (isspace((unsigned char)*label) || *label == '"' || *label == '\'')) {
    label++;
    len--;
  }
  while (len && (isspace((unsigned char)label[len - 1]) || label[len - 1] == '"' ||
                 label[len - 1] == '\''))
    len--;
  if (len == 0 || len >= 32)
    return false;
  char low[32];
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)label[i];
    /* iconv names are plain ASCII; anything else is not a label. */
    if (!(isalnum(c) || c == '-' || c == '_' || c == '.' || c == ':'))
      return false;
    low[i] = (char)tolower(c);
  }
  low[len] = '\0';
  for (size_t i = 0; i < sizeof ALIASES / sizeof ALIASES[0]; i++) {
    if (strcmp(low, ALIASES[i].label) == 0) {
      gw_strlcpy(out, ALIASES[i].name, size);
      return true;
    }
  }
  char up[32];
  for (size_t i = 0; i <= len; i++)
    up[i] = (char)toupper((unsigned char)low[i]);
  iconv_t cd = iconv_open("UTF-8", up);
  if (cd == (iconv_t)-1)
    return false;
  iconv_close(cd);
  gw_strlcpy(out, up, size);
  return true;
}

/* The value after "charset" in a Content-Type-like string, as the HTML
 * standard's "extract a character encoding from a meta element". */
static bool charset_param(const char *s, size_t n, char *out, size_t size)
{
  for (size_t i = 0; i + 7 <= n; i++) {
    if (strncasecmp(s + i, "charset", 7) != 0)
      continue;
    size_t j = i + 7;
    while (j < n && isspace((unsigned char)s[j]))
      j++;
    if (j >= n || s[j] != '=')
      continue;
    j++;
    while (j < n && isspace((unsigned char)s[j]))
      j++;
    size_t start = j, end;
    if (j < n && (s[j] == '"' || s[j] == '\'')) {
      char q = s[j];
      start = ++j;
      while (j < n && s[j] != q)
        j++;
      if (j >= n)
        return false;
      end = j;
    } else {
      while (j < n && !isspace((unsigned char)s[j]) && s[j] != ';' && s[j] != '"' && s[j] != '\'')
        j++;
      end = j;
    }
    size_t len = end - start;
    if (len == 0 || len >= size)
      return false;
    for (size_t k = 0; k < len; k++)
      out[k] = (char)tolower((unsigned char)s[start + k]);
    out[len] = '\0';
    return true;
  }
  return false;
}

bool gw_charset_from_content_type(const char *content_type, char *out, size_t size)
{
  if (size)
    out[0] = '\0';
  if (!content_type || size == 0)
    return false;
  return charset_param(content_type, strlen(content_type), out, size);
}

/* Parse one attribute of a tag at s[*i..n): name into name[], value (raw
 * bytes) as a pointer/length. Returns false at the end of the tag. */
static bool next_attr(const char *s, size_t n, size_t *i, char *name, size_t name_size,
                      const char **val, size_t *val_len)
{
  size_t j = *i;
  while (j < n && (isspace((unsigned char)s[j]) || s[j] == '/'))
    j++;
  if (j >= n || s[j] == '>') {
    *i = j;
    return false;
  }
  size_t k = 0;
  while (j < n && !isspace((unsigned char)s[j]) && s[j] != '=' && s[j] != '>' && s[j] != '/') {
    if (k + 1 < name_size)
      name[k++] = (char)tolower((unsigned char)s[j]);
    j++;
  }
  name[k] = '\0';
  *val = s + j;
  *val_len = 0;
  while (j < n && isspace((unsigned char)s[j]))
    j++;
  if (j < n && s[j] == '=') {
    j++;
    while (j < n && isspace((unsigned char)s[j]))
      j++;
    if (j < n && (s[j] == '"' || s[j] == '\'')) {
      char q = s[j++];
      *val = s + j;
      while (j < n && s[j] != q)
        j++;
      *val_len = (size_t)(s + j - *val);
      if (j < n)
        j++;
    } else {
      *val = s + j;
      while (j < n && !isspace((unsigned char)s[j]) && s[j] != '>')
        j++;
      *val_len = (size_t)(s + j - *val);
    }
  }
  *i = j;
  return true;
}

bool gw_charset_from_meta(const char *data, size_t len, char *out, size_t size)
{
  if (size)
    out[0] = '\0';
  if (!data || size == 0)
    return false;
  size_t n = len < META_SCAN_BYTES ? len : META_SCAN_BYTES;
  size_t i = 0;
  while (i < n) {
    if (data[i] != '<') {
      i++;
      continue;
    }
    if (i + 4 <= n && memcmp(data + i, "<!--", 4) == 0) {
      const char *end = NULL;
      for (size_t j = i + 4; j + 3 <= n; j++) {
        if (memcmp(data + j, "-->", 3) == 0) {
          end = data + j;
          break;
        }
      }
      if (!end)
        return false;
      i = (size_t)(end - data) + 3;
      continue;
    }
    if (i + 6 <= n && strncasecmp(data + i, "<meta", 5) == 0 &&
        (isspace((unsigned char)data[i + 5]) || data[i + 5] == '/')) {
      size_t j = i + 5;
      char name[32];
      const char *v;
      size_t vl;
      char charset[64] = "", content[512] = "";
      bool http_equiv_ct = false;
      while (next_attr(data, n, &j, name, sizeof name, &v, &vl)) {
        if (strcmp(name, "charset") == 0 && !charset[0] && vl && vl < sizeof charset) {
          memcpy(charset, v, vl);
          charset[vl] = '\0';
        } else if (strcmp(name, "http-equiv") == 0) {
          http_equiv_ct = vl == 12 && strncasecmp(v, "content-type", 12) == 0;
        } else if (strcmp(name, "content") == 0 && !content[0] && vl && vl < sizeof content) {
          memcpy(content, v, vl);
          content[vl] = '\0';
        }
      }
      if (charset[0]) {
        size_t cl = strlen(charset);
        if (cl < size) {
          for (size_t k = 0; k <= cl; k++)
            out[k] = (char)tolower((unsigned char)charset[k]);
          return true;
        }
      }
      if (http_equiv_ct && content[0] && charset_param(content, strlen(content), out, size))
        return true;
      i = j + 1;
      continue;
    }
    i++;
  }
  return false;
}

/* How many well-formed multi-byte UTF-8 characters and how many invalid
 * bytes data holds. GBK text read as UTF-8 is mostly invalid (only about
 * one character in seven forms a valid pair by chance); UTF-8 with a few
 * bad bytes (a stray byte, a body cut inside a character) is mostly valid. */
/* Length of the run of ASCII bytes (with NUL, or without when no_nul)
 * at the start of s[0..n), eight bytes at a time: HTML is mostly ASCII. */
static size_t ascii_run(const char *s, size_t n, bool no_nul)
{
  const uint64_t high = 0x8080808080808080ull, ones = 0x0101010101010101ull;
  size_t i = 0;
  while (n - i >= 8) {
    uint64_t w;
    memcpy(&w, s + i, 8);
    if ((w & high) || (no_nul && ((w - ones) & ~w & high)))
      break;
    i += 8;
  }
  while (i < n && (unsigned char)s[i] < 0x80 && !(no_nul && s[i] == 0))
    i++;
  return i;
}

static void utf8_stats(const char *data, size_t len, size_t *multibyte, size_t *bad)
{
  size_t mb = 0, nbad = 0;
  size_t i = 0;
  while (i < len) {
    unsigned char c = (unsigned char)data[i];
    if (c < 0x80) {
      i += ascii_run(data + i, len - i, false);
      continue;
    }
    size_t k = gw_utf8_seq_len(data + i, len - i);
    if (k == 0) {
      nbad++;
      i++;
      continue;
    }
    mb++;
    i += k;
  }
  *multibyte = mb;
  *bad = nbad;
}

/* Mostly UTF-8: invalid bytes are few next to the valid characters. */
static bool mostly_utf8(size_t mb, size_t bad)
{
  return bad == 0 || bad * 2 < mb;
}

static bool has_high_bytes(const char *data, size_t len)
{
  for (size_t i = 0; i < len; i++)
    if ((unsigned char)data[i] >= 0x80)
      return true;
  return false;
}

/* Output side of a conversion: a growing buffer with a cap that is cut on
 * a character boundary. */
struct sink {
  char *p;
  size_t len, cap, max; /* max 0 = none */
  size_t replacements;
  bool full;            /* the cap was reached: stop converting */
  bool keep;            /* false: count only, store nothing */
};

static void sink_put(struct sink *o, const char *s, size_t n)
{
  if (o->full || n == 0)
    return;
  if (o->max && o->len + n > o->max) {
    /* Keep the largest prefix that ends on a UTF-8 character boundary. */
    size_t room = o->max - o->len;
    while (room > 0 && ((unsigned char)s[room] & 0xC0) == 0x80)
      room--;
    n = room;
    o->full = true;
  }
  if (!o->keep) {
    o->len += n;
    return;
  }
  if (o->len + n + 1 > o->cap) {
    size_t nc = o->cap ? o->cap : 4096;
    while (nc < o->len + n + 1)
      nc *= 2;
    o->p = gw_realloc(o->p, nc);
    o->cap = nc;
  }
  memcpy(o->p + o->len, s, n);
  o->len += n;
  o->p[o->len] = '\0';
}

static void sink_replacement(struct sink *o)
{
  o->replacements++;
  sink_put(o, REPLACEMENT, 3);
}

/* Converted UTF-8 from iconv (or validated input), with NUL bytes turned
 * into U+FFFD: HTML parsers and C strings cannot hold them. */
static void sink_put_text(struct sink *o, const char *s, size_t n)
{
  size_t start = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '\0') {
      sink_put(o, s + start, i - start);
      sink_replacement(o);
      start = i + 1;
    }
  }
  sink_put(o, s + start, n - start);
}

/* Bytes of an invalid sequence replaced by one U+FFFD: the maximal prefix
 * of a well-formed sequence (as the Encoding Standard's decoder), so a
 * character cut off by the end of the body counts once. */
static size_t invalid_span(const unsigned char *s, size_t n)
{
  unsigned char c = s[0];
  size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
  if (c < 0xC2 || c > 0xF4 || n < 2)
    return 1;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c == 0xE0)
    lo = 0xA0;
  else if (c == 0xED)
    hi = 0x9F;
  else if (c == 0xF0)
    lo = 0x90;
  else if (c == 0xF4)
    hi = 0x8F;
  size_t k = 1;
  if (s[1] < lo || s[1] > hi)
    return 1;
  k = 2;
  while (k < need && k < n && (s[k] & 0xC0) == 0x80)
    k++;
  return k;
}

static void convert_utf8(const char *data, size_t len, struct sink *o)
{
  size_t i = 0, run = 0;
  while (i < len && !o->full) {
    unsigned char c = (unsigned char)data[i];
    if (c != 0 && c < 0x80) {
      i += ascii_run(data + i, len - i, true);
      continue;
    }
    size_t k = c ? gw_utf8_seq_len(data + i, len - i) : 0;
    if (k > 0) {
      i += k;
      continue;
    }
    sink_put(o, data + run, i - run);
    sink_replacement(o);
    i += invalid_span((const unsigned char *)data + i, len - i);
    run = i;
  }
  if (!o->full)
    sink_put(o, data + run, i - run);
}

static int convert_iconv(const char *data, size_t len, const char *charset, struct sink *o)
{
  iconv_t cd = iconv_open("UTF-8", charset);
  if (cd == (iconv_t)-1)
    return gw_err_set(GW_EINVAL, "charset '%s': iconv cannot convert from it", charset);
  char *in = (char *)data;
  size_t left = len;
  char tmp[8192];
  while (left > 0 && !o->full) {
    char *op = tmp;
    size_t ol = sizeof tmp;
    size_t r = iconv(cd, &in, &left, &op, &ol);
    int e = errno;
    sink_put_text(o, tmp, (size_t)(op - tmp));
    if (r != (size_t)-1 || o->full)
      continue;
    if (e == E2BIG)
      continue;
    /* EILSEQ or EINVAL (a sequence cut by the end): replace one byte and
     * resynchronise, so a stray lead byte does not swallow the ASCII after it. */
    sink_replacement(o);
    in++;
    left--;
    iconv(cd, NULL, NULL, NULL, NULL);
  }
  if (!o->full) {
    char *op = tmp;
    size_t ol = sizeof tmp;
    iconv(cd, NULL, NULL, &op, &ol);
    sink_put_text(o, tmp, (size_t)(op - tmp));
  }
  iconv_close(cd);
  return GW_OK;
}

static int convert(const char *data, size_t len, const char *charset, struct sink *o)
{
  if (strcmp(charset, "UTF-8") == 0) {
    convert_utf8(data, len, o);
    return GW_OK;
  }
  return convert_iconv(data, len, charset, o);
}

int gw_charset_convert(const char *data, size_t len, const char *charset, size_t max_out,
                       char **out, size_t *out_len, size_t *replacements, bool *truncated)
{
  if (!charset || !*charset)
    return gw_err_set(GW_EINVAL, "charset conversion: no charset given");
  struct sink o = {.max = max_out, .keep = true};
  if (!data) {
    data = "";
    len = 0;
  }
  int rc = convert(data, len, charset, &o);
  if (rc != GW_OK) {
    free(o.p);
    return rc;
  }
  if (!o.p)
    o.p = gw_strdup("");
  *out = o.p;
  *out_len = o.len;
  *replacements = o.replacements;
  *truncated = o.full;
  return GW_OK;
}

/* True if data decodes as GB18030 without a single invalid sequence. */
static bool valid_gb18030(const char *data, size_t len)
{
  struct sink o = {.keep = false};
  if (convert_iconv(data, len, "GB18030", &o) != GW_OK)
    return false;
  return o.replacements == 0;
}

static size_t bom_of(const unsigned char *d, size_t len, char *charset, size_t size)
{
  if (len >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF) {
    gw_strlcpy(charset, "UTF-8", size);
    return 3;
  }
  if (len >= 4 && d[0] == 0x84 && d[1] == 0x31 && d[2] == 0x95 && d[3] == 0x33) {
    gw_strlcpy(charset, "GB18030", size);
    return 4;
  }
  if (len >= 2 && d[0] == 0xFF && d[1] == 0xFE) {
    gw_strlcpy(charset, "UTF-16LE", size);
    return 2;
  }
  if (len >= 2 && d[0] == 0xFE && d[1] == 0xFF) {
    gw_strlcpy(charset, "UTF-16BE", size);
    return 2;
  }
  return 0;
}

static bool is_utf16(const char *cs)
{
  return strncmp(cs, "UTF-16", 6) == 0 || strncmp(cs, "UTF-32", 6) == 0 ||
         strncmp(cs, "UCS-", 4) == 0 || strcmp(cs, "UNICODE") == 0;
}

void gw_charset_decide(const char *data, size_t len, const char *content_type,
                       struct gw_charset_info *info)
{
  memset(info, 0, sizeof *info);
  if (!data) {
    data = "";
    len = 0;
  }
  size_t bom = bom_of((const unsigned char *)data, len, info->charset, sizeof info->charset);
  char raw[64];
  char canon[32] = "";
  if (gw_charset_from_content_type(content_type, raw, sizeof raw) &&
      gw_charset_canonical(raw, strlen(raw), canon, sizeof canon)) {
    gw_strlcpy(info->label, raw, sizeof info->label);
    info->label_source = GW_CHARSET_SRC_HEADER;
  } else if (gw_charset_from_meta(data + bom, len - bom, raw, sizeof raw) &&
             gw_charset_canonical(raw, strlen(raw), canon, sizeof canon)) {
    gw_strlcpy(info->label, raw, sizeof info->label);
    info->label_source = GW_CHARSET_SRC_META;
    /* A page cannot declare itself UTF-16 in its own (ASCII) bytes: the
     * HTML standard reads such a <meta> as UTF-8. */
    if (is_utf16(canon))
      gw_strlcpy(canon, "UTF-8", sizeof canon);
  }
  if (bom) {
    info->bom_len = bom;
    info->source = GW_CHARSET_SRC_BOM;
    if (canon[0] && strcmp(canon, info->charset) != 0)
      info->label_wrong = true;
    return;
  }
  size_t mb = 0, bad = 0;
  utf8_stats(data, len, &mb, &bad);
  bool utf8 = bad == 0;
  if (canon[0]) {
    info->source = info->label_source;
    if (strcmp(canon, "UTF-8") == 0) {
      if (!mostly_utf8(mb, bad) && has_high_bytes(data, len) && valid_gb18030(data, len)) {
        gw_strlcpy(info->charset, "GB18030", sizeof info->charset);
        info->source = GW_CHARSET_SRC_DETECTED;
        info->label_wrong = true;
        return;
      }
    } else if (!is_utf16(canon) && mb >= UTF8_EVIDENCE_CHARS && mostly_utf8(mb, bad)) {
      gw_strlcpy(info->charset, "UTF-8", sizeof info->charset);
      info->source = GW_CHARSET_SRC_DETECTED;
      info->label_wrong = true;
      return;
    }
    gw_strlcpy(info->charset, canon, sizeof info->charset);
    return;
  }
  info->source = GW_CHARSET_SRC_DETECTED;
  if (utf8 || (mb >= UTF8_EVIDENCE_CHARS && mostly_utf8(mb, bad))) {
    gw_strlcpy(info->charset, "UTF-8", sizeof info->charset);
    return;
  }
  uchardet_t ud = uchardet_new();
  if (ud) {
    size_t n = len < DETECT_BYTES ? len : DETECT_BYTES;
    const char *guess = NULL;
    if (uchardet_handle_data(ud, data, n) == 0) {
      uchardet_data_end(ud);
      guess = uchardet_get_charset(ud);
    }
    bool ok = guess && *guess && gw_charset_canonical(guess, strlen(guess), canon, sizeof canon);
    uchardet_delete(ud);
    /* uchardet names ASCII or UTF-8 only for bytes we already know are not
     * UTF-8 when it gives up; those fall to the default. */
    if (ok && strcmp(canon, "UTF-8") != 0 && !is_utf16(canon)) {
      gw_strlcpy(info->charset, canon, sizeof info->charset);
      return;
    }
  }
  /* Chinese government sites that declare nothing are GBK far more often
   * than anything else; GB18030 decodes all of GBK. */
  gw_strlcpy(info->charset, "GB18030", sizeof info->charset);
  info->source = GW_CHARSET_SRC_DEFAULT;
}

int gw_charset_to_utf8(const char *data, size_t len, const char *content_type, size_t max_out,
                       char **out, size_t *out_len, struct gw_charset_info *info)
{
  struct gw_charset_info ci;
  if (!data) {
    data = "";
    len = 0;
  }
  gw_charset_decide(data, len, content_type, &ci);
  char *o = NULL;
  size_t olen = 0;
  int rc = gw_charset_convert(data + ci.bom_len, len - ci.bom_len, ci.charset, max_out,
                              &o, &olen, &ci.replacements, &ci.truncated);
  if (rc != GW_OK)
    return rc;
  *out = o;
  *out_len = olen;
  *info = ci;
  return GW_OK;
}
