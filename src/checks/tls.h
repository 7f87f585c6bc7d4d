/* HTTPS and transport (TLS): the check "transport.tls".
 *
 * No national indicator requires HTTPS (docs/indicators.md §6.3), so every
 * finding here is informational (提示, severity info, not scored): whether
 * the homepage host answers over HTTPS, whether its certificate verifies
 * (chain to a trusted authority, valid for the name, within its validity),
 * how many days it has left, the protocol version, and HTTPS pages of the
 * crawl that load http:// resources (mixed content). The certificate is
 * read with a second probe that does not verify when the verifying one
 * fails, so an invalid certificate is still described. docs/checks.md has
 * the table. */
#ifndef GW_CHECKS_TLS_H
#define GW_CHECKS_TLS_H

#include <stdbool.h>
#include <stdint.h>

#include "checks/check.h"

/* The check (registered in checks/registry.c). */
extern const struct gw_check gw_check_transport_tls;

#define GW_RULE_TRANSPORT_TLS "transport.tls"
#define GW_RULE_TRANSPORT_MIXED "transport.mixed_content"

/* A valid certificate with at most this many days left is reported. */
#define GW_TLS_EXPIRY_WARN_DAYS 30
/* Pages named in the mixed-content finding (the counts cover all). */
#define GW_TLS_EVIDENCE 10

/* Why a certificate failed, from the verification error libcurl reports
 * and the certificate's validity at time `now`. */
enum gw_tls_problem {
  GW_TLS_OK = 0,
  GW_TLS_EXPIRED,        /* past its expiry date */
  GW_TLS_NOT_YET_VALID,  /* before its start date */
  GW_TLS_NAME,           /* not valid for the host name */
  GW_TLS_UNTRUSTED,      /* self-signed or no chain to a trusted authority */
  GW_TLS_OTHER           /* another verification failure */
};

/* Classify a verification failure: the dates decide first (not_after <
 * now: expired; not_before > now: not yet valid; 0 = unknown), then the
 * words of error_text (subject name / host name → name; self-signed,
 * issuer, chain → untrusted). Pure. */
enum gw_tls_problem gw_tls_classify(const char *error_text, int64_t not_before, int64_t not_after, int64_t now);
/* English key ("expired", "name", ...) and Chinese label. */
const char *gw_tls_problem_key(enum gw_tls_problem p);
const char *gw_tls_problem_label(enum gw_tls_problem p);

/* True for a protocol version older than TLS 1.2 ("SSLv3", "TLSv1",
 * "TLSv1.1"). Pure. */
bool gw_tls_version_old(const char *version);

#endif
