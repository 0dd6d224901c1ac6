/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HOST_USER_LINUX_ANON_INODES_H
#define _HOST_USER_LINUX_ANON_INODES_H

#include <linux/fs.h>

int anon_inode_getfd(const char *name, const struct file_operations *fops, void *priv,
		     int flags);
struct file *anon_inode_getfile(const char *name, const struct file_operations *fops,
			       void *priv, int flags);
struct file *anon_inode_create_getfile(const char *name, const struct file_operations *fops,
				       void *priv, int flags, const struct inode *context_inode);

#endif
