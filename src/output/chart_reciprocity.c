/* The reciprocity chart: per person, weight given (x) vs received (y) on log(1+x) axes with
 * the line of balance, the "you owe" persons highlighted and the top ten labelled. */
#include "chart_draw.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Enough points to show the shape; more only makes the SVG and PDF heavy. */
#define MAX_POINTS 3000
#define N_LABELS 10

/* One dot: the persons of one class at one (given, received) value. */
typedef struct {
    double g, r;
    size_t count;
    int cls; /* 0 balanced, 1 they owe, 2 you owe: the drawing order */
    bool kept;
} spot;

/* by (class, given, received): the drawing order */
static int by_value(const void *a, const void *b)
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

/* which spots to keep when there are too many: "you owe" first (the chart is about them),
 * then the spots holding the most persons; ties in the drawing order */
static int by_keep(const void *a, const void *b)
{
    const spot *x = a, *y = b;
    if ((x->cls == 2) != (y->cls == 2))
        return x->cls == 2 ? -1 : 1;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return by_value(a, b);
}

/* Spots by value, in an open-addressing table of indices into an array: one pass over the
 * persons, so a million of them cost a hash each instead of a sort. */
typedef struct {
    spot *sp;
    size_t n, cap;
    uint32_t *slot; /* index + 1, 0 = empty */
    size_t n_slot;  /* a power of two, at least twice n */
} spot_set;

/* splitmix64's finalizer: every input bit reaches the low bits the table uses (weights are
 * doubles whose low mantissa bits are all zero, so a plain multiply leaves those bits empty
 * and every spot in a handful of slots) */
static uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ull;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

static uint64_t spot_hash(int cls, double g, double r)
{
    uint64_t a, b;
    memcpy(&a, &g, sizeof a);
    memcpy(&b, &r, sizeof b);
    return mix64(a ^ mix64(b ^ (uint64_t)cls));
}

static size_t spot_find(const spot_set *s, int cls, double g, double r)
{
    size_t i = (size_t)spot_hash(cls, g, r) & (s->n_slot - 1);
    while (s->slot[i]) {
        const spot *q = &s->sp[s->slot[i] - 1];
        if (q->cls == cls && q->g == g && q->r == r)
            return i;
        i = (i + 1) & (s->n_slot - 1);
    }
    return i;
}

static bool spot_grow(spot_set *s)
{
    size_t n_slot = s->n_slot ? 2 * s->n_slot : 4096;
    uint32_t *slot = calloc(n_slot, sizeof *slot);
    spot *sp = realloc(s->sp, n_slot / 2 * sizeof *sp);
    if (!slot || !sp || n_slot / 2 > UINT32_MAX) {
        free(slot);
        if (sp)
            s->sp = sp;
        return false;
    }
    free(s->slot);
    s->sp = sp;
    s->cap = n_slot / 2;
    s->slot = slot;
    s->n_slot = n_slot;
    for (size_t k = 0; k < s->n; k++)
        s->slot[spot_find(s, s->sp[k].cls, s->sp[k].g, s->sp[k].r)] = (uint32_t)(k + 1);
    return true;
}

static bool spot_add(spot_set *s, int cls, double g, double r)
{
    if (s->n + 1 > s->cap && !spot_grow(s))
        return false;
    size_t i = spot_find(s, cls, g, r);
    if (s->slot[i]) {
        s->sp[s->slot[i] - 1].count++;
        return true;
    }
    s->sp[s->n] = (spot){g, r, 1, cls, true};
    s->slot[i] = (uint32_t)(++s->n);
    return true;
}

static int person_cls(const kith_person_measures *m)
{
    return m->label == KITH_LABEL_YOU_OWE ? 2 : m->label == KITH_LABEL_THEY_OWE ? 1 : 0;
}

/* Whether person p's dot is drawn (its spot kept). */
static bool person_drawn(const spot_set *s, const kith_report *r, int32_t p)
{
    const kith_person_measures *m = &r->pm[p];
    double g = m->given + 0.0, rc = m->received + 0.0;
    if (!s->slot || !(isfinite(g) && isfinite(rc)) || (g <= 0 && rc <= 0))
        return false;
    size_t i = spot_find(s, person_cls(m), g, rc);
    return s->slot[i] && s->sp[s->slot[i] - 1].kept;
}

static const char *fmt_count(size_t v, char *buf, size_t n)
{
    kc_fmt_num((double)v, buf, n);
    return buf;
}

static double tf(double v) { return log1p(v > 0 ? v : 0); }

enum { N_TOP = 4 * N_LABELS };

struct kc_recip {
    spot_set ss;   /* the spots by value, kept or not; the table finds a person's */
    size_t n_sp;   /* spots in ss.sp, in drawing order */
    size_t n, n_owe, n_they, n_bal; /* persons with any weight, by class */
    size_t n_dots, shown, max_count; /* the kept spots and the persons on them */
    double vmax;
    int32_t big[N_TOP]; /* the largest exchanges, (weight desc, person asc) */
    size_t n_top;
};

