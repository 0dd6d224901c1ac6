/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVM_COCO_CLI_H
#define KVM_COCO_CLI_H

struct cli_command {
	const char *name;
	const char *help;
	int (*fn)(int argc, char **argv);
};

int cmd_caps(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_measure(int argc, char **argv);
int cmd_launch(int argc, char **argv);
int cmd_attest(int argc, char **argv);

/* Print "kvm-coco: <msg>" on stderr and return 1 (for `return cli_error(...)`). */
int cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
