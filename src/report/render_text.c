/* Markdown and HTML renderers of the block list. Every piece of text goes
 * through an escaper: nothing from the model can become markup. */
#include <string.h>

#include "core/buf.h"
#include "core/error.h"
#include "report/report_int.h"

/* ---- Markdown --------------------------------------------------------------- */

/* Escape for CommonMark/GFM: inline metacharacters always, HTML
 * metacharacters as entities (raw HTML would otherwise pass through), and
 * the characters that start a block only at the start of the text. In a
 * table cell '|' is escaped too (it always is here). */
static void md_text(struct gw_buf *b, const char *s)
{
  const char *p = s;
  /* Block starters: "#", "+", "-", "=", ">" or "1." / "1)" at the start. */
  if (*p == '#' || *p == '+' || *p == '-' || *p == '=')
    gw_buf_putc(b, '\\');
  if (*p >= '0' && *p <= '9') {
    const char *q = p;
    while (*q >= '0' && *q <= '9')
      q++;
    if (*q == '.' || *q == ')') {
      gw_buf_append(b, p, (size_t)(q - p));
      gw_buf_putc(b, '\\');
      p = q;
    }
  }
  for (; *p; p++) {
    switch (*p) {
    case '&': gw_buf_puts(b, "&amp;"); break;
    case '<': gw_buf_puts(b, "&lt;"); break;
    case '>': gw_buf_puts(b, "&gt;"); break;
    case '\\': case '`': case '*': case '_': case '[': case ']': case '|': case '~':
    case '!': case '{': case '}':
      gw_buf_putc(b, '\\');
      gw_buf_putc(b, *p);
      break;
    default: gw_buf_putc(b, *p);
    }
  }
}

static void md_table(struct gw_buf *b, const struct gw_rblock *t)
{
  for (size_t r = 0; r < t->nrows; r++) {
    gw_buf_puts(b, "|");
    for (size_t k = 0; k < t->ncols; k++) {
      gw_buf_puts(b, " ");
      const char *s = t->cells[r * t->ncols + k];
      if (*s)
        md_text(b, s);
      gw_buf_puts(b, " |");
    }
    gw_buf_puts(b, "\n");
    if (r == 0) {
      gw_buf_puts(b, "|");
      for (size_t k = 0; k < t->ncols; k++)
        gw_buf_puts(b, k == 0 ? " ---: |" : " --- |");
      gw_buf_puts(b, "\n");
    }
  }
  gw_buf_puts(b, "\n");
}

int gw_report_circular_markdown(const struct gw_circular *c, struct gw_buf *out)
{
  struct gw_rdoc d;
  int rc = gw_report_compose(c, &d);
  if (rc)
    return rc;
  struct gw_buf b = GW_BUF_INIT;
  for (size_t i = 0; i < d.n; i++) {
    const struct gw_rblock *k = &d.b[i];
    switch (k->kind) {
    case GW_RB_DOCNUM: md_text(&b, k->text); gw_buf_puts(&b, "\n\n"); break;
    case GW_RB_TITLE: gw_buf_puts(&b, "# "); md_text(&b, k->text); gw_buf_puts(&b, "\n\n"); break;
    case GW_RB_H1: gw_buf_puts(&b, "## "); md_text(&b, k->text); gw_buf_puts(&b, "\n\n"); break;
    case GW_RB_H2: gw_buf_puts(&b, "### "); md_text(&b, k->text); gw_buf_puts(&b, "\n\n"); break;
    case GW_RB_ATTACH_LABEL:
      gw_buf_puts(&b, "---\n\n**"); md_text(&b, k->text); gw_buf_puts(&b, "**\n\n"); break;
    case GW_RB_ATTACH_TITLE:
      gw_buf_puts(&b, "### "); md_text(&b, k->text); gw_buf_puts(&b, "\n\n"); break;
    case GW_RB_TABLE: md_table(&b, k); break;
    case GW_RB_ATTACH_NOTE:
      /* Hard line break between the attachment lines ("  \n" would be eaten
       * by editors that trim blanks; a backslash is explicit). */
      md_text(&b, k->text);
      gw_buf_puts(&b, (i + 1 < d.n && d.b[i + 1].kind == GW_RB_ATTACH_NOTE) ? "\\\n" : "\n\n");
      break;
    case GW_RB_SIGN_OFFICE:
      md_text(&b, k->text);
      gw_buf_puts(&b, "\\\n");
      break;
    case GW_RB_ADDRESSEE: case GW_RB_PARA: case GW_RB_SIGN_DATE:
      md_text(&b, k->text);
      gw_buf_puts(&b, "\n\n");
      break;
    }
  }
  rc = gw_buf_append(out, b.data ? b.data : "", b.len);
  gw_buf_free(&b);
  gw_report_rdoc_free(&d);
  return rc;
}