void kc_recip_free(kc_recip *p)
{
    if (!p)
        return;
    free(p->ss.sp);
    free(p->ss.slot);
    free(p);
}

/* One pass over the persons: the spots, which are kept, and the largest exchanges. */
kc_recip *kc_recip_new(const kith_report *r)
{
    kc_recip *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    size_t np = r->model ? r->model->n_persons : 0;
    spot_set *ss = &p->ss;
    for (size_t i = 0; i < np; i++) {
        const kith_person_measures *m = &r->pm[i];
        double g = m->given + 0.0, rc = m->received + 0.0; /* -0 is 0 */
        if (!(isfinite(g) && isfinite(rc)) || (g <= 0 && rc <= 0))
            continue;
        int cls = person_cls(m);
        if (!spot_add(ss, cls, g, rc)) {
            kc_recip_free(p);
            return NULL;
        }
        p->n++;
        p->vmax = fmax(p->vmax, fmax(g, rc));
        p->n_owe += cls == 2;
        p->n_they += cls == 1;
        p->n_bal += cls == 0;
        /* (weight desc, person asc): the same list whatever order the persons come in */
        double t = m->given + m->received;
        size_t k = p->n_top < N_TOP ? p->n_top++ : N_TOP;
        if (k == N_TOP) {
            const kith_person_measures *w = &r->pm[p->big[N_TOP - 1]];
            double tw = w->given + w->received;
            if (!(t > tw || (t == tw && (int32_t)i < p->big[N_TOP - 1])))
                continue;
            k = N_TOP - 1;
        }
        while (k > 0) {
            const kith_person_measures *u = &r->pm[p->big[k - 1]];
            double tu = u->given + u->received;
            if (!(t > tu || (t == tu && (int32_t)i < p->big[k - 1])))
                break;
            p->big[k] = p->big[k - 1];
            k--;
        }
        p->big[k] = (int32_t)i;
    }
    /* Weights come in steps (1 per message, 3 per meeting), so many persons share a spot:
     * one dot per spot and class. 30,000 persons make fewer than 2,000 spots; past
     * MAX_POINTS spots the ones holding the fewest persons are left out. */
    spot *sp = ss->sp;
    p->n_sp = ss->n;
    p->max_count = 1;
    if (p->n_sp > MAX_POINTS) {
        qsort(sp, p->n_sp, sizeof *sp, by_keep);
        for (size_t k = MAX_POINTS; k < p->n_sp; k++)
            sp[k].kept = false;
    }
    if (p->n_sp > 1)
        qsort(sp, p->n_sp, sizeof *sp, by_value);
    if (ss->slot) { /* the table follows the array's new order */
        memset(ss->slot, 0, ss->n_slot * sizeof *ss->slot);
        for (size_t k = 0; k < p->n_sp; k++)
            ss->slot[spot_find(ss, sp[k].cls, sp[k].g, sp[k].r)] = (uint32_t)(k + 1);
    }
    for (size_t k = 0; k < p->n_sp; k++) {
        if (!sp[k].kept)
            continue;
        p->n_dots++;
        p->shown += sp[k].count;
        if (sp[k].count > p->max_count)
            p->max_count = sp[k].count;
    }
    return p;
}

