/* The registry of checks: one table, sorted by id, so `govwatch check
 * --only` and the help list them in a stable order and a lookup is a
 * binary search. Adding a check: write src/checks/<name>.c defining a
 * const struct gw_check, declare it in its header, and add one line here
 * in id order (test_checks asserts the order and uniqueness). */
#include <stdlib.h>
#include <string.h>

#include "checks/check.h"
#include "checks/columns.h"
#include "checks/content.h"
#include "checks/identity.h"
#include "checks/interact.h"
#include "checks/ipv6.h"
#include "checks/links.h"
#include "checks/search.h"
#include "checks/security.h"
#include "checks/tls.h"

static const struct gw_check *const g_checks[] = {
  &gw_check_annual_report_publish,
  &gw_check_columns_update,
  &gw_check_homepage_update,
  &gw_check_identity_domain,
  &gw_check_identity_footer,
  &gw_check_interaction_channel,
  &gw_check_interaction_reply,
  &gw_check_interpretation_link,
  &gw_check_ipv6_support,
  &gw_check_links_broken,
  &gw_check_privacy_leak,
  &gw_check_search_box,
  &gw_check_security_bad_link,
  &gw_check_security_defacement,
  &gw_check_security_hidden_link,
  &gw_check_transport_tls,
  &gw_check_wording_serious,
  &gw_check_wording_typo,
};

#define N_CHECKS (sizeof g_checks / sizeof g_checks[0])

size_t gw_check_count(void)
{
  return N_CHECKS;
}

const struct gw_check *gw_check_at(size_t i)
{
  return i < N_CHECKS ? g_checks[i] : NULL;
}

const struct gw_check *gw_check_find(const char *id)
{
  if (!id)
    return NULL;
  size_t lo = 0, hi = N_CHECKS;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(id, g_checks[mid]->id);
    if (c == 0)
      return g_checks[mid];
    if (c < 0)
      hi = mid;
    else
      lo = mid + 1;
  }
  return NULL;
}

int gw_check_each(int (*fn)(void *ctx, const struct gw_check *c), void *ctx)
{
  for (size_t i = 0; i < N_CHECKS; i++) {
    int rc = fn(ctx, g_checks[i]);
    if (rc)
      return rc;
  }
  return 0;
}

const char *gw_check_needs_text(unsigned needs)
{
  switch (needs & (GW_CHECK_NEEDS_CRAWL | GW_CHECK_NEEDS_PROBE)) {
  case GW_CHECK_NEEDS_CRAWL:
    return "crawl";
  case GW_CHECK_NEEDS_PROBE:
    return "probe";
  case GW_CHECK_NEEDS_CRAWL | GW_CHECK_NEEDS_PROBE:
    return "crawl,probe";
  default:
    return "register";
  }
}
