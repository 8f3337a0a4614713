/* Contacts CSV readers (src/sources/contacts.c): Google Contacts (current and older header)
 * and Outlook. Internal to src/sources/ and its tests. */
#ifndef KITH_SOURCES_CONTACTS_H
#define KITH_SOURCES_CONTACTS_H

#include <stdbool.h>

#include "lines.h"
#include "reader.h"

extern const kith_format kith_format_google_contacts;     /* First Name,...,Labels,... */
extern const kith_format kith_format_google_contacts_old; /* Name,Given Name,... */
extern const kith_format kith_format_outlook_contacts;    /* "Title","First Name",... */

/* A contacts-file birthday: "YYYY-MM-DD", " --MM-DD" (no year; leading space allowed) or
 * Outlook's "M/D/YYYY". False for "0/0/00", an empty value or an impossible day. */
bool kith_contacts_parse_bday(const char *v, int *y, int *m, int *d);

/* Appends the entries of a sep-separated label list (" ::: " for Google, ";" for Outlook)
 * to b, "; "-joined and trimmed; Google system groups ("* myContacts") are left out. */
void kith_contacts_labels(const char *v, const char *sep, kith_buf *b);

#endif
