/* SPDX-License-Identifier: GPL-2.0 */
/* Library host: nothing to instantiate; TRACE_EVENT() already defined the probes inline. */
