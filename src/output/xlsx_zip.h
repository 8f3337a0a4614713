/* The workbook's zip layer (xlsx_zip.c): replaces minizip calls libxlsxwriter makes. */
#ifndef KITH_XLSX_ZIP_H
#define KITH_XLSX_ZIP_H

/* Why the last workbook this thread wrote failed in the zip layer ("xl/worksheets/sheet3.xml
 * came out cut short: ..."), or NULL when it did not; clears it. The string stays valid until
 * this thread's next call. */
const char *kith_xlsx_zip_take_problem(void);

#endif
