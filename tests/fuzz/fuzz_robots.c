/* Fuzz the robots.txt parser and matcher (src/fetch/robots.h). The input is
 * a robots.txt; every rule kept is then matched against a few paths and
 * against its own pattern with the wildcards made literal. Invariants: the
 * counts are consistent, "/robots.txt" is always allowed, the delay is
 * within its cap. */
#include <stdlib.h>
#include <string.h>

#include "fetch/robots.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct gw_robots r;
  gw_robots_parse((const char *)data, size, "GovWatch", &r);
  if (r.n_rules && !r.rules)
    abort();
  if (r.bad_lines > r.lines || (size > GW_ROBOTS_MAX_BYTES) != r.truncated)
    abort();
  if (!gw_robots_allowed(&r, "/robots.txt"))
    abort();
  long d = gw_robots_delay_ms(&r);
  if (d < 0 || d > (long)(GW_ROBOTS_MAX_DELAY * 1000))
    abort();
  static const char *const paths[] = {"/", "/admin/", "/a/b.php", "/index.html?x=1", "/%E4%B8%AD/"};
  for (size_t i = 0; i < sizeof paths / sizeof *paths; i++)
    gw_robots_allowed(&r, paths[i]);
  for (size_t i = 0; i < r.n_rules && i < 50; i++) {
    const char *p = r.rules[i].pattern;
    if (!p)
      abort();
    gw_robots_allowed(&r, p);
  }
  gw_robots_free(&r);
  return 0;
}
