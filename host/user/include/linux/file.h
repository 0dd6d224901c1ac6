/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HOST_USER_LINUX_FILE_H
#define _HOST_USER_LINUX_FILE_H

#include <linux/fs.h>

#endif
