/*
 * Naive Bayes over character n-grams (model.h). The file:
 *
 *   # comments
 *   classes KIND...
 *   prior LOGP...          one per class
 *   unseen LOGP...         a feature the class never had
 *   temperature T          the evidence weighed by T (0 < T <= 1), as
 *                          naive Bayes is sure beyond its accuracy
 *   FEATURE<TAB>LOGP...    a unigram or bigram of CJK characters,
 *                          one number per class
 *
 * Features are kept sorted for a binary search; a text's score for a
 * class is its prior plus the log-probability of each feature it holds.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "tipgw/lexicon.h"
#include "tipgw/model.h"
#include "tipgw/xmalloc.h"

#define MODEL_MAX_CLASSES	8
#define MODEL_KEY		16	/* bytes: two UTF-8 characters */

struct model_feature {
	char	 key[MODEL_KEY];
	float	 logp[MODEL_MAX_CLASSES];
};

struct model {
	const char		*classes[MODEL_MAX_CLASSES];	/* lex_kinds */
	int			 nclasses;
	float			 prior[MODEL_MAX_CLASSES];
	float			 unseen[MODEL_MAX_CLASSES];
	float			 temperature;
	struct model_feature	*f;
	size_t			 nf;
};

static int
model_cmp(const void *a, const void *b)
{
	return (strcmp(((const struct model_feature *)a)->key,
	    ((const struct model_feature *)b)->key));
}

/* count floats from s into v; 0, or -1 if they are not there. */
static int
model_floats(char *s, float *v, int count)
{
	char	*end, *tok;
	int	 i;

	for (i = 0; i < count; i++) {
		if ((tok = strsep(&s, " \t")) == NULL || *tok == '\0')
			return (-1);
		errno = 0;
		v[i] = strtof(tok, &end);
		if (errno != 0 || *end != '\0' || !isfinite(v[i]))
			return (-1);
	}
	return (s == NULL || *s == '\0' ? 0 : -1);
}

static const char *
model_class(const char *name)
{
	int	 i;

	for (i = 0; lex_kinds[i] != NULL; i++) {
		if (strcmp(lex_kinds[i], name) == 0)
			return (lex_kinds[i]);
	}
	return (NULL);
}

static int
model_line(struct model *m, char *line, const char **why)
{
	struct model_feature	 f;
	char			*tab, *name;

	if (strncmp(line, "classes ", 8) == 0) {
		line += 8;
		m->nclasses = 0;
		while ((name = strsep(&line, " ")) != NULL) {
			if (m->nclasses == MODEL_MAX_CLASSES ||
			    (m->classes[m->nclasses++] = model_class(name)) ==
			    NULL) {
				*why = "unknown or too many classes";
				return (-1);
			}
		}
		return (0);
	}
	if (m->nclasses == 0) {
		*why = "the classes line must come first";
		return (-1);
	}
	if (strncmp(line, "prior ", 6) == 0)
		return (model_floats(line + 6, m->prior, m->nclasses) == 0 ? 0 :
		    (*why = "a number for each class", -1));
	if (strncmp(line, "temperature ", 12) == 0)
		return (model_floats(line + 12, &m->temperature, 1) == 0 &&
		    m->temperature > 0 && m->temperature <= 1 ? 0 :
		    (*why = "a temperature over 0, at most 1", -1));
	if (strncmp(line, "unseen ", 7) == 0)
		return (model_floats(line + 7, m->unseen, m->nclasses) == 0 ?
		    0 : (*why = "a number for each class", -1));
	memset(&f, 0, sizeof f);
	if ((tab = strchr(line, '\t')) == NULL ||
	    (size_t)(tab - line) >= sizeof f.key || tab == line) {
		*why = "FEATURE<TAB>numbers";
		return (-1);
	}
	memcpy(f.key, line, (size_t)(tab - line));
	if (model_floats(tab + 1, f.logp, m->nclasses) != 0) {
		*why = "a number for each class";
		return (-1);
	}
	m->f = xreallocarray(m->f, m->nf + 1, sizeof *m->f);
	m->f[m->nf++] = f;
	return (0);
}

