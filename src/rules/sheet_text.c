/* The score sheet in Chinese: labels, condition descriptions, the reason
 * sentence and the text rendering. Every Chinese string of the rules module
 * is in this file, so the wording stays consistent. */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/date.h"
#include "rules/rules_int.h"
#include "rules/score.h"
#include "rules/sheet_int.h"

#define CENTS(v, buf) gw_rules_fmt_cents_((v), (buf), sizeof(buf))

const char *gw_score_result_label(enum gw_score_result r)
{
  switch (r) {
  case GW_RESULT_PASS: return "合格";
  case GW_RESULT_FAIL: return "不合格";
  case GW_RESULT_UNDETERMINED: return "待定";
  }
  return "?";
}

const char *gw_score_result_key(enum gw_score_result r)
{
  switch (r) {
  case GW_RESULT_PASS: return "pass";
  case GW_RESULT_FAIL: return "fail";
  case GW_RESULT_UNDETERMINED: return "undetermined";
  }
  return "?";
}

static const struct {
  enum gw_sheet_status s;
  const char *key, *label;
} g_status[] = {
  {GW_FS_DEDUCTED, "deducted", "已扣分"},
  {GW_FS_VETO, "veto", "计入单项否决"},
  {GW_FS_BONUS, "bonus", "计入加分"},
  {GW_FS_NOT_REACHED, "not_reached", "已单项否决，不再计分"},
  {GW_FS_SUPERSEDED, "superseded", "同一问题已在其他指标扣分"},
  {GW_FS_DUPLICATE, "duplicate", "同一对象已在本指标扣分"},
  {GW_FS_SKIPPED_INDICATOR, "skipped_indicator", "所属指标对本网站不计分"},
  {GW_FS_UNUSED, "unused", "本规则集不据此计分"},
  {GW_FS_PENDING, "pending", "待人工确认，暂不计分"},
  {GW_FS_NOT_SCORED, "not_scored", "预警或提示，不计分"},
  {GW_FS_AFTER_AS_OF, "after_as_of", "发现于监测时间点之后，不计入本次"},
};

const char *gw_sheet_status_label(enum gw_sheet_status s)
{
  for (size_t i = 0; i < sizeof g_status / sizeof g_status[0]; i++)
    if (g_status[i].s == s)
      return g_status[i].label;
  return "?";
}

const char *gw_sheet_status_key(enum gw_sheet_status s)
{
  for (size_t i = 0; i < sizeof g_status / sizeof g_status[0]; i++)
    if (g_status[i].s == s)
      return g_status[i].key;
  return "?";
}

char *gw_sheet_cond_desc_(const struct gw_rules *r, const struct r_cond *c)
{
  if (c->name)
    return gw_strdup(c->name);
  struct gw_buf b = GW_BUF_INIT;
  char t[48];
  if (c->kind == R_COND_FACT) {
    gw_buf_printf(&b, "%s ≥ %s", r->facts[c->fact].label, gw_rules_fmt_e4_(c->thr_e4, c->thr_percent, t, sizeof t));
    if (c->min_sample)
      gw_buf_printf(&b, "（至少 %lld 次监测）", (long long)c->min_sample);
    return gw_buf_steal(&b);
  }
  for (size_t i = 0; i < c->n_keys; i++)
    gw_buf_printf(&b, "%s%s", i ? "、" : "", r->keys[c->keys[i]].label);
  if (c->n_keys > 1)
    gw_buf_printf(&b, "合计");
  gw_buf_printf(&b, " ≥ %lld 个", (long long)c->at_least);
  if (c->where_field)
    gw_buf_printf(&b, "（仅计 %s ≥ %lld 的）", c->where_field, (long long)c->where_at_least);
  return gw_buf_steal(&b);
}

static void veto_list(struct gw_buf *b, const struct gw_score_sheet *s, bool undetermined)
{
  bool first = true;
  for (size_t i = 0; i < s->n_vetoes; i++) {
    const struct gw_sheet_veto *v = &s->vetoes[i];
    if (undetermined ? !v->undetermined : !v->hit)
      continue;
    gw_buf_printf(b, "%s%s %s", first ? "" : "、", v->id, v->name);
    first = false;
  }
}

