/* Text of office documents (text/doctext.c): kinds from Content-Type and
 * URL, DOCX paragraphs, tables, tabs, breaks and alternate content, XLSX
 * rows, the caps (text cut at a character boundary, an oversized entry)
 * and every error path (empty, not a zip, old .doc, no document part, DTD,
 * malformed XML, unknown kind). Documents are built here with libzip. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/utf8.h"
#include "tab/table.h"
#include "tap.h"
#include "text/doctext.h"

#define W "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""

/* A zip holding `entry` = data[0..len), deflated; *outlen its size. */
static void *make_zip(const char *entry, const void *data, size_t len, size_t *outlen)
{
  zip_error_t ze;
  zip_error_init(&ze);
  zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
  zip_source_keep(src);
  zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
  zip_source_t *s = zip_source_buffer(za, data, len, 0);
  zip_file_add(za, entry, s, 0);
  if (zip_close(za) != 0)
    abort();
  zip_stat_t st;
  if (zip_source_open(src) != 0 || zip_source_stat(src, &st) != 0)
    abort();
  void *buf = malloc(st.size ? st.size : 1);
  if (zip_source_read(src, buf, st.size) != (zip_int64_t)st.size)
    abort();
  zip_source_close(src);
  zip_source_free(src);
  zip_error_fini(&ze);
  *outlen = st.size;
  return buf;
}

/* Extract a DOCX whose document.xml is `xml`; returns rc, text in *out. */
static int docx_of(const char *xml, struct gw_buf *out)
{
  size_t zlen;
  void *z = make_zip("word/document.xml", xml, strlen(xml), &zlen);
  int rc = gw_doctext_extract("http://x.gov.cn/a.docx", GW_DOC_DOCX, z, zlen, out, NULL);
  free(z);
  return rc;
}

static void test_kind(void)
{
  CHECK_INT(gw_doctext_kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", NULL),
            GW_DOC_DOCX);
  CHECK_INT(gw_doctext_kind(" application/vnd.openxmlformats-officedocument.spreadsheetml.sheet; charset=x", NULL),
            GW_DOC_XLSX);
  CHECK_INT(gw_doctext_kind("application/octet-stream", "http://a/b/C.DOCX?x=1#f"), GW_DOC_DOCX);
  CHECK_INT(gw_doctext_kind(NULL, "http://a/b/c.xlsx"), GW_DOC_XLSX);
  CHECK_INT(gw_doctext_kind("", "http://a/b/c.xlsx"), GW_DOC_XLSX);
  CHECK_INT(gw_doctext_kind("text/html", "http://a/b/c.docx"), GW_DOC_UNKNOWN); /* an error page */
  CHECK_INT(gw_doctext_kind("application/pdf", "http://a/b/c.pdf"), GW_DOC_UNKNOWN);
  CHECK_INT(gw_doctext_kind(NULL, "http://a/b/c.doc"), GW_DOC_UNKNOWN);
  CHECK_INT(gw_doctext_kind(NULL, "http://a/b/docx"), GW_DOC_UNKNOWN);
  CHECK_INT(gw_doctext_kind(NULL, NULL), GW_DOC_UNKNOWN);
  CHECK_STR(gw_doctext_kind_name(GW_DOC_DOCX), "docx");
  CHECK_STR(gw_doctext_kind_name(GW_DOC_XLSX), "xlsx");
  CHECK_STR(gw_doctext_kind_name(GW_DOC_UNKNOWN), "?");
}

static void test_docx(void)
{
  struct gw_buf b = GW_BUF_INIT;
  gw_buf_puts(&b, "before|");
  CHECK_INT(docx_of("<?xml version=\"1.0\"?><w:document " W "><w:body>"
                    "<w:p><w:r><w:t>姓名</w:t></w:r><w:r><w:tab/><w:t xml:space=\"preserve\">身份证号码 </w:t></w:r></w:p>"
                    "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>袁杰</w:t></w:r></w:p><w:p><w:r><w:t>男</w:t></w:r></w:p></w:tc>"
                    "<w:tc><w:p><w:r><w:t>3303</w:t></w:r><w:r><w:t>26197601167075</w:t></w:r></w:p></w:tc>"
                    "<w:tc/><w:tc><w:p><w:r><w:t>备注</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
                    "<w:p><w:r><w:t>第一行</w:t><w:br/><w:t>第二行</w:t></w:r></w:p>"
                    "<w:p><w:r><w:instrText>PAGE</w:instrText><w:delText>删去</w:delText></w:r></w:p>"
                    "</w:body></w:document>",
                    &b),
            GW_OK);
  CHECK_STR(gw_buf_cstr(&b), "before|姓名\t身份证号码\n袁杰 男\t330326197601167075\t\t备注\n第一行\n第二行\n\n");
  gw_buf_free(&b);

  /* alternate content: the choice is read, the fallback (same text) not */
  CHECK_INT(docx_of("<w:document " W " xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\">"
                    "<w:body><w:p><mc:AlternateContent><mc:Choice><w:r><w:t>一</w:t></w:r></mc:Choice>"
                    "<mc:Fallback><w:r><w:t>一</w:t></w:r></mc:Fallback></mc:AlternateContent>"
                    "<w:r><w:t>二</w:t></w:r></w:p></w:body></w:document>",
                    &b),
            GW_OK);
  CHECK_STR(gw_buf_cstr(&b), "一二\n");
  gw_buf_free(&b);
}

