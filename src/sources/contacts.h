/* Contacts CSV readers (src/sources/contacts.c): Google Contacts (current and older header)
 * and Outlook. Internal to src/sources/ and its tests. */
#ifndef KITH_SOURCES_CONTACTS_H
#define KITH_SOURCES_CONTACTS_H

#include <stdbool.h>

#include "lines.h"
#include "reader.h"

/* kith_contacts_formats[] (reader.h): [0] Google, current header (First Name,...,Labels),
 * [1] Google, older header (Name,Given Name,...), [2] Outlook ("Title","First Name",...). */
enum { KITH_CONTACTS_GOOGLE, KITH_CONTACTS_GOOGLE_OLD, KITH_CONTACTS_OUTLOOK };

/* A contacts-file birthday: "YYYY-MM-DD", " --MM-DD" (no year; leading space allowed) or
 * Outlook's "M/D/YYYY". False for "0/0/00", an empty value or an impossible day. */
bool kith_contacts_parse_bday(const char *v, int *y, int *m, int *d);

/* Appends the entries of a sep-separated label list (" ::: " for Google, ";" for Outlook)
 * to b, "; "-joined and trimmed; Google system groups ("* myContacts") are left out. */
void kith_contacts_labels(const char *v, const char *sep, kith_buf *b);

#endif