char *gw_sheet_reason_(const struct gw_score_sheet *s)
{
  struct gw_buf b = GW_BUF_INIT;
  char x[32], y[32], z[32];
  if (s->vetoed) {
    gw_buf_puts(&b, "触发单项否决：");
    veto_list(&b, s, false);
    gw_buf_puts(&b, "，其他指标不再计分");
    if (s->has_score)
      gw_buf_printf(&b, "，按规定计 %s 分", CENTS(s->final, x));
  } else {
    gw_buf_puts(&b, "未触发单项否决");
    if (s->scored) {
      gw_buf_printf(&b, "；扣分部分得分 %s，%s %s 分", CENTS(s->score, x),
                    s->result == GW_RESULT_FAIL ? "低于" : "不低于", CENTS(s->fail_below, y));
      if (s->bonus_present && s->result != GW_RESULT_FAIL) {
        const char *rel = s->bonus_entry_strict ? "高于" : "不低于";
        const char *neg = s->bonus_entry_strict ? "未高于" : "低于";
        if (!s->bonus_applicable)
          gw_buf_puts(&b, "；不符合加分条件，不计加分");
        else if (!s->bonus_entered)
          gw_buf_printf(&b, "；%s %s 分，不计加分", neg, CENTS(s->bonus_entry, y));
        else
          gw_buf_printf(&b, "；%s %s 分，计加分 %s，总得分 %s", rel, CENTS(s->bonus_entry, y), CENTS(s->bonus, z),
                        CENTS(s->final, x));
      }
    }
    if (s->result == GW_RESULT_UNDETERMINED) {
      gw_buf_puts(&b, "；但单项否决指标 ");
      veto_list(&b, s, true);
      gw_buf_puts(&b, " 缺少判定所需数据，结论待定");
    }
  }
  gw_buf_puts(&b, "。");
  if (s->n_pending)
    gw_buf_printf(&b, "另有 %zu 条问题待人工确认，未计入。", s->n_pending);
  return gw_buf_steal(&b);
}

/* ---- text rendering ------------------------------------------------------------ */

static void finding_line(struct gw_buf *b, const struct gw_score_sheet *s, size_t i, const char *indent,
                         const char *lead)
{
  const struct gw_sheet_finding *f = &s->findings[i];
  gw_buf_printf(b, "%s· %s%s", indent, lead ? lead : "", f->title && *f->title ? f->title : (f->rule ? f->rule : ""));
  if (f->target && *f->target && (!f->url || strcmp(f->url, f->target) != 0))
    gw_buf_printf(b, "　对象：%s", f->target);
  if (f->url && *f->url)
    gw_buf_printf(b, "　页面：%s", f->url);
  if (f->detail && *f->detail)
    gw_buf_printf(b, "　%s", f->detail);
  gw_buf_printf(b, "　[%s #%zu %s]\n", f->fingerprint, f->index, f->rule ? f->rule : "");
}

static void cond_text(struct gw_buf *b, const struct gw_score_sheet *s, const struct gw_sheet_cond *c)
{
  char t[48];
  gw_buf_printf(b, "    条件 %s：%s%s。", c->id, c->desc, c->uncertain ? "（待核实）" : "");
  if (c->fact) {
    if (!c->fact_given) {
      gw_buf_puts(b, "缺少数据，未能判定\n");
      return;
    }
    char share[48];
    /* the value as a percentage with two decimals, rounded half up */
    __int128 e4 = ((__int128)c->num * 20000 + c->den) / (2 * (__int128)c->den);
    if (c->den == 1)
      gw_buf_printf(b, "实际 %lld", (long long)c->num);
    else
      gw_buf_printf(b, "实际 %lld/%lld", (long long)c->num, (long long)c->den);
    if (c->thr_percent)
      gw_buf_printf(b, " = %s", gw_rules_fmt_e4_((int64_t)e4, true, share, sizeof share));
    if (c->min_sample && c->den < c->min_sample)
      gw_buf_printf(b, "，样本不足（需至少 %lld 次），未能判定\n", (long long)c->min_sample);
    else
      gw_buf_printf(b, "，%s %s\n", c->hit ? "达到" : "未达到", gw_rules_fmt_e4_(c->thr_e4, c->thr_percent, t, sizeof t));
    return;
  }
  gw_buf_printf(b, "实际 %lld 个，%s\n", (long long)c->count,
                c->hit ? "达到" : c->undetermined ? "本次无检查项能判定（需人工检查），未能判定" : "未达到");
  if (c->unreadable)
    gw_buf_printf(b, "      （%zu 条问题缺少所需的观测值，未计入）\n", c->unreadable);
  for (size_t k = 0; k < c->n_findings; k++)
    finding_line(b, s, c->findings[k], "      ", NULL);
}

