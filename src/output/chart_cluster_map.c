/* The cluster map: r->layout drawn as faint edges and nodes coloured by cluster, sized by
 * strength, the owner at the centre, the strongest ties and the brokers labelled without
 * overlap, and a legend of cluster names. */
#include "chart_draw.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_STRONG_LABELS 15
#define N_BROKER_LABELS 8
#define LEGEND_W 200.0

typedef struct {
    size_t node;
    double strength;
} nd;

static int by_strength_asc(const void *a, const void *b)
{
    const nd *x = a, *y = b;
    if (x->strength != y->strength)
        return x->strength < y->strength ? -1 : 1;
    return (x->node > y->node) - (x->node < y->node);
}

#define MAX_EDGES 4000

typedef struct {
    size_t e;
    double w; /* -1 for the owner's spokes */
} ew;

static int by_weight_desc(const void *a, const void *b)
{
    const ew *x = a, *y = b;
    if (x->w != y->w)
        return x->w < y->w ? 1 : -1;
    return (x->e > y->e) - (x->e < y->e);
}

/* Colours go to the clusters with the most persons on the map, not the largest ones: a big
 * map shows only the strongest 2,000 ties, and a large cluster of weak ties would take a colour
 * while the map is grey. slot[c] is cluster c's colour, -1 for "other clusters". */
#define GREY_OTHER ((kc_rgb){0.55, 0.55, 0.55})
#define GREY_NONE ((kc_rgb){0.80, 0.80, 0.80})
/* nodes: opaque, so PDF writes a node's fill and ring as one path; no-cluster grey is the
 * legend's grey at 0.8 over white */
#define GREY_NONE_NODE ((kc_rgb){0.84, 0.84, 0.84})
static kc_rgb cluster_colour(const int *slot, int c)
{
    if (c < 0)
        return GREY_NONE_NODE;
    int k = slot ? slot[c] : c;
    if (k >= 0 && k < KC_N_CLUSTER_COLOURS)
        return kc_cluster_colours[k];
    return GREY_OTHER;
}

typedef struct {
    size_t cluster, shown;
} cshown;

static int by_shown_desc(const void *a, const void *b)
{
    const cshown *x = a, *y = b;
    if (x->shown != y->shown)
        return x->shown < y->shown ? 1 : -1;
    return (x->cluster > y->cluster) - (x->cluster < y->cluster);
}

static double safe_strength(const kith_report *r, int32_t person)
{
    if (person < 0 || !r->model || (size_t)person >= r->model->n_persons)
        return 0;
    double s = r->pm[person].strength;
    return isfinite(s) && s > 0 ? s : 0;
}

/* The legend's line for a cluster: its name ("Globex · 3181", made by the analysis) with the
 * size grouped in thousands like every other count on the charts, and a cluster without one
 * active tie flagged: it is the part of the network gone quiet. */
static void legend_name(const kith_cluster *cl, char *buf, size_t n)
{
    const char *nm = cl->name ? cl->name : "";
    char tail[32], size[32];
    snprintf(tail, sizeof tail, " \u00b7 %d", cl->size);
    size_t ln = strlen(nm), lt = strlen(tail);
    int keep = (int)ln;
    if (cl->size >= 1000 && ln > lt && strcmp(nm + ln - lt, tail) == 0)
        keep = (int)(ln - lt);
    kc_fmt_num(cl->size, size, sizeof size);
    snprintf(buf, n, "%.*s%s%s%s", keep, nm, keep < (int)ln ? " \u00b7 " : "",
             keep < (int)ln ? size : "", cl->active == 0 ? " \u00b7 none active" : "");
}

/* The links of one strength band in a PNG, drawn as the union of their round-capped strokes
 * into an A8 mask (device pixels) by hand. One cairo stroke of thousands of crossing segments
 * was most of the cluster map's time (the scan converter keeps every crossing edge sorted);
 * this costs a few pixels per pixel of line. Coverage is the box-filtered overlap of a pixel
 * with the line across it (exact for level lines, close elsewhere); where links cross, the
 * larger coverage wins, as in the union that one stroke paints. */
