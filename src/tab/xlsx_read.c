/* XLSX reading: libzip for the package, libxml2's streaming reader for the
 * parts, so a sheet of any size is read in one pass with bounded memory
 * (apart from the cells kept) and every part's decompressed size is counted
 * as it is read (zip bombs stop at the cap, whatever the archive claims).
 *
 * Parts read: xl/workbook.xml (sheet order, the 1904 date system),
 * xl/_rels/workbook.xml.rels (where the first worksheet, the shared strings
 * and the styles are), the shared strings, the styles (only to tell which
 * numbers are dates) and the first worksheet. */
#include <libxml/xmlreader.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/error.h"
#include "core/str.h"
#include "core/utf8.h"
#include "tab/tab_int.h"

#define MAX_XF 65536        /* cell formats kept for date detection */
#define MAX_RELS 10000      /* relationships / sheets in a workbook */
#define MAX_ROW 1048576     /* Excel's row limit */
#define MAX_COL 16384       /* Excel's column limit (XFD) */

struct rel {
  char *id, *type, *target;
};

struct xlsx {
  const char *name;
  zip_t *za;
  bool date1904;
  char **sst; /* shared strings */
  size_t nsst, capsst;
  unsigned char *xf_date; /* per cellXfs index: 1 = a date/time format */
  size_t nxf;
  struct rel *rels;
  size_t nrels;
  char **sheet_rids; /* r:id of each <sheet>, in workbook order */
  char **sheet_names;
  size_t nsheets;
};

/* One part being read. */
struct xpart {
  struct xlsx *x;
  const char *part;
  zip_file_t *zf;
  xmlTextReaderPtr r;
  size_t total;       /* decompressed bytes so far */
  int ioerr;          /* GW_ELIMIT / GW_EPARSE from the zip side */
  char iomsg[256];
  char xmlmsg[256];   /* first XML error */
  int xmlline;
};

