/* The monthly charts: activity (given up, received down, stacked by kind), tie-status (stacked
 * area of the six statuses) and layers (Dunbar layers, this month vs last). */
#include "chart_draw.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void subtitle(const kith_report *r, const char *what, char *buf, size_t n)
{
    char first[24], last[24];
    kc_month_long(r->months[0].label, first, sizeof first);
    kc_month_long(r->month, last, sizeof last);
    const char *owner = r->model && r->model->owner_name ? r->model->owner_name : "";
    snprintf(buf, n, "%s%s%s, %s to %s", *owner ? owner : "", *owner ? " · " : "", what, first,
             last);
}

/* Month slots along the x axis, with "Nov 25" labels under them. */
static void month_axis(kc_canvas *cv, kc_box p, double y_labels)
{
    kc_style ms = {.size = 10, .colour = KC_GREY};
    double slot = (p.x1 - p.x0) / 12;
    for (int i = 0; i < 12; i++) {
        char lab[16];
        kc_month_short(cv->r->months[i].label, lab, sizeof lab);
        ms.bold = (i == 11);
        ms.colour = i == 11 ? KC_INK : KC_GREY;
        kc_text(cv, lab, &ms, p.x0 + slot * (i + 0.5), y_labels, 0.5, 0);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* activity                                                                                 */

/* Eleven kinds are too many colours for a stacked bar: they are shown in five families. */
enum { G_MSG, G_MEET, G_ENDORSE, G_BIG, G_LIGHT, G__COUNT };
static int kind_group(int k)
{
    switch (k) {
    case KITH_K_MESSAGE:
    case KITH_K_EMAIL: return G_MSG;
    case KITH_K_MEETING:
    case KITH_K_CALL: return G_MEET;
    case KITH_K_ENDORSEMENT: return G_ENDORSE;
    case KITH_K_RECOMMENDATION:
    case KITH_K_INTRODUCTION:
    case KITH_K_GIFT: return G_BIG;
    default: return G_LIGHT; /* invitation, comment, reaction */
    }
}

void kc_draw_activity(kc_canvas *cv)
{
    const kith_report *r = cv->r;
    cairo_t *cr = cv->cr;
    static const char *const names[G__COUNT] = {
        "Messages & email", "Meetings & calls", "Endorsements",
        "Recommendations, intros & gifts", "Invitations, comments & reactions"};
    const kc_rgb colours[G__COUNT] = {KC_OI_BLUE, KC_OI_GREEN, KC_OI_ORANGE, KC_OI_PURPLE,
                                      KC_OI_SKY};
    double up[12][G__COUNT] = {{0}}, down[12][G__COUNT] = {{0}};
    double up_tot[12] = {0}, down_tot[12] = {0}, max = 0;
    for (int m = 0; m < 12; m++) {
        for (int k = 0; k < KITH_K__COUNT; k++) {
            double g = r->months[m].given[k], rc = r->months[m].received[k];
            if (isfinite(g) && g > 0) {
                up[m][kind_group(k)] += g;
                up_tot[m] += g;
            }
            if (isfinite(rc) && rc > 0) {
                down[m][kind_group(k)] += rc;
                down_tot[m] += rc;
            }
        }
        max = fmax(max, fmax(up_tot[m], down_tot[m]));
    }

    char sub[256], cap[320], g12[32], r12[32];
    subtitle(r, "event weight given and received per month", sub, sizeof sub);
    kc_fmt_num(r->kpi[KITH_KPI_GIVEN_12M], g12, sizeof g12);
    kc_fmt_num(r->kpi[KITH_KPI_RECEIVED_12M], r12, sizeof r12);
    double am = r->kpi[KITH_KPI_ACTIVE_MONTHS], bu = r->kpi[KITH_KPI_BURSTINESS];
    char months[64] = "", rhythm[96] = "";
    if (isfinite(am))
        snprintf(months, sizeof months, "; you reached out in %.0f of 12 months", am);
    /* burstiness (Goh & Barabasi): near -1 steady, near +1 only in bursts */
    if (isfinite(bu))
        snprintf(rhythm, sizeof rhythm, "%s (burstiness %.2f)",
                 bu > 0.2    ? ". You network in bursts: a little every month keeps ties warm"
                 : bu < -0.2 ? ". A steady rhythm: keep it"
                             : ". A fairly regular rhythm",
                 bu);
    if (max > 0)
        snprintf(cap, sizeof cap, "Over 12 months you gave %s and received %s%s%s.", g12, r12,
                 months, rhythm);
    else
        snprintf(cap, sizeof cap, "Nothing was given or received in these 12 months.");
    kc_box box = kc_frame(cv, "Activity: what you give and what you get", sub, cap);
    if (!(max > 0)) {
        kc_no_data(cv, box, "No data this year");
        return;
    }

    kc_legend_item li[G__COUNT];
    for (int g = 0; g < G__COUNT; g++)
        li[g] = (kc_legend_item){names[g], colours[g], KC_SWATCH_SQUARE};
    box.y0 = kc_legend(cv, li, G__COUNT, box.x0, box.y0 - 6, box.x1 - box.x0, true) + 6;

    kc_box p = {box.x0 + 58, box.y0 + 4, box.x1 - 4, box.y1 - 22};
    kc_ticks t;
    kc_nice_ticks(max, 3, false, &t);
    double mid = (p.y0 + p.y1) / 2, half = (p.y1 - p.y0) / 2;
    kc_y_axis(cv, &t, p.x0, p.x1, mid, half, +1);
    kc_y_axis(cv, &t, p.x0, p.x1, mid, half, -1);

    kc_style ax = {.size = 10.5, .bold = true, .colour = KC_INK};
    kc_text_vertical(cv, "given (weight) \u2191", &ax, p.x0 - 46, mid - half / 2);
    kc_text_vertical(cv, "received (weight) \u2193", &ax, p.x0 - 46, mid + half / 2);

    double slot = (p.x1 - p.x0) / 12, bw = slot * 0.62;
    kc_style vs = {.size = 9, .colour = KC_GREY};
    for (int m = 0; m < 12; m++) {
        double x = p.x0 + slot * m + (slot - bw) / 2;
        double acc = 0;
        for (int g = 0; g < G__COUNT; g++) {
            double hgt = half * up[m][g] / t.hi;
            if (hgt <= 0)
                continue;
            kc_set(cr, colours[g], 1.0);
            cairo_rectangle(cr, x, mid - acc - hgt, bw, hgt);
            cairo_fill(cr);
            acc += hgt;
        }
        double acc_dn = 0;
        for (int g = 0; g < G__COUNT; g++) {
            double hgt = half * down[m][g] / t.hi;
            if (hgt <= 0)
                continue;
            kc_set(cr, colours[g], 1.0);
            cairo_rectangle(cr, x, mid + acc_dn, bw, hgt);
            cairo_fill(cr);
            acc_dn += hgt;
        }
        char buf[32];
        if (up_tot[m] > 0) {
            kc_fmt_num(up_tot[m], buf, sizeof buf);
            kc_text(cv, buf, &vs, x + bw / 2, mid - acc - 2, 0.5, 1);
        }
        if (down_tot[m] > 0) {
            kc_fmt_num(down_tot[m], buf, sizeof buf);
            kc_text(cv, buf, &vs, x + bw / 2, mid + acc_dn + 2, 0.5, 0);
        }
    }
    kc_set(cr, KC_INK, 1.0);
    cairo_set_line_width(cr, 1.2);
    cairo_move_to(cr, p.x0, mid);
    cairo_line_to(cr, p.x1, mid);
    cairo_stroke(cr);
    month_axis(cv, p, p.y1 + 5);
}

/* ---------------------------------------------------------------------------------------- */
/* tie-status                                                                               */

void kc_draw_tie_status(kc_canvas *cv)
{
    const kith_report *r = cv->r;
    cairo_t *cr = cv->cr;
    /* bottom to top: the ties that are alive first, then the ones slipping, then the rest */
    static const int order[KITH_ST__COUNT] = {KITH_ST_ACTIVE, KITH_ST_NEW, KITH_ST_FADING,
                                              KITH_ST_DORMANT, KITH_ST_COLD, KITH_ST_LATENT};
    kc_rgb colour[KITH_ST__COUNT];
    colour[KITH_ST_ACTIVE] = KC_OI_GREEN;
    colour[KITH_ST_NEW] = KC_OI_SKY;
    colour[KITH_ST_FADING] = KC_OI_ORANGE;
    colour[KITH_ST_DORMANT] = KC_OI_VERMILLION;
    colour[KITH_ST_COLD] = KC_OI_PURPLE;
    colour[KITH_ST_LATENT] = KC_LIGHT;

    double tot[12] = {0}, max = 0;
    for (int m = 0; m < 12; m++) {
        for (int s = 0; s < KITH_ST__COUNT; s++)
            tot[m] += r->months[m].status[s] > 0 ? r->months[m].status[s] : 0;
        max = fmax(max, tot[m]);
    }
    const int *now = r->months[11].status;
    char sub[256], cap[320];
    subtitle(r, "persons by tie status at each month's end", sub, sizeof sub);
    const int *before = r->months[10].status;
    int d_dormant = now[KITH_ST_DORMANT] - before[KITH_ST_DORMANT];
    char since[64] = "", n_act[32], n_new[32], n_fad[32], n_dor[32], n_dd[32];
    kc_fmt_num(d_dormant > 0 ? d_dormant : -d_dormant, n_dd, sizeof n_dd);
    if (d_dormant != 0)
        snprintf(since, sizeof since, " (%s%s since last month)", d_dormant > 0 ? "+" : "\u2212",
                 n_dd);
    kc_fmt_num(now[KITH_ST_ACTIVE], n_act, sizeof n_act);
    kc_fmt_num(now[KITH_ST_NEW], n_new, sizeof n_new);
    kc_fmt_num(now[KITH_ST_FADING], n_fad, sizeof n_fad);
    kc_fmt_num(now[KITH_ST_DORMANT], n_dor, sizeof n_dor);
    if (max > 0)
        snprintf(cap, sizeof cap,
                 "This month: %s active, %s new, %s fading, %s dormant%s. Fading and dormant "
                 "ties are the ones worth a message.",
                 n_act, n_new, n_fad, n_dor, since);
    else
        snprintf(cap, sizeof cap, "No ties to show in these 12 months.");
    kc_box box = kc_frame(cv, "Tie status over the year", sub, cap);

    double legend_w = 150;
    kc_box p = {box.x0 + 52, box.y0 + 4, box.x1 - legend_w - 16, box.y1 - 22};
    if (!(max > 0)) {
        kc_no_data(cv, box, "No data this year");
        return;
    }
    kc_ticks t;
    kc_nice_ticks(max, 5, true, &t);
    kc_y_axis(cv, &t, p.x0, p.x1, p.y1, p.y1 - p.y0, +1);
    kc_style ax = {.size = 10.5, .bold = true, .colour = KC_INK};
    kc_text_vertical(cv, "persons", &ax, p.x0 - 44, (p.y0 + p.y1) / 2);

    double slot = (p.x1 - p.x0) / 12;
    double base[12] = {0};
    for (int oi = 0; oi < KITH_ST__COUNT; oi++) {
        int s = order[oi];
        double top[12];
        bool any = false;
        for (int m = 0; m < 12; m++) {
            int v = r->months[m].status[s] > 0 ? r->months[m].status[s] : 0;
            top[m] = base[m] + v;
            any |= v > 0;
        }
        if (any) {
            /* a stacked area from the first month's centre to the last's, on the slot
             * centres the month labels sit under */
            for (int m = 0; m < 12; m++) {
                double x = p.x0 + slot * (m + 0.5), y = p.y1 - (p.y1 - p.y0) * top[m] / t.hi;
                if (m == 0)
                    cairo_move_to(cr, p.x0, y);
                cairo_line_to(cr, x, y);
                if (m == 11)
                    cairo_line_to(cr, p.x1, y);
            }
            for (int m = 11; m >= 0; m--) {
                double x = p.x0 + slot * (m + 0.5), y = p.y1 - (p.y1 - p.y0) * base[m] / t.hi;
                if (m == 11)
                    cairo_line_to(cr, p.x1, y);
                cairo_line_to(cr, x, y);
                if (m == 0)
                    cairo_line_to(cr, p.x0, y);
            }
            cairo_close_path(cr);
            kc_set(cr, colour[s], 0.9);
            cairo_fill_preserve(cr);
            kc_set(cr, KC_WHITE, 1.0);
            cairo_set_line_width(cr, 0.8);
            cairo_stroke(cr);
        }
        memcpy(base, top, sizeof base);
    }
    kc_set(cr, KC_INK, 1.0);
    cairo_set_line_width(cr, 1.2);
    cairo_move_to(cr, p.x0, p.y1);
    cairo_line_to(cr, p.x1, p.y1);
    cairo_stroke(cr);
    /* the report month, marked */
    kc_set(cr, KC_INK, 0.5);
    cairo_set_line_width(cr, 0.8);
    double dash[] = {3, 3};
    cairo_set_dash(cr, dash, 2, 0);
    cairo_move_to(cr, p.x0 + slot * 11.5, p.y0);
    cairo_line_to(cr, p.x0 + slot * 11.5, p.y1);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    month_axis(cv, p, p.y1 + 5);

    /* legend in stack order, top first, with this month's counts */
    kc_style hs = {.size = 10.5, .bold = true, .colour = KC_INK};
    kc_text(cv, "this month", &hs, box.x1 - legend_w, p.y0, 0, 0);
    kc_style cs = {.size = 9, .colour = KC_GREY};
    kc_text(cv, "change", &cs, box.x1, p.y0 + 1, 1, 0);
    double y = p.y0 + 20;
    kc_style ls = {.size = 10.5, .colour = KC_INK};
    kc_style ns = {.size = 10.5, .bold = true, .colour = KC_INK};
    for (int oi = KITH_ST__COUNT - 1; oi >= 0; oi--) {
        int s = order[oi];
        double x = box.x1 - legend_w;
        kc_set(cr, colour[s], 0.9);
        cairo_rectangle(cr, x, y + 2, 11, 11);
        cairo_fill(cr);
        kc_text(cv, kith_status_name((kith_status)s), &ls, x + 18, y + 7.5, 0, 0.5);
        char buf[32];
        kc_fmt_num(now[s], buf, sizeof buf);
        kc_text(cv, buf, &ns, box.x1 - 40, y + 7.5, 1, 0.5);
        int dv = now[s] - before[s];
        if (dv != 0)
            snprintf(buf, sizeof buf, "%s%d", dv > 0 ? "+" : "\u2212", dv > 0 ? dv : -dv);
        else
            snprintf(buf, sizeof buf, "0");
        kc_text(cv, buf, &cs, box.x1, y + 7.5, 1, 0.5);
        y += 20;
    }
}

/* ---------------------------------------------------------------------------------------- */
/* layers                                                                                   */

void kc_draw_layers(kc_canvas *cv)
{
    const kith_report *r = cv->r;
    cairo_t *cr = cv->cr;
    static const char *const names[6] = {"", "Layer 1\nclosest 5", "Layer 2\nnext 10",
                                         "Layer 3\nnext 35", "Layer 4\nnext 100",
                                         "Layer 5\nthe rest"};
    double max = 0;
    for (int l = 1; l <= 5; l++)
        max = fmax(max, fmax(r->layer_counts[l], r->layer_counts_prev[l]));
    char m_now[24], m_prev[24], sub[256], cap[320];
    kc_month_short(r->month, m_now, sizeof m_now);
    kc_month_short(r->prev_month, m_prev, sizeof m_prev);
    const char *owner = r->model && r->model->owner_name ? r->model->owner_name : "";
    snprintf(sub, sizeof sub, "%s%spersons per layer of tie strength, %s vs %s", owner,
             *owner ? " · " : "", m_now, m_prev);
    char n_moves[32], n_none[32];
    kc_fmt_num((double)r->n_layer_moves, n_moves, sizeof n_moves);
    kc_fmt_num(r->layer_counts[0], n_none, sizeof n_none);
    if (max > 0)
        snprintf(cap, sizeof cap,
                 "Ties ranked by strength into Dunbar's 5 / 15 / 50 / 150 (dashed: room in the "
                 "layer); %s %s changed layer since last month; %s with no strength %s no "
                 "layer.",
                 n_moves, r->n_layer_moves == 1 ? "person" : "persons",
                 n_none, r->layer_counts[0] == 1 ? "has" : "have");
    else
        snprintf(cap, sizeof cap, "No tie has any strength yet: layers fill as you interact.");
    kc_box box = kc_frame(cv, "Layers: how close your ties are", sub, cap);
    if (!(max > 0)) {
        kc_no_data(cv, box, "No data this year");
        return;
    }

    kc_legend_item li[2] = {{m_prev, KC_OI_SKY, KC_SWATCH_SQUARE},
                            {m_now, KC_OI_BLUE, KC_SWATCH_SQUARE}};
    box.y0 = kc_legend(cv, li, 2, box.x0 + 52, box.y0 - 6, box.x1 - box.x0, true) + 4;
    kc_box p = {box.x0 + 52, box.y0 + 8, box.x1 - 4, box.y1 - 40};
    /* In a large network "the rest" outgrows layers 1-4 a hundredfold and flattens them to
     * nothing: then the axis fits layers 1-4 (and their room) and layer 5's bars are cut,
     * marked with a break and labelled with their value. */
    double max14 = 100; /* layer 4's room */
    for (int l = 1; l <= 4; l++)
        max14 = fmax(max14, fmax(r->layer_counts[l], r->layer_counts_prev[l]));
    bool cut = max > 4 * max14;
    kc_ticks t;
    kc_nice_ticks(cut ? 1.6 * max14 : max, 5, true, &t);
    kc_y_axis(cv, &t, p.x0, p.x1, p.y1, p.y1 - p.y0, +1);
    kc_style ax = {.size = 10.5, .bold = true, .colour = KC_INK};
    kc_text_vertical(cv, "persons", &ax, p.x0 - 44, (p.y0 + p.y1) / 2);

    double slot = (p.x1 - p.x0) / 5, bw = slot * 0.32;
    kc_style vs = {.size = 10, .colour = KC_INK};
    kc_style xs = {.size = 10.5, .colour = KC_INK};
    for (int l = 1; l <= 5; l++) {
        double cx = p.x0 + slot * (l - 0.5);
        const int vals[2] = {r->layer_counts_prev[l], r->layer_counts[l]};
        /* a layer holds a fixed number of ranks: show the room left when it fits the scale */
        static const int room[6] = {0, 5, 10, 35, 100, 0};
        if (room[l] > 0 && room[l] <= t.hi) {
            double hr = (p.y1 - p.y0) * room[l] / t.hi;
            double dash[] = {3, 2};
            cairo_set_dash(cr, dash, 2, 0);
            kc_set(cr, KC_GREY, 0.8);
            cairo_set_line_width(cr, 0.8);
            cairo_rectangle(cr, cx - bw - 2, p.y1 - hr, 2 * bw + 4, hr);
            cairo_stroke(cr);
            cairo_set_dash(cr, NULL, 0, 0);
        }
        const kc_rgb cols[2] = {KC_OI_SKY, KC_OI_BLUE};
        for (int k = 0; k < 2; k++) {
            double x = cx - bw - 2 + k * (bw + 4);
            double hgt = (p.y1 - p.y0) * (vals[k] > 0 ? vals[k] : 0) / t.hi;
            bool broken = cut && hgt > p.y1 - p.y0;
            if (broken)
                hgt = p.y1 - p.y0;
            kc_set(cr, cols[k], 1.0);
            cairo_rectangle(cr, x, p.y1 - hgt, bw, hgt);
            cairo_fill(cr);
            if (broken) { /* a white zig-zag gap across the bar: the axis is cut here */
                double yb = p.y0 + 0.18 * (p.y1 - p.y0);
                kc_set(cr, KC_WHITE, 1.0);
                cairo_set_line_width(cr, 3.0);
                for (int z = 0; z < 2; z++) {
                    cairo_move_to(cr, x - 2, yb + 6 * z + 3);
                    cairo_line_to(cr, x + bw / 2, yb + 6 * z - 3);
                    cairo_line_to(cr, x + bw + 2, yb + 6 * z + 3);
                }
                cairo_stroke(cr);
            }
            char buf[32];
            kc_fmt_num(vals[k], buf, sizeof buf);
            vs.bold = k == 1;
            kc_text(cv, buf, &vs, x + bw / 2, p.y1 - hgt - 2, 0.5, 1);
        }
        /* two lines: the layer and its size */
        char line1[16], line2[32];
        const char *nl = strchr(names[l], '\n');
        snprintf(line1, sizeof line1, "%.*s", (int)(nl - names[l]), names[l]);
        snprintf(line2, sizeof line2, "%s%s", nl + 1, cut && l == 5 ? " \u00b7 bars cut" : "");
        xs.bold = true;
        xs.colour = KC_INK;
        kc_text(cv, line1, &xs, cx, p.y1 + 6, 0.5, 0);
        xs.bold = false;
        xs.colour = KC_GREY;
        kc_text(cv, line2, &xs, cx, p.y1 + 20, 0.5, 0);
    }
    kc_set(cr, KC_INK, 1.0);
    cairo_set_line_width(cr, 1.2);
    cairo_move_to(cr, p.x0, p.y1);
    cairo_line_to(cr, p.x1, p.y1);
    cairo_stroke(cr);
}
