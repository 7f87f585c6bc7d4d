/* DOCX writer: the block list as a WordprocessingML package in the GB/T
 * 9704 layout, XML written with libxml2's xmlTextWriter (which escapes every
 * text and attribute value) and packed with libzip.
 *
 * Formatting is written twice on purpose: as named styles in styles.xml
 * (so an office can restyle the document in Word or WPS) and as direct
 * paragraph/run properties in document.xml (so the layout survives pasting
 * into another template). */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/xmlwriter.h>
#include <zip.h>

#include "core/alloc.h"
#include "core/date.h"
#include "core/error.h"
#include "report/report_int.h"

#define NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_R "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_PKG_REL "http://schemas.openxmlformats.org/package/2006/relationships"
#define REL_BASE "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

/* GB/T 9704-2012 page: A4, margins top 37 mm, bottom 35 mm, left 28 mm,
 * right 26 mm (1 mm = 56.69 twips); 22 lines of 28 characters in a 225 mm
 * type area gives a line pitch of 28.95 pt = 579 twips. */
#define PG_W 11906
#define PG_H 16838
#define MAR_TOP 2098
#define MAR_BOTTOM 1984
#define MAR_LEFT 1587
#define MAR_RIGHT 1474
#define MAR_FOOTER 1304 /* page number 7 mm below the type area */
#define LINE 579

/* Fonts and sizes (half-points): 二号 22 pt, 三号 16 pt, 四号 14 pt, 五号
 * 10.5 pt (attachment tables, so a 网站标识码 or a URL fits its column). */
#define F_TITLE "方正小标宋简体"
#define F_BODY "仿宋_GB2312"
#define F_H1 "黑体"
#define F_H2 "楷体_GB2312"
#define F_PAGENO "宋体"
#define SZ_2 44
#define SZ_3 32
#define SZ_4 28
#define SZ_5 21

/* ---- a writer that remembers the first failure ---------------------------- */

struct xw {
  xmlBufferPtr buf;
  xmlTextWriterPtr w;
  bool bad;
};

static void xw_open(struct xw *x)
{
  x->buf = xmlBufferCreate();
  x->w = x->buf ? xmlNewTextWriterMemory(x->buf, 0) : NULL;
  x->bad = !x->w;
  if (!x->bad && xmlTextWriterStartDocument(x->w, "1.0", "UTF-8", "yes") < 0)
    x->bad = true;
}

static void S(struct xw *x, const char *name)
{
  if (!x->bad && xmlTextWriterStartElement(x->w, BAD_CAST name) < 0)
    x->bad = true;
}

static void A(struct xw *x, const char *name, const char *val)
{
  if (!x->bad && xmlTextWriterWriteAttribute(x->w, BAD_CAST name, BAD_CAST val) < 0)
    x->bad = true;
}

static void AI(struct xw *x, const char *name, long v)
{
  char s[32];
  snprintf(s, sizeof s, "%ld", v);
  A(x, name, s);
}

static void E(struct xw *x)
{
  if (!x->bad && xmlTextWriterEndElement(x->w) < 0)
    x->bad = true;
}

static void T(struct xw *x, const char *text)
{
  if (!x->bad && xmlTextWriterWriteString(x->w, BAD_CAST text) < 0)
    x->bad = true;
}

/* <name attr="val"/> */
static void EV(struct xw *x, const char *name, const char *attr, const char *val)
{
  S(x, name);
  if (attr)
    A(x, attr, val);
  E(x);
}

/* Finish the document and hand out its bytes (malloc'd). */
static int xw_close(struct xw *x, const char *part, char **data, size_t *len)
{
  int rc = GW_OK;
  if (!x->bad && xmlTextWriterEndDocument(x->w) < 0)
    x->bad = true;
  if (x->w)
    xmlFreeTextWriter(x->w); /* flushes into buf */
  x->w = NULL;
  if (x->bad || !x->buf) {
    rc = gw_err_set(GW_EIO, "docx: writing the XML of %s failed", part);
  } else {
    *len = (size_t)xmlBufferLength(x->buf);
    *data = gw_malloc(*len ? *len : 1);
    memcpy(*data, xmlBufferContent(x->buf), *len);
  }
  if (x->buf)
    xmlBufferFree(x->buf);
  x->buf = NULL;
  return rc;
}

/* ---- run and paragraph properties ------------------------------------------ */