static void test_docx_errors(void)
{
  struct gw_buf b = GW_BUF_INIT;
  CHECK_INT(docx_of("<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a \"aaaa\">]><w:document " W
                    "><w:body><w:p><w:r><w:t>&a;</w:t></w:r></w:p></w:body></w:document>",
                    &b),
            GW_EPARSE);
  CHECK_CONTAINS(gw_err_msg(), "http://x.gov.cn/a.docx: word/document.xml has a DTD");
  gw_buf_free(&b);
  CHECK_INT(docx_of("<w:document " W "><w:body><w:p><w:t>未闭合", &b), GW_EPARSE);
  CHECK_CONTAINS(gw_err_msg(), "http://x.gov.cn/a.docx: word/document.xml is malformed (line 1");
  gw_buf_free(&b);

  CHECK_INT(gw_doctext_extract("e.docx", GW_DOC_DOCX, "", 0, &b, NULL), GW_EPARSE);
  CHECK_CONTAINS(gw_err_msg(), "e.docx: not a DOCX document (the file is empty)");
  CHECK_INT(gw_doctext_extract("t.docx", GW_DOC_DOCX, "hello world", 11, &b, NULL), GW_EPARSE);
  CHECK_CONTAINS(gw_err_msg(), "t.docx: not a DOCX document (not a zip archive");
  CHECK_INT(gw_doctext_extract("o.docx", GW_DOC_DOCX, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8, &b, NULL), GW_EPARSE);
  CHECK_CONTAINS(gw_err_msg(), "o.docx: not a DOCX document: an old-format .doc");
  size_t zlen;
  void *z = make_zip("word/other.xml", "<x/>", 4, &zlen);
  CHECK_INT(gw_doctext_extract("n.docx", GW_DOC_DOCX, z, zlen, &b, NULL), GW_EPARSE);
  CHECK_CONTAINS(gw_err_msg(), "n.docx: not a DOCX document (the archive has no word/document.xml)");
  free(z);
  CHECK_INT(gw_doctext_extract("u.bin", GW_DOC_UNKNOWN, "x", 1, &b, NULL), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "u.bin: not a document format GovWatch reads");
  CHECK_INT(b.len, 0);
  gw_buf_free(&b);
}

static void test_caps(void)
{
  /* text over the cap: cut at a character boundary, flagged */
  size_t nchars = GW_DOCTEXT_MAX_TEXT / 3 + 1000; /* 3 bytes each */
  struct gw_buf x = GW_BUF_INIT;
  gw_buf_puts(&x, "<w:document " W "><w:body><w:p><w:r><w:t>");
  for (size_t i = 0; i < nchars; i++)
    gw_buf_puts(&x, "中");
  gw_buf_puts(&x, "x</w:t></w:r></w:p></w:body></w:document>");
  size_t zlen;
  void *z = make_zip("word/document.xml", x.data, x.len, &zlen);
  struct gw_buf b = GW_BUF_INIT;
  gw_buf_puts(&b, "A");
  bool cut = false;
  CHECK_INT(gw_doctext_extract("big.docx", GW_DOC_DOCX, z, zlen, &b, &cut), GW_OK);
  CHECK(cut);
  CHECK(b.len - 1 <= GW_DOCTEXT_MAX_TEXT && b.len - 1 > GW_DOCTEXT_MAX_TEXT - 3);
  CHECK(gw_utf8_valid(b.data, b.len));
  CHECK(b.data[0] == 'A');
  free(z);
  gw_buf_free(&b);
  gw_buf_free(&x);

  /* an entry over GW_DOCTEXT_MAX_PART uncompressed (a zip bomb) */
  size_t big = GW_DOCTEXT_MAX_PART + 1;
  char *zeros = gw_calloc(1, big);
  z = make_zip("word/document.xml", zeros, big, &zlen);
  free(zeros);
  CHECK(zlen < big / 100);
  CHECK_INT(gw_doctext_extract("bomb.docx", GW_DOC_DOCX, z, zlen, &b, &cut), GW_ELIMIT);
  CHECK_CONTAINS(gw_err_msg(), "bomb.docx: word/document.xml is");
  CHECK_CONTAINS(gw_err_msg(), "over the cap");
  CHECK(!cut);
  free(z);
  gw_buf_free(&b);
}

static void test_xlsx(void)
{
  static const char *const head[] = {"姓名", "身份证号码", "联系电话"};
  struct gw_table t;
  gw_table_init(&t, head, 3);
  const char *r1[] = {"袁杰", "330326197601167075", "15829051244"};
  const char *r2[] = {"赵娜", "多行\n备注", ""};
  gw_table_add_row(&t, r1, 3);
  gw_table_add_row(&t, r2, 3);
  char path[] = "/tmp/gw-doctext-XXXXXX.xlsx";
  int fd = mkstemps(path, 5);
  CHECK(fd >= 0);
  close(fd);
  CHECK_INT(gw_table_write(path, &t, "名单"), GW_OK);
  gw_table_free(&t);
  FILE *f = fopen(path, "rb");
  static char data[1 << 20];
  size_t n = f ? fread(data, 1, sizeof data, f) : 0;
  if (f)
    fclose(f);
  unlink(path);
  CHECK(n > 0);
  struct gw_buf b = GW_BUF_INIT;
  CHECK_INT(gw_doctext_extract("l.xlsx", GW_DOC_XLSX, data, n, &b, NULL), GW_OK);
  CHECK_STR(gw_buf_cstr(&b), "姓名\t身份证号码\t联系电话\n袁杰\t330326197601167075\t15829051244\n赵娜\t多行 备注\n");
  gw_buf_free(&b);
  CHECK_INT(gw_doctext_extract("bad.xlsx", GW_DOC_XLSX, "nope", 4, &b, NULL), GW_EPARSE);
  CHECK_CONTAINS(gw_err_msg(), "bad.xlsx: not an XLSX file");
  gw_buf_free(&b);
}

int main(void)
{
  test_kind();
  test_docx();
  test_docx_errors();
  test_caps();
  test_xlsx();
  return gw_test_done();
}
