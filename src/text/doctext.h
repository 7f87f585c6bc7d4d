/* Plain text of office documents (attachments of government pages), for
 * the content checks: DOCX (Word 2007+) and XLSX (Excel 2007+).
 *
 * The text comes out as the content checks read page text: one paragraph
 * or table row a line, table cells separated by a TAB, so a privacy scan
 * sees a column header above the values (text/privacy.h). DOCX: the body
 * of word/document.xml - paragraphs, tables (a row a line), tabs and breaks;
 * headers, footers, comments and text boxes' alternate content are left
 * out. XLSX: the first worksheet through tab/table.h (shared and inline
 * strings, numbers as written), its header row first. PDF needs a PDF
 * library (poppler) that is not a dependency yet; old binary .doc/.xls and
 * WPS files are not read (GW_EINVAL naming the format).
 *
 * Hostile input never crashes or hangs: the archive's entry is capped
 * (GW_DOCTEXT_MAX_PART uncompressed bytes, a zip bomb is GW_ELIMIT), the
 * text is capped (GW_DOCTEXT_MAX_TEXT; longer text is cut at a character
 * boundary and *truncated set), the XML parser never loads external
 * entities or DTDs. */
#ifndef GW_TEXT_DOCTEXT_H
#define GW_TEXT_DOCTEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"

enum gw_doc_kind {
  GW_DOC_UNKNOWN = 0,
  GW_DOC_DOCX,
  GW_DOC_XLSX
};

/* Uncompressed bytes of one archive entry read at most. */
#define GW_DOCTEXT_MAX_PART ((size_t)64 << 20)
/* Bytes of text produced at most. */
#define GW_DOCTEXT_MAX_TEXT ((size_t)4 << 20)

/* The kind of a document from its Content-Type (may be NULL; parameters
 * ignored) or, when that says nothing specific (application/octet-stream,
 * absent), from the URL's path extension (.docx, .xlsx; case-insensitive,
 * query and fragment ignored). GW_DOC_UNKNOWN otherwise. */
enum gw_doc_kind gw_doctext_kind(const char *content_type, const char *url);

/* "docx", "xlsx", or "?" */
const char *gw_doctext_kind_name(enum gw_doc_kind k);

/* Extract the text of data[0..len) as `kind` into out (appended; out's own
 * cap also applies). `name` names the input in messages (a URL).
 * GW_EPARSE for something that is not a document of that kind (not a zip
 * archive, no word/document.xml, malformed XML), naming `name` and the
 * problem; GW_ELIMIT for an entry over GW_DOCTEXT_MAX_PART; GW_EINVAL for
 * GW_DOC_UNKNOWN. *truncated (may be NULL) is set when the text reached
 * GW_DOCTEXT_MAX_TEXT. On failure out may hold part of the text. */
int gw_doctext_extract(const char *name, enum gw_doc_kind kind, const void *data, size_t len, struct gw_buf *out,
                       bool *truncated);

#endif