static void fonts(struct xw *x, const char *font)
{
  S(x, "w:rFonts");
  A(x, "w:ascii", font);
  A(x, "w:hAnsi", font);
  A(x, "w:eastAsia", font);
  A(x, "w:cs", font);
  E(x);
}

static void rpr(struct xw *x, const char *font, int sz)
{
  S(x, "w:rPr");
  fonts(x, font);
  S(x, "w:sz");
  AI(x, "w:val", sz);
  E(x);
  S(x, "w:szCs");
  AI(x, "w:val", sz);
  E(x);
  E(x);
}

static void run(struct xw *x, const char *font, int sz, const char *text)
{
  S(x, "w:r");
  rpr(x, font, sz);
  S(x, "w:t");
  A(x, "xml:space", "preserve");
  T(x, text);
  E(x);
  E(x);
}

struct pfmt {
  const char *style, *font;
  int sz;
  const char *jc;       /* both, center, right, left */
  int first_chars;      /* first-line indent in 1/100 characters */
  int right_chars;      /* right indent in 1/100 characters */
  int line;             /* exact line height in twips; 0 = single (auto) */
  int before, after;    /* spacing in twips */
  bool page_break, keep_next;
};

static void ppr(struct xw *x, const struct pfmt *f)
{
  S(x, "w:pPr");
  if (f->style)
    EV(x, "w:pStyle", "w:val", f->style);
  if (f->keep_next)
    EV(x, "w:keepNext", NULL, NULL);
  if (f->page_break)
    EV(x, "w:pageBreakBefore", NULL, NULL);
  S(x, "w:spacing");
  AI(x, "w:before", f->before);
  AI(x, "w:after", f->after);
  if (f->line) {
    AI(x, "w:line", f->line);
    A(x, "w:lineRule", "exact");
  } else {
    AI(x, "w:line", 240);
    A(x, "w:lineRule", "auto");
  }
  E(x);
  S(x, "w:ind");
  /* 1/100 character units and the twips equivalent at 16 pt (320 twips per
   * character) for readers that ignore the *Chars attributes. */
  AI(x, "w:firstLineChars", f->first_chars);
  AI(x, "w:firstLine", f->first_chars * 320 / 100);
  if (f->right_chars) {
    AI(x, "w:rightChars", f->right_chars);
    AI(x, "w:right", f->right_chars * 320 / 100);
  }
  E(x);
  EV(x, "w:jc", "w:val", f->jc);
  rpr(x, f->font, f->sz);
  E(x);
}

static void para(struct xw *x, const struct pfmt *f, const char *text)
{
  S(x, "w:p");
  ppr(x, f);
  run(x, f->font, f->sz, text);
  E(x);
}

static const struct pfmt P_BODY = {"GwBody", F_BODY, SZ_3, "both", 200, 0, LINE, 0, 0, false, false};
static const struct pfmt P_DOCNUM = {"GwBody", F_BODY, SZ_3, "center", 0, 0, LINE, 0, LINE, false, false};
static const struct pfmt P_TITLE = {"GwTitle", F_TITLE, SZ_2, "center", 0, 0, 700, 0, LINE, false, true};
static const struct pfmt P_ADDR = {"GwBody", F_BODY, SZ_3, "both", 0, 0, LINE, 0, 0, false, false};
static const struct pfmt P_H1 = {"GwHeading1", F_H1, SZ_3, "both", 200, 0, LINE, 0, 0, false, true};
static const struct pfmt P_H2 = {"GwHeading2", F_H2, SZ_3, "both", 200, 0, LINE, 0, 0, false, true};
static const struct pfmt P_NOTE = {"GwBody", F_BODY, SZ_3, "left", 200, 0, LINE, 0, 0, false, false};
static const struct pfmt P_NOTE1 = {"GwBody", F_BODY, SZ_3, "left", 200, 0, LINE, LINE, 0, false, false};
static const struct pfmt P_SIGN1 = {"GwBody", F_BODY, SZ_3, "right", 0, 400, LINE, 2 * LINE, 0, false, true};
static const struct pfmt P_SIGN2 = {"GwBody", F_BODY, SZ_3, "right", 0, 400, LINE, 0, 0, false, false};
static const struct pfmt P_ALABEL = {"GwHeading1", F_H1, SZ_3, "left", 0, 0, LINE, 0, 0, true, true};
static const struct pfmt P_ATITLE = {"GwTitle", F_TITLE, SZ_2, "center", 0, 0, 700, LINE / 2, LINE / 2, false, true};
static const struct pfmt P_TH = {"GwTable", F_H1, SZ_5, "center", 0, 0, 0, 40, 40, false, false};
static const struct pfmt P_TD = {"GwTable", F_BODY, SZ_5, "center", 0, 0, 0, 40, 40, false, false};