typedef struct {
    unsigned char *px;
    int w, h, stride;
    int x0, y0, x1, y1; /* the box touched since the last clear; x1 < x0 when none */
} link_mask;

static void mask_link(link_mask *m, double ax, double ay, double bx, double by, double hw)
{
    double dx = bx - ax, dy = by - ay, len = sqrt(dx * dx + dy * dy);
    double ux = len > 0 ? dx / len : 1, uy = len > 0 ? dy / len : 0;
    bool steep = fabs(dy) > fabs(dx);
    /* walk the major axis; across it, pixels past reach get no ink */
    double a0 = steep ? ay : ax, a1 = steep ? by : bx, b0 = steep ? ax : ay, b1 = steep ? bx : by;
    double lo = a0 < a1 ? a0 : a1, hi = a0 < a1 ? a1 : a0;
    double slope = a1 != a0 ? (b1 - b0) / (a1 - a0) : 0;
    double cosv = steep ? fabs(uy) : fabs(ux);
    double reach = (hw + 0.5) / (cosv > 0.5 ? cosv : 0.5) + 0.5;
    int lim_a = steep ? m->h : m->w, lim_b = steep ? m->w : m->h;
    int i0 = (int)floor(lo - hw - 0.5), i1 = (int)ceil(hi + hw + 0.5);
    i0 = i0 < 0 ? 0 : i0;
    i1 = i1 > lim_a - 1 ? lim_a - 1 : i1;
    for (int i = i0; i <= i1; i++) {
        double c = i + 0.5, t = c < lo ? lo : c > hi ? hi : c;
        double mid = b0 + (t - a0) * slope;
        int j0 = (int)floor(mid - reach), j1 = (int)ceil(mid + reach);
        j0 = j0 < 0 ? 0 : j0;
        j1 = j1 > lim_b - 1 ? lim_b - 1 : j1;
        /* along the line and across it, both linear in j; the root only at the caps */
        double px = steep ? j0 + 0.5 : c, py = steep ? c : j0 + 0.5;
        double along = (px - ax) * ux + (py - ay) * uy, across = (px - ax) * uy - (py - ay) * ux;
        double d_along = steep ? ux : uy, d_across = steep ? uy : -ux;
        for (int j = j0; j <= j1; j++, along += d_along, across += d_across) {
            double d = fabs(across);
            if (along < 0 || along > len) {
                double ea = along < 0 ? along : along - len;
                d = sqrt(ea * ea + across * across);
            }
            /* the pixel's extent [d - 0.5, d + 0.5] across the line against [-hw, hw] */
            double top = d + 0.5 < hw ? d + 0.5 : hw, bot = d - 0.5 > -hw ? d - 0.5 : -hw;
            double cov = top - bot;
            if (cov <= 0)
                continue;
            unsigned v = (unsigned)((cov < 1 ? cov : 1) * 255 + 0.5);
            int x = steep ? j : i, y = steep ? i : j;
            unsigned char *q = m->px + (size_t)y * (size_t)m->stride + (size_t)x;
            if (v > *q)
                *q = (unsigned char)v;
            m->x0 = x < m->x0 ? x : m->x0;
            m->x1 = x > m->x1 ? x : m->x1;
            m->y0 = y < m->y0 ? y : m->y0;
            m->y1 = y > m->y1 ? y : m->y1;
        }
    }
}

/* A filled disc as a zero-length round-capped stroke: in SVG and PDF one point pair instead
 * of an arc's four curves (both formats draw a degenerate round-capped segment as a disc). */
static void dot(cairo_t *cr, double x, double y, double rad, kc_rgb c)
{
    kc_set(cr, c, 1.0);
    cairo_set_line_width(cr, 2 * rad);
    cairo_move_to(cr, x, y);
    cairo_line_to(cr, x, y);
    cairo_stroke(cr);
}

