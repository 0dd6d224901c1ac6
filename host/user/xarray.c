// SPDX-License-Identifier: GPL-2.0
/*
 * Library host: xarray over a radix tree of 64-slot nodes.  The tree grows in height as larger
 * indices are stored; empty nodes are freed on erase, so an empty array holds no memory.
 */
#include <stdlib.h>

#include <linux/kernel.h>
#include <linux/xarray.h>

#include "host_user.h"

#define XA_SHIFT	6
#define XA_SLOTS	(1UL << XA_SHIFT)
#define XA_MAX_HEIGHT	11	/* 11 * 6 >= 64 index bits */

struct xa_node {
	void *slots[XA_SLOTS];
	unsigned int count;
};

static unsigned int xa_shift(unsigned int level)
{
	return level * XA_SHIFT;
}

/* Largest index a tree of @height levels can hold. */
static unsigned long xa_max_index(unsigned int height)
{
	if (height >= XA_MAX_HEIGHT)
		return ULONG_MAX;
	return (1UL << xa_shift(height)) - 1;
}

static unsigned int xa_slot(unsigned long index, unsigned int level)
{
	return (index >> xa_shift(level)) & (XA_SLOTS - 1);
}

void *xa_load(struct xarray *xa, unsigned long index)
{
	void *entry = xa->xa_head;
	unsigned int level = xa->xa_height;

	if (!level || index > xa_max_index(level))
		return NULL;
	while (entry && level--)
		entry = ((struct xa_node *)entry)->slots[xa_slot(index, level)];
	return entry;
}

/* An allocation of the tree's: the tests' failure injection spares __GFP_NOFAIL ones. */
static bool xa_alloc_fails(gfp_t gfp)
{
	return !(gfp & __GFP_NOFAIL) && host_should_fail_alloc();
}

static int xa_grow(struct xarray *xa, unsigned long index, gfp_t gfp)
{
	while (!xa->xa_height || index > xa_max_index(xa->xa_height)) {
		struct xa_node *node;

		if (!xa->xa_head) {
			xa->xa_height++;
			continue;
		}
		if (xa_alloc_fails(gfp))
			return -ENOMEM;
		node = calloc(1, sizeof(*node));
		if (!node)
			return -ENOMEM;
		node->slots[0] = xa->xa_head;
		node->count = 1;
		xa->xa_head = node;
		xa->xa_height++;
	}
	return 0;
}

/*
 * A store that could not allocate the node for @level leaves the nodes it made above it empty:
 * free them, bottom up, so a failed store changes nothing (an empty array stays xa_empty()).
 */
static void xa_prune(struct xarray *xa, struct xa_node **path, unsigned long index,
		     unsigned int level)
{
	for (level++; level < xa->xa_height && !path[level]->count; level++) {
		free(path[level]);
		if (level + 1 < xa->xa_height) {
			path[level + 1]->slots[xa_slot(index, level + 1)] = NULL;
			path[level + 1]->count--;
		} else {
			xa->xa_head = NULL;
		}
	}
}

/* Store or clear; clearing frees the nodes it empties (path[] remembers the way down). */
void *xa_store(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp)
{
	struct xa_node *path[XA_MAX_HEIGHT];
	void **slot = &xa->xa_head;
	unsigned int level;
	void *old;
	int r;

	if (!entry && (!xa->xa_height || index > xa_max_index(xa->xa_height)))
		return NULL;
	r = entry ? xa_grow(xa, index, gfp) : 0;
	if (r)
		return xa_mk_err(r);

	for (level = xa->xa_height; level--;) {
		struct xa_node *node = *slot;

		if (!node) {
			if (!entry)
				return NULL;
			if (xa_alloc_fails(gfp) || !(node = calloc(1, sizeof(*node)))) {
				xa_prune(xa, path, index, level);
				return xa_mk_err(-ENOMEM);
			}
			*slot = node;
			if (level + 1 < xa->xa_height)
				path[level + 1]->count++;
		}
		path[level] = node;
		slot = &node->slots[xa_slot(index, level)];
	}

	old = *slot;
	*slot = entry;
	if (!old == !entry)
		return old;
	if (entry) {
		path[0]->count++;
		return old;
	}

	/* Free the nodes this erase emptied, bottom up. */
	for (level = 0; level < xa->xa_height; level++) {
		if (--path[level]->count)
			break;
		free(path[level]);
		if (level + 1 < xa->xa_height)
			path[level + 1]->slots[xa_slot(index, level + 1)] = NULL;
		else
			xa->xa_head = NULL;
	}
	if (!xa->xa_head)
		xa->xa_height = 0;
	return old;
}

void *xa_erase(struct xarray *xa, unsigned long index)
{
	return xa_store(xa, index, NULL, 0);
}

/* First present entry at an index in [*index, max] below @node, which covers @level. */
static void *xa_find_node(void *node, unsigned int level, unsigned long base,
			  unsigned long *index, unsigned long max)
{
	unsigned int i;

	if (!level)
		return node;
	for (i = xa_slot(*index > base ? *index : base, level - 1); i < XA_SLOTS; i++) {
		unsigned long child_base = base + ((unsigned long)i << xa_shift(level - 1));
		void *child = ((struct xa_node *)node)->slots[i];
		void *entry;

		if (child_base > max)
			return NULL;
		if (!child)
			continue;
		if (child_base > *index)
			*index = child_base;
		entry = xa_find_node(child, level - 1, child_base, index, max);
		if (entry)
			return entry;
	}
	return NULL;
}

void *xa_find(struct xarray *xa, unsigned long *index, unsigned long max, unsigned int filter)
{
	unsigned long start = *index;
	void *entry;

	if (!xa->xa_head || start > max || start > xa_max_index(xa->xa_height))
		return NULL;
	entry = xa_find_node(xa->xa_head, xa->xa_height, 0, index, max);
	if (!entry || *index > max) {
		*index = start;
		return NULL;
	}
	return entry;
}

void *xa_find_after(struct xarray *xa, unsigned long *index, unsigned long max,
		    unsigned int filter)
{
	unsigned long next = *index + 1;

	if (!next || next > max)
		return NULL;
	*index = next;
	return xa_find(xa, index, max, filter);
}

static void xa_free_node(void *node, unsigned int level)
{
	unsigned int i;

	if (!level)
		return;
	for (i = 0; i < XA_SLOTS; i++)
		if (((struct xa_node *)node)->slots[i])
			xa_free_node(((struct xa_node *)node)->slots[i], level - 1);
	free(node);
}

void xa_destroy(struct xarray *xa)
{
	if (xa->xa_head)
		xa_free_node(xa->xa_head, xa->xa_height);
	xa_init(xa);
}
