#include <stdio.h>

#include "kith/cli.h"

int main(int argc, char **argv)
{
    return kith_cli_main(argc, argv, stdout, stderr);
}