static void header(struct gw_buf *b, const struct gw_score_sheet *s)
{
  char t1[32], t2[32];
  gw_buf_printf(b, "%s评分表\n", s->media ? "政务新媒体" : "政府网站");
  if (s->media)
    gw_buf_printf(b, "对象：%s%s%s%s\n", *s->subject ? s->subject : "（未命名）", s->platform ? "（" : "",
                  s->platform ? s->platform : "", s->platform ? "）" : "");
  else
    gw_buf_printf(b, "对象：%s（%s；%s）\n", *s->subject ? s->subject : "（未命名）",
                  s->portal ? "政府门户网站" : "部门网站", s->external_service ? "有对外服务职能" : "无对外服务职能");
  gw_buf_printf(b, "规则：%s《%s》", s->rules_id, s->rules_title);
  if (*s->rules_basis)
    gw_buf_printf(b, "（%s）", s->rules_basis);
  if (strchr(s->rules_chain, '>'))
    gw_buf_printf(b, "，继承关系 %s", s->rules_chain);
  gw_buf_printf(b, "\n监测时间点：%s", gw_time_format(s->as_of, t1, sizeof t1));
  if (s->window_start && s->window_end)
    gw_buf_printf(b, "；检查期 %s 至 %s", gw_date_format(s->window_start, t1, sizeof t1),
                  gw_date_format(s->window_end, t2, sizeof t2));
  gw_buf_printf(b, "\n结论：%s", gw_score_result_label(s->result));
  if (s->has_score)
    gw_buf_printf(b, "　得分：%s", CENTS(s->final, t1));
  gw_buf_printf(b, "\n理由：%s\n", s->reason);
}

static void vetoes_text(struct gw_buf *b, const struct gw_score_sheet *s)
{
  gw_buf_puts(b, "\n一、单项否决\n");
  if (!s->n_vetoes)
    gw_buf_puts(b, "  （本规则集无单项否决指标）\n");
  for (size_t i = 0; i < s->n_vetoes; i++) {
    const struct gw_sheet_veto *v = &s->vetoes[i];
    const char *state = !v->applicable ? "不适用" : v->hit ? "触发" : v->undetermined ? "未能判定" : "未触发";
    gw_buf_printf(b, "  %s %s：%s%s\n", v->id, v->name, state, v->uncertain ? "（待核实）" : "");
    /* Conditions with nothing found are left out: the veto line says it. */
    for (size_t c = 0; c < v->n_conds; c++)
      if (v->conds[c].fact || v->conds[c].count || v->conds[c].unreadable || v->conds[c].hit ||
          v->conds[c].undetermined)
        cond_text(b, s, &v->conds[c]);
  }
}

static void deductions_text(struct gw_buf *b, const struct gw_score_sheet *s)
{
  char x[32], y[32], z[32];
  if (!s->scored) {
    if (s->vetoed && s->n_indicators == 0)
      gw_buf_puts(b, "\n二、扣分指标\n  已单项否决，不再计分。\n");
    return;
  }
  gw_buf_printf(b, "\n二、扣分指标（满分 %s，低于 %s 分为不合格）\n", CENTS(s->total, x), CENTS(s->fail_below, y));
  for (size_t i = 0; i < s->n_indicators; i++) {
    const struct gw_sheet_indicator *in = &s->indicators[i];
    if (in->skipped) {
      gw_buf_printf(b, "  %s（%s 分）：无对外服务职能，不计分\n", in->name, CENTS(in->points, x));
      continue;
    }
    gw_buf_printf(b, "  %s（%s 分", in->name, CENTS(in->points, x));
    if (in->effective != in->points)
      gw_buf_printf(b, "，分摊后 %s 分", CENTS(in->effective, y));
    gw_buf_printf(b, "%s）：扣 %s，得 %s", in->uncertain ? "，分值待核实" : "", CENTS(in->deducted, y),
                  CENTS(in->score, z));
    if (in->items_sum > in->deducted)
      gw_buf_printf(b, "（各项合计扣 %s，以本指标分值为限）", CENTS(in->items_sum, x));
    gw_buf_puts(b, "\n");
    for (size_t j = 0; j < in->n_items; j++) {
      const struct gw_sheet_item *it = &in->items[j];
      if (!it->n_lines)
        continue;
      gw_buf_printf(b, "    %s（每个扣 %s", it->name, CENTS(it->per_finding, x));
      if (it->cap >= 0)
        gw_buf_printf(b, "，上限 %s", CENTS(it->cap, y));
      gw_buf_printf(b, "%s）：%zu 个，扣 %s", it->uncertain ? "，待核实" : "", it->n_lines, CENTS(it->deducted, z));
      if (it->sum > it->deducted)
        gw_buf_printf(b, "（按上限，未扣 %s）", CENTS(it->sum - it->deducted, x));
      gw_buf_puts(b, "\n");
      for (size_t k = 0; k < it->n_lines; k++) {
        char lead[64];
        snprintf(lead, sizeof lead, "扣 %s%s：", CENTS(it->lines[k].amount, x), it->lines[k].capped ? "（已达上限）" : "");
        finding_line(b, s, it->lines[k].finding, "      ", lead);
      }
    }
  }
  if (s->adjust == GW_ADJ_SCALE) {
    int64_t base = s->total - s->skipped_points;
    char w[32];
    gw_buf_printf(b, "  无对外服务职能：其余指标得分 %s（满分 %s），折算为 %s × %s ÷ %s = %s\n", CENTS(s->raw, x),
                  CENTS(base, y), x, CENTS(s->total, z), y, CENTS(s->score, w));
  } else if (s->adjust == GW_ADJ_SPREAD) {
    gw_buf_printf(b, "  无对外服务职能：不计分指标的 %s 分平均分摊到其余指标\n", CENTS(s->skipped_points, x));
  }
  gw_buf_printf(b, "  扣分部分得分：%s\n", CENTS(s->score, x));
}

