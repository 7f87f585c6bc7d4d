/* New-media accounts in inspections (migration 9): each account's verdict
 * in an inspection and the findings about it.
 *
 * An account has no crawl or check run, so its findings (the register
 * check media.register, manual ones an inspector adds) are kept per
 * (inspection, account) in their own table, with the same identity and
 * fingerprint as struct gw_finding (check, account, key), so review by
 * fingerprint (finding_reviews) applies to them as to site findings. Same
 * rules as store.h; SQLite only (GW_EDB on another engine). */
#ifndef GW_STORE_ACCOUNT_STORE_H
#define GW_STORE_ACCOUNT_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "store/check_records.h"
#include "store/store.h"

/* One account of an inspection. result 0 = not scored yet, else an enum
 * gw_score_result; reason the sheet's one sentence (NULL if not scored). */
struct gw_inspection_account {
  int64_t inspection_id;
  int64_t account_id;
  int result;
  char *reason;
  int64_t updated_at;
};
struct gw_inspection_account_list { struct gw_inspection_account *v; size_t n; };

void gw_inspection_account_clear(struct gw_inspection_account *a);
void gw_inspection_account_list_free(struct gw_inspection_account_list *l);

/* Insert or replace the row (a->inspection_id, a->account_id); updated_at
 * is set to `now`. GW_ENOTFOUND for an unknown inspection or account. */
int gw_store_inspection_account_put(struct gw_store *st, const struct gw_inspection_account *a, int64_t now);
/* The row of one account; GW_ENOTFOUND when the account is not in it. */
int gw_store_inspection_account_get(struct gw_store *st, int64_t inspection_id, int64_t account_id,
                                    struct gw_inspection_account *out);
/* The accounts of an inspection ordered by account id. */
int gw_store_inspection_account_list(struct gw_store *st, int64_t inspection_id,
                                     struct gw_inspection_account_list *out);

/* Replace, in one transaction, every finding of check `check` about
 * account `account_id` in the inspection by f[0..n) (n may be 0). Each
 * finding's check must equal `check` and its account_id `account_id`
 * (site_id 0); rule, key and title are required; severity in range (all
 * GW_EINVAL naming the finding). Two findings with one key are GW_EEXIST
 * and nothing changes. GW_ENOTFOUND for an unknown inspection or account. */
int gw_store_account_findings_replace(struct gw_store *st, int64_t inspection_id, int64_t account_id,
                                      const char *check, const struct gw_finding *f, size_t n);
/* Call fn for the findings about `account_id` in the inspection (only
 * check `check` when not NULL), ordered by check then id. Rows carry
 * run_id 0 and f.account_id. fn returns 0 to go on; anything else stops the
 * walk and is returned. Do not write to the store from fn. */
int gw_store_account_finding_each(struct gw_store *st, int64_t inspection_id, int64_t account_id, const char *check,
                                  gw_finding_fn fn, void *ctx);
/* The account finding with this id (shown as "a<id>" where site findings
 * and account findings are listed together); *inspection_id (if not NULL)
 * receives its inspection. GW_ENOTFOUND naming it. */
int gw_store_account_finding_get(struct gw_store *st, int64_t id, struct gw_finding_row *out, int64_t *inspection_id);
/* The latest account finding with this fingerprint; *inspection_id (if not
 * NULL) receives its inspection. GW_ENOTFOUND naming the fingerprint. */
int gw_store_account_finding_by_fingerprint(struct gw_store *st, const char *fingerprint, struct gw_finding_row *out,
                                            int64_t *inspection_id);

#endif
