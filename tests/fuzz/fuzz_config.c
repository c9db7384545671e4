/*
 * libFuzzer target: the configuration reader. The input is written as
 * a tipgw.conf and loaded as tipgwd -n loads it; a file it accepts is
 * printed (tipgwd -nv) and freed. An input naming a gammurc is passed
 * over: that key makes the reader open another file, which the fuzzer
 * must not choose.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tipgw/config.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char	 fuzz_path[64];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int	 fd;

	(void)argc;
	(void)argv;
	snprintf(fuzz_path, sizeof fuzz_path, "/tmp/tipgw-fuzz-conf.XXXXXX");
	if ((fd = mkstemp(fuzz_path)) == -1)
		abort();
	close(fd);
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config	*conf;
	FILE		*f;
	char		*cause = NULL;

	if (memmem(data, size, "gammurc", 7) != NULL)
		return (0);
	if ((f = fopen(fuzz_path, "wb")) == NULL ||
	    fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	if ((conf = config_load(fuzz_path, &cause)) == NULL) {
		if (cause == NULL)
			abort();	/* refused without saying why */
		free(cause);
		return (0);
	}
	if ((f = fopen("/dev/null", "w")) == NULL)
		abort();
	config_print(conf, f);
	fclose(f);
	config_free(conf);
	return (0);
}
