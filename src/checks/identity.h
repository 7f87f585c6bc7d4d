/* Site identity (页面设计): the footer identifiers and the domain.
 *
 * identity.footer reads the homepage and an evenly spread sample of the
 * crawl's other HTML pages (html/page.h has already found each page's footer
 * and its identifiers) and reports, once per problem for the whole site, a
 * missing or unlinked 党政机关网站标识, a missing ICP or 公安机关备案 number,
 * a missing or wrong 网站标识码 (against the register), and a missing 我为政府
 * 网站找错 entry or one that does not carry the site's code. identity.domain
 * reports a homepage host outside .gov.cn / .政务 and redirects of the
 * homepage or internal pages that end outside them. docs/checks.md has the
 * tables of what each finding means. */
#ifndef GW_CHECKS_IDENTITY_H
#define GW_CHECKS_IDENTITY_H

#include <stdbool.h>
#include <stddef.h>

#include "checks/check.h"

/* The checks (registered in checks/registry.c). */
extern const struct gw_check gw_check_identity_domain;
extern const struct gw_check gw_check_identity_footer;

/* The rule keys they emit (rules/national-2019.yaml). */
#define GW_RULE_IDENTITY_FOOTER "identity.footer"
#define GW_RULE_IDENTITY_CODE "identity.code"
#define GW_RULE_IDENTITY_DOMAIN "identity.domain"
#define GW_RULE_JIUCUO_MISSING "jiucuo.missing"

/* Pages read by identity.footer: the homepage and up to this many others,
 * spread evenly over the crawl's HTML pages in crawl order. */
#define GW_IDENTITY_SAMPLE_PAGES 20
/* Pages named in a finding's evidence (the count covers all of them). */
#define GW_IDENTITY_EVIDENCE_PAGES 10

/* True when a host name (lower case, no port, IDN either as UTF-8 or as
 * punycode) is a government domain: it ends in ".gov.cn" or is "gov.cn"
 * itself, or ends in the Chinese top-level domain ".政务" (punycode
 * ".xn--zfr164b"). A trailing dot is ignored. Pure. */
bool gw_identity_domain_ok(const char *host);

/* The 网站标识码 a 我为政府网站找错 link carries: the value of its site_code
 * (or sitecode) query parameter, copied into buf. False when the URL has
 * no such parameter, its value is empty or does not fit. Pure. */
bool gw_identity_jiucuo_code(const char *url, char *buf, size_t size);

/* True when a URL is a 党政机关网站标识 registration page: its host is
 * bszs.conac.cn (the record page the badge must open). Pure. */
bool gw_identity_conac_record(const char *url);

#endif
