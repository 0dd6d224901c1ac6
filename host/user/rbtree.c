// SPDX-License-Identifier: GPL-2.0
/*
 * Library host: linux/rbtree.h as a treap.  Each node's priority is a hash of its address; the
 * tree is a search tree by the users' keys and a heap by priority, which keeps its expected
 * depth O(log n) whatever the order of inserts.  An insert links a leaf (the user's
 * rb_link_node()) and rotates it up past parents of lower priority; an erase rotates the node
 * down below its higher-priority child until it has at most one, then splices it out.
 */
#include <stdint.h>

#include <linux/rbtree.h>

static unsigned long rb_prio(const struct rb_node *node)
{
	return (unsigned long)(((uintptr_t)node >> 4) * 0x9e3779b97f4a7c15ull);
}

static void rb_set_parent(struct rb_node *node, struct rb_node *parent)
{
	if (node)
		node->__rb_parent_color = (unsigned long)parent;
}

/* Make @new take @old's place under @old's parent (or as the root). */
static void rb_replace_child(struct rb_node *old, struct rb_node *new, struct rb_root *root)
{
	struct rb_node *parent = rb_parent(old);

	if (!parent)
		root->rb_node = new;
	else if (parent->rb_left == old)
		parent->rb_left = new;
	else
		parent->rb_right = new;
	rb_set_parent(new, parent);
}

/* @child, a child of its parent, takes the parent's place; the parent becomes its child. */
static void rb_rotate_up(struct rb_node *child, struct rb_root *root)
{
	struct rb_node *parent = rb_parent(child);

	rb_replace_child(parent, child, root);
	if (parent->rb_left == child) {
		parent->rb_left = child->rb_right;
		rb_set_parent(parent->rb_left, parent);
		child->rb_right = parent;
	} else {
		parent->rb_right = child->rb_left;
		rb_set_parent(parent->rb_right, parent);
		child->rb_left = parent;
	}
	rb_set_parent(parent, child);
}

void rb_insert_color(struct rb_node *node, struct rb_root *root)
{
	while (rb_parent(node) && rb_prio(rb_parent(node)) < rb_prio(node))
		rb_rotate_up(node, root);
}

void rb_erase(struct rb_node *node, struct rb_root *root)
{
	struct rb_node *up;

	while (node->rb_left && node->rb_right) {
		up = rb_prio(node->rb_left) > rb_prio(node->rb_right) ? node->rb_left :
									node->rb_right;
		rb_rotate_up(up, root);
	}
	rb_replace_child(node, node->rb_left ? node->rb_left : node->rb_right, root);
}

struct rb_node *rb_first(const struct rb_root *root)
{
	struct rb_node *n = root->rb_node;

	while (n && n->rb_left)
		n = n->rb_left;
	return n;
}

struct rb_node *rb_last(const struct rb_root *root)
{
	struct rb_node *n = root->rb_node;

	while (n && n->rb_right)
		n = n->rb_right;
	return n;
}

struct rb_node *rb_next(const struct rb_node *node)
{
	const struct rb_node *parent;

	if (node->rb_right) {
		node = node->rb_right;
		while (node->rb_left)
			node = node->rb_left;
		return (struct rb_node *)node;
	}
	while ((parent = rb_parent(node)) && node == parent->rb_right)
		node = parent;
	return (struct rb_node *)parent;
}

struct rb_node *rb_prev(const struct rb_node *node)
{
	const struct rb_node *parent;

	if (node->rb_left) {
		node = node->rb_left;
		while (node->rb_right)
			node = node->rb_right;
		return (struct rb_node *)node;
	}
	while ((parent = rb_parent(node)) && node == parent->rb_left)
		node = parent;
	return (struct rb_node *)parent;
}