static void border(struct xw *x, const char *side)
{
  S(x, side);
  A(x, "w:val", "single");
  A(x, "w:sz", "4");
  A(x, "w:space", "0");
  A(x, "w:color", "000000");
  E(x);
}

static void table(struct xw *x, const struct gw_rblock *t)
{
  long total = 0;
  for (size_t k = 0; k < t->ncols; k++)
    total += t->widths[k];
  S(x, "w:tbl");
  S(x, "w:tblPr");
  S(x, "w:tblW");
  AI(x, "w:w", total);
  A(x, "w:type", "dxa");
  E(x);
  EV(x, "w:jc", "w:val", "center");
  S(x, "w:tblBorders");
  border(x, "w:top");
  border(x, "w:left");
  border(x, "w:bottom");
  border(x, "w:right");
  border(x, "w:insideH");
  border(x, "w:insideV");
  E(x);
  EV(x, "w:tblLayout", "w:type", "fixed");
  S(x, "w:tblCellMar");
  S(x, "w:left");
  AI(x, "w:w", 57);
  A(x, "w:type", "dxa");
  E(x);
  S(x, "w:right");
  AI(x, "w:w", 57);
  A(x, "w:type", "dxa");
  E(x);
  E(x);
  E(x); /* tblPr */
  S(x, "w:tblGrid");
  for (size_t k = 0; k < t->ncols; k++) {
    S(x, "w:gridCol");
    AI(x, "w:w", t->widths[k]);
    E(x);
  }
  E(x);
  for (size_t r = 0; r < t->nrows; r++) {
    S(x, "w:tr");
    S(x, "w:trPr");
    EV(x, "w:cantSplit", NULL, NULL);
    if (r == 0)
      EV(x, "w:tblHeader", NULL, NULL); /* repeat on every page */
    E(x);
    for (size_t k = 0; k < t->ncols; k++) {
      S(x, "w:tc");
      S(x, "w:tcPr");
      S(x, "w:tcW");
      AI(x, "w:w", t->widths[k]);
      A(x, "w:type", "dxa");
      E(x);
      EV(x, "w:vAlign", "w:val", "center");
      E(x);
      para(x, r == 0 ? &P_TH : &P_TD, t->cells[r * t->ncols + k]);
      E(x);
    }
    E(x);
  }
  E(x);
}

/* ---- parts ---------------------------------------------------------------- */

static int part_document(const struct gw_rdoc *d, char **data, size_t *len)
{
  struct xw x;
  xw_open(&x);
  S(&x, "w:document");
  A(&x, "xmlns:w", NS_W);
  A(&x, "xmlns:r", NS_R);
  S(&x, "w:body");
  bool first_note = true;
  for (size_t i = 0; i < d->n; i++) {
    const struct gw_rblock *k = &d->b[i];
    switch (k->kind) {
    case GW_RB_DOCNUM: para(&x, &P_DOCNUM, k->text); break;
    case GW_RB_TITLE: para(&x, &P_TITLE, k->text); break;
    case GW_RB_ADDRESSEE: para(&x, &P_ADDR, k->text); break;
    case GW_RB_PARA: para(&x, &P_BODY, k->text); break;
    case GW_RB_H1: para(&x, &P_H1, k->text); break;
    case GW_RB_H2: para(&x, &P_H2, k->text); break;
    case GW_RB_ATTACH_NOTE:
      para(&x, first_note ? &P_NOTE1 : &P_NOTE, k->text);
      first_note = false;
      break;
    case GW_RB_SIGN_OFFICE: para(&x, &P_SIGN1, k->text); break;
    case GW_RB_SIGN_DATE: para(&x, &P_SIGN2, k->text); break;
    case GW_RB_ATTACH_LABEL: para(&x, &P_ALABEL, k->text); break;
    case GW_RB_ATTACH_TITLE: para(&x, &P_ATITLE, k->text); break;
    case GW_RB_TABLE:
      table(&x, k);
      /* Word needs a paragraph after a table at the end of a cell or body. */
      para(&x, &P_ADDR, "");
      break;
    }
  }
  S(&x, "w:sectPr");
  S(&x, "w:footerReference");
  A(&x, "w:type", "default");
  A(&x, "r:id", "rIdFooter1");
  E(&x);
  S(&x, "w:pgSz");
  AI(&x, "w:w", PG_W);
  AI(&x, "w:h", PG_H);
  E(&x);
  S(&x, "w:pgMar");
  AI(&x, "w:top", MAR_TOP);
  AI(&x, "w:right", MAR_RIGHT);
  AI(&x, "w:bottom", MAR_BOTTOM);
  AI(&x, "w:left", MAR_LEFT);
  AI(&x, "w:header", 851);
  AI(&x, "w:footer", MAR_FOOTER);
  AI(&x, "w:gutter", 0);
  E(&x);
  S(&x, "w:pgNumType");
  A(&x, "w:fmt", "decimal");
  A(&x, "w:start", "1");
  E(&x);
  S(&x, "w:docGrid");
  A(&x, "w:type", "lines");
  AI(&x, "w:linePitch", LINE);
  E(&x);
  E(&x); /* sectPr */
  E(&x); /* body */
  E(&x); /* document */
  return xw_close(&x, "word/document.xml", data, len);
}

