# kvm-coco: `make` builds the library, the CLI and pkg-config file; `make check` runs every test
# twice (plain, then with ASan + UBSan), upstream's KVM selftests under the preload shim, the
# threaded tests under TSan, then the selftests against kvm_coco.ko in a kernel;
# `make bench` prints the benchmark figures; `make run` runs the demo.  See README.md.

CC	?= gcc
BUILD	?= build
SAN	?=
Q	:= $(if $(V),,@)

CFLAGS_BASE := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	       -Wno-sign-compare -Wno-missing-field-initializers -fno-strict-aliasing -fPIC \
	       -D_GNU_SOURCE
ifneq ($(SAN),)
CFLAGS_BASE += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS_SAN := -fsanitize=address,undefined
# A preloaded, sanitized library needs the sanitizers' runtimes loaded before it.
PRELOAD_FIRST := $(shell $(CC) -print-file-name=libasan.so):$(shell \
		   $(CC) -print-file-name=libubsan.so):
endif
# make check's third build: ThreadSanitizer, for the tests whose threads race on purpose.
ifneq ($(TSAN),)
CFLAGS_BASE += -fsanitize=thread -fno-omit-frame-pointer
LDFLAGS_SAN := -fsanitize=thread
endif
# make fuzz: everything with libFuzzer's coverage (clang).
ifneq ($(FUZZ),)
CFLAGS_BASE += -fsanitize=fuzzer-no-link
endif

