/* New-media accounts in inspections: the register check media.register,
 * scoring an account from its findings with reviews applied, manual
 * findings about an account. docs/inspect.md (accounts) is the guide.
 *
 * Accounts have no crawl: what this build knows about an account is the
 * register (认证主体 against 开设主体, duplicate accounts) and what an
 * inspector records by hand (govwatch finding add --account). The media
 * veto items that nothing judged stay 未能判定, so an account with no
 * failing finding is 待定, never 合格 without evidence. */
#ifndef GW_INSPECT_ACCOUNTS_H
#define GW_INSPECT_ACCOUNTS_H

#include <stddef.h>
#include <stdint.h>

#include "inspect/inspect.h"
#include "store/account_store.h"
#include "store/records.h"

/* The check id of the register check, as the rule files name it. */
#define GW_MEDIA_REGISTER_CHECK "media.register"

/* Findings a function made (strings owned; free with gw_media_findings_free). */
struct gw_media_findings {
  struct gw_finding *v;
  size_t n;
};
void gw_media_findings_free(struct gw_media_findings *f);

/* media.register over the register: for every running account in
 * accts[0..n), media.uncertified when its 认证主体 is empty or differs
 * (after trimming spaces) from the name of its 开设主体 unit (units holds
 * the units; evidence: both names in detail and observed_json), and
 * media.duplicate (needs_review) for each pair of running accounts of one
 * unit on one platform whose names are near-identical: equal once spaces
 * and punctuation are dropped, or one code point apart (edit distance 1)
 * for names of at least 4 code points. Findings are dated observed_at.
 * GW_EINVAL naming the account when its unit is not in units. */
int gw_media_register_check(const struct gw_account *accts, size_t n, const struct gw_unit_list *units,
                            int64_t observed_at, struct gw_media_findings *out);

/* The rule keys this build can judge for an account (NULL-terminated,
 * static): media.register's keys. Other media.* keys are judged only by an
 * inspector's manual finding. */
const char *const *gw_inspect_account_judged_keys(void);

/* Take the accounts accts[0..n) through the inspection: add each to it,
 * replace its media.register findings (so a re-run duplicates nothing),
 * score it and store the verdict. Running accounts only (others are
 * skipped). Counts go to rep (accounts, account_pass/fail/undetermined).
 * Store, rules and scoring errors. */
int gw_inspect_run_accounts(struct gw_store *st, const struct gw_rules *rules, const struct gw_inspection *insp,
                            const struct gw_account *accts, size_t n, struct gw_inspect_report *rep);

/* Score account `a` as of the inspection: its findings in the inspection
 * (register check and manual), review decisions by fingerprint applied as
 * for sites (dismissed left out and listed, confirmed needs_review
 * counted), judged keys as gw_inspect_account_judged_keys(). GW_ENOTFOUND
 * when the account is not in the inspection. */
int gw_inspect_score_account(struct gw_store *st, const struct gw_rules *rules, const struct gw_inspection *insp,
                             const struct gw_account *a, struct gw_inspect_sheet *out);

/* Score the account again and store the verdict (after a review).
 * Errors as gw_inspect_score_account. */
int gw_inspect_rescore_account(struct gw_store *st, const struct gw_rules *rules, const struct gw_inspection *insp,
                               const struct gw_account *a, int64_t now);

/* Add a manual finding (check "manual") about account `a` in the
 * inspection, as gw_inspect_add_manual does for a site: rule key in the
 * rule set's vocabulary, title required, who required, observed at the
 * as-of time, logged as added by `who`. GW_EEXIST for the same finding
 * twice; GW_ENOTFOUND when the account is not in the inspection. */
int gw_inspect_add_manual_account(struct gw_store *st, const struct gw_rules *rules,
                                  const struct gw_inspection *insp, const struct gw_account *a,
                                  const struct gw_manual_finding *m, int64_t now, char fingerprint[17]);

#endif