void kc_draw_reciprocity(kc_canvas *cv)
{
    const kith_report *r = cv->r;
    cairo_t *cr = cv->cr;
    size_t np = r->model ? r->model->n_persons : 0;
    /* worked out here unless the caller shares one across the PNG, SVG and PDF */
    kc_recip *own = cv->recip ? NULL : kc_recip_new(r);
    const kc_recip *pr = cv->recip ? cv->recip : own;
    static const kc_recip none;
    if (!pr)
        pr = &none; /* out of memory: an empty chart */
    const spot_set ss = pr->ss;
    const spot *sp = ss.sp;
    size_t n = pr->n, n_owe = pr->n_owe, n_they = pr->n_they, n_bal = pr->n_bal;
    size_t n_sp = pr->n_sp, n_dots = pr->n_dots, shown = pr->shown, max_count = pr->max_count;
    double vmax = pr->vmax;

    char sub[256], cap[320];
    const char *owner = r->model && r->model->owner_name ? r->model->owner_name : "";
    char a[32], b[32];
    kc_fmt_num((double)shown, a, sizeof a);
    kc_fmt_num((double)n, b, sizeof b);
    if (n > shown)
        snprintf(sub, sizeof sub, "%s%sevent weight per person, all time up to the end of the "
                 "month; %s of %s persons shown", owner, *owner ? " · " : "", a, b);
    else
        snprintf(sub, sizeof sub, "%s%sevent weight per person, all time up to the end of the month",
                 owner, *owner ? " · " : "");
    if (n_owe > 0)
        snprintf(cap, sizeof cap,
                 "You owe %s %s (above the upper dashed line): they gave far more than they got. "
                 "Return the favour.",
                 fmt_count(n_owe, b, sizeof b), n_owe == 1 ? "person" : "persons");
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
        kc_recip_free(own);
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

    /* Each spot's area grows with the persons on it, so a crowd is not hidden under a single
     * dot; up to 3x the radius of one person, relative to the fullest spot in a big network.
     * Smaller dots when there are many spots. Balanced first, then they owe, you owe on top. */
    bool crowded = false;
    double shrink = n_dots > 1000 ? 0.7 : 1.0;
    /* in a PNG the dots are drawn by hand (kc_image), inside the same clip to the pixel */
    kc_image im;
    bool by_hand = kc_image_begin(cr, &im);
    double dev = 1, dev_y = 0;
    cairo_user_to_device_distance(cr, &dev, &dev_y);
    dev = hypot(dev, dev_y);
    if (by_hand) {
        double cx0 = p.x0 - 6, cy0 = p.y0 - 6, cx1 = p.x1 + 6, cy1 = p.y1 + 6;
        cairo_user_to_device(cr, &cx0, &cy0);
        cairo_user_to_device(cr, &cx1, &cy1);
        im.x0 = (int)floor(cx0 + 0.5) > 0 ? (int)floor(cx0 + 0.5) : 0;
        im.y0 = (int)floor(cy0 + 0.5) > 0 ? (int)floor(cy0 + 0.5) : 0;
        im.x1 = (int)floor(cx1 + 0.5) - 1 < im.x1 ? (int)floor(cx1 + 0.5) - 1 : im.x1;
        im.y1 = (int)floor(cy1 + 0.5) - 1 < im.y1 ? (int)floor(cy1 + 0.5) - 1 : im.y1;
    }
    for (size_t k = 0; k < n_sp; k++) {
        const spot *q0 = &sp[k];
        if (!q0->kept)
            continue;
        double base = (q0->cls == 0 ? 3 : 4) * shrink, c = (double)sp[k].count;
        double rad = max_count <= 9 ? base * sqrt(c)
                                    : base * sqrt(1 + 8 * (c - 1) / (double)(max_count - 1));
        crowded |= sp[k].count > 1;
        double x = PX(q0->g), y = PY(q0->r);
        if (by_hand) {
            cairo_user_to_device(cr, &x, &y);
            if (q0->cls == 0)
                kc_image_round(&im, x, y, 0, rad * dev, KC_GREY, 0.45);
            else {
                kc_image_round(&im, x, y, 0, rad * dev,
                               q0->cls == 2 ? KC_OI_VERMILLION : KC_OI_BLUE, 0.8);
                kc_image_round(&im, x, y, (rad - 0.3) * dev, (rad + 0.3) * dev, KC_WHITE, 1.0);
            }
            continue;
        }
        cairo_new_sub_path(cr);
        cairo_arc(cr, x, y, rad, 0, 2 * M_PI);
        if (q0->cls == 0) {
            kc_set(cr, KC_GREY, 0.45);
            cairo_fill(cr);
        } else {
            kc_set(cr, q0->cls == 2 ? KC_OI_VERMILLION : KC_OI_BLUE, 0.8);
            cairo_fill_preserve(cr);
            kc_set(cr, KC_WHITE, 1.0);
            cairo_set_line_width(cr, 0.6);
            cairo_stroke(cr);
        }
    }
    if (by_hand)
        kc_image_end(cr);
    cairo_restore(cr);

    /* labels: the persons you owe most first, then the largest exchanges */
    /* the largest exchanges (given + received), for the labels left after "you owe" */
    const int32_t *big = pr->big;
    size_t n_top = pr->n_top;
    int32_t lab_ids[N_LABELS];
    size_t n_lab = 0;
    /* only persons whose dot is drawn: a label floating over empty space misleads */
    for (size_t i = 0; i < r->n_you_owe && n_lab < N_LABELS; i++)
        if (r->you_owe[i] >= 0 && (size_t)r->you_owe[i] < np &&
            person_drawn(&ss, r, r->you_owe[i]))
            lab_ids[n_lab++] = r->you_owe[i];
    for (size_t i = 0; n_lab < N_LABELS && i < n_top; i++) {
        bool dup = false;
        for (size_t j = 0; j < n_lab; j++)
            dup |= lab_ids[j] == big[i];
        if (!dup && person_drawn(&ss, r, big[i]))
            lab_ids[n_lab++] = big[i];
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
    snprintf(l_owe, sizeof l_owe, "you owe (%s)", fmt_count(n_owe, a, sizeof a));
    snprintf(l_they, sizeof l_they, "they owe (%s)", fmt_count(n_they, a, sizeof a));
    snprintf(l_bal, sizeof l_bal, "balanced (%s)", fmt_count(n_bal, a, sizeof a));
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
    if (crowded && max_count > 9) {
        kc_text(cv, "A bigger dot: more persons at the same values,", &hs, lx, y + 36, 0, 0);
        snprintf(note, sizeof note, "up to %s on the biggest.", fmt_count(max_count, a, sizeof a));
        kc_text(cv, note, &hs, lx, y + 50, 0, 0);
    } else if (crowded)
        kc_text(cv, "A bigger dot: several persons at the same values.", &hs, lx, y + 36, 0, 0);
    kc_recip_free(own);
#undef PX
#undef PY
}
