/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HOST_USER_LINUX_BITOPS_H
#define _HOST_USER_LINUX_BITOPS_H

#define hweight64(w)	((unsigned int)__builtin_popcountll(w))

#endif
