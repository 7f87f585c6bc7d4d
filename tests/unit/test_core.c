#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/str.h"
#include "tap.h"

static void test_buf(void)
{
  struct gw_buf b;
  gw_buf_init(&b, 8);
  CHECK_STR(gw_buf_cstr(&b), "");
  CHECK_INT(gw_buf_puts(&b, "abcd"), GW_OK);
  CHECK_INT(gw_buf_printf(&b, "%d", 1234), GW_OK);
  CHECK_STR(gw_buf_cstr(&b), "abcd1234");
  /* the cap holds and the content is unchanged */
  CHECK_INT(gw_buf_putc(&b, 'x'), GW_ELIMIT);
  CHECK_STR(gw_buf_cstr(&b), "abcd1234");
  CHECK_INT(b.len, 8);
  gw_buf_free(&b);

  gw_buf_init(&b, 0);
  for (int i = 0; i < 1000; i++)
    CHECK_INT(gw_buf_printf(&b, "%03d", i % 1000), GW_OK);
  CHECK_INT(b.len, 3000);
  char *s = gw_buf_steal(&b);
  CHECK(strncmp(s, "000001002", 9) == 0);
  free(s);
  CHECK(b.data == NULL);
}

static void test_str(void)
{
  char s[64];
  gw_strlcpy(s, "\xE3\x80\x80  青溪县 \t\xE3\x80\x80", sizeof s);
  CHECK_STR(gw_str_trim(s), "青溪县");
  gw_strlcpy(s, "   ", sizeof s);
  CHECK_STR(gw_str_trim(s), "");
  CHECK_INT(gw_strlcpy(s, "abcdef", 4), 6);
  CHECK_STR(s, "abc");
  int64_t v = 0;
  CHECK_INT(gw_parse_i64("42", &v), GW_OK);
  CHECK_INT(v, 42);
  CHECK_INT(gw_parse_i64("-7", &v), GW_OK);
  CHECK_INT(v, -7);
  CHECK_INT(gw_parse_i64("4x", &v), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "4x");
  CHECK_INT(gw_parse_i64("", &v), GW_EINVAL);
  CHECK_INT(gw_parse_i64("99999999999999999999", &v), GW_EINVAL);
  CHECK(gw_str_ends("abc.gov.cn", ".gov.cn"));
  CHECK(!gw_str_ends("cn", ".gov.cn"));
  CHECK(gw_str_ieq("HTTP", "http"));
}

static void test_err(void)
{
  CHECK_INT(gw_err_set(GW_EPARSE, "line %d", 3), GW_EPARSE);
  gw_err_prefix(GW_EPARSE, "sites.csv");
  CHECK_STR(gw_err_msg(), "sites.csv: line 3");
  CHECK_INT(gw_err_exit_status(GW_EUSAGE), 2);
  CHECK_INT(gw_err_exit_status(GW_EINVAL), 3);
  CHECK_INT(gw_err_exit_status(GW_ENOTFOUND), 4);
  CHECK_STR(gw_strerror(GW_ENOTFOUND), "not found");
}

int main(void)
{
  test_buf();
  test_str();
  test_err();
  return gw_test_done();
}