static void bonus_text(struct gw_buf *b, const struct gw_score_sheet *s)
{
  char x[32], y[32];
  if (!s->bonus_present || !s->scored)
    return;
  gw_buf_printf(b, "\n三、加分指标（上限 %s 分；扣分部分得分%s %s 分方可计入）\n", CENTS(s->bonus_total, x),
                s->bonus_entry_strict ? "高于" : "不低于", CENTS(s->bonus_entry, y));
  if (!s->bonus_applicable) {
    gw_buf_puts(b, "  不符合加分条件（如：仅门户网站计加分），不计加分。\n");
    return;
  }
  if (s->result == GW_RESULT_FAIL) {
    gw_buf_puts(b, "  不合格，不计加分。\n");
    return;
  }
  if (!s->bonus_entered) {
    gw_buf_printf(b, "  扣分部分得分 %s %s %s 分，不计加分。\n", CENTS(s->score, x),
                  s->bonus_entry_strict ? "未高于" : "低于", CENTS(s->bonus_entry, y));
    return;
  }
  for (size_t i = 0; i < s->n_bonus_items; i++) {
    const struct gw_sheet_bonus_item *it = &s->bonus_items[i];
    gw_buf_printf(b, "  %s（%s 分%s）：%s\n", it->name, CENTS(it->points, x), it->uncertain ? "，待核实" : "",
                  it->awarded ? "计分" : it->undetermined ? "缺少数据，未计分" : "未达到，不计分");
    for (size_t c = 0; c < it->n_conds; c++)
      cond_text(b, s, &it->conds[c]);
  }
  gw_buf_printf(b, "  加分合计 %s", CENTS(s->bonus_sum, x));
  if (s->bonus_sum > s->bonus)
    gw_buf_printf(b, "，以上限 %s 分计", CENTS(s->bonus_total, y));
  gw_buf_puts(b, "\n");
}

static void others_text(struct gw_buf *b, const struct gw_score_sheet *s)
{
  bool any = false;
  for (size_t i = 0; i < s->n_findings; i++) {
    const struct gw_sheet_finding *f = &s->findings[i];
    if (f->status == GW_FS_DEDUCTED || f->status == GW_FS_VETO || f->status == GW_FS_BONUS)
      continue;
    if (!any)
      gw_buf_puts(b, "\n四、未计分的问题\n");
    any = true;
    char lead[256];
    if ((f->status == GW_FS_SUPERSEDED || f->status == GW_FS_DUPLICATE) && f->related != SIZE_MAX)
      snprintf(lead, sizeof lead, "%s（%s，见 #%zu）：", gw_sheet_status_label(f->status), f->item ? f->item : "",
               s->findings[f->related].index);
    else if (f->status == GW_FS_SKIPPED_INDICATOR && f->item)
      snprintf(lead, sizeof lead, "%s（%s）：", gw_sheet_status_label(f->status), f->item);
    else
      snprintf(lead, sizeof lead, "%s：", gw_sheet_status_label(f->status));
    finding_line(b, s, i, "  ", lead);
  }
}

char *gw_score_sheet_text(const struct gw_score_sheet *s)
{
  struct gw_buf b = GW_BUF_INIT;
  header(&b, s);
  vetoes_text(&b, s);
  deductions_text(&b, s);
  bonus_text(&b, s);
  others_text(&b, s);
  if (s->uses_uncertain)
    gw_buf_puts(&b, "\n注：本结果用到了标注“待核实”的规则值（来源未能核实），可在规则文件中修改，见 docs/rules.md。\n");
  return gw_buf_steal(&b);
}