static void fld(struct xw *x, const char *type)
{
  S(x, "w:r");
  rpr(x, F_PAGENO, SZ_4);
  EV(x, "w:fldChar", "w:fldCharType", type);
  E(x);
}

static int part_footer(char **data, size_t *len)
{
  struct xw x;
  xw_open(&x);
  S(&x, "w:ftr");
  A(&x, "xmlns:w", NS_W);
  A(&x, "xmlns:r", NS_R);
  S(&x, "w:p");
  static const struct pfmt f = {"GwFooter", F_PAGENO, SZ_4, "center", 0, 0, 0, 0, 0, false, false};
  ppr(&x, &f);
  run(&x, F_PAGENO, SZ_4, "— ");
  fld(&x, "begin");
  S(&x, "w:r");
  rpr(&x, F_PAGENO, SZ_4);
  S(&x, "w:instrText");
  A(&x, "xml:space", "preserve");
  T(&x, " PAGE ");
  E(&x);
  E(&x);
  fld(&x, "separate");
  run(&x, F_PAGENO, SZ_4, "1");
  fld(&x, "end");
  run(&x, F_PAGENO, SZ_4, " —");
  E(&x);
  E(&x);
  return xw_close(&x, "word/footer1.xml", data, len);
}

static void style(struct xw *x, const char *id, const char *name, const struct pfmt *f)
{
  S(x, "w:style");
  A(x, "w:type", "paragraph");
  A(x, "w:styleId", id);
  if (strcmp(id, "GwBody") == 0)
    A(x, "w:default", "1");
  EV(x, "w:name", "w:val", name);
  if (strcmp(id, "GwBody") != 0)
    EV(x, "w:basedOn", "w:val", "GwBody");
  EV(x, "w:qFormat", NULL, NULL);
  struct pfmt g = *f;
  g.style = NULL;
  ppr(x, &g);
  rpr(x, f->font, f->sz);
  E(x);
}

static int part_styles(char **data, size_t *len)
{
  struct xw x;
  xw_open(&x);
  S(&x, "w:styles");
  A(&x, "xmlns:w", NS_W);
  S(&x, "w:docDefaults");
  S(&x, "w:rPrDefault");
  S(&x, "w:rPr");
  fonts(&x, F_BODY);
  EV(&x, "w:sz", "w:val", "32");
  EV(&x, "w:szCs", "w:val", "32");
  S(&x, "w:lang");
  A(&x, "w:val", "en-US");
  A(&x, "w:eastAsia", "zh-CN");
  E(&x);
  E(&x);
  E(&x);
  S(&x, "w:pPrDefault");
  S(&x, "w:pPr");
  S(&x, "w:spacing");
  AI(&x, "w:line", LINE);
  A(&x, "w:lineRule", "exact");
  E(&x);
  E(&x);
  E(&x);
  E(&x); /* docDefaults */
  style(&x, "GwBody", "公文正文", &P_BODY);
  style(&x, "GwTitle", "公文标题", &P_TITLE);
  style(&x, "GwHeading1", "一级标题", &P_H1);
  style(&x, "GwHeading2", "二级标题", &P_H2);
  style(&x, "GwTable", "表格文字", &P_TD);
  static const struct pfmt f = {"GwFooter", F_PAGENO, SZ_4, "center", 0, 0, 0, 0, 0, false, false};
  style(&x, "GwFooter", "页码", &f);
  E(&x);
  return xw_close(&x, "word/styles.xml", data, len);
}