static int xerr(const struct xpart *p, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int xerr(const struct xpart *p, int code, const char *fmt, ...)
{
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return gw_err_set(code, "%s: %s: %s", p->x->name, p->part, msg);
}

static int zread(void *ctx, char *buf, int len)
{
  struct xpart *p = ctx;
  if (p->ioerr || len <= 0)
    return p->ioerr ? -1 : 0;
  zip_int64_t n = zip_fread(p->zf, buf, (zip_uint64_t)len);
  if (n < 0) {
    p->ioerr = GW_EPARSE;
    snprintf(p->iomsg, sizeof p->iomsg, "corrupt zip entry: %s", zip_file_strerror(p->zf));
    return -1;
  }
  p->total += (size_t)n;
  if (p->total > GW_TAB_MAX_ENTRY) {
    p->ioerr = GW_ELIMIT;
    snprintf(p->iomsg, sizeof p->iomsg, "decompresses to more than the limit of %zu MiB",
             GW_TAB_MAX_ENTRY >> 20);
    return -1;
  }
  return (int)n;
}

static int zclose(void *ctx)
{
  (void)ctx;
  return 0;
}

static void on_xml_error(void *ctx, xmlErrorPtr e)
{
  struct xpart *p = ctx;
  if (p->xmlmsg[0] || !e || e->level < XML_ERR_ERROR)
    return;
  snprintf(p->xmlmsg, sizeof p->xmlmsg, "%s", e->message ? e->message : "malformed XML");
  size_t n = strlen(p->xmlmsg);
  while (n > 0 && (p->xmlmsg[n - 1] == '\n' || p->xmlmsg[n - 1] == ' '))
    p->xmlmsg[--n] = '\0';
  p->xmlline = e->line;
}

static void part_close(struct xpart *p)
{
  if (p->r)
    xmlFreeTextReader(p->r);
  if (p->zf)
    zip_fclose(p->zf);
  p->r = NULL;
  p->zf = NULL;
}

/* GW_ENOTFOUND (no message) when the archive has no such part. */
static int part_open(struct xlsx *x, const char *part, struct xpart *p)
{
  memset(p, 0, sizeof *p);
  p->x = x;
  p->part = part;
  zip_int64_t idx = zip_name_locate(x->za, part, ZIP_FL_NOCASE);
  if (idx < 0)
    return GW_ENOTFOUND;
  p->zf = zip_fopen_index(x->za, (zip_uint64_t)idx, 0);
  if (!p->zf)
    return xerr(p, GW_EPARSE, "cannot open the zip entry: %s", zip_strerror(x->za));
  p->r = xmlReaderForIO(zread, zclose, p, part, NULL, XML_PARSE_NONET | XML_PARSE_NOCDATA);
  if (!p->r) {
    part_close(p);
    return xerr(p, GW_EPARSE, "cannot start the XML reader");
  }
  xmlTextReaderSetStructuredErrorHandler(p->r, on_xml_error, p);
  return GW_OK;
}

/* Next node: GW_OK with *more = true on a node, false at the end. */
static int part_next(struct xpart *p, bool *more)
{
  int ret = xmlTextReaderRead(p->r);
  if (ret == 1) {
    if (xmlTextReaderNodeType(p->r) == XML_READER_TYPE_DOCUMENT_TYPE)
      return xerr(p, GW_EPARSE, "a DTD is not allowed in a workbook part");
    *more = true;
    return GW_OK;
  }
  if (ret == 0 && !p->ioerr) {
    *more = false;
    return GW_OK;
  }
  if (p->ioerr)
    return xerr(p, p->ioerr, "%s", p->iomsg);
  if (p->xmlmsg[0])
    return xerr(p, GW_EPARSE, "line %d: malformed XML: %s", p->xmlline, p->xmlmsg);
  return xerr(p, GW_EPARSE, "malformed XML");
}

static int node_type(const struct xpart *p)
{
  return xmlTextReaderNodeType(p->r);
}

static bool is_start(const struct xpart *p, const char *local)
{
  const xmlChar *n = xmlTextReaderConstLocalName(p->r);
  return node_type(p) == XML_READER_TYPE_ELEMENT && n && strcmp((const char *)n, local) == 0;
}

static bool is_end(const struct xpart *p, const char *local)
{
  const xmlChar *n = xmlTextReaderConstLocalName(p->r);
  return node_type(p) == XML_READER_TYPE_END_ELEMENT && n &&
         strcmp((const char *)n, local) == 0;
}

static bool is_text(const struct xpart *p)
{
  int t = node_type(p);
  return t == XML_READER_TYPE_TEXT || t == XML_READER_TYPE_CDATA ||
         t == XML_READER_TYPE_WHITESPACE || t == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}

static bool is_empty_element(const struct xpart *p)
{
  return xmlTextReaderIsEmptyElement(p->r) == 1;
}

/* Attribute value (malloc'd) or NULL. */
static char *attr(const struct xpart *p, const char *name)
{
  xmlChar *v = xmlTextReaderGetAttribute(p->r, (const xmlChar *)name);
  if (!v)
    return NULL;
  char *s = gw_strdup((const char *)v);
  xmlFree(v);
  return s;
}

/* The relationship id attribute (r:id); its namespace differs between
 * transitional and strict OOXML, so any namespaced "id" is taken. */
static char *attr_rid(const struct xpart *p)
{
  char *s = NULL;
  if (xmlTextReaderMoveToFirstAttribute(p->r) != 1)
    return NULL;
  do {
    const xmlChar *ln = xmlTextReaderConstLocalName(p->r);
    const xmlChar *ns = xmlTextReaderConstNamespaceUri(p->r);
    if (ln && ns && strcmp((const char *)ln, "id") == 0) {
      const xmlChar *v = xmlTextReaderConstValue(p->r);
      s = gw_strdup(v ? (const char *)v : "");
      break;
    }
  } while (xmlTextReaderMoveToNextAttribute(p->r) == 1);
  xmlTextReaderMoveToElement(p->r);
  return s;
}

static int append_text(struct xpart *p, struct gw_buf *b, const char *what)
{
  const xmlChar *v = xmlTextReaderConstValue(p->r);
  if (!v)
    return GW_OK;
  if (gw_buf_puts(b, (const char *)v) != GW_OK)
    return xerr(p, GW_ELIMIT, "%s is longer than the limit of %zu bytes", what, GW_TAB_MAX_CELL);
  return GW_OK;
}

/* OOXML escapes characters XML cannot carry as _xHHHH_ (Excel writes a
 * carriage return in a cell as _x000D_); a literal "_x" is written _x005F_x. */
static char *ooxml_unescape(const char *s)
{
  struct gw_buf b = GW_BUF_INIT;
  gw_buf_puts(&b, "");
  while (*s) {
    unsigned v = 0;
    bool esc = s[0] == '_' && s[1] == 'x';
    for (int i = 0; esc && i < 4; i++) {
      char c = s[2 + i];
      if (c >= '0' && c <= '9')
        v = v * 16 + (unsigned)(c - '0');
      else if (c >= 'a' && c <= 'f')
        v = v * 16 + (unsigned)(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        v = v * 16 + (unsigned)(c - 'A' + 10);
      else
        esc = false;
    }
    if (esc && s[6] == '_' && !(v >= 0xD800 && v <= 0xDFFF)) {
      char u[4];
      size_t k = v ? gw_utf8_encode(v, u) : 0;
      gw_buf_append(&b, u, k);
      s += 7;
      continue;
    }
    gw_buf_putc(&b, *s++);
  }
  return gw_buf_steal(&b);
}

/* ---- workbook and relationships --------------------------------------- */

static int read_workbook(struct xlsx *x)
{
  struct xpart p;
  int rc = part_open(x, "xl/workbook.xml", &p);
  if (rc == GW_ENOTFOUND)
    return gw_err_set(GW_EPARSE, "%s: no xl/workbook.xml in the archive: not an XLSX workbook",
                      x->name);
  if (rc)
    return rc;
  bool more = true;
  while ((rc = part_next(&p, &more)) == GW_OK && more) {
    if (is_start(&p, "workbookPr")) {
      char *v = attr(&p, "date1904");
      x->date1904 = v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
      free(v);
    } else if (is_start(&p, "sheet")) {
      if (x->nsheets >= MAX_RELS) {
        rc = xerr(&p, GW_ELIMIT, "more than %d sheets", MAX_RELS);
        break;
      }
      char *rid = attr_rid(&p);
      if (!rid) {
        rc = xerr(&p, GW_EPARSE, "a <sheet> without r:id");
        break;
      }
      x->sheet_rids = gw_reallocarray(x->sheet_rids, x->nsheets + 1, sizeof *x->sheet_rids);
      x->sheet_names = gw_reallocarray(x->sheet_names, x->nsheets + 1, sizeof *x->sheet_names);
      x->sheet_rids[x->nsheets] = rid;
      char *nm = attr(&p, "name");
      x->sheet_names[x->nsheets] = nm ? nm : gw_strdup("");
      x->nsheets++;
    }
  }
  part_close(&p);
  if (rc == GW_OK && x->nsheets == 0)
    rc = gw_err_set(GW_EPARSE, "%s: xl/workbook.xml: the workbook has no sheets", x->name);
  return rc;
}

static int read_rels(struct xlsx *x)
{
  struct xpart p;
  int rc = part_open(x, "xl/_rels/workbook.xml.rels", &p);
  if (rc == GW_ENOTFOUND)
    return gw_err_set(GW_EPARSE, "%s: no xl/_rels/workbook.xml.rels in the archive", x->name);
  if (rc)
    return rc;
  bool more = true;
  while ((rc = part_next(&p, &more)) == GW_OK && more) {
    if (!is_start(&p, "Relationship"))
      continue;
    if (x->nrels >= MAX_RELS) {
      rc = xerr(&p, GW_ELIMIT, "more than %d relationships", MAX_RELS);
      break;
    }
    char *mode = attr(&p, "TargetMode");
    bool external = mode && strcmp(mode, "External") == 0;
    free(mode);
    if (external)
      continue;
    struct rel r = {attr(&p, "Id"), attr(&p, "Type"), attr(&p, "Target")};
    if (!r.id || !r.type || !r.target) {
      free(r.id);
      free(r.type);
      free(r.target);
      rc = xerr(&p, GW_EPARSE, "a <Relationship> without Id, Type or Target");
      break;
    }
    x->rels = gw_reallocarray(x->rels, x->nrels + 1, sizeof *x->rels);
    x->rels[x->nrels++] = r;
  }
  part_close(&p);
  return rc;
}

static const struct rel *rel_by_id(const struct xlsx *x, const char *id)
{
  for (size_t i = 0; i < x->nrels; i++)
    if (strcmp(x->rels[i].id, id) == 0)
      return &x->rels[i];
  return NULL;
}

static const struct rel *rel_by_type(const struct xlsx *x, const char *suffix)
{
  for (size_t i = 0; i < x->nrels; i++)
    if (gw_str_ends(x->rels[i].type, suffix))
      return &x->rels[i];
  return NULL;
}

/* Part name of a relationship target, relative to xl/ unless absolute,
 * with "." and ".." segments resolved. */
static char *resolve_target(const char *target)
{
  struct gw_buf b = GW_BUF_INIT;
  if (target[0] != '/')
    gw_buf_puts(&b, "xl/");
  const char *s = target;
  while (*s) {
    while (*s == '/')
      s++;
    const char *e = strchr(s, '/');
    size_t n = e ? (size_t)(e - s) : strlen(s);
    if (n == 1 && s[0] == '.') {
      /* nothing */
    } else if (n == 2 && s[0] == '.' && s[1] == '.') {
      if (b.len > 0 && b.data[b.len - 1] == '/')
        b.len--;
      while (b.len > 0 && b.data[b.len - 1] != '/')
        b.len--;
      if (b.data)
        b.data[b.len] = '\0';
    } else if (n > 0) {
      if (b.len > 0 && b.data[b.len - 1] != '/')
        gw_buf_putc(&b, '/');
      gw_buf_append(&b, s, n);
    }
    s += n;
  }
  gw_buf_puts(&b, "");
  return gw_buf_steal(&b);
}

/* ---- shared strings ---------------------------------------------------- */

static int read_shared_strings(struct xlsx *x, const char *part)
{
  struct xpart p;
  struct gw_buf b;
  gw_buf_init(&b, GW_TAB_MAX_CELL);
  int rc = part_open(x, part, &p);
  if (rc == GW_ENOTFOUND)
    return GW_OK; /* a cell that needs one will say its index is out of range */
  if (rc)
    return rc;
  bool more = true, in_si = false, in_t = false, in_rph = false;
  while ((rc = part_next(&p, &more)) == GW_OK && more) {
    if (is_start(&p, "si")) {
      if (x->nsst >= GW_TAB_MAX_SHARED) {
        rc = xerr(&p, GW_ELIMIT, "more than %zu shared strings", GW_TAB_MAX_SHARED);
        break;
      }
      gw_buf_reset(&b);
      in_si = !is_empty_element(&p);
      in_t = in_rph = false;
      if (!in_si) {
        if (x->nsst == x->capsst) {
          x->capsst = x->capsst ? x->capsst * 2 : 64;
          x->sst = gw_reallocarray(x->sst, x->capsst, sizeof *x->sst);
        }
        x->sst[x->nsst++] = gw_strdup("");
      }
    } else if (is_end(&p, "si") && in_si) {
      if (x->nsst == x->capsst) {
        x->capsst = x->capsst ? x->capsst * 2 : 64;
        x->sst = gw_reallocarray(x->sst, x->capsst, sizeof *x->sst);
      }
      x->sst[x->nsst++] = ooxml_unescape(gw_buf_cstr(&b));
      in_si = false;
    } else if (in_si && is_start(&p, "rPh")) {
      /* phonetic guide (furigana): not part of the cell's text */
      in_rph = !is_empty_element(&p);
    } else if (in_si && is_end(&p, "rPh")) {
      in_rph = false;
    } else if (in_si && is_start(&p, "t")) {
      in_t = !is_empty_element(&p);
    } else if (in_si && is_end(&p, "t")) {
      in_t = false;
    } else if (in_si && in_t && !in_rph && is_text(&p)) {
      char what[64];
      snprintf(what, sizeof what, "shared string %zu", x->nsst);
      rc = append_text(&p, &b, what);
      if (rc)
        break;
    }
  }
  part_close(&p);
  gw_buf_free(&b);
  return rc;
}

/* ---- styles: which cell formats are dates ------------------------------ */

/* Excel's built-in date and time formats, including the East Asian ones
 * (27-36, 50-58) Chinese Excel uses for yyyy"年"m"月"d"日". */
static bool builtin_date(long id)
{
  return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
         (id >= 50 && id <= 58);
}

/* A custom format code shows a date or time if it has y/m/d/h/s outside
 * quoted text, escapes and [..] (colours, locales, conditions), or an
 * elapsed-time bracket like [h]. */
static bool code_is_date(const char *c)
{
  for (; *c; c++) {
    switch (*c) {
    case '"':
      c++;
      while (*c && *c != '"')
        c++;
      if (!*c)
        return false;
      break;
    case '\\':
    case '_':
    case '*':
      if (!c[1])
        return false;
      c++;
      break;
    case '[': {
      const char *e = strchr(c, ']');
      if (!e)
        return false;
      bool elapsed = e > c + 1;
      for (const char *q = c + 1; q < e; q++)
        if (!strchr("hHmMsS", *q))
          elapsed = false;
      if (elapsed)
        return true;
      c = e;
      break;
    }
    default:
      if (strchr("yYmMdDhHsS", *c))
        return true;
    }
  }
  return false;
}

struct numfmt {
  long id;
  char *code;
};

static int read_styles(struct xlsx *x, const char *part)
{
  struct xpart p;
  struct numfmt *fmts = NULL;
  size_t nfmts = 0;
  long *xf_fmt = NULL;
  size_t nxf = 0;
  int rc = part_open(x, part, &p);
  if (rc == GW_ENOTFOUND)
    return GW_OK;
  if (rc)
    return rc;
  bool more = true, in_xfs = false;
  int xfs_depth = 0;
  while ((rc = part_next(&p, &more)) == GW_OK && more) {
    if (is_start(&p, "numFmt") && nfmts < MAX_XF) {
      char *id = attr(&p, "numFmtId"), *code = attr(&p, "formatCode");
      int64_t v;
      if (id && code && gw_parse_i64(id, &v) == GW_OK) {
        fmts = gw_reallocarray(fmts, nfmts + 1, sizeof *fmts);
        fmts[nfmts].id = (long)v;
        fmts[nfmts].code = code;
        nfmts++;
        code = NULL;
      }
      free(id);
      free(code);
    } else if (is_start(&p, "cellXfs") && !is_empty_element(&p)) {
      in_xfs = true;
      xfs_depth = xmlTextReaderDepth(p.r);
    } else if (is_end(&p, "cellXfs")) {
      in_xfs = false;
    } else if (in_xfs && is_start(&p, "xf") && xmlTextReaderDepth(p.r) == xfs_depth + 1 &&
               nxf < MAX_XF) {
      char *id = attr(&p, "numFmtId");
      int64_t v = 0;
      if (!id || gw_parse_i64(id, &v) != GW_OK)
        v = 0;
      free(id);
      xf_fmt = gw_reallocarray(xf_fmt, nxf + 1, sizeof *xf_fmt);
      xf_fmt[nxf++] = (long)v;
    }
  }
  part_close(&p);
  if (rc == GW_OK && nxf) {
    x->xf_date = gw_calloc(nxf, 1);
    x->nxf = nxf;
    for (size_t i = 0; i < nxf; i++) {
      const char *code = NULL;
      for (size_t k = 0; k < nfmts; k++)
        if (fmts[k].id == xf_fmt[i])
          code = fmts[k].code;
      x->xf_date[i] = code ? code_is_date(code) : builtin_date(xf_fmt[i]);
    }
  }
  for (size_t k = 0; k < nfmts; k++)
    free(fmts[k].code);
  free(fmts);
  free(xf_fmt);
  return rc;
}

/* ---- values ------------------------------------------------------------ */

/* Numbers as a person typed them: integers up to 15 digits exactly (a
 * 网站标识码 3399220001 must not become 3.39922E+09), others with 15
 * significant digits, which drops binary noise (0.1+0.2 -> 0.3). */
static bool format_number(const char *v, char *out, size_t size)
{
  char *end = NULL;
  double d = strtod(v, &end);
  if (end == v || *end || !isfinite(d))
    return false;
  if (d == 0)
    d = 0; /* no "-0" */
  if (d == floor(d) && fabs(d) < 1e15)
    snprintf(out, size, "%.0f", d);
  else
    snprintf(out, size, "%.15g", d);
  return true;
}

/* A date serial in Excel's 1900 system (with its phantom 1900-02-29) or
 * the 1904 system, as "YYYY-MM-DD", "HH:MM:SS" or both. */
static bool format_date(const struct xlsx *x, double serial, char *out, size_t size)
{
  if (!(serial >= 0 && serial < 2958466))
    return false;
  double whole = floor(serial);
  long secs = lround((serial - whole) * 86400.0);
  long days = (long)whole;
  if (secs >= 86400) {
    secs -= 86400;
    days++;
  }
  if (days == 0 && !x->date1904) {
    if (secs == 0)
      return false;
    snprintf(out, size, "%02ld:%02ld:%02ld", secs / 3600, secs / 60 % 60, secs % 60);
    return true;
  }
  int64_t unix_days;
  if (x->date1904)
    unix_days = (int64_t)days - 24107;
  else if (days >= 61)
    unix_days = (int64_t)days - 25569;
  else if (days == 60)
    return false; /* 1900-02-29 never was */
  else
    unix_days = (int64_t)days - 25568;
  int y, m, d;
  gw_civil_from_days(unix_days, &y, &m, &d);
  if (secs)
    snprintf(out, size, "%04d-%02d-%02d %02ld:%02ld:%02ld", y, m, d, secs / 3600, secs / 60 % 60,
             secs % 60);
  else
    snprintf(out, size, "%04d-%02d-%02d", y, m, d);
  return true;
}

/* "C5" -> column 2 (0-based); false if not a cell reference. */
static bool parse_ref(const char *s, size_t *col)
{
  size_t c = 0, n = 0;
  while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')) {
    char u = (char)(*s & ~0x20);
    c = c * 26 + (size_t)(u - 'A' + 1);
    if (++n > 3)
      return false;
    s++;
  }
  if (n == 0 || c > MAX_COL || *s < '1' || *s > '9')
    return false;
  for (n = 0; *s; s++, n++)
    if (*s < '0' || *s > '9' || n >= 7)
      return false;
  *col = c - 1;
  return true;
}

/* ---- the worksheet ----------------------------------------------------- */

struct cell {
  char ref[24];
  size_t col;
  char *type; /* t attribute or NULL (= "n") */
  long style;
  struct gw_buf v, is;
};

static int finish_cell(struct xpart *p, struct gw_tab_acc *acc, size_t row, struct cell *c)
{
  const char *t = c->type ? c->type : "n";
  const char *v = gw_buf_cstr(&c->v);
  char num[64];
  char *owned = NULL;
  const char *val = NULL;
  int rc = GW_OK;

  if (strcmp(t, "s") == 0) {
    char tmp[32];
    gw_strlcpy(tmp, v, sizeof tmp);
    gw_str_trim(tmp);
    int64_t i;
    if (!*tmp) {
      val = "";
    } else if (gw_parse_i64(tmp, &i) != GW_OK || i < 0) {
      rc = xerr(p, GW_EPARSE, "cell %s: invalid shared string index '%.20s'", c->ref, v);
      goto out;
    } else if ((uint64_t)i >= p->x->nsst) {
      rc = xerr(p, GW_EPARSE, "cell %s: shared string index %lld out of range (%zu string%s)",
                c->ref, (long long)i, p->x->nsst, p->x->nsst == 1 ? "" : "s");
      goto out;
    } else {
      val = p->x->sst[i];
    }
  } else if (strcmp(t, "inlineStr") == 0) {
    val = owned = ooxml_unescape(c->is.len ? gw_buf_cstr(&c->is) : v);
  } else if (strcmp(t, "str") == 0 || strcmp(t, "e") == 0 || strcmp(t, "d") == 0) {
    val = owned = ooxml_unescape(v);
  } else if (strcmp(t, "b") == 0) {
    if (!*v)
      val = "";
    else if (strcmp(v, "1") == 0)
      val = "TRUE";
    else if (strcmp(v, "0") == 0)
      val = "FALSE";
    else {
      rc = xerr(p, GW_EPARSE, "cell %s: invalid boolean '%.20s'", c->ref, v);
      goto out;
    }
  } else if (strcmp(t, "n") == 0) {
    char tmp[64];
    gw_strlcpy(tmp, v, sizeof tmp);
    gw_str_trim(tmp);
    if (!*tmp) {
      val = "";
    } else {
      bool ok = false;
      if (c->style >= 0 && (size_t)c->style < p->x->nxf && p->x->xf_date[c->style]) {
        char *end = NULL;
        double d = strtod(tmp, &end);
        ok = end != tmp && !*end && format_date(p->x, d, num, sizeof num);
      }
      if (!ok && !format_number(tmp, num, sizeof num)) {
        rc = xerr(p, GW_EPARSE, "cell %s: '%.40s' is not a number", c->ref, v);
        goto out;
      }
      val = num;
    }
  } else {
    rc = xerr(p, GW_EPARSE, "cell %s: unknown cell type '%.20s'", c->ref, t);
    goto out;
  }
  rc = gw_tab_acc_cell(acc, row, c->col, val, strlen(val));
out:
  free(owned);
  return rc;
}

static int read_sheet(struct xlsx *x, const char *part, struct gw_tab_acc *acc)
{
  struct xpart p;
  struct cell c;
  memset(&c, 0, sizeof c);
  gw_buf_init(&c.v, GW_TAB_MAX_CELL);
  gw_buf_init(&c.is, GW_TAB_MAX_CELL);
  int rc = part_open(x, part, &p);
  if (rc == GW_ENOTFOUND) {
    rc = gw_err_set(GW_EPARSE, "%s: %s (the first worksheet, '%s') is missing from the archive",
                    x->name, part, x->nsheets ? x->sheet_names[0] : "");
    goto out;
  }
  if (rc)
    goto out;
  bool more = true, in_data = false, in_row = false, in_cell = false;
  bool in_v = false, in_is = false, in_t = false, in_rph = false;
  size_t row = 0, next_col = 0;
  while ((rc = part_next(&p, &more)) == GW_OK && more) {
    if (in_cell) {
      if (is_end(&p, "c")) {
        in_cell = false;
        rc = finish_cell(&p, acc, row, &c);
      } else if (is_start(&p, "v")) {
        in_v = !is_empty_element(&p);
      } else if (is_end(&p, "v")) {
        in_v = false;
      } else if (is_start(&p, "is")) {
        in_is = !is_empty_element(&p);
      } else if (is_end(&p, "is")) {
        in_is = false;
      } else if (in_is && is_start(&p, "rPh")) {
        in_rph = !is_empty_element(&p);
      } else if (in_is && is_end(&p, "rPh")) {
        in_rph = false;
      } else if (in_is && is_start(&p, "t")) {
        in_t = !is_empty_element(&p);
      } else if (in_is && is_end(&p, "t")) {
        in_t = false;
      } else if (is_text(&p) && (in_v || (in_is && in_t && !in_rph))) {
        char what[64];
        snprintf(what, sizeof what, "cell %s", c.ref);
        rc = append_text(&p, in_v ? &c.v : &c.is, what);
      }
    } else if (in_row) {
      if (is_end(&p, "row")) {
        in_row = false;
        rc = gw_tab_acc_end_row(acc, row);
      } else if (is_start(&p, "c")) {
        char *ref = attr(&p, "r");
        if (ref) {
          if (!parse_ref(ref, &c.col)) {
            rc = xerr(&p, GW_EPARSE, "row %zu: invalid cell reference '%.20s'", row, ref);
            free(ref);
            break;
          }
          gw_strlcpy(c.ref, ref, sizeof c.ref);
          free(ref);
        } else {
          if (next_col >= MAX_COL) {
            rc = xerr(&p, GW_EPARSE, "row %zu: more than %d cells", row, MAX_COL);
            break;
          }
          c.col = next_col;
          char letters[16];
          snprintf(c.ref, sizeof c.ref, "%s%zu", gw_tab_col_name(c.col, letters, sizeof letters),
                   row);
        }
        next_col = c.col + 1;
        GW_FREE(&c.type);
        c.type = attr(&p, "t");
        char *s = attr(&p, "s");
        int64_t sv = 0;
        /* no s attribute means cell format 0 */
        if (!s)
          c.style = 0;
        else
          c.style = gw_parse_i64(s, &sv) == GW_OK && sv >= 0 && sv < MAX_XF ? (long)sv : -1;
        free(s);
        gw_buf_reset(&c.v);
        gw_buf_reset(&c.is);
        in_v = in_is = in_t = in_rph = false;
        if (is_empty_element(&p))
          rc = finish_cell(&p, acc, row, &c);
        else
          in_cell = true;
      }
    } else if (in_data) {
      if (is_end(&p, "sheetData")) {
        in_data = false;
      } else if (is_start(&p, "row")) {
        char *r = attr(&p, "r");
        int64_t v = 0;
        if (r && (gw_parse_i64(r, &v) != GW_OK || v < 1 || v > MAX_ROW)) {
          rc = xerr(&p, GW_EPARSE, "invalid row number '%.20s'", r);
          free(r);
          break;
        }
        if (!r && row >= MAX_ROW) {
          rc = xerr(&p, GW_EPARSE, "more than %d rows", MAX_ROW);
          break;
        }
        row = r ? (size_t)v : row + 1;
        free(r);
        next_col = 0;
        if (is_empty_element(&p))
          rc = gw_tab_acc_end_row(acc, row);
        else
          in_row = true;
      }
    } else if (is_start(&p, "sheetData") && !is_empty_element(&p)) {
      in_data = true;
    }
    if (rc)
      break;
  }
  part_close(&p);
out:
  free(c.type);
  gw_buf_free(&c.v);
  gw_buf_free(&c.is);
  return rc;
}

/* ---- the package ------------------------------------------------------- */

static void xlsx_free(struct xlsx *x)
{
  if (x->za)
    zip_discard(x->za);
  for (size_t i = 0; i < x->nsst; i++)
    free(x->sst[i]);
  free(x->sst);
  free(x->xf_date);
  for (size_t i = 0; i < x->nrels; i++) {
    free(x->rels[i].id);
    free(x->rels[i].type);
    free(x->rels[i].target);
  }
  free(x->rels);
  for (size_t i = 0; i < x->nsheets; i++) {
    free(x->sheet_rids[i]);
    free(x->sheet_names[i]);
  }
  free(x->sheet_rids);
  free(x->sheet_names);
  memset(x, 0, sizeof *x);
}

static int open_zip(struct xlsx *x, const void *data, size_t len)
{
  zip_error_t ze;
  zip_error_init(&ze);
  int rc = GW_OK;
  /* libzip takes an empty file for an empty archive */
  if (len == 0) {
    rc = gw_err_set(GW_EPARSE, "%s: not an XLSX file (the file is empty)", x->name);
    goto out;
  }
  zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
  if (!src) {
    rc = gw_err_set(GW_ENOMEM, "%s: %s", x->name, zip_error_strerror(&ze));
    goto out;
  }
  x->za = zip_open_from_source(src, ZIP_RDONLY, &ze);
  if (!x->za) {
    zip_source_free(src);
    if (len >= 4 && memcmp(data, "\xD0\xCF\x11\xE0", 4) == 0)
      rc = gw_err_set(GW_EPARSE,
                      "%s: not an XLSX file: this is an old-format .xls workbook or a "
                      "password-protected one; save it in Excel or WPS as .xlsx without a "
                      "password",
                      x->name);
    else if (zip_error_code_zip(&ze) == ZIP_ER_NOZIP)
      rc = gw_err_set(GW_EPARSE, "%s: not an XLSX file (not a zip archive)", x->name);
    else
      rc = gw_err_set(GW_EPARSE, "%s: not an XLSX file (corrupt zip archive: %s)", x->name,
                      zip_error_strerror(&ze));
    goto out;
  }
  if (zip_get_num_entries(x->za, 0) > GW_TAB_MAX_ENTRIES)
    rc = gw_err_set(GW_ELIMIT, "%s: more than %d entries in the zip archive", x->name,
                    GW_TAB_MAX_ENTRIES);
out:
  zip_error_fini(&ze);
  return rc;
}

int gw_tab_xlsx_read(const char *name, const void *data, size_t len, struct gw_table *out)
{
  struct xlsx x;
  struct gw_tab_acc acc;
  char *sheet_part = NULL, *sst_part = NULL, *styles_part = NULL;
  memset(&x, 0, sizeof x);
  x.name = name;
  gw_tab_acc_init(&acc, name, true);
  xmlInitParser();

  int rc = open_zip(&x, data, len);
  if (rc)
    goto out;
  rc = read_workbook(&x);
  if (rc)
    goto out;
  rc = read_rels(&x);
  if (rc)
    goto out;

  /* The first sheet in workbook order that is a worksheet (a chartsheet
   * has no cells). */
  const struct rel *sheet = NULL;
  for (size_t i = 0; i < x.nsheets && !sheet; i++) {
    const struct rel *r = rel_by_id(&x, x.sheet_rids[i]);
    if (!r) {
      rc = gw_err_set(GW_EPARSE,
                      "%s: xl/_rels/workbook.xml.rels: no relationship %s for sheet '%s'", name,
                      x.sheet_rids[i], x.sheet_names[i]);
      goto out;
    }
    if (gw_str_ends(r->type, "/worksheet"))
      sheet = r;
  }
  if (!sheet) {
    rc = gw_err_set(GW_EPARSE, "%s: xl/workbook.xml: the workbook has no worksheet", name);
    goto out;
  }
  sheet_part = resolve_target(sheet->target);
  const struct rel *r = rel_by_type(&x, "/sharedStrings");
  sst_part = r ? resolve_target(r->target) : gw_strdup("xl/sharedStrings.xml");
  r = rel_by_type(&x, "/styles");
  styles_part = r ? resolve_target(r->target) : gw_strdup("xl/styles.xml");

  rc = read_shared_strings(&x, sst_part);
  if (rc)
    goto out;
  rc = read_styles(&x, styles_part);
  if (rc)
    goto out;
  rc = read_sheet(&x, sheet_part, &acc);
  if (rc)
    goto out;
  rc = gw_tab_acc_finish(&acc, out);
out:
  gw_tab_acc_free(&acc);
  xlsx_free(&x);
  free(sheet_part);
  free(sst_part);
  free(styles_part);
  return rc;
}
