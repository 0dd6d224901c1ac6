// SPDX-License-Identifier: GPL-2.0
/*
 * The library host's rbtree (a treap under the kernel's API) against a sorted reference, on
 * random inserts and erases: after every step the tree is a search tree whose in-order walk
 * (rb_first/rb_next, and rb_last/rb_prev backwards) is the reference, whose parent links are
 * right, and whose depth stays logarithmic, including for keys inserted in order (the order
 * memslots usually come in).
 */
#include <stdlib.h>
#include <time.h>

#include <linux/kernel.h>
#include <linux/rbtree.h>

#include "test_util.h"

#define NR_NODES	4096

struct item {
	struct rb_node node;
	unsigned long key;
	bool in;
};

static struct item items[NR_NODES];

static void insert(struct rb_root *root, struct item *it)
{
	struct rb_node **link = &root->rb_node, *parent = NULL;

	while (*link) {
		parent = *link;
		link = it->key < rb_entry(parent, struct item, node)->key ? &parent->rb_left :
									      &parent->rb_right;
	}
	rb_link_node(&it->node, parent, link);
	rb_insert_color(&it->node, root);
	it->in = true;
}

/* Depth of the subtree at @n; checks order bounds and parent links on the way. */
static unsigned int check_subtree(struct rb_node *n, struct rb_node *parent, unsigned long lo,
				  unsigned long hi)
{
	unsigned int l, r;
	unsigned long key;

	if (!n)
		return 0;
	key = rb_entry(n, struct item, node)->key;
	TEST_ASSERT(rb_parent(n) == parent, "parent link of %lu", key);
	TEST_ASSERT(key >= lo && key <= hi, "key %lu outside [%lu, %lu]", key, lo, hi);
	l = check_subtree(n->rb_left, n, lo, key);
	r = check_subtree(n->rb_right, n, key, hi);
	return 1 + (l > r ? l : r);
}

static void check(struct rb_root *root, unsigned int nr_in)
{
	struct rb_node *n;
	unsigned int count = 0, depth, log2 = 1;
	unsigned long prev = 0;

	depth = check_subtree(root->rb_node, NULL, 0, ~0ul);
	for (n = rb_first(root); n; n = rb_next(n), count++) {
		unsigned long key = rb_entry(n, struct item, node)->key;

		TEST_ASSERT(!count || key >= prev, "in-order walk goes back: %lu after %lu", key,
			    prev);
		prev = key;
	}
	TEST_ASSERT_EQ(count, nr_in);
	for (n = rb_last(root); n; n = rb_prev(n))
		count--;
	TEST_ASSERT_EQ(count, 0);
	while ((1u << log2) < nr_in)
		log2++;
	/* A treap's expected depth is about 2.9 log2 n; 6 log2 n never happens in practice. */
	TEST_ASSERT(depth <= 6 * log2 + 4, "depth %u for %u nodes", depth, nr_in);
}

static void test_sequential_inserts(void)
{
	struct rb_root root = RB_ROOT;
	unsigned int i;

	for (i = 0; i < NR_NODES; i++) {
		items[i].key = i;
		insert(&root, &items[i]);
	}
	check(&root, NR_NODES);
	/* Erase every other one, from the front: the rest stays a balanced search tree. */
	for (i = 0; i < NR_NODES; i += 2)
		rb_erase(&items[i].node, &root);
	check(&root, NR_NODES / 2);
	for (i = 1; i < NR_NODES; i += 2)
		rb_erase(&items[i].node, &root);
	TEST_ASSERT(RB_EMPTY_ROOT(&root), "empty after erasing everything");
}

static void test_random_inserts_and_erases(void)
{
	unsigned int seed = (unsigned int)time(NULL), i, step, nr_in = 0;
	struct rb_root root = RB_ROOT;

	printf("# seed %u\n", seed);
	srand(seed);
	for (i = 0; i < NR_NODES; i++)
		items[i] = (struct item){ .key = (unsigned long)rand() % 1000 };
	for (step = 0; step < 20000; step++) {
		struct item *it = &items[rand() % NR_NODES];

		if (it->in) {
			rb_erase(&it->node, &root);
			it->in = false;
			nr_in--;
		} else {
			insert(&root, it);
			nr_in++;
		}
		if (!(step % 1000))
			check(&root, nr_in);
	}
	check(&root, nr_in);
}

int main(void)
{
	static const struct ksft_test tests[] = {
		KSFT_TEST(test_sequential_inserts),
		KSFT_TEST(test_random_inserts_and_erases),
	};

	return ksft_run(tests, ARRAY_SIZE(tests));
}
