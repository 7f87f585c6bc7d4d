/* Internal to src/report: the circular as a flat list of blocks.
 *
 * compose.c turns the model into blocks (all the Chinese wording lives
 * there); each renderer only maps block kinds to its markup, so Markdown,
 * HTML and DOCX always carry the same text. Block text is sanitised UTF-8
 * (no invalid bytes, no control characters). */
#ifndef GW_REPORT_INT_H
#define GW_REPORT_INT_H

#include <stddef.h>

#include "report/circular.h"

enum gw_rb_kind {
  GW_RB_DOCNUM,       /* 发文字号, centred */
  GW_RB_TITLE,        /* 标题, 方正小标宋 二号, centred */
  GW_RB_ADDRESSEE,    /* 主送机关, no indent */
  GW_RB_PARA,         /* body paragraph, first-line indent 2 chars */
  GW_RB_H1,           /* 一级标题, 黑体 */
  GW_RB_H2,           /* 二级标题, 楷体 */
  GW_RB_ATTACH_NOTE,  /* 附件说明 line(s), 仿宋 */
  GW_RB_SIGN_OFFICE,  /* 发文机关署名, right */
  GW_RB_SIGN_DATE,    /* 成文日期, right */
  GW_RB_ATTACH_LABEL, /* "附件1", 黑体, new page */
  GW_RB_ATTACH_TITLE, /* attachment title, centred */
  GW_RB_TABLE         /* cells[0..ncols) is the header row */
};

struct gw_rblock {
  enum gw_rb_kind kind;
  char *text;     /* NULL for tables */
  size_t ncols, nrows; /* nrows includes the header row */
  char **cells;   /* nrows * ncols, row-major */
  const int *widths; /* column widths in twips (DOCX), ncols entries */
};

struct gw_rdoc {
  struct gw_rblock *b;
  size_t n, cap;
  char *title;  /* same text as the TITLE block (for <title>, core.xml) */
  char *office;
  char *date;   /* issued date in Chinese */
};

/* Build the block list of a checked circular. */
int gw_report_compose(const struct gw_circular *c, struct gw_rdoc *out);
void gw_report_rdoc_free(struct gw_rdoc *d);
/* Append s to out, sanitised (invalid UTF-8 -> U+FFFD, controls -> space). */
void gw_report_put_clean(struct gw_buf *out, const char *s);

#endif
