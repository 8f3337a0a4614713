/* Rows of a constant-memory worksheet written straight into its row stream (xlsx_rows.c).
 *
 * libxlsxwriter's cell calls cost about a microsecond a cell, most of it printf ("%.16G" for
 * every number) and a malloc per cell: 25 M cells of Contacts at 1 M persons took 20 s on one
 * thread. This writer emits the same XML libxlsxwriter would for the same calls, byte for
 * byte, into the same temporary file, from a buffer, with numbers formatted without printf
 * whenever that gives the same digits. The workbook then assembles and zips the sheet as
 * usual (dimensions, panes, autofilter, conditional formats all still come from
 * libxlsxwriter).
 *
 * Contract: the worksheet was made in constant-memory mode; between kith_xrows_open and
 * kith_xrows_close nothing else writes cells to it; rows go strictly down and cells strictly
 * right within a row (the order constant-memory mode needs anyway). A writer belongs to one
 * thread; writers of different sheets may run at once (formats must have their xf index
 * already, see lxw_format_get_xf_index). */
#ifndef KITH_XLSX_ROWS_H
#define KITH_XLSX_ROWS_H

#include <stddef.h>
#include <xlsxwriter.h>

typedef struct kith_xrows kith_xrows;

/* A writer for ws, or NULL when ws is not in constant-memory mode or memory is short (the
 * caller then writes through libxlsxwriter's cell calls). A row libxlsxwriter still holds
 * for ws is written out first; the rows written here must come after it. */
kith_xrows *kith_xrows_open(lxw_worksheet *ws);

/* Starts row (0-based), ending the one before. */
void kith_xrows_row(kith_xrows *x, lxw_row_t row);

/* A string cell in the current row, as worksheet_write_string: text must be valid UTF-8 of
 * at most 32,767 characters (the workbook's text guard sees to it); NULL or "" writes
 * nothing. f may be NULL. */
void kith_xrows_text(kith_xrows *x, lxw_col_t col, const char *text, lxw_format *f);

/* A number cell, as worksheet_write_number; NaN and infinities write nothing. */
void kith_xrows_num(kith_xrows *x, lxw_col_t col, double v, lxw_format *f);

/* Ends the last row, hands the bytes to the sheet's temporary file and tells libxlsxwriter the
 * sheet's extent; frees x. Cells written through libxlsxwriter afterwards must go below the
 * last row written here. Returns the first error of this writer's life (LXW_NO_ERROR): a
 * row or column out of order or range, a failed write (then why, of size n, says which and
 * the system's reason; else it is left alone), no memory. NULL is a no-op. */
lxw_error kith_xrows_close(kith_xrows *x, char *why, size_t n);

/* v as printf's "%.16G" writes it (libxlsxwriter's number format), into out (at least 32
 * bytes, NUL-terminated); returns the length. Exposed for its test. */
size_t kith_xrows_g16(double v, char *out);

#endif