/* ---- HTML ------------------------------------------------------------------- */

static void html_text(struct gw_buf *b, const char *s)
{
  for (const char *p = s; *p; p++) {
    switch (*p) {
    case '&': gw_buf_puts(b, "&amp;"); break;
    case '<': gw_buf_puts(b, "&lt;"); break;
    case '>': gw_buf_puts(b, "&gt;"); break;
    case '"': gw_buf_puts(b, "&quot;"); break;
    case '\'': gw_buf_puts(b, "&#39;"); break;
    default: gw_buf_putc(b, *p);
    }
  }
}

/* Print CSS for the GB/T 9704 page: A4, margins 37/26/35/28 mm, 22 lines
 * of 28 characters; the official fonts first, then what Windows, macOS and
 * Linux (Noto CJK) have. */
static const char HTML_CSS[] =
    "@page{size:A4;margin:37mm 26mm 35mm 28mm;"
    "@bottom-center{content:\"— \" counter(page) \" —\";font-family:\"宋体\",SimSun,serif;font-size:14pt}}\n"
    "body{font-family:\"仿宋_GB2312\",\"仿宋\",FangSong,STFangsong,\"Noto Serif CJK SC\",serif;"
    "font-size:16pt;line-height:28.95pt;max-width:156mm;margin:0 auto;color:#000}\n"
    "p{margin:0;text-indent:2em;text-align:justify}\n"
    "p.docnum,p.attach-title{text-align:center;text-indent:0}\n"
    "h1{font-family:\"方正小标宋简体\",\"方正小标宋_GBK\",FZXiaoBiaoSong-B05S,STZhongsong,\"华文中宋\","
    "\"Noto Serif CJK SC\",SimSun,serif;font-size:22pt;font-weight:normal;text-align:center;"
    "line-height:35pt;margin:0 0 28.95pt}\n"
    "h2{font-family:\"黑体\",SimHei,STHeiti,\"Noto Sans CJK SC\",sans-serif;font-size:16pt;"
    "font-weight:normal;margin:0;text-indent:2em}\n"
    "h3{font-family:\"楷体_GB2312\",\"楷体\",KaiTi,STKaiti,\"Noto Serif CJK SC\",serif;font-size:16pt;"
    "font-weight:normal;margin:0;text-indent:2em}\n"
    "p.addressee{text-indent:0}\n"
    "p.attach-note{text-indent:2em}\n"
    "p.sign{text-align:right;text-indent:0;padding-right:4em}\n"
    "p.sign-office{margin-top:56pt}\n"
    "p.attach-label{font-family:\"黑体\",SimHei,STHeiti,\"Noto Sans CJK SC\",sans-serif;text-indent:0;"
    "break-before:page;page-break-before:always;margin-top:2em}\n"
    "p.attach-title{font-family:\"方正小标宋简体\",FZXiaoBiaoSong-B05S,STZhongsong,\"Noto Serif CJK SC\","
    "SimSun,serif;font-size:18pt;line-height:32pt;margin:14pt 0}\n"
    "table{border-collapse:collapse;width:100%;font-size:12pt;line-height:1.4}\n"
    "th,td{border:1px solid #000;padding:2pt 4pt;vertical-align:middle;text-align:center;"
    "word-break:break-all}\n"
    "th{font-family:\"黑体\",SimHei,STHeiti,\"Noto Sans CJK SC\",sans-serif;font-weight:normal}\n"
    "thead{display:table-header-group}\n"
    "tr{break-inside:avoid;page-break-inside:avoid}\n";

