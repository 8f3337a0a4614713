/* Names of the enumerations shared by analysis and the writers. */
#include "kith/config.h"
#include "kith/report.h"

#define KITH_KPI_DEF(id, key, label, is_count) [KITH_KPI_##id] = {key, label, is_count},
const kith_kpi_def kith_kpi_defs[KITH_KPI__COUNT] = {KITH_KPI_LIST(KITH_KPI_DEF)};
#undef KITH_KPI_DEF

const char *kith_status_name(kith_status s)
{
    static const char *const names[KITH_ST__COUNT] = {"new", "latent", "dormant",
                                                      "cold", "fading", "active"};
    return (unsigned)s < KITH_ST__COUNT ? names[s] : "";
}

const char *kith_label_name(kith_label l)
{
    static const char *const names[] = {"", "balanced", "you owe", "they owe"};
    return (unsigned)l < sizeof names / sizeof *names ? names[l] : "";
}

const char *kith_sheet_name(kith_sheet s)
{
    static const char *const names[KITH_SHEET__COUNT] = {
        "Summary", "Habits", "Contacts", "Neglected", "Reciprocity", "Clusters", "Monthly", "Charts"};
    return (unsigned)s < KITH_SHEET__COUNT ? names[s] : "";
}

const char *kith_chart_name(kith_chart c)
{
    static const char *const names[KITH_CHART__COUNT] = {"cluster-map", "activity", "tie-status",
                                                         "reciprocity", "layers"};
    return (unsigned)c < KITH_CHART__COUNT ? names[c] : "";
}
