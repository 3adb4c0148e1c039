/* fengqiao: one binary; everything else is in the library. */
#include "cli/cli.h"

int main(int argc, char **argv)
{
	return fq_cli_main(argc, argv);
}
