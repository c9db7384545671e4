/*
 * libFuzzer target: any bytes through normalise, parse and route, alone
 * and as the answer to an earlier message, then through the conversation
 * plan (a merge with the reporter's tip, a choice question's answer, a
 * late part joined), on the demo county with the shipped lexicon and
 * templates. Built with --enable-fuzzing (clang); tests/fuzz/run.sh runs
 * it briefly in make check.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/converse.h"
#include "tipgw/pin.h"
#include "tipgw/store.h"
#include "tipgw/template.h"
#include "tipgw/understand.h"
#include "fuzz.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct understand	 u;
static struct templates		*t;
static const struct pin_key	 key;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char	 path[4096], *cause = NULL;

	fuzz_understand_init(&u);
	snprintf(path, sizeof path, "%s/contrib/templates.txt", fuzz_top());
	if ((t = templates_load(path, NULL, &cause)) == NULL) {
		fprintf(stderr, "fuzz: %s\n", cause);
		exit(1);
	}
	return (0);
}

/* The plan for r, with the reporter's tip: text, routed in 寒冻镇. */
static void
fuzz_plan(const struct understand_result *r, char *text, int state)
{
	struct store_intake_ctx	 ctx;
	struct converse_in	 in;
	struct converse		 c;
	char			 handong[] = "411724101", code[] = "AB2C3D";
	char			 kinds[] = "expired counterfeit";
	char			 cands[] = "411724001 411724108";
	char			*offices[1] = { handong };

	memset(&ctx, 0, sizeof ctx);
	ctx.prior.tip_id = 1;
	ctx.prior.code = code;
	ctx.prior.state = (enum tip_state)state;
	ctx.prior.text = text;
	ctx.prior.township_code = state == TIP_ROUTED ? handong : NULL;
	ctx.prior.kinds = kinds;
	ctx.prior.candidates = cands;
	ctx.prior.last_message_at = 1788228000;
	ctx.office_townships = offices;
	ctx.noffice_townships = 1;
	memset(&in, 0, sizeof in);
	in.u = &u;
	in.templates = t;
	in.r = r;
	in.ctx = &ctx;
	in.text = text;
	in.raw_key = "fuzz";
	in.new_code = "NW2X3Y";
	in.new_pin = "1234";
	in.pin_key = &key;
	in.now = 1788228060;
	in.reply_limit = 10;
	in.inbound_limit = 20;
	converse_plan(&in, &c);
	converse_free(&c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct understand_prior	 p;
	struct understand_result r;
	char			*text;
	size_t			 half = size / 2;

	if ((text = malloc(size + 2)) == NULL)
		return (0);
	memcpy(text, data, size);
	text[size] = '\0';
	understand_message(&u, text, 1788228000, NULL, &r);
	fuzz_plan(&r, text, TIP_ROUTED);
	understand_free(&r);
	understand_joined(&u, text, 1788228000, &r);
	fuzz_plan(&r, text, TIP_AWAITING_REPLY);
	understand_free(&r);

	/* The first half as a tip awaiting an answer, the rest as it. */
	memmove(text + half + 1, text + half, size - half + 1);
	text[half] = '\0';
	memset(&p, 0, sizeof p);
	p.known = p.awaiting = p.unrouted = p.incomplete = 1;
	p.at = 1788228000;
	p.township = -1;
	p.norm = text;
	p.ncandidates = 2;
	p.candidates[0] = 0;
	p.candidates[1] = 1;
	understand_message(&u, text + half + 1, p.at + 60, &p, &r);
	fuzz_plan(&r, text, TIP_AWAITING_REPLY);
	understand_free(&r);
	free(text);
	return (0);
}