struct model *
model_load(const char *path, char **cause)
{
	struct model	*m;
	FILE		*fp;
	char		*line = NULL, *p;
	size_t		 size = 0;
	ssize_t		 len;
	const char	*why = NULL;
	int		 lineno = 0;

	if ((fp = fopen(path, "r")) == NULL) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return (NULL);
	}
	m = xcalloc(1, sizeof *m);
	m->temperature = 1;
	while ((len = getline(&line, &size, fp)) != -1) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r'))
			line[--len] = '\0';
		p = line;
		if (*p == '#' || *p == '\0')
			continue;
		if (model_line(m, p, &why) != 0)
			break;
	}
	free(line);
	if (why == NULL && ferror(fp))
		why = "read error";
	fclose(fp);
	if (why == NULL && (m->nclasses == 0 || m->nf == 0))
		why = "no classes or no features";
	if (why != NULL) {
		xasprintf(cause, "%s:%d: %s", path, lineno, why);
		model_free(m);
		return (NULL);
	}
	qsort(m->f, m->nf, sizeof *m->f, model_cmp);
	return (m);
}

/* Is c a character the model reads: a CJK ideograph? */
static int
model_char(utf8proc_int32_t c)
{
	return (c >= 0x4e00 && c <= 0x9fff);
}

static void
model_add(const struct model *m, const char *key, double *score)
{
	struct model_feature	 want, *f;
	int			 i;

	memset(&want, 0, sizeof want);
	snprintf(want.key, sizeof want.key, "%s", key);
	f = bsearch(&want, m->f, m->nf, sizeof *m->f, model_cmp);
	for (i = 0; i < m->nclasses; i++)
		score[i] += f != NULL ? f->logp[i] : m->unseen[i];
}

/*
 * The likeliest kind of norm and its probability (over the model's
 * classes), or NULL if the text holds no character the model reads.
 */
const char *
model_kind(const struct model *m, const char *norm, double *probability)
{
	const utf8proc_uint8_t	*u = (const utf8proc_uint8_t *)norm;
	utf8proc_ssize_t	 len = (utf8proc_ssize_t)strlen(norm), at = 0, k;
	utf8proc_int32_t	 c;
	double			 score[MODEL_MAX_CLASSES], sum = 0, best;
	double			 like[MODEL_MAX_CLASSES];
	char			 key[MODEL_KEY], prev[8] = "", cur[8];
	int			 i, b = 0, n = 0;

	*probability = 0;
	if (m == NULL)
		return (NULL);
	for (i = 0; i < m->nclasses; i++)
		like[i] = 0;
	while (at < len && (k = utf8proc_iterate(u + at, len - at, &c)) > 0) {
		if (!model_char(c) || k >= (utf8proc_ssize_t)sizeof cur) {
			prev[0] = '\0';
			at += k;
			continue;
		}
		memcpy(cur, norm + at, (size_t)k);
		cur[k] = '\0';
		model_add(m, cur, like);
		if (prev[0] != '\0') {
			snprintf(key, sizeof key, "%s%s", prev, cur);
			model_add(m, key, like);
		}
		memcpy(prev, cur, sizeof prev);
		n++;
		at += k;
	}
	if (n == 0)
		return (NULL);
	for (i = 0; i < m->nclasses; i++)
		score[i] = m->prior[i] + m->temperature * like[i];
	best = score[0];
	for (i = 1; i < m->nclasses; i++) {
		if (score[i] > best) {
			best = score[i];
			b = i;
		}
	}
	for (i = 0; i < m->nclasses; i++)
		sum += exp(score[i] - best);
	*probability = 1.0 / sum;
	return (m->classes[b]);
}

void
model_free(struct model *m)
{
	if (m == NULL)
		return;
	free(m->f);
	free(m);
}
