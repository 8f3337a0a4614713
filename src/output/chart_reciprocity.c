/* The reciprocity chart: per person, weight given (x) vs received (y) on log(1+x) axes with
 * the line of balance, the "you owe" persons highlighted and the top ten labelled. */
#include "chart_draw.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Enough points to show the shape; more only makes the SVG and PDF heavy. */
#define MAX_POINTS 3000
#define N_LABELS 10

typedef struct {
    int32_t person;
    double total;
} pt;

static int by_total_desc(const void *a, const void *b)
{
    const pt *x = a, *y = b;
    if (x->total != y->total)
        return x->total < y->total ? 1 : -1;
    return (x->person > y->person) - (x->person < y->person);
}

typedef struct {
    int cls; /* 0 balanced, 1 they owe, 2 you owe: the drawing order */
    double g, r;
} spot;

static int by_spot(const void *a, const void *b)
{
    const spot *x = a, *y = b;
    if (x->cls != y->cls)
        return x->cls - y->cls;
    if (x->g != y->g)
        return x->g < y->g ? -1 : 1;
    if (x->r != y->r)
        return x->r < y->r ? -1 : 1;
    return 0;
}

static double tf(double v) { return log1p(v > 0 ? v : 0); }

void kc_draw_reciprocity(kc_canvas *cv)
{
    const kith_report *r = cv->r;
    cairo_t *cr = cv->cr;
    size_t np = r->model ? r->model->n_persons : 0, n = 0;
    pt *pts = np ? malloc(np * sizeof *pts) : NULL;
    double vmax = 0;
    for (size_t i = 0; pts && i < np; i++) {
        double g = r->pm[i].given, rc = r->pm[i].received;
        if (!(isfinite(g) && isfinite(rc)) || (g <= 0 && rc <= 0))
            continue;
        pts[n++] = (pt){(int32_t)i, g + rc};
        vmax = fmax(vmax, fmax(g, rc));
    }
    if (pts && n > 1)
        qsort(pts, n, sizeof *pts, by_total_desc);
    size_t shown = n > MAX_POINTS ? MAX_POINTS : n;

    size_t n_owe = 0, n_they = 0, n_bal = 0;
    for (size_t i = 0; i < n; i++) {
        int lab = r->pm[pts[i].person].label;
        n_owe += lab == KITH_LABEL_YOU_OWE;
        n_they += lab == KITH_LABEL_THEY_OWE;
        n_bal += lab != KITH_LABEL_YOU_OWE && lab != KITH_LABEL_THEY_OWE;
    }

    char sub[256], cap[320];
    const char *owner = r->model && r->model->owner_name ? r->model->owner_name : "";
    if (n > shown)
        snprintf(sub, sizeof sub, "%s%sevent weight per person, all time up to the end of the "
                 "month; the %zu largest exchanges of %zu shown", owner, *owner ? " · " : "",
                 shown, n);
    else
        snprintf(sub, sizeof sub, "%s%sevent weight per person, all time up to the end of the month",
                 owner, *owner ? " · " : "");
    if (n_owe > 0)
        snprintf(cap, sizeof cap,
                 "You owe %zu %s (above the upper dashed line): they gave far more than they got. "
                 "Return the favour.",
                 n_owe, n_owe == 1 ? "person" : "persons");
    else if (n > 0)
        snprintf(cap, sizeof cap, "Nobody is far above the line: you owe no one a favour right now.");
    else
        snprintf(cap, sizeof cap, "Nothing given or received yet.");
    kc_box box = kc_frame(cv, "Reciprocity: who gives, who gets", sub, cap);

    /* a square plot: the balance line must sit at 45 degrees to read as "equal" */
    double side = fmin(box.y1 - box.y0 - 40, box.x1 - box.x0 - 300);
    kc_box p = {box.x0 + 58, box.y0 + 6, box.x0 + 58 + side, box.y0 + 6 + side};
    if (n == 0) {
        kc_no_data(cv, box, "No data this year");
        free(pts);
        return;
    }
    /* Axis range: log(1+x) up to the next 1-2-5 value above the largest weight. */
    double top = 1;
    for (double mag = 1;; mag *= 10) {
        if (vmax <= 1 * mag) { top = 1 * mag; break; }
        if (vmax <= 2 * mag) { top = 2 * mag; break; }
        if (vmax <= 5 * mag) { top = 5 * mag; break; }
    }
    double L = tf(top);
#define PX(v) (p.x0 + (p.x1 - p.x0) * tf(v) / L)
#define PY(v) (p.y1 - (p.y1 - p.y0) * tf(v) / L)

    /* ticks 0, 1, 2, 5, 10, ... kept only when far enough from the previous one */
    kc_style ls = {.size = 10, .colour = KC_GREY};
    double last_px = -1e9;
    for (double mag = 1, v = 0;; ) {
        double px = PX(v);
        if (v == 0 || px - last_px >= 26) {
            char buf[32];
            kc_fmt_num(v, buf, sizeof buf);
            if (v > 0) {
                kc_set(cr, KC_FAINT, 1.0);
                cairo_set_line_width(cr, 0.8);
                cairo_move_to(cr, px, p.y0);
                cairo_line_to(cr, px, p.y1);
                cairo_move_to(cr, p.x0, PY(v));
                cairo_line_to(cr, p.x1, PY(v));
                cairo_stroke(cr);
            }
            kc_text(cv, buf, &ls, px, p.y1 + 5, 0.5, 0);
            kc_text(cv, buf, &ls, p.x0 - 6, PY(v), 1, 0.5);
            last_px = px;
        }
        if (v >= top)
            break;
        double next = v == 0 ? 1 : (v == mag ? 2 * mag : v == 2 * mag ? 5 * mag : (mag *= 10));
        v = next;
    }
    kc_style ax = {.size = 10.5, .bold = true, .colour = KC_INK};
    kc_text(cv, "you gave them \u2192 (weight, log scale)", &ax, (p.x0 + p.x1) / 2, p.y1 + 22,
            0.5, 0);
    kc_text_vertical(cv, "they gave you \u2192 (weight, log scale)", &ax, p.x0 - 44, (p.y0 + p.y1) / 2);

    cairo_save(cr);
    /* points on an axis (given or received 0) must show whole */
    cairo_rectangle(cr, p.x0 - 6, p.y0 - 6, p.x1 - p.x0 + 12, p.y1 - p.y0 + 12);
    cairo_clip(cr);
    /* the balance line, and the two lines where the labels change (|balance| = owe_ratio) */
    kc_set(cr, KC_INK, 0.8);
    cairo_set_line_width(cr, 1.2);
    cairo_move_to(cr, PX(0), PY(0));
    cairo_line_to(cr, PX(top), PY(top));
    cairo_stroke(cr);
    double q = r->config.owe_ratio > 0 && r->config.owe_ratio < 1 ? r->config.owe_ratio : 1.0 / 3;
    double k = (1 + q) / (1 - q); /* balance = -q  <=>  received = k * given */
    double dash[] = {4, 3};
    cairo_set_dash(cr, dash, 2, 0);
    cairo_set_line_width(cr, 1.0);
    for (int side_i = 0; side_i < 2; side_i++) {
        kc_set(cr, side_i == 0 ? KC_OI_VERMILLION : KC_OI_BLUE, 0.8);
        for (int s = 0; s <= 80; s++) {
            double g = expm1(L * s / 80.0), rc = g * k;
            double x = side_i == 0 ? PX(g) : PX(rc), y = side_i == 0 ? PY(rc) : PY(g);
            if (s == 0)
                cairo_move_to(cr, x, y);
            else
                cairo_line_to(cr, x, y);
        }
        cairo_stroke(cr);
    }
    cairo_set_dash(cr, NULL, 0, 0);

    /* Weights come in steps (1 per message, 3 per meeting), so many persons share a spot:
     * one dot per spot and class, its area growing with the persons on it, so a crowd is not
     * hidden under a single dot. Balanced first, then they owe, then you owe on top. */
    spot *sp = shown ? malloc(shown * sizeof *sp) : NULL;
    size_t n_sp = 0;
    for (size_t i = 0; sp && i < shown; i++) {
        const kith_person_measures *m = &r->pm[pts[i].person];
        int lab = m->label == KITH_LABEL_YOU_OWE ? 2 : m->label == KITH_LABEL_THEY_OWE ? 1 : 0;
        sp[n_sp++] = (spot){lab, m->given, m->received};
    }
    if (n_sp > 1)
        qsort(sp, n_sp, sizeof *sp, by_spot);
    bool crowded = false;
    for (size_t i = 0; i < n_sp;) {
        size_t j = i + 1;
        while (j < n_sp && sp[j].cls == sp[i].cls && sp[j].g == sp[i].g && sp[j].r == sp[i].r)
            j++;
        double base = sp[i].cls == 0 ? 3 : 4;
        double rad = fmin(base * sqrt((double)(j - i)), 3 * base);
        crowded |= j - i > 1;
        double x = PX(sp[i].g), y = PY(sp[i].r);
        cairo_new_sub_path(cr);
        cairo_arc(cr, x, y, rad, 0, 2 * M_PI);
        if (sp[i].cls == 0) {
            kc_set(cr, KC_GREY, 0.45);
            cairo_fill(cr);
        } else {
            kc_set(cr, sp[i].cls == 2 ? KC_OI_VERMILLION : KC_OI_BLUE, 0.8);
            cairo_fill_preserve(cr);
            kc_set(cr, KC_WHITE, 1.0);
            cairo_set_line_width(cr, 0.6);
            cairo_stroke(cr);
        }
        i = j;
    }
    free(sp);
    cairo_restore(cr);

    /* labels: the persons you owe most first, then the largest exchanges */
    int32_t lab_ids[N_LABELS];
    size_t n_lab = 0;
    for (size_t i = 0; i < r->n_you_owe && n_lab < N_LABELS; i++)
        if (r->you_owe[i] >= 0 && (size_t)r->you_owe[i] < np)
            lab_ids[n_lab++] = r->you_owe[i];
    for (size_t i = 0; i < shown && n_lab < N_LABELS; i++) {
        bool dup = false;
        for (size_t j = 0; j < n_lab; j++)
            dup |= lab_ids[j] == pts[i].person;
        if (!dup)
            lab_ids[n_lab++] = pts[i].person;
    }
    kc_box placed[N_LABELS + 1];
    size_t n_placed = 0;
    kc_style ns = {.size = 9.5, .colour = KC_INK, .max_w = 130, .halo = true};
    for (size_t i = 0; i < n_lab; i++) {
        const kith_person_measures *m = &r->pm[lab_ids[i]];
        ns.colour = m->label == KITH_LABEL_YOU_OWE ? KC_OI_VERMILLION : KC_INK;
        ns.bold = m->label == KITH_LABEL_YOU_OWE;
        kc_place_label(cv, kc_person_name(r, lab_ids[i]), &ns, PX(m->given), PY(m->received), 4,
                       p, placed, &n_placed);
    }

    /* legend to the right */
    char l_owe[64], l_they[64], l_bal[64], l_lines[64], l_lines2[64];
    snprintf(l_owe, sizeof l_owe, "you owe (%zu)", n_owe);
    snprintf(l_they, sizeof l_they, "they owe (%zu)", n_they);
    snprintf(l_bal, sizeof l_bal, "balanced (%zu)", n_bal);
    snprintf(l_lines, sizeof l_lines, "they give %.0f\u00d7 what you give", k);
    snprintf(l_lines2, sizeof l_lines2, "you give %.0f\u00d7 what they give", k);
    kc_legend_item li[] = {{l_owe, KC_OI_VERMILLION, KC_SWATCH_CIRCLE},
                           {l_they, KC_OI_BLUE, KC_SWATCH_CIRCLE},
                           {l_bal, (kc_rgb){0.7, 0.7, 0.7}, KC_SWATCH_CIRCLE},
                           {"given = received", KC_INK, KC_SWATCH_LINE},
                           {l_lines, KC_OI_VERMILLION, KC_SWATCH_DASH},
                           {l_lines2, KC_OI_BLUE, KC_SWATCH_DASH}};
    double lx = p.x1 + 36;
    double y = kc_legend(cv, li, sizeof li / sizeof *li, lx, p.y0, box.x1 - lx, false);
    kc_style hs = {.size = 10, .colour = KC_GREY, .max_w = box.x1 - lx};
    char note[160];
    snprintf(note, sizeof note, "\u201cyou owe\u201d: they gave at least %.0f\u00d7 what you gave,",
             k);
    y += 14;
    kc_text(cv, note, &hs, lx, y, 0, 0);
    snprintf(note, sizeof note, "and at least %s in all.", "");
    char minbuf[32];
    kc_fmt_num(r->config.owe_min > 0 ? r->config.owe_min : 4, minbuf, sizeof minbuf);
    snprintf(note, sizeof note, "and at least %s in weight.", minbuf);
    kc_text(cv, note, &hs, lx, y + 14, 0, 0);
    if (crowded)
        kc_text(cv, "A bigger dot: several persons at the same values.", &hs, lx, y + 36, 0, 0);
    free(pts);
#undef PX
#undef PY
}