static void html_p(struct gw_buf *b, const char *cls, const char *text)
{
  if (cls)
    gw_buf_printf(b, "<p class=\"%s\">", cls);
  else
    gw_buf_puts(b, "<p>");
  html_text(b, text);
  gw_buf_puts(b, "</p>\n");
}

int gw_report_circular_html(const struct gw_circular *c, struct gw_buf *out)
{
  struct gw_rdoc d;
  int rc = gw_report_compose(c, &d);
  if (rc)
    return rc;
  struct gw_buf b = GW_BUF_INIT;
  gw_buf_puts(&b, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
  html_text(&b, d.title);
  gw_buf_puts(&b, "</title>\n<style>\n");
  gw_buf_puts(&b, HTML_CSS);
  gw_buf_puts(&b, "</style>\n</head>\n<body>\n");
  for (size_t i = 0; i < d.n; i++) {
    const struct gw_rblock *k = &d.b[i];
    switch (k->kind) {
    case GW_RB_DOCNUM: html_p(&b, "docnum", k->text); break;
    case GW_RB_TITLE:
      gw_buf_puts(&b, "<h1>"); html_text(&b, k->text); gw_buf_puts(&b, "</h1>\n"); break;
    case GW_RB_ADDRESSEE: html_p(&b, "addressee", k->text); break;
    case GW_RB_PARA: html_p(&b, NULL, k->text); break;
    case GW_RB_H1: gw_buf_puts(&b, "<h2>"); html_text(&b, k->text); gw_buf_puts(&b, "</h2>\n"); break;
    case GW_RB_H2: gw_buf_puts(&b, "<h3>"); html_text(&b, k->text); gw_buf_puts(&b, "</h3>\n"); break;
    case GW_RB_ATTACH_NOTE: html_p(&b, "attach-note", k->text); break;
    case GW_RB_SIGN_OFFICE: html_p(&b, "sign sign-office", k->text); break;
    case GW_RB_SIGN_DATE: html_p(&b, "sign", k->text); break;
    case GW_RB_ATTACH_LABEL: html_p(&b, "attach-label", k->text); break;
    case GW_RB_ATTACH_TITLE: html_p(&b, "attach-title", k->text); break;
    case GW_RB_TABLE:
      gw_buf_puts(&b, "<table>\n<thead>\n<tr>");
      for (size_t c0 = 0; c0 < k->ncols; c0++) {
        gw_buf_puts(&b, "<th>");
        html_text(&b, k->cells[c0]);
        gw_buf_puts(&b, "</th>");
      }
      gw_buf_puts(&b, "</tr>\n</thead>\n<tbody>\n");
      for (size_t r = 1; r < k->nrows; r++) {
        gw_buf_puts(&b, "<tr>");
        for (size_t c0 = 0; c0 < k->ncols; c0++) {
          gw_buf_puts(&b, "<td>");
          html_text(&b, k->cells[r * k->ncols + c0]);
          gw_buf_puts(&b, "</td>");
        }
        gw_buf_puts(&b, "</tr>\n");
      }
      gw_buf_puts(&b, "</tbody>\n</table>\n");
      break;
    }
  }
  gw_buf_puts(&b, "</body>\n</html>\n");
  rc = gw_buf_append(out, b.data ? b.data : "", b.len);
  gw_buf_free(&b);
  gw_report_rdoc_free(&d);
  return rc;
}
