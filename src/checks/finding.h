/* Findings: what a check observed, with its evidence.
 *
 * A finding is the unit that flows from the check stage to review, scoring,
 * tickets and the circular, so it carries everything a government user needs
 * to trust it: where (URL, position on the page, a snippet), what was
 * observed (human-readable Chinese text plus structured values), which rule
 * of the indicator set it serves, and a stable identity so a dismissal by an
 * inspector survives the next inspection.
 *
 * Identity: (check, site_id or account_id, key). `key` is chosen by the check
 * and must not contain anything that changes between two inspections of an
 * unchanged problem (no timestamps, no counters): e.g. the broken target URL
 * and the page that links it, a column URL, a message URL. The store keeps
 * one row per identity per inspection; gw_finding_fingerprint() gives a short
 * printable form of the identity.
 *
 * Personal data (ID numbers, phone numbers) must already be masked in every
 * text field; no field may ever hold an unmasked value. */
#ifndef GW_CHECKS_FINDING_H
#define GW_CHECKS_FINDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How a finding weighs in the indicator set, as the check judges it; the
 * rule set (the YAML files in rules/) has the final word when scoring. */
enum gw_severity {
  GW_SEV_VETO = 1, /* 单项否决 candidate: alone it can fail the site */
  GW_SEV_DEDUCT,   /* 扣分: counts against an indicator */
  GW_SEV_WARN,     /* 预警: below a threshold, not scored (pre-warning) */
  GW_SEV_INFO      /* 提示: informational only */
};

struct gw_finding {
  const char *check;    /* the check's id, e.g. "links.broken" (static string) */
  char *rule;           /* the indicator rule it serves, e.g. "link_availability.homepage" */
  enum gw_severity severity;
  bool needs_review;    /* a human must confirm before it counts (e.g. a suspected typo) */
  int64_t site_id;      /* exactly one of site_id / account_id is non-zero */
  int64_t account_id;
  int64_t crawl_id;     /* the crawl it was observed in, 0 if none */
  char *key;            /* the check-chosen stable key (see above) */
  char *url;            /* the page where it was observed */
  char *target;         /* the object: a link target, a column URL, ...; may be NULL */
  char *locator;        /* where on the page: "第 120 行 <a>", "页脚", "栏目：通知公告"; may be NULL */
  char *snippet;        /* the text around it (masked); may be NULL */
  char *title;          /* one line in Chinese: "首页链接无法访问" */
  char *detail;         /* what was observed, in Chinese: "返回 HTTP 404（检测时间 2025-03-31 10:02）" */
  char *observed_json;  /* structured observed values as a JSON object text; may be NULL */
  int64_t observed_at;  /* when it was observed (Unix seconds) */
};

struct gw_finding_list {
  struct gw_finding *v;
  size_t n, cap;
};

void gw_finding_clear(struct gw_finding *f);
/* Append a copy of f (deep copy of every string). */
void gw_finding_list_push(struct gw_finding_list *l, const struct gw_finding *f);
void gw_finding_list_free(struct gw_finding_list *l);
/* A 16-hex-digit fingerprint of the identity (check, site or account, key),
 * stable across runs and builds (FNV-1a 64). out must hold 17 bytes. */
void gw_finding_fingerprint(const struct gw_finding *f, char out[17]);
/* The Chinese label of a severity: 单项否决, 扣分, 预警, 提示. */
const char *gw_severity_label(enum gw_severity s);
const char *gw_severity_key(enum gw_severity s); /* veto, deduct, warn, info */
int gw_severity_parse(const char *s, enum gw_severity *out);

#endif
