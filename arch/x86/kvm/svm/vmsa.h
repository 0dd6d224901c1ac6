/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef __KVM_SVM_VMSA_H
#define __KVM_SVM_VMSA_H

#include <asm/svm.h>

void sev_es_init_reset_vmsa(struct sev_es_save_area *save, u64 sev_features);

#endif
