/*
 * The statistical fallback for the kind (model.c): multinomial naive
 * Bayes over the character unigrams and bigrams of normalised text,
 * weights kept as data (kind-model.tsv beside the lexicon, rebuilt by
 * contrib/mkmodel from labelled tips). Consulted only where the lexicon
 * is silent or split; its answer comes with a probability.
 */
#ifndef TIPGW_MODEL_H
#define TIPGW_MODEL_H

struct model;

struct model	*model_load(const char *path, char **cause);
const char	*model_kind(const struct model *, const char *norm,
		    double *probability);
void		 model_free(struct model *);

#endif
