/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Library host: the kernel's rbtree API (the subset host/README.md lists), over a balanced
 * binary search tree of host/user/rbtree.c.  Users see what the kernel's users see: nodes
 * with left and right children they walk themselves to search, a link step (rb_link_node())
 * and a rebalance (rb_insert_color()) to insert, rb_erase() to remove, in-order iteration.
 * Depth is O(log n) (expected: the balance is a treap's, by a hash of the node's address).
 */
#ifndef _HOST_USER_LINUX_RBTREE_H
#define _HOST_USER_LINUX_RBTREE_H

#include <linux/kernel.h>

struct rb_node {
	unsigned long __rb_parent_color;	/* the parent; no colour here */
	struct rb_node *rb_right;
	struct rb_node *rb_left;
};

struct rb_root {
	struct rb_node *rb_node;
};

#define RB_ROOT			((struct rb_root) { NULL })
#define rb_entry(ptr, type, member)	container_of(ptr, type, member)
#define rb_parent(node)		((struct rb_node *)((node)->__rb_parent_color))
#define RB_EMPTY_ROOT(root)	(!(root)->rb_node)

static inline void rb_link_node(struct rb_node *node, struct rb_node *parent,
				struct rb_node **rb_link)
{
	node->__rb_parent_color = (unsigned long)parent;
	node->rb_left = node->rb_right = NULL;
	*rb_link = node;
}

void rb_insert_color(struct rb_node *node, struct rb_root *root);
void rb_erase(struct rb_node *node, struct rb_root *root);
struct rb_node *rb_first(const struct rb_root *root);
struct rb_node *rb_last(const struct rb_root *root);
struct rb_node *rb_next(const struct rb_node *node);
struct rb_node *rb_prev(const struct rb_node *node);

#endif
