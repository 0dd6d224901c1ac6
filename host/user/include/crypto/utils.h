/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Library host: crypto_memneq(), a comparison whose time does not depend on where the
 * buffers differ (MACs, keys).
 */
#ifndef _HOST_USER_CRYPTO_UTILS_H
#define _HOST_USER_CRYPTO_UTILS_H

#include <linux/types.h>

int crypto_memneq(const void *a, const void *b, size_t size);

#endif