static int part_settings(char **data, size_t *len)
{
  struct xw x;
  xw_open(&x);
  S(&x, "w:settings");
  A(&x, "xmlns:w", NS_W);
  EV(&x, "w:zoom", "w:percent", "100");
  EV(&x, "w:defaultTabStop", "w:val", "420");
  EV(&x, "w:characterSpacingControl", "w:val", "compressPunctuation");
  S(&x, "w:compat");
  S(&x, "w:compatSetting");
  A(&x, "w:name", "compatibilityMode");
  A(&x, "w:uri", "http://schemas.microsoft.com/office/word");
  A(&x, "w:val", "15");
  E(&x);
  E(&x);
  EV(&x, "w:themeFontLang", "w:eastAsia", "zh-CN");
  E(&x);
  return xw_close(&x, "word/settings.xml", data, len);
}

/* Office's fontTable names fallbacks (altName) for the official fonts,
 * which most machines outside government offices do not have. */
static int part_fonts(char **data, size_t *len)
{
  static const char *const F[][3] = {
      {F_TITLE, "华文中宋", "roman"}, {F_BODY, "仿宋", "modern"}, {F_H1, "SimHei", "modern"},
      {F_H2, "楷体", "modern"},        {F_PAGENO, "SimSun", "auto"}};
  struct xw x;
  xw_open(&x);
  S(&x, "w:fonts");
  A(&x, "xmlns:w", NS_W);
  for (size_t i = 0; i < sizeof F / sizeof F[0]; i++) {
    S(&x, "w:font");
    A(&x, "w:name", F[i][0]);
    EV(&x, "w:altName", "w:val", F[i][1]);
    EV(&x, "w:charset", "w:val", "86");
    EV(&x, "w:family", "w:val", F[i][2]);
    E(&x);
  }
  E(&x);
  return xw_close(&x, "word/fontTable.xml", data, len);
}

static void rel(struct xw *x, const char *id, const char *type, const char *target)
{
  S(x, "Relationship");
  A(x, "Id", id);
  A(x, "Type", type);
  A(x, "Target", target);
  E(x);
}

static int part_rels(bool doc, char **data, size_t *len)
{
  struct xw x;
  xw_open(&x);
  S(&x, "Relationships");
  A(&x, "xmlns", NS_PKG_REL);
  if (doc) {
    rel(&x, "rIdStyles", REL_BASE "styles", "styles.xml");
    rel(&x, "rIdSettings", REL_BASE "settings", "settings.xml");
    rel(&x, "rIdFonts", REL_BASE "fontTable", "fontTable.xml");
    rel(&x, "rIdFooter1", REL_BASE "footer", "footer1.xml");
  } else {
    rel(&x, "rId1", REL_BASE "officeDocument", "word/document.xml");
    rel(&x, "rId2",
        "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
        "docProps/core.xml");
    rel(&x, "rId3", REL_BASE "extended-properties", "docProps/app.xml");
  }
  E(&x);
  return xw_close(&x, doc ? "word/_rels/document.xml.rels" : "_rels/.rels", data, len);
}

static void override(struct xw *x, const char *part, const char *type)
{
  S(x, "Override");
  A(x, "PartName", part);
  A(x, "ContentType", type);
  E(x);
}

#define CT_WML "application/vnd.openxmlformats-officedocument.wordprocessingml."

static int part_types(char **data, size_t *len)
{
  struct xw x;
  xw_open(&x);
  S(&x, "Types");
  A(&x, "xmlns", "http://schemas.openxmlformats.org/package/2006/content-types");
  S(&x, "Default");
  A(&x, "Extension", "rels");
  A(&x, "ContentType", "application/vnd.openxmlformats-package.relationships+xml");
  E(&x);
  S(&x, "Default");
  A(&x, "Extension", "xml");
  A(&x, "ContentType", "application/xml");
  E(&x);
  override(&x, "/word/document.xml", CT_WML "document.main+xml");
  override(&x, "/word/styles.xml", CT_WML "styles+xml");
  override(&x, "/word/settings.xml", CT_WML "settings+xml");
  override(&x, "/word/fontTable.xml", CT_WML "fontTable+xml");
  override(&x, "/word/footer1.xml", CT_WML "footer+xml");
  override(&x, "/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml");
  override(&x, "/docProps/app.xml",
           "application/vnd.openxmlformats-officedocument.extended-properties+xml");
  E(&x);
  return xw_close(&x, "[Content_Types].xml", data, len);
}