/* Paints the mask in the current source, then clears what it touched. */
static void mask_paint(cairo_t *cr, cairo_surface_t *ms, link_mask *m)
{
    if (m->x1 < m->x0)
        return;
    cairo_surface_mark_dirty(ms);
    cairo_save(cr);
    cairo_identity_matrix(cr);
    cairo_rectangle(cr, m->x0, m->y0, m->x1 - m->x0 + 1, m->y1 - m->y0 + 1);
    cairo_clip(cr);
    cairo_mask_surface(cr, ms, 0, 0);
    cairo_restore(cr);
    cairo_surface_flush(ms);
    for (int y = m->y0; y <= m->y1; y++)
        memset(m->px + (size_t)y * (size_t)m->stride + (size_t)m->x0, 0, (size_t)(m->x1 - m->x0 + 1));
    m->x0 = m->y0 = INT_MAX;
    m->x1 = m->y1 = -1;
}

void kc_draw_cluster_map(kc_canvas *cv)
{
    const kith_report *r = cv->r;
    const kith_layout *lay = &r->layout;
    cairo_t *cr = cv->cr;
    size_t nn = lay->n_nodes;
    size_t np = r->model ? r->model->n_persons : 0;
    nd *order = NULL;
    cshown *cs = NULL;
    int *slot = NULL;

    char sub[256], cap[320];
    const char *owner = r->model && r->model->owner_name ? r->model->owner_name : "";
    char mon[24];
    kc_month_long(r->month, mon, sizeof mon);
    snprintf(sub, sizeof sub, "%s%swho knows whom, %s; %zu %s", owner, *owner ? " · " : "", mon,
             r->n_clusters, r->n_clusters == 1 ? "cluster" : "clusters");
    size_t quiet = 0;
    for (size_t c = 0; c < r->n_clusters; c++)
        quiet += r->clusters[c].active == 0;
    if (r->n_clusters > 0 && quiet > 0)
        snprintf(cap, sizeof cap,
                 "Each colour is a group of people who know each other. %zu of %zu %s no active "
                 "tie: a part of your network you have stopped touching.",
                 quiet, r->n_clusters, quiet == 1 ? "has" : "have");
    else if (r->n_clusters > 0)
        snprintf(cap, sizeof cap,
                 "Each colour is a group of people who know each other; you have an active tie "
                 "in every one of them.");
    else
        snprintf(cap, sizeof cap,
                 "No clusters yet: clusters form from group threads, meetings, introductions and "
                 "shared employers.");
    kc_box box = kc_frame(cv, "Your network by cluster", sub, cap);
    kc_box map = {box.x0, box.y0, box.x1 - LEGEND_W - 12, box.y1};

    if (nn < 2 || !lay->x || !lay->y || !lay->person) {
        kc_no_data(cv, box, nn == 1 ? "No contacts to draw yet" : "No data this year");
        return;
    }

    /* Fit the layout's bounding box (the layout puts the owner at its centre); a small graph
     * is not blown up beyond the layout's unit square. */
    double xmin = 0.5, xmax = 0.5, ymin = 0.5, ymax = 0.5;
    for (size_t i = 0; i < nn; i++) {
        if (!isfinite(lay->x[i]) || !isfinite(lay->y[i]))
            continue;
        xmin = fmin(xmin, lay->x[i]);
        xmax = fmax(xmax, lay->x[i]);
        ymin = fmin(ymin, lay->y[i]);
        ymax = fmax(ymax, lay->y[i]);
    }
    double ox = (xmin + xmax) / 2, oy = (ymin + ymax) / 2;
    double dx = (xmax - xmin) / 2, dy = (ymax - ymin) / 2;
    double pad = 14, cx = (map.x0 + map.x1) / 2, cy = (map.y0 + map.y1) / 2;
    double hw = (map.x1 - map.x0) / 2 - pad, hh = (map.y1 - map.y0) / 2 - pad;
    double sx = dx > 0 ? hw / dx : 1e9, sy = dy > 0 ? hh / dy : 1e9;
    double sc = fmin(fmin(sx, sy), 2 * fmin(hw, hh));
    /* A force layout's distances carry no units: stretching one axis a little to fill a wide
     * frame loses nothing, and a third more room for the labels helps. */
    double scx = fmin(sx, 1.35 * sc), scy = fmin(sy, 1.35 * sc);
#define NX(i) (cx + ((isfinite(lay->x[i]) ? lay->x[i] : 0.5) - ox) * scx)
#define NY(i) (cy + ((isfinite(lay->y[i]) ? lay->y[i] : 0.5) - oy) * scy)

    double smax = 0;
    for (size_t i = 1; i < nn; i++)
        smax = fmax(smax, safe_strength(r, lay->person[i]));
    /* Node sizes follow the room each node has: big dots for a small network, small ones
     * for 2,000, so a large map does not turn into one blot. */
    double spacing = sqrt((map.x1 - map.x0) * (map.y1 - map.y0) / (double)nn);
    double r_min = fmin(fmax(spacing * 0.1, 1.0), 2.2);
    double r_max = fmin(fmax(spacing * 0.45, 3.5), 9.0);
#define RADIUS(s) (r_min + (r_max - r_min) * (smax > 0 ? sqrt((s) / smax) : 0))

    /* Edges: the strongest MAX_EDGES person-person links, plus the owner's spokes in a small
     * map (in a big one they are only a star of noise), in four strength bands, each band
     * stroked as one path: a dense map stays a haze, and the SVG and PDF stay small. */
    size_t n_pp = 0, n_kept = 0;
    ew *kept = malloc((lay->n_edges ? lay->n_edges : 1) * sizeof *kept);
    bool spokes = nn <= 200;
    bool have_edges = lay->edge_from && lay->edge_to && lay->edge_weight;
    for (size_t e = 0; kept && have_edges && e < lay->n_edges; e++) {
        int32_t a = lay->edge_from[e], b = lay->edge_to[e];
        if (a < 0 || b < 0 || (size_t)a >= nn || (size_t)b >= nn || a == b)
            continue;
        if (!isfinite(lay->x[a]) || !isfinite(lay->y[a]) || !isfinite(lay->x[b]) ||
            !isfinite(lay->y[b]))
            continue;
        double w = isfinite(lay->edge_weight[e]) && lay->edge_weight[e] > 0 ? lay->edge_weight[e] : 0;
        bool owner_edge = a == 0 || b == 0;
        if (owner_edge && !spokes)
            continue;
        n_pp += !owner_edge;
        kept[n_kept++] = (ew){e, owner_edge ? -1 : w};
    }
    if (n_kept > 1)
        qsort(kept, n_kept, sizeof *kept, by_weight_desc);
    /* owner spokes sort last (weight -1): they go first when the cap bites */
    size_t n_pp_drawn = n_pp < MAX_EDGES ? n_pp : MAX_EDGES;
    double wmax = n_pp > 0 ? kept[0].w : 0;
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    double base = n_pp_drawn > 1000 ? 0.04 : n_pp_drawn > 300 ? 0.07 : 0.12;
    /* a PNG's links go through the hand-drawn mask (above); SVG and PDF keep vector strokes */
    cairo_surface_t *target = cairo_get_target(cr), *ms = NULL;
    link_mask lm = {.x0 = INT_MAX, .y0 = INT_MAX, .x1 = -1, .y1 = -1};
    bool raster = cairo_surface_get_type(target) == CAIRO_SURFACE_TYPE_IMAGE;
    if (raster && n_kept > 0) {
        lm.w = cairo_image_surface_get_width(target);
        lm.h = cairo_image_surface_get_height(target);
        ms = cairo_image_surface_create(CAIRO_FORMAT_A8, lm.w, lm.h);
        if (cairo_surface_status(ms) == CAIRO_STATUS_SUCCESS) {
            cairo_surface_flush(ms);
            lm.px = cairo_image_surface_get_data(ms);
            lm.stride = cairo_image_surface_get_stride(ms);
        }
        if (!lm.px) { /* out of memory: cairo strokes them */
            cairo_surface_destroy(ms);
            ms = NULL;
        }
    }
    for (int band = -1; band < 4; band++) {
        double f = band < 0 ? 0 : (band + 0.5) / 4;
        /* lines thin out with the dots, so a big map keeps its dots in front */
        double lw = fmax(0.3, (band < 0 ? 0.5 : 0.4 + 1.4 * f) * r_max / 9.0);
        double hw_x = lw / 2, hw_y = 0;
        cairo_user_to_device_distance(cr, &hw_x, &hw_y);
        double hw = hypot(hw_x, hw_y);
        bool any = false;
        for (size_t k = 0; k < n_kept; k++) {
            if (kept[k].w >= 0 && k >= n_pp_drawn)
                continue;
            int b = kept[k].w < 0 ? -1 : wmax > 0 ? (int)(sqrt(kept[k].w / wmax) * 4) : 0;
            if (b > 3)
                b = 3;
            if (b != band)
                continue;
            size_t e = kept[k].e;
            double x0 = NX(lay->edge_from[e]), y0 = NY(lay->edge_from[e]);
            double x1 = NX(lay->edge_to[e]), y1 = NY(lay->edge_to[e]);
            if (ms) {
                cairo_user_to_device(cr, &x0, &y0);
                cairo_user_to_device(cr, &x1, &y1);
                mask_link(&lm, x0, y0, x1, y1, hw);
            } else {
                cairo_move_to(cr, x0, y0);
                cairo_line_to(cr, x1, y1);
            }
            any = true;
        }
        if (!any)
            continue;
        kc_set(cr, (kc_rgb){0.45, 0.45, 0.5}, band < 0 ? base * 0.6 : base + 0.22 * f);
        if (ms) {
            mask_paint(cr, ms, &lm);
            continue;
        }
        cairo_set_line_width(cr, lw);
        cairo_stroke(cr);
    }
    cairo_surface_destroy(ms);
    ms = NULL;
    free(kept);

    /* nodes: weakest first so the strong ones sit on top */
    order = malloc(nn * sizeof *order);
    size_t no = 0;
    for (size_t i = 1; order && i < nn; i++)
        if (isfinite(lay->x[i]) && isfinite(lay->y[i]))
            order[no++] = (nd){i, safe_strength(r, lay->person[i])};
    if (no > 1)
        qsort(order, no, sizeof *order, by_strength_asc);
    bool *is_broker = calloc(nn, sizeof *is_broker);
    bool *labelled = calloc(nn, sizeof *labelled);
    if (is_broker && r->brokers) {
        for (size_t i = 1; i < nn; i++)
            for (size_t b = 0; b < r->n_brokers && b < N_BROKER_LABELS; b++)
                if (lay->person[i] == r->brokers[b])
                    is_broker[i] = true;
    }
    /* colour slots by persons on the map */
    size_t ncl = r->n_clusters;
    cs = ncl ? calloc(ncl, sizeof *cs) : NULL;
    slot = ncl ? malloc(ncl * sizeof *slot) : NULL;
    for (size_t c = 0; cs && c < ncl; c++)
        cs[c].cluster = c;
    for (size_t k = 0; cs && k < no; k++) {
        int32_t p = lay->person[order[k].node];
        int c = p >= 0 && (size_t)p < np ? r->pm[p].cluster : -1;
        if (c >= 0 && (size_t)c < ncl)
            cs[c].shown++;
    }
    if (cs && ncl > 1)
        qsort(cs, ncl, sizeof *cs, by_shown_desc);
    size_t n_col = 0;
    for (size_t k = 0; slot && cs && k < ncl; k++) {
        bool coloured = k < KC_N_CLUSTER_COLOURS && cs[k].shown > 0;
        slot[cs[k].cluster] = coloured ? (int)k : -1;
        n_col += coloured;
    }
    if (slot && !cs) { /* out of memory: the plain order */
        for (size_t c = 0; c < ncl; c++)
            slot[c] = c < KC_N_CLUSTER_COLOURS ? (int)c : -1;
        n_col = ncl < KC_N_CLUSTER_COLOURS ? ncl : KC_N_CLUSTER_COLOURS;
    }
    /* A PNG's nodes are drawn by hand (kc_image, chart_draw.h): thousands of small cairo
     * fills and strokes cost far more than the few pixels they cover. Same order: the disc,
     * its white edge, a broker's ring. */
    kc_image im;
    bool by_hand = raster && kc_image_begin(cr, &im);
    double dev = 1, dev_y = 0; /* device pixels per unit */
    cairo_user_to_device_distance(cr, &dev, &dev_y);
    dev = hypot(dev, dev_y);
    for (size_t k = 0; k < no; k++) {
        size_t i = order[k].node;
        int32_t p = lay->person[i];
        int c = p >= 0 && (size_t)p < np && (size_t)r->pm[p].cluster < ncl ? r->pm[p].cluster : -1;
        double rad = RADIUS(order[k].strength);
        if (by_hand) {
            double x = NX(i), y = NY(i);
            cairo_user_to_device(cr, &x, &y);
            kc_image_round(&im, x, y, 0, rad * dev, cluster_colour(slot, c), 1.0);
            kc_image_round(&im, x, y, (rad - 0.25) * dev, (rad + 0.25) * dev, KC_WHITE, 1.0);
            if (is_broker && is_broker[i])
                kc_image_round(&im, x, y, (rad + 2.2 - 0.65) * dev, (rad + 2.2 + 0.65) * dev,
                               KC_INK, 1.0);
            continue;
        }
        dot(cr, NX(i), NY(i), rad + 0.25, KC_WHITE);
        dot(cr, NX(i), NY(i), rad - 0.25, cluster_colour(slot, c));
        if (is_broker && is_broker[i]) {
            cairo_arc(cr, NX(i), NY(i), rad + 2.2, 0, 2 * M_PI);
            kc_set(cr, KC_INK, 1.0);
            cairo_set_line_width(cr, 1.3);
            cairo_stroke(cr);
        }
    }
    if (by_hand)
        kc_image_end(cr);
    /* the owner */
    double orad = 9;
    cairo_new_sub_path(cr);
    cairo_arc(cr, NX(0), NY(0), orad, 0, 2 * M_PI);
    kc_set(cr, KC_INK, 1.0);
    cairo_fill_preserve(cr);
    kc_set(cr, KC_WHITE, 1.0);
    cairo_set_line_width(cr, 2);
    cairo_stroke(cr);

    /* labels: the owner, the strongest ties, then the brokers; none may cover another */
    /* Obstacles: the owner and the nodes (all of them in a small map, else those that may get
     * a label), so no label covers a node that matters. */
    kc_box *placed = malloc((no + 64) * sizeof *placed);
    size_t n_placed = 0;
    if (!placed)
        goto cleanup;
    placed[n_placed++] = (kc_box){NX(0) - orad, NY(0) - orad, NX(0) + orad, NY(0) + orad};
    size_t n_obst = no <= 60 ? no : N_STRONG_LABELS + 10;
    for (size_t k = no, c = 0; k-- > 0 && c < n_obst; c++) {
        size_t i = order[k].node;
        double rad = RADIUS(order[k].strength) + (is_broker && is_broker[i] ? 3.0 : 0);
        placed[n_placed++] = (kc_box){NX(i) - rad, NY(i) - rad, NX(i) + rad, NY(i) + rad};
    }
    kc_style os = {.size = 11, .bold = true, .colour = KC_INK, .max_w = 160, .halo = true};
    if (!kc_place_label(cv, *owner ? owner : "You", &os, NX(0), NY(0), orad, map, placed,
                        &n_placed)) {
        /* crowded centre: the owner is still named, over whatever is there */
        kc_box mine[2] = {placed[0]};
        size_t n_mine = 1;
        if (kc_place_label(cv, *owner ? owner : "You", &os, NX(0), NY(0), orad, map, mine,
                           &n_mine))
            placed[n_placed++] = mine[1];
    }
    kc_style ls = {.size = 9.5, .colour = KC_INK, .max_w = 130, .halo = true};
    int n_strong = 0, tries = 0;
    for (size_t k = no; k-- > 0 && n_strong < N_STRONG_LABELS && tries++ < 4 * N_STRONG_LABELS;) {
        size_t i = order[k].node;
        if (order[k].strength <= 0 && no > N_STRONG_LABELS)
            break; /* in a small map everyone is named, latent ties too */
        double rad = RADIUS(order[k].strength) + (is_broker && is_broker[i] ? 3.0 : 0);
        ls.bold = false;
        if (kc_place_label(cv, kc_person_name(r, lay->person[i]), &ls, NX(i), NY(i), rad, map,
                           placed, &n_placed)) {
            n_strong++;
            if (labelled)
                labelled[i] = true;
        }
    }
    /* brokers in betweenness order */
    for (size_t b = 0; b < r->n_brokers && b < N_BROKER_LABELS && r->brokers; b++) {
        size_t k = 0;
        while (k < no && lay->person[order[k].node] != r->brokers[b])
            k++;
        if (k == no || (labelled && labelled[order[k].node]))
            continue;
        size_t i = order[k].node;
        double rad = RADIUS(order[k].strength) + 3.0;
        ls.bold = true;
        kc_place_label(cv, kc_person_name(r, lay->person[i]), &ls, NX(i), NY(i), rad, map, placed,
                       &n_placed);
    }
#undef NX
#undef NY
#undef RADIUS

    /* legend: clusters by size, then "other clusters", "no cluster", the marks */
    double lx = box.x1 - LEGEND_W, y = box.y0;
    kc_style hs = {.size = 10.5, .bold = true, .colour = KC_INK};
    /* with persons hidden the order (most on the map) is not the order of the sizes listed */
    kc_text(cv, lay->n_hidden > 0 ? "Clusters, most shown first" : "Clusters", &hs, lx, y, 0, 0);
    y += 18;
    kc_legend_item li[KC_N_CLUSTER_COLOURS + 6];
    size_t n_li = 0;
    char names[KC_N_CLUSTER_COLOURS][160];
    for (size_t k = 0; k < n_col && k < KC_N_CLUSTER_COLOURS; k++) {
        size_t c = cs ? cs[k].cluster : k;
        legend_name(&r->clusters[c], names[k], sizeof names[k]);
        li[n_li++] = (kc_legend_item){names[k], cluster_colour(slot, (int)c), KC_SWATCH_CIRCLE};
    }
    char other[64];
    if (r->n_clusters > n_col) {
        snprintf(other, sizeof other, "%zu other %s", r->n_clusters - n_col,
                 r->n_clusters - n_col == 1 ? "cluster" : "clusters");
        li[n_li++] = (kc_legend_item){other, GREY_OTHER, KC_SWATCH_CIRCLE};
    }
    li[n_li++] = (kc_legend_item){"no cluster", GREY_NONE, KC_SWATCH_CIRCLE};
    y = kc_legend(cv, li, n_li, lx, y, LEGEND_W, false);
    y += 10;
    kc_legend_item marks[] = {{"you", KC_INK, KC_SWATCH_CIRCLE},
                              {"broker: links clusters", KC_INK, KC_SWATCH_RING}};
    y = kc_legend(cv, marks, 2, lx, y, LEGEND_W, false);
    kc_style ns = {.size = 9.5, .colour = KC_GREY, .max_w = LEGEND_W};
    kc_text(cv, "size = tie strength", &ns, lx, y + 2, 0, 0);
    y += 16;
    if (n_pp > n_pp_drawn) {
        char a[32], b[32], note[128];
        kc_fmt_num((double)n_pp_drawn, a, sizeof a);
        kc_fmt_num((double)n_pp, b, sizeof b);
        snprintf(note, sizeof note, "lines: the strongest %s", a);
        kc_text(cv, note, &ns, lx, y, 0, 0);
        snprintf(note, sizeof note, "of %s links", b);
        kc_text(cv, note, &ns, lx, y + 13, 0, 0);
        y += 29;
    }
    if (lay->n_hidden > 0) {
        char a[32], b[32], note[128];
        kc_fmt_num((double)(nn - 1), a, sizeof a);
        kc_fmt_num((double)(nn - 1 + lay->n_hidden), b, sizeof b);
        ns.bold = true;
        ns.colour = KC_INK;
        snprintf(note, sizeof note, "showing the strongest %s", a);
        kc_text(cv, note, &ns, lx, y + 6, 0, 0);
        snprintf(note, sizeof note, "of %s persons", b);
        kc_text(cv, note, &ns, lx, y + 20, 0, 0);
    }
cleanup:
    free(cs);
    free(slot);
    free(placed);
    free(labelled);
    free(is_broker);
    free(order);
}
