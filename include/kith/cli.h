/* The command line: parses argv, runs one command, prints any error as one line
 * ("kith: FILE:LINE: reason") and returns the process exit code (0, 1 data/IO, 2 usage). */
#ifndef KITH_CLI_H
#define KITH_CLI_H

#include <stdio.h>

int kith_cli_main(int argc, char **argv, FILE *out, FILE *err);

#endif