# Core (virt/, arch/) and the library host (host/user/) see the kernel-API shim first.
CORE_CFLAGS := $(CFLAGS_BASE) -Ihost/user/include -Iinclude -Iarch/x86/include -Iinclude/uapi
# Unicorn 2.1 (the TCG engine, library host only): Debian 13's, unpacked into a cache.
UNICORN	    := $(shell scripts/unicorn.sh)
ifeq ($(UNICORN),)
$(error scripts/unicorn.sh could not fetch Unicorn 2.1)
endif
UC_LIBDIR   := $(UNICORN)/usr/lib/x86_64-linux-gnu
CORE_SRCS   := $(wildcard virt/kvm/*.c arch/x86/kvm/*.c arch/x86/kvm/svm/*.c arch/x86/kvm/vmx/*.c \
		 arch/x86/kvm/mmu/*.c arch/x86/kvm/exec/*.c \
		 arch/x86/virt/svm/*.c arch/x86/virt/vmx/tdx/*.c drivers/crypto/ccp/*.c)
HOST_SRCS   := $(wildcard host/user/*.c)
# lib/: the front door (the library's system calls as functions), the launch-digest
# calculators and the tests' inspection hooks, over the library host.
FRONT_SRCS  := lib/front_door.c lib/inspect.c lib/measure.c lib/snp_certs.c
# The TCG engine's files are the library host's only ones that see Unicorn's headers.
TCG_OBJS    := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard host/user/tcg*.c))
$(TCG_OBJS): CORE_CFLAGS += -isystem $(UNICORN)/usr/include
LIB_OBJS    := $(patsubst %.c,$(BUILD)/obj/%.o,$(CORE_SRCS) $(HOST_SRCS) $(FRONT_SRCS))
LIBS	    := -lpthread -lcrypto -L$(UC_LIBDIR) -lunicorn -Wl,-rpath,$(UC_LIBDIR)
# Static links (the module-check binaries) take Unicorn's archive.
STATIC_LIBS := -lpthread -lcrypto $(UC_LIBDIR)/libunicorn.a -lm

# Clients (CLI, selftests) see only the uapi and the front door, as a VMM would.
CLIENT_CFLAGS := $(CFLAGS_BASE) -Iinclude/uapi -Iinclude -Itools/testing/selftests/kvm/include \
		 -DKVM_COCO_SCRIPTS='"$(CURDIR)/scripts"'
SELFTEST_LIB  := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard tools/testing/selftests/kvm/lib/*.c))
SELFTESTS     := $(patsubst tools/testing/selftests/kvm/%.c,$(BUILD)/selftests/%, \
		   $(wildcard tools/testing/selftests/kvm/*_test.c))
# Unit tests compile against the core's headers (like tools/testing/radix-tree).
UNITTESTS     := $(patsubst tools/testing/kvm-coco/%.c,$(BUILD)/unit/%, \
		   $(wildcard tools/testing/kvm-coco/*_test.c))
CLI_SRCS      := $(wildcard tools/kvm-coco/*.c)
CLI_OBJS      := $(patsubst %.c,$(BUILD)/obj/%.o,$(CLI_SRCS)) $(BUILD)/obj/guest/snp_attest.o

# The CLI's attestation guest (tools/kvm-coco/guest/): freestanding code linked at a fixed
# guest address by guest.lds, carried in the CLI as a flat image (snp_attest_guest[]), so its
# launch digest is the same on every run of a build.  Never sanitized: it runs in the guest.
GUEST_DIR     := tools/kvm-coco/guest
GUEST_CFLAGS  := -std=gnu11 -O2 -Wall -Wextra -Werror -ffreestanding -fno-builtin -fno-pic \
		 -fno-pie -no-pie -fno-stack-protector -mno-red-zone -mgeneral-regs-only \
		 -fno-asynchronous-unwind-tables -fcf-protection=none -nostdlib -static \
		 -Wl,--build-id=none -Wl,--no-warn-rwx-segments -Wl,-T,$(GUEST_DIR)/guest.lds

all: deps $(BUILD)/libkvm-coco.a $(BUILD)/libkvm-coco.so $(BUILD)/kvm-coco $(BUILD)/kvm-coco.pc \
     $(BUILD)/libkvm-coco-preload.so

deps:
	$(Q)scripts/deps.sh

$(BUILD)/obj/virt/%.o $(BUILD)/obj/arch/%.o $(BUILD)/obj/drivers/%.o \
$(BUILD)/obj/host/%.o $(BUILD)/obj/lib/%.o: CFLAGS_OBJ = $(CORE_CFLAGS)
# The preload shim is a client of the front door.
$(BUILD)/obj/lib/preload.o: CFLAGS_OBJ = $(CFLAGS_BASE) -Iinclude/uapi -Iinclude
$(BUILD)/obj/tools/%.o: CFLAGS_OBJ = $(CLIENT_CFLAGS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_OBJ) -MMD -MP -c $< -o $@

$(BUILD)/libkvm-coco.a: $(LIB_OBJS)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/libkvm-coco.so: $(LIB_OBJS)
	$(Q)$(CC) -shared $(LDFLAGS_SAN) -o $@ $^ $(LIBS)

# LD_PRELOAD it to run an unmodified program against the library (lib/preload.c).
$(BUILD)/libkvm-coco-preload.so: $(LIB_OBJS) $(BUILD)/obj/lib/preload.o
	$(Q)$(CC) -shared $(LDFLAGS_SAN) -o $@ $^ $(LIBS) -ldl

$(BUILD)/kvm-coco.pc: scripts/kvm-coco.pc.in
	$(Q)sed -e 's|@ROOT@|$(CURDIR)|; s|@LIBDIR@|$(abspath $(BUILD))|' $< > $@

$(BUILD)/kvm-coco: $(CLI_OBJS) $(BUILD)/libkvm-coco.a
	$(Q)$(CC) $(LDFLAGS_SAN) -o $@ $^ $(LIBS)

$(BUILD)/guest/snp_attest.bin: $(wildcard $(GUEST_DIR)/*.c $(GUEST_DIR)/*.h) $(GUEST_DIR)/guest.lds
	@mkdir -p $(dir $@)
	$(Q)gcc $(GUEST_CFLAGS) -o $(@:.bin=.elf) $(wildcard $(GUEST_DIR)/*.c)
	$(Q)objcopy -O binary $(@:.bin=.elf) $@

$(BUILD)/obj/guest/snp_attest.o: $(BUILD)/guest/snp_attest.bin
	@mkdir -p $(dir $@)
	$(Q)printf '%s\n' '.section .rodata' '.balign 4096' '.globl snp_attest_guest' \
		'snp_attest_guest:' '.incbin "$<"' '.globl snp_attest_guest_end' \
		'snp_attest_guest_end:' '.section .note.GNU-stack,"",@progbits' | \
		$(CC) -c -x assembler -o $@ -

$(BUILD)/selftests/%: $(BUILD)/obj/tools/testing/selftests/kvm/%.o $(SELFTEST_LIB) \
		      $(BUILD)/libkvm-coco.a
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(LDFLAGS_SAN) -o $@ $^ $(LIBS)

UNIT_DEPS := $(BUILD)/obj/tools/testing/selftests/kvm/lib/test_util.o $(BUILD)/libkvm-coco.a
$(BUILD)/unit/%: tools/testing/kvm-coco/%.c $(UNIT_DEPS)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CORE_CFLAGS) -Ihost/user -Itools/testing/selftests/kvm/include -MMD -MP \
		-DVECTOR_DIR='"$(CURDIR)/tools/testing/kvm-coco/vectors"' \
		-DKVM_COCO_CLI='"$(abspath $(BUILD))/kvm-coco"' \
		-DKVM_COCO_SCRIPTS='"$(CURDIR)/scripts"' \
		$(LDFLAGS_SAN) -o $@ $< $(UNIT_DEPS) $(LIBS)

# The fuzz target (tools/testing/fuzz/): make check replays its corpus (a build of its own
# with a main that reads the files); make fuzz fuzzes it with clang's libFuzzer for FUZZ_TIME
# seconds, new inputs into build/libfuzzer/corpus, findings into build/libfuzzer/.
FUZZ_CORPUS := tools/testing/fuzz/corpus
FUZZ_TIME   ?= 600
FUZZ_OBJS   := $(BUILD)/obj/tools/testing/fuzz/kvm_coco_fuzz.o $(BUILD)/libkvm-coco.a

$(BUILD)/fuzz/replay: $(BUILD)/obj/tools/testing/fuzz/replay.o $(FUZZ_OBJS)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(LDFLAGS_SAN) -o $@ $^ $(LIBS)

$(BUILD)/fuzz/kvm_coco_fuzz: $(FUZZ_OBJS)
	@mkdir -p $(dir $@)
	$(Q)$(CC) -fsanitize=fuzzer $(LDFLAGS_SAN) -o $@ $^ $(LIBS)

fuzz: deps
	$(Q)$(MAKE) --no-print-directory BUILD=build/libfuzzer CC=clang SAN=1 FUZZ=1 \
		build/libfuzzer/fuzz/kvm_coco_fuzz
	@mkdir -p build/libfuzzer/corpus
	$(Q)build/libfuzzer/fuzz/kvm_coco_fuzz -max_total_time=$(FUZZ_TIME) \
		-artifact_prefix=build/libfuzzer/ -print_final_stats=1 \
		build/libfuzzer/corpus $(FUZZ_CORPUS)

# A program that knows only /dev/kvm, run under the preload shim (tools/testing/preload/).
$(BUILD)/preload-test: tools/testing/preload/preload_test.c
	$(Q)$(CC) $(CFLAGS_BASE) -Iinclude/uapi $(LDFLAGS_SAN) -o $@ $<

tests: all $(UNITTESTS) $(SELFTESTS) $(BUILD)/fuzz/replay $(BUILD)/preload-test

# One pass of every test; TAP on stdout, a summary line, non-zero on any failure.
test: tests
	$(Q)scripts/run-tests.sh "$(BUILD)" $(UNITTESTS) $(SELFTESTS) \
		"scripts/test-pkgconfig.sh $(BUILD) $(LDFLAGS_SAN)" \
		"$(BUILD)/fuzz/replay $(FUZZ_CORPUS)" \
		"env LD_PRELOAD=$(PRELOAD_FIRST)$(abspath $(BUILD))/libkvm-coco-preload.so \
		     $(BUILD)/preload-test"

# The tests whose threads race on purpose (punches against launches and faults, conversions
# against faults, descriptors closed under ioctls, signals, the TCG engine's vCPU threads).
TSAN_TESTS := $(addprefix $(BUILD)/selftests/,front_door_test private_fault_test \
		private_mem_conversions_test sev_snp_launch_test signal_mask_test \
		tdx_launch_test tcg_guest_test) $(BUILD)/unit/sync_test

tsan-test: all $(TSAN_TESTS)
	$(Q)TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
		scripts/run-tests.sh "$(BUILD)" $(TSAN_TESTS)

# Upstream 6.12's KVM selftests, unmodified, under the preload shim (scripts/upstream-selftests.sh
# fetches Debian's linux-source-6.12 and builds them once, into a cache).
# The ABI check: every number, size and offset of include/uapi against 6.12's uapi headers; then
# all of 6.12's generic and x86 selftest sources compiled against our headers (pkg-config).
upstream-test: all
	$(Q)scripts/abi-check.py "$$(scripts/upstream-selftests.sh headers)" $(BUILD)/abi
	$(Q)scripts/upstream-selftests.sh compile $(abspath $(BUILD)) > $(BUILD)/compile.tap || \
		{ grep -v '^ok' $(BUILD)/compile.tap; exit 1; }
	$(Q)tail -1 $(BUILD)/compile.tap
	$(Q)scripts/upstream-selftests.sh run $(abspath $(BUILD))/libkvm-coco-preload.so

check: deps
	$(Q)scripts/check-style.sh
	$(Q)$(MAKE) --no-print-directory test
	$(Q)$(MAKE) --no-print-directory upstream-test
	$(Q)$(MAKE) --no-print-directory BUILD=build/san SAN=1 test
	$(Q)$(MAKE) --no-print-directory BUILD=build/tsan TSAN=1 tsan-test
	$(Q)$(MAKE) --no-print-directory module-check

# The kernel host: the core and host/kernel/ as kvm_coco.ko, W=1, against Debian's 6.12 headers
# (scripts/kernel-headers.sh fetches them; scripts/build-module.sh checks the result).
module: deps
	$(Q)scripts/build-module.sh build/module

# The selftests against kvm_coco.ko inside Debian's 6.12 kernel under QEMU/TCG
# (scripts/module-test.sh).  Static binaries over the system-call front door; the library is
# linked only for what the tests compute without a VM (the expected launch digests), so its
# front door is overridden by the one listed first.
MODULE_TESTS := $(patsubst $(BUILD)/selftests/%,$(BUILD)/module-tests/%,$(SELFTESTS))

$(BUILD)/module-tests/%: $(BUILD)/obj/tools/testing/kvm-coco/module/front_door_dev.o \
			 $(BUILD)/obj/tools/testing/selftests/kvm/%.o $(SELFTEST_LIB) \
			 $(BUILD)/libkvm-coco.a
	@mkdir -p $(dir $@)
	$(Q)$(CC) -static -Wl,--allow-multiple-definition -o $@ $^ $(STATIC_LIBS) 2>&1 | \
		grep -v -e "statically linked applications requires" -e "in function" || true
	@test -x $@

# The CLI the same way: its demo (make run) then runs against the module too.
$(BUILD)/module-cli/kvm-coco: $(BUILD)/obj/tools/testing/kvm-coco/module/front_door_dev.o \
			      $(CLI_OBJS) $(BUILD)/libkvm-coco.a
	@mkdir -p $(dir $@)
	$(Q)$(CC) -static -Wl,--allow-multiple-definition -o $@ $^ $(STATIC_LIBS) 2>&1 | \
		grep -v -e "statically linked applications requires" -e "in function" || true
	@test -x $@

module-check: module $(MODULE_TESTS) $(BUILD)/module-cli/kvm-coco
	$(Q)UPSTREAM_TESTS="$$(scripts/upstream-selftests.sh static)" \
		scripts/module-test.sh build/module/kvm_coco.ko $(BUILD)/module-cli/kvm-coco \
		$(MODULE_TESTS)

# The guest-code figures: a client of the front door and the selftests' guest library.
$(BUILD)/bench-guest: $(BUILD)/obj/tools/testing/kvm-coco/bench_guest.o $(SELFTEST_LIB) \
		      $(BUILD)/libkvm-coco.a
	$(Q)$(CC) $(LDFLAGS_SAN) -o $@ $^ $(LIBS)

bench: all $(BUILD)/unit/bench $(BUILD)/bench-guest
	$(Q)$(BUILD)/unit/bench
	$(Q)$(BUILD)/bench-guest

run: all
	$(Q)$(BUILD)/kvm-coco demo

clean:
	rm -rf build

.SECONDARY:
.PHONY: all deps tests test upstream-test tsan-test check bench run clean module module-check fuzz
-include $(shell find $(BUILD)/obj $(BUILD)/unit -name '*.d' 2>/dev/null)
