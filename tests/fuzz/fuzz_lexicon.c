/*
 * libFuzzer target: a county's local lexicon and a message. The bytes
 * before the first NUL are loaded as a lexicon_local file over the
 * shipped lexicon (a bad file must be refused whole, a good one may
 * repeat or override any word); the bytes after it go through
 * normalise, the dialect rewrite, parse and route with that lexicon.
 * Built with --enable-fuzzing (clang); tests/fuzz/run.sh runs it
 * briefly in make check.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/lexicon.h"
#include "tipgw/understand.h"
#include "tipgw/xmalloc.h"
#include "fuzz.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct understand	 u;
static struct lexicon		*shipped;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_understand_init(&u);
	shipped = u.lx;
	return (0);
}

/* A copy of the shipped lexicon, to load a local file over. */
static struct lexicon *
fuzz_lexicon_copy(void)
{
	struct lexicon	*lx = lexicon_new();
	size_t		 i;

	lx->entries = xreallocarray(NULL, shipped->nentries,
	    sizeof *lx->entries);
	for (i = 0; i < shipped->nentries; i++) {
		lx->entries[i] = shipped->entries[i];
		lx->entries[i].label = xstrdup(shipped->entries[i].label);
		lx->entries[i].word = xstrdup(shipped->entries[i].word);
	}
	lx->nentries = shipped->nentries;
	return (lx);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct understand_result r;
	struct lexicon		*lx;
	const uint8_t		*nul = memchr(data, '\0', size);
	char			*local, *text, *cause = NULL;
	size_t			 n = nul != NULL ? (size_t)(nul - data) : 0;

	local = xstrndup((const char *)data, n);
	text = xstrndup((const char *)data + (nul != NULL ? n + 1 : 0),
	    size - (nul != NULL ? n + 1 : 0));
	lx = fuzz_lexicon_copy();
	if (lexicon_load_text(lx, u.tn, "local.txt", local, &cause) != 0)
		free(cause);
	lexicon_build(lx);
	u.lx = lx;
	understand_message(&u, text, 1788228000, NULL, &r);
	understand_free(&r);
	u.lx = shipped;
	lexicon_free(lx);
	free(local);
	free(text);
	return (0);
}
