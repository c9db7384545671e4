/*
 * Aho-Corasick: a trie of the patterns with failure links (the longest
 * proper suffix that is also a trie path) and output links (the nearest
 * such suffix that ends a pattern). Edges are kept sorted per node; the
 * alphabet is bytes, the tries here hold a few thousand names.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tipgw/acm.h"
#include "tipgw/xmalloc.h"

struct acm_edge {
	unsigned char	 byte;
	int		 to;
};

struct acm_out {
	size_t		 len;
	int		 value;
	int		 next;		/* next output at this node, -1 */
};

struct acm_node {
	struct acm_edge	*edges;
	int		 nedges;
	int		 fail;
	int		 out;		/* first own output, -1 */
	int		 dict;		/* nearest suffix node with output, -1 */
};

struct acm {
	struct acm_node	*nodes;
	size_t		 nnodes, anodes;
	struct acm_out	*outs;
	size_t		 nouts;
	size_t		 npatterns;
	int		 built;
};

static int
acm_node_new(struct acm *a)
{
	struct acm_node	*n;

	if (a->nnodes == a->anodes) {
		a->anodes = a->anodes ? a->anodes * 2 : 64;
		a->nodes = xreallocarray(a->nodes, a->anodes, sizeof *a->nodes);
	}
	n = &a->nodes[a->nnodes];
	memset(n, 0, sizeof *n);
	n->out = n->dict = -1;
	return ((int)a->nnodes++);
}

struct acm *
acm_new(void)
{
	struct acm	*a = xcalloc(1, sizeof *a);

	acm_node_new(a);	/* the root */
	return (a);
}