static int part_core(const struct gw_rdoc *d, int64_t issued, char **data, size_t *len)
{
  char when[40];
  gw_time_format_iso(issued, when, sizeof when);
  struct xw x;
  xw_open(&x);
  S(&x, "cp:coreProperties");
  A(&x, "xmlns:cp", "http://schemas.openxmlformats.org/package/2006/metadata/core-properties");
  A(&x, "xmlns:dc", "http://purl.org/dc/elements/1.1/");
  A(&x, "xmlns:dcterms", "http://purl.org/dc/terms/");
  A(&x, "xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance");
  S(&x, "dc:title");
  T(&x, d->title);
  E(&x);
  S(&x, "dc:creator");
  T(&x, d->office);
  E(&x);
  S(&x, "dc:language");
  T(&x, "zh-CN");
  E(&x);
  /* The issue date, not the wall clock: the same model gives the same file. */
  S(&x, "dcterms:created");
  A(&x, "xsi:type", "dcterms:W3CDTF");
  T(&x, when);
  E(&x);
  E(&x);
  return xw_close(&x, "docProps/core.xml", data, len);
}

static int part_app(char **data, size_t *len)
{
  struct xw x;
  xw_open(&x);
  S(&x, "Properties");
  A(&x, "xmlns", "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties");
  S(&x, "Application");
  T(&x, "GovWatch");
  E(&x);
  E(&x);
  return xw_close(&x, "docProps/app.xml", data, len);
}

/* ---- the package ------------------------------------------------------------ */

static int add_part(zip_t *za, const char *path, const char *name, char *data, size_t len,
                    time_t mtime)
{
  zip_source_t *src = zip_source_buffer(za, data, len, 1); /* libzip frees data */
  if (!src) {
    free(data);
    return gw_err_set(GW_EIO, "%s: libzip: %s: %s", path, name, zip_strerror(za));
  }
  zip_int64_t idx = zip_file_add(za, name, src, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
  if (idx < 0) {
    zip_source_free(src);
    return gw_err_set(GW_EIO, "%s: libzip: %s: %s", path, name, zip_strerror(za));
  }
  /* A fixed time keeps the package byte-for-byte reproducible. */
  (void)zip_file_set_mtime(za, (zip_uint64_t)idx, mtime, 0);
  return GW_OK;
}

int gw_docx_circular_write(const struct gw_circular *c, const char *path)
{
  struct gw_rdoc d;
  int rc = gw_report_compose(c, &d);
  if (rc)
    return rc;
  int zerr = 0;
  zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
  if (!za) {
    zip_error_t ze;
    zip_error_init_with_code(&ze, zerr);
    rc = gw_err_set(GW_EIO, "%s: cannot create the DOCX: %s", path, zip_error_strerror(&ze));
    zip_error_fini(&ze);
    gw_report_rdoc_free(&d);
    return rc;
  }
  time_t mtime = (time_t)c->issued;
  static const char *const names[] = {
      "[Content_Types].xml", "_rels/.rels",        "word/_rels/document.xml.rels",
      "word/document.xml",   "word/styles.xml",    "word/settings.xml",
      "word/fontTable.xml",  "word/footer1.xml",   "docProps/core.xml",
      "docProps/app.xml"};
  for (size_t i = 0; i < sizeof names / sizeof names[0] && rc == GW_OK; i++) {
    char *data = NULL;
    size_t len = 0;
    switch (i) {
    case 0: rc = part_types(&data, &len); break;
    case 1: rc = part_rels(false, &data, &len); break;
    case 2: rc = part_rels(true, &data, &len); break;
    case 3: rc = part_document(&d, &data, &len); break;
    case 4: rc = part_styles(&data, &len); break;
    case 5: rc = part_settings(&data, &len); break;
    case 6: rc = part_fonts(&data, &len); break;
    case 7: rc = part_footer(&data, &len); break;
    case 8: rc = part_core(&d, c->issued, &data, &len); break;
    default: rc = part_app(&data, &len); break;
    }
    if (rc == GW_OK)
      rc = add_part(za, path, names[i], data, len, mtime);
  }
  if (rc == GW_OK && zip_close(za) != 0) {
    rc = gw_err_set(GW_EIO, "%s: writing the DOCX failed: %s", path, zip_strerror(za));
    zip_discard(za);
  } else if (rc) {
    zip_discard(za);
  }
  gw_report_rdoc_free(&d);
  return rc;
}
