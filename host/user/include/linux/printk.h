/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HOST_USER_LINUX_PRINTK_H
#define _HOST_USER_LINUX_PRINTK_H

void host_printk(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define pr_err(fmt, ...)	host_printk(3, fmt, ##__VA_ARGS__)
#define pr_warn(fmt, ...)	host_printk(4, fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...)	host_printk(6, fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...)	host_printk(7, fmt, ##__VA_ARGS__)

#endif