/* The child of node on byte b, or -1. */
static int
acm_child(const struct acm *a, int node, unsigned char b)
{
	const struct acm_node	*n = &a->nodes[node];
	int			 lo = 0, hi = n->nedges - 1, mid;

	while (lo <= hi) {
		mid = (lo + hi) / 2;
		if (n->edges[mid].byte == b)
			return (n->edges[mid].to);
		if (n->edges[mid].byte < b)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return (-1);
}

static int
acm_child_add(struct acm *a, int node, unsigned char b)
{
	struct acm_node	*n;
	int		 to, i;

	to = acm_node_new(a);	/* may move a->nodes */
	n = &a->nodes[node];
	n->edges = xreallocarray(n->edges, (size_t)n->nedges + 1,
	    sizeof *n->edges);
	for (i = n->nedges; i > 0 && n->edges[i - 1].byte > b; i--)
		n->edges[i] = n->edges[i - 1];
	n->edges[i].byte = b;
	n->edges[i].to = to;
	n->nedges++;
	return (to);
}

/* Add a pattern (non-empty); the same text may carry several values. */
void
acm_add(struct acm *a, const char *pattern, int value)
{
	const unsigned char	*p = (const unsigned char *)pattern;
	int			 node = 0, next;
	size_t			 len = strlen(pattern);

	if (len == 0)
		return;
	for (; *p != '\0'; p++) {
		if ((next = acm_child(a, node, *p)) < 0)
			next = acm_child_add(a, node, *p);
		node = next;
	}
	a->outs = xreallocarray(a->outs, a->nouts + 1, sizeof *a->outs);
	a->outs[a->nouts].len = len;
	a->outs[a->nouts].value = value;
	a->outs[a->nouts].next = a->nodes[node].out;
	a->nodes[node].out = (int)a->nouts++;
	a->npatterns++;
	a->built = 0;
}

/* Failure and output links, breadth first. */
void
acm_build(struct acm *a)
{
	int	*queue, head = 0, tail = 0, i, node, child, f;

	queue = xcalloc(a->nnodes, sizeof *queue);
	a->nodes[0].fail = 0;
	for (i = 0; i < a->nodes[0].nedges; i++) {
		child = a->nodes[0].edges[i].to;
		a->nodes[child].fail = 0;
		a->nodes[child].dict = -1;
		queue[tail++] = child;
	}
	while (head < tail) {
		node = queue[head++];
		for (i = 0; i < a->nodes[node].nedges; i++) {
			unsigned char b = a->nodes[node].edges[i].byte;

			child = a->nodes[node].edges[i].to;
			f = a->nodes[node].fail;
			while (f != 0 && acm_child(a, f, b) < 0)
				f = a->nodes[f].fail;
			f = acm_child(a, f, b);
			if (f < 0 || f == child)
				f = 0;
			a->nodes[child].fail = f;
			a->nodes[child].dict = a->nodes[f].out >= 0 ? f :
			    a->nodes[f].dict;
			queue[tail++] = child;
		}
	}
	free(queue);
	a->built = 1;
}

static void
acm_emit(const struct acm *a, int node, size_t end, struct acm_match **m,
    size_t *n, size_t *alloc)
{
	int	 o;

	for (o = a->nodes[node].out; o >= 0; o = a->outs[o].next) {
		if (*n == *alloc) {
			*alloc = *alloc ? *alloc * 2 : 16;
			*m = xreallocarray(*m, *alloc, sizeof **m);
		}
		(*m)[*n].start = end - a->outs[o].len;
		(*m)[*n].len = a->outs[o].len;
		(*m)[*n].value = a->outs[o].value;
		(*n)++;
	}
}

/*
 * Every occurrence of every pattern in text, in order of their end; the
 * array is allocated (free it), its length returned.
 */
size_t
acm_scan(const struct acm *a, const char *text, struct acm_match **matches)
{
	const unsigned char	*p = (const unsigned char *)text;
	size_t			 n = 0, alloc = 0, pos;
	int			 node = 0, next, d;

	*matches = NULL;
	if (!a->built)
		return (0);
	for (pos = 0; p[pos] != '\0'; pos++) {
		while ((next = acm_child(a, node, p[pos])) < 0 && node != 0)
			node = a->nodes[node].fail;
		node = next < 0 ? 0 : next;
		acm_emit(a, node, pos + 1, matches, &n, &alloc);
		for (d = a->nodes[node].dict; d >= 0; d = a->nodes[d].dict)
			acm_emit(a, d, pos + 1, matches, &n, &alloc);
	}
	return (n);
}

static int
acm_cmp_longest(const void *x, const void *y)
{
	const struct acm_match	*a = x, *b = y;

	if (a->len != b->len)
		return (a->len > b->len ? -1 : 1);
	if (a->start != b->start)
		return (a->start < b->start ? -1 : 1);
	return (a->value < b->value ? -1 : a->value > b->value);
}

static int
acm_cmp_start(const void *x, const void *y)
{
	const struct acm_match	*a = x, *b = y;

	if (a->start != b->start)
		return (a->start < b->start ? -1 : 1);
	return (a->value < b->value ? -1 : a->value > b->value);
}

/*
 * Keep the longest matches that do not overlap a longer one (the same
 * span may keep several values), in text order. Returns the new count.
 */
size_t
acm_longest(struct acm_match *m, size_t n, size_t textlen)
{
	unsigned char	*used;
	size_t		 i, j, k = 0;
	int		 clash;

	if (n == 0)
		return (0);
	qsort(m, n, sizeof *m, acm_cmp_longest);
	used = xcalloc(textlen + 1, 1);
	for (i = 0; i < n; i++) {
		clash = 0;
		for (j = m[i].start; j < m[i].start + m[i].len && !clash; j++)
			clash = used[j] != 0 && !(k > 0 &&
			    m[k - 1].start == m[i].start &&
			    m[k - 1].len == m[i].len);
		if (clash)
			continue;
		for (j = m[i].start; j < m[i].start + m[i].len; j++)
			used[j] = 1;
		m[k++] = m[i];
	}
	free(used);
	qsort(m, k, sizeof *m, acm_cmp_start);
	return (k);
}

size_t
acm_size(const struct acm *a)
{
	return (a->npatterns);
}

void
acm_free(struct acm *a)
{
	size_t	 i;

	if (a == NULL)
		return;
	for (i = 0; i < a->nnodes; i++)
		free(a->nodes[i].edges);
	free(a->nodes);
	free(a->outs);
	free(a);
}
