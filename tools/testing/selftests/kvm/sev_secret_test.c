// SPDX-License-Identifier: GPL-2.0
/*
 * An SEV guest owner's side, done here with OpenSSL alone: export the platform's certificates
 * (SEV_PDH_CERT_EXPORT) and check their signatures; start a launch with the owner's DH
 * certificate and a session carrying the owner's TEK and TIK; check the launch measurement
 * with the TIK; send a secret with LAUNCH_SECRET and find it in guest memory.  Then what the
 * firmware and KVM refuse: bad certificates and sessions, tampered packets, wrong lengths,
 * addresses and states, each with nothing left behind.
 */
#include <errno.h>
#include <sys/mman.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <linux/psp-sev.h>

#include "sev.h"
#include "kvm-coco-test.h"

#define PAGE		PAGE_SIZE
#define CERT		0x824
#define SIGNED		0x414
#define FIELD		72
#define SIG1		0x414
#define SIG2		0x61c
#define USAGE_OCA	0x1001
#define USAGE_PEK	0x1002
#define USAGE_PDH	0x1003
#define USAGE_CEK	0x1004
#define USAGE_INVALID	0x1000
#define ALGO_ECDSA	0x2
#define ALGO_ECDH	0x3
#define STATE_LSECRET	2

/* The SEV API's session and packet header, restated from the owner's side. */
struct session {
	uint8_t nonce[16];
	uint8_t wrap_tk[32];
	uint8_t wrap_iv[16];
	uint8_t wrap_mac[32];
	uint8_t policy_mac[32];
} __attribute__((packed));

struct secret_hdr {
	uint32_t flags;
	uint8_t iv[16];
	uint8_t mac[32];
} __attribute__((packed));

struct owner {
	EVP_PKEY *key;
	uint8_t cert[CERT];
	struct session session;
	uint8_t tek[16], tik[16];
};

struct sev_vm {
	int sev, vm;
};

static uint8_t pdh[CERT], chain[3 * CERT];
static uint8_t guest[2 * PAGE] __attribute__((aligned(4096)));

static int sev_issue(int sev, uint32_t cmd, void *data, uint32_t *error)
{
	struct sev_issue_cmd arg = { .cmd = cmd, .data = (uintptr_t)data };
	int r = kvm_coco_ioctl(sev, SEV_ISSUE_CMD, &arg);

	if (error)
		*error = arg.error;
	return r;
}

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* A certificate's little-endian field to a big-endian number, and back. */
static void field_to_be(uint8_t *be, const uint8_t *field)
{
	int i;

	for (i = 0; i < 48; i++)
		be[i] = field[47 - i];
}

static void be_to_field(uint8_t *field, const uint8_t *be)
{
	int i;

	memset(field, 0, FIELD);
	for (i = 0; i < 48; i++)
		field[i] = be[47 - i];
}

/* The P-384 public key of a certificate, as OpenSSL's key. */
static EVP_PKEY *cert_key(const uint8_t *cert)
{
	uint8_t point[1 + 96];
	OSSL_PARAM_BLD *b = OSSL_PARAM_BLD_new();
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	EVP_PKEY *key = NULL;
	OSSL_PARAM *params;

	TEST_ASSERT_EQ(le32(cert + 0x10), 2);		/* P-384 */
	point[0] = 4;
	field_to_be(point + 1, cert + 0x14);
	field_to_be(point + 49, cert + 0x14 + FIELD);
	TEST_ASSERT(b && ctx && OSSL_PARAM_BLD_push_utf8_string(b, OSSL_PKEY_PARAM_GROUP_NAME,
								"secp384r1", 0) &&
		    OSSL_PARAM_BLD_push_octet_string(b, OSSL_PKEY_PARAM_PUB_KEY, point,
						     sizeof(point)), "OpenSSL params");
	params = OSSL_PARAM_BLD_to_param(b);
	TEST_ASSERT(params && EVP_PKEY_fromdata_init(ctx) > 0 &&
		    EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) > 0,
		    "the certificate's key is not a P-384 point");
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(b);
	EVP_PKEY_CTX_free(ctx);
	return key;
}

/* Does @signer's ECDSA-SHA256 signature in slot @off of @cert verify? */
static bool cert_verifies(const uint8_t *cert, unsigned int off, const uint8_t *signer)
{
	uint8_t r[48], s[48], der[128], *p = der;
	EVP_PKEY *key = cert_key(signer);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	ECDSA_SIG *sig = ECDSA_SIG_new();
	int len, ok;

	TEST_ASSERT_EQ(le32(cert + off + 4), ALGO_ECDSA);
	field_to_be(r, cert + off + 8);
	field_to_be(s, cert + off + 8 + FIELD);
	ECDSA_SIG_set0(sig, BN_bin2bn(r, 48, NULL), BN_bin2bn(s, 48, NULL));
	len = i2d_ECDSA_SIG(sig, &p);
	TEST_ASSERT(len > 0 && md && EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, key) > 0,
		    "OpenSSL verify");
	ok = EVP_DigestVerify(md, der, len, cert, SIGNED) == 1;
	ECDSA_SIG_free(sig);
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(key);
	return ok;
}

static void export_certs(void)
{
	struct sev_user_data_pdh_cert_export e = {
		.pdh_cert_address = (uintptr_t)pdh, .pdh_cert_len = sizeof(pdh),
		.cert_chain_address = (uintptr_t)chain, .cert_chain_len = sizeof(chain),
	};
	int sev = kvm_coco_open_sev();
	uint32_t error = 0;

	TEST_ASSERT(!sev_issue(sev, SEV_PDH_CERT_EXPORT, &e, &error), "PDH_CERT_EXPORT: %s (%#x)",
		    strerror(errno), error);
	TEST_ASSERT(e.pdh_cert_len == CERT && e.cert_chain_len == 3 * CERT, "lengths %u %u",
		    e.pdh_cert_len, e.cert_chain_len);
	kvm_close(sev);
}

/* The exported certificates: usages, algorithms, and every signature checked by OpenSSL. */
static void test_pdh_export(void)
{
	struct sev_user_data_pdh_cert_export e = {};
	const uint8_t *pek = chain, *oca = chain + CERT, *cek = chain + 2 * CERT;
	uint8_t again[CERT];
	int sev = kvm_coco_open_sev();
	uint32_t error = 0;

	/* The length query: INVALID_LEN and the lengths. */
	TEST_ASSERT_ERRNO(sev_issue(sev, SEV_PDH_CERT_EXPORT, &e, &error), EIO);
	TEST_ASSERT_EQ(error, SEV_RET_INVALID_LEN);
	TEST_ASSERT(e.pdh_cert_len == CERT && e.cert_chain_len == 3 * CERT, "query lengths");
	e.pdh_cert_address = (uintptr_t)pdh;
	e.cert_chain_address = (uintptr_t)chain;
	e.cert_chain_len = 3 * CERT - 1;		/* too small */
	TEST_ASSERT_ERRNO(sev_issue(sev, SEV_PDH_CERT_EXPORT, &e, &error), EIO);
	TEST_ASSERT_EQ(error, SEV_RET_INVALID_LEN);
	TEST_ASSERT_EQ(e.cert_chain_len, 3 * CERT);
	e.pdh_cert_len = 0x4001;			/* more than a blob */
	TEST_ASSERT_ERRNO(sev_issue(sev, SEV_PDH_CERT_EXPORT, &e, NULL), EFAULT);
	TEST_ASSERT_ERRNO(sev_issue(sev, SEV_PDH_CERT_EXPORT, NULL, NULL), EFAULT);
	kvm_close(sev);

	export_certs();
	TEST_ASSERT(le32(pdh) == 1 && le32(pdh + 8) == USAGE_PDH && le32(pdh + 12) == ALGO_ECDH,
		    "PDH certificate header");
	TEST_ASSERT(le32(pek + 8) == USAGE_PEK && le32(oca + 8) == USAGE_OCA &&
		    le32(cek + 8) == USAGE_CEK, "chain order PEK, OCA, CEK");
	TEST_ASSERT(le32(pdh + SIG1) == USAGE_PEK && cert_verifies(pdh, SIG1, pek),
		    "the PEK's signature of the PDH");
	TEST_ASSERT(le32(pek + SIG1) == USAGE_OCA && cert_verifies(pek, SIG1, oca),
		    "the OCA's signature of the PEK");
	TEST_ASSERT(le32(pek + SIG2) == USAGE_CEK && cert_verifies(pek, SIG2, cek),
		    "the CEK's signature of the PEK");
	TEST_ASSERT(cert_verifies(oca, SIG1, oca), "the OCA's own signature");
	TEST_ASSERT_EQ(le32(pdh + SIG2), USAGE_INVALID);
	/* Tampered: the PEK's signature no longer holds. */
	memcpy(again, pdh, CERT);
	again[0x20] ^= 1;
	TEST_ASSERT(!cert_verifies(again, SIG1, pek), "a tampered PDH certificate verified");
	/* The platform's keys stay: a second export, the same PDH key. */
	memcpy(again, pdh, CERT);
	export_certs();
	TEST_ASSERT(!memcmp(again + 0x10, pdh + 0x10, 4 + 2 * FIELD), "the PDH changed");
}

/* NIST SP 800-108 counter mode, HMAC-SHA-256, one 128-bit block. */
static void kdf(const uint8_t *key, int klen, const char *label, const uint8_t *ctx, int clen,
		uint8_t out[16])
{
	uint8_t msg[128], mac[32];
	unsigned int n = 0, maclen;
	uint32_t one = 1, bits = 128;

	memcpy(msg, &one, 4);
	n = 4;
	memcpy(msg + n, label, strlen(label));
	n += strlen(label);
	msg[n++] = 0;
	if (clen)
		memcpy(msg + n, ctx, clen);
	n += clen;
	memcpy(msg + n, &bits, 4);
	n += 4;
	HMAC(EVP_sha256(), key, klen, msg, n, mac, &maclen);
	memcpy(out, mac, 16);
}

static void aes_ctr(const uint8_t *key, const uint8_t *iv, const void *in, void *out, int len)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int n = 0;

	TEST_ASSERT(c && EVP_EncryptInit_ex(c, EVP_aes_128_ctr(), NULL, key, iv) &&
		    EVP_EncryptUpdate(c, out, &n, in, len) && n == len, "AES-128-CTR");
	EVP_CIPHER_CTX_free(c);
}

static void hmac(const uint8_t *key, const void *msg, size_t len, uint8_t out[32])
{
	unsigned int n = 0;

	HMAC(EVP_sha256(), key, 16, msg, len, out, &n);
	TEST_ASSERT_EQ(n, 32);
}

/* The owner's DH key and certificate, and a session for @policy to the exported PDH. */
static void owner_init(struct owner *o, uint32_t policy)
{
	uint8_t x[48], y[48], z[48], master[16], kek[16], kik[16], tk[32];
	BIGNUM *bx = NULL, *by = NULL;
	EVP_PKEY *pdh_key = cert_key(pdh);
	EVP_PKEY_CTX *ctx;
	size_t zlen = sizeof(z);

	o->key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
	TEST_ASSERT(o->key && EVP_PKEY_get_bn_param(o->key, OSSL_PKEY_PARAM_EC_PUB_X, &bx) &&
		    EVP_PKEY_get_bn_param(o->key, OSSL_PKEY_PARAM_EC_PUB_Y, &by), "owner key");
	BN_bn2binpad(bx, x, 48);
	BN_bn2binpad(by, y, 48);
	memset(o->cert, 0, CERT);
	o->cert[0] = 1;					/* version */
	memcpy(o->cert + 8, &(uint32_t){ USAGE_PDH }, 4);
	memcpy(o->cert + 12, &(uint32_t){ ALGO_ECDH }, 4);
	o->cert[0x10] = 2;				/* P-384 */
	be_to_field(o->cert + 0x14, x);
	be_to_field(o->cert + 0x14 + FIELD, y);
	memcpy(o->cert + SIG1, &(uint32_t){ USAGE_INVALID }, 4);
	memcpy(o->cert + SIG2, &(uint32_t){ USAGE_INVALID }, 4);

	ctx = EVP_PKEY_CTX_new(o->key, NULL);
	TEST_ASSERT(ctx && EVP_PKEY_derive_init(ctx) > 0 &&
		    EVP_PKEY_derive_set_peer(ctx, pdh_key) > 0 &&
		    EVP_PKEY_derive(ctx, z, &zlen) > 0 && zlen == 48, "ECDH with the PDH");
	RAND_bytes(o->session.nonce, 16);
	kdf(z, 48, "sev-master-secret", o->session.nonce, 16, master);
	kdf(master, 16, "sev-kek", NULL, 0, kek);
	kdf(master, 16, "sev-kik", NULL, 0, kik);
	RAND_bytes(o->tek, 16);
	RAND_bytes(o->tik, 16);
	memcpy(tk, o->tek, 16);
	memcpy(tk + 16, o->tik, 16);
	RAND_bytes(o->session.wrap_iv, 16);
	aes_ctr(kek, o->session.wrap_iv, tk, o->session.wrap_tk, 32);
	hmac(kik, o->session.wrap_tk, 32, o->session.wrap_mac);
	hmac(o->tik, &policy, 4, o->session.policy_mac);
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(pdh_key);
	BN_free(bx);
	BN_free(by);
}

static void owner_free(struct owner *o)
{
	EVP_PKEY_free(o->key);
}

static void sev_vm_create(struct sev_vm *v)
{
	struct kvm_sev_init init = {};

	v->sev = kvm_coco_open_sev();
	v->vm = vm_create(KVM_X86_SEV_VM);
	TEST_ASSERT(v->sev >= 0 && !__snp_cmd(v->vm, v->sev, KVM_SEV_INIT2, &init, NULL),
		    "SEV VM: %s", strerror(errno));
}

static void sev_vm_destroy(struct sev_vm *v)
{
	kvm_close(v->vm);
	kvm_close(v->sev);
}

static int cmd(struct sev_vm *v, uint32_t id, void *p, uint32_t *error)
{
	return __snp_cmd(v->vm, v->sev, id, p, error);
}

static int start(struct sev_vm *v, struct owner *o, uint32_t policy, uint32_t *error)
{
	struct kvm_sev_launch_start s = {
		.policy = policy,
		.dh_uaddr = (uintptr_t)o->cert, .dh_len = CERT,
		.session_uaddr = (uintptr_t)&o->session, .session_len = sizeof(o->session),
	};

	return cmd(v, KVM_SEV_LAUNCH_START, &s, error);
}

/* A launch of one page to LSECRET; the measurement checked with the owner's TIK. */
static void launch_measured(struct sev_vm *v, struct owner *o, uint32_t policy,
			    uint8_t measurement[32])
{
	struct kvm_sev_launch_update_data u = { .uaddr = (uintptr_t)guest, .len = PAGE };
	uint8_t blob[48], msg[4 + 4 + 32 + 16], mac[32];
	struct kvm_sev_launch_measure m = { .uaddr = (uintptr_t)blob, .len = sizeof(blob) };
	uint32_t error = 0;

	memset(guest, 0x5a, sizeof(guest));
	TEST_ASSERT(!start(v, o, policy, &error), "LAUNCH_START with a session: %s (%#x)",
		    strerror(errno), error);
	TEST_ASSERT(!cmd(v, KVM_SEV_LAUNCH_UPDATE_DATA, &u, NULL), "UPDATE_DATA");
	TEST_ASSERT(!cmd(v, KVM_SEV_LAUNCH_MEASURE, &m, NULL), "MEASURE: %s", strerror(errno));
	msg[0] = 0x04;
	msg[1] = 1;					/* API 1.55, build 21 */
	msg[2] = 55;
	msg[3] = 21;
	memcpy(msg + 4, &policy, 4);
	SHA256(guest, PAGE, msg + 8);
	memcpy(msg + 40, blob + 32, 16);
	hmac(o->tik, msg, sizeof(msg), mac);
	TEST_ASSERT(!memcmp(mac, blob, 32), "the measurement is not under the owner's TIK");
	memcpy(measurement, blob, 32);
}

/* A LAUNCH_SECRET packet for @secret: header with MAC, and the ciphertext in @trans. */
static void package(const struct owner *o, const uint8_t measurement[32], const void *secret,
		    uint32_t len, struct secret_hdr *hdr, uint8_t *trans)
{
	uint8_t msg[1 + 4 + 16 + 4 + 4 + 256 + 32], *p = msg;

	TEST_ASSERT(len <= 256, "secret too long for the test");
	memset(hdr, 0, sizeof(*hdr));
	RAND_bytes(hdr->iv, 16);
	aes_ctr(o->tek, hdr->iv, secret, trans, len);
	*p++ = 0x01;
	memcpy(p, &hdr->flags, 4);
	p += 4;
	memcpy(p, hdr->iv, 16);
	p += 16;
	memcpy(p, &len, 4);
	p += 4;
	memcpy(p, &len, 4);
	p += 4;
	memcpy(p, trans, len);
	p += len;
	memcpy(p, measurement, 32);
	p += 32;
	hmac(o->tik, msg, p - msg, hdr->mac);
}

static int send_secret(struct sev_vm *v, struct secret_hdr *hdr, uint32_t hdr_len,
		       void *where, uint32_t guest_len, void *trans, uint32_t trans_len,
		       uint32_t *error)
{
	struct kvm_sev_launch_secret s = {
		.hdr_uaddr = (uintptr_t)hdr, .hdr_len = hdr_len,
		.guest_uaddr = (uintptr_t)where, .guest_len = guest_len,
		.trans_uaddr = (uintptr_t)trans, .trans_len = trans_len,
	};

	return cmd(v, KVM_SEV_LAUNCH_SECRET, &s, error);
}

static uint32_t guest_state(struct sev_vm *v)
{
	struct kvm_sev_guest_status s = {};

	TEST_ASSERT(!cmd(v, KVM_SEV_GUEST_STATUS, &s, NULL), "GUEST_STATUS");
	return s.state;
}

static const char the_secret[] = "disk key: 0123456789abcdef0123456789abcdef (48 bytes)";

static void test_secret_flow(void)
{
	uint8_t measurement[32], trans[256], before[sizeof(guest)];
	uint32_t len = sizeof(the_secret), policy = 1, error = 0;
	uint8_t *where = guest + PAGE - 32;		/* across the page boundary */
	struct host_counters base;
	struct secret_hdr hdr;
	struct sev_vm v;
	struct owner o;

	export_certs();
	kvm_close(kvm_open());
	host_get_counters(&base);
	owner_init(&o, policy);
	sev_vm_create(&v);
	launch_measured(&v, &o, policy, measurement);
	package(&o, measurement, the_secret, len, &hdr, trans);
	memcpy(before, guest, sizeof(guest));
	TEST_ASSERT(!send_secret(&v, &hdr, sizeof(hdr), where, len, trans, len, &error),
		    "LAUNCH_SECRET: %s (%#x)", strerror(errno), error);
	TEST_ASSERT(!memcmp(where, the_secret, len), "the secret is not in guest memory");
	TEST_ASSERT(!memcmp(guest, before, where - guest) &&
		    !memcmp(where + len, before + (where - guest) + len,
			    sizeof(guest) - (where - guest) - len), "memory around it changed");
	TEST_ASSERT_EQ(guest_state(&v), STATE_LSECRET);
	/* A second packet (another IV) is fine too, before LAUNCH_FINISH. */
	package(&o, measurement, "second", 7, &hdr, trans);
	TEST_ASSERT(!send_secret(&v, &hdr, sizeof(hdr), guest + 16, 7, trans, 7, &error),
		    "second LAUNCH_SECRET (%#x)", error);
	TEST_ASSERT(!memcmp(guest + 16, "second", 7), "the second secret");
	TEST_ASSERT(!cmd(&v, KVM_SEV_LAUNCH_FINISH, NULL, NULL), "FINISH");
	/* After LAUNCH_FINISH: KVM's own refusal. */
	TEST_ASSERT_ERRNO(send_secret(&v, &hdr, sizeof(hdr), guest + 16, 7, trans, 7, NULL),
			  EINVAL);
	sev_vm_destroy(&v);
	owner_free(&o);
	INSPECT(assert_nothing_leaked(&base));
}

/* @error is read after the call: the status it left. */
static void expect_fw(int r, const uint32_t *error, uint32_t want)
{
	TEST_ASSERT(r && errno == EIO, "expected the firmware's %#x, got %d (%s)", want, r,
		    strerror(errno));
	TEST_ASSERT_EQ(*error, want);
}

static void test_secret_refused(void)
{
	uint8_t measurement[32], trans[256], before[sizeof(guest)];
	uint32_t len = sizeof(the_secret), error = 0;
	struct host_counters base;
	struct secret_hdr hdr, bad;
	struct sev_vm v;
	struct owner o;
	void *gone;

	export_certs();
	kvm_close(kvm_open());
	host_get_counters(&base);
	owner_init(&o, 0);
	sev_vm_create(&v);
	/* Before LAUNCH_START: KVM; before LAUNCH_MEASURE: the firmware's state rule. */
	TEST_ASSERT_ERRNO(send_secret(&v, &hdr, sizeof(hdr), guest, len, trans, len, NULL),
			  EINVAL);
	TEST_ASSERT(!start(&v, &o, 0, &error), "LAUNCH_START (%#x)", error);
	TEST_ASSERT_ERRNO(cmd(&v, KVM_SEV_LAUNCH_START, NULL, NULL), EINVAL);
	package(&o, measurement, the_secret, len, &hdr, trans);
	expect_fw(send_secret(&v, &hdr, sizeof(hdr), guest, len, trans, len, &error), &error,
		  SEV_RET_INVALID_GUEST_STATE);
	sev_vm_destroy(&v);

	sev_vm_create(&v);
	launch_measured(&v, &o, 0, measurement);
	package(&o, measurement, the_secret, len, &hdr, trans);
	memcpy(before, guest, sizeof(guest));
	/* The packet tampered with: the MAC does not hold. */
	trans[3] ^= 1;
	expect_fw(send_secret(&v, &hdr, sizeof(hdr), guest, len, trans, len, &error), &error,
		  SEV_RET_BAD_MEASUREMENT);
	trans[3] ^= 1;
	bad = hdr;
	bad.iv[0] ^= 1;
	expect_fw(send_secret(&v, &bad, sizeof(bad), guest, len, trans, len, &error), &error,
		  SEV_RET_BAD_MEASUREMENT);
	bad = hdr;
	bad.flags = 1;					/* COMPRESSED */
	expect_fw(send_secret(&v, &bad, sizeof(bad), guest, len, trans, len, &error), &error,
		  SEV_RET_INVALID_PARAM);
	/* Lengths and the address. */
	expect_fw(send_secret(&v, &hdr, sizeof(hdr) - 1, guest, len, trans, len, &error), &error,
		  SEV_RET_INVALID_LEN);
	expect_fw(send_secret(&v, &hdr, sizeof(hdr), guest, len - 1, trans, len, &error), &error,
		  SEV_RET_INVALID_LEN);
	expect_fw(send_secret(&v, &hdr, sizeof(hdr), guest + 8, len, trans, len, &error), &error,
		  SEV_RET_INVALID_ADDRESS);
	TEST_ASSERT_ERRNO(send_secret(&v, &hdr, sizeof(hdr), guest, 0, trans, len, NULL), EINVAL);
	TEST_ASSERT_ERRNO(send_secret(&v, &hdr, sizeof(hdr), guest, 0x4001, trans, len, NULL),
			  EINVAL);
	TEST_ASSERT_ERRNO(send_secret(&v, &hdr, sizeof(hdr), guest, len, trans, 0x4001, NULL),
			  EINVAL);
	TEST_ASSERT_ERRNO(send_secret(&v, NULL, sizeof(hdr), guest, len, trans, len, NULL),
			  EINVAL);
	TEST_ASSERT_ERRNO(send_secret(&v, &hdr, sizeof(hdr), (void *)(~0ul - 8), len, trans, len,
				      NULL), EINVAL);
	TEST_ASSERT_ERRNO(cmd(&v, KVM_SEV_LAUNCH_SECRET, NULL, NULL), EFAULT);
	gone = mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(gone != MAP_FAILED, "mmap");
	TEST_ASSERT_ERRNO(send_secret(&v, &hdr, sizeof(hdr), guest, len, gone, len, NULL),
			  EFAULT);
	TEST_ASSERT_ERRNO(send_secret(&v, &hdr, sizeof(hdr), gone, len, trans, len, NULL),
			  EFAULT);
	munmap(gone, PAGE);
	TEST_ASSERT(!memcmp(guest, before, sizeof(guest)), "a refused packet changed memory");
	/* After all that, the packet goes in. */
	TEST_ASSERT(!send_secret(&v, &hdr, sizeof(hdr), guest, len, trans, len, &error),
		    "LAUNCH_SECRET (%#x)", error);
	TEST_ASSERT(!memcmp(guest, the_secret, len), "the secret");
	sev_vm_destroy(&v);
	owner_free(&o);
	INSPECT(assert_nothing_leaked(&base));
}

/* A launch without a session: the owner does not know the TIK, so no packet of its holds. */
static void test_secret_needs_session(void)
{
	struct kvm_sev_launch_start s = {};
	struct kvm_sev_launch_update_data u = { .uaddr = (uintptr_t)guest, .len = PAGE };
	uint8_t blob[48], trans[256];
	struct kvm_sev_launch_measure m = { .uaddr = (uintptr_t)blob, .len = sizeof(blob) };
	uint32_t len = sizeof(the_secret), error = 0;
	struct secret_hdr hdr;
	struct sev_vm v;
	struct owner o;

	export_certs();
	owner_init(&o, 0);
	sev_vm_create(&v);
	TEST_ASSERT(!cmd(&v, KVM_SEV_LAUNCH_START, &s, NULL), "LAUNCH_START");
	TEST_ASSERT(!cmd(&v, KVM_SEV_LAUNCH_UPDATE_DATA, &u, NULL), "UPDATE_DATA");
	TEST_ASSERT(!cmd(&v, KVM_SEV_LAUNCH_MEASURE, &m, NULL), "MEASURE");
	package(&o, blob, the_secret, len, &hdr, trans);
	expect_fw(send_secret(&v, &hdr, sizeof(hdr), guest, len, trans, len, &error), &error,
		  SEV_RET_BAD_MEASUREMENT);
	sev_vm_destroy(&v);
	owner_free(&o);
}

static void test_session_refused(void)
{
	struct kvm_sev_launch_start s = {};
	struct host_counters base;
	uint32_t error = 0;
	struct sev_vm v;
	struct owner o;

	export_certs();
	kvm_close(kvm_open());
	host_get_counters(&base);
	owner_init(&o, 0);
	sev_vm_create(&v);
	/* The certificate: version, usage, algorithm, curve, a point off the curve. */
	o.cert[0] = 2;
	expect_fw(start(&v, &o, 0, &error), &error, SEV_RET_INVALID_CERTIFICATE);
	o.cert[0] = 1;
	o.cert[8] = USAGE_PEK & 0xff;
	expect_fw(start(&v, &o, 0, &error), &error, SEV_RET_INVALID_CERTIFICATE);
	o.cert[8] = USAGE_PDH & 0xff;
	o.cert[12] = ALGO_ECDSA;
	expect_fw(start(&v, &o, 0, &error), &error, SEV_RET_INVALID_CERTIFICATE);
	o.cert[12] = ALGO_ECDH;
	o.cert[0x10] = 1;				/* P-256 */
	expect_fw(start(&v, &o, 0, &error), &error, SEV_RET_INVALID_CERTIFICATE);
	o.cert[0x10] = 2;
	o.cert[0x14] ^= 1;				/* X changed: off the curve */
	expect_fw(start(&v, &o, 0, &error), &error, SEV_RET_INVALID_CERTIFICATE);
	o.cert[0x14] ^= 1;
	o.cert[0x14 + 60] = 1;				/* beyond 384 bits */
	expect_fw(start(&v, &o, 0, &error), &error, SEV_RET_INVALID_CERTIFICATE);
	o.cert[0x14 + 60] = 0;
	/* The session: the wrapped keys' MAC, the policy's MAC (another policy). */
	o.session.wrap_tk[0] ^= 1;
	expect_fw(start(&v, &o, 0, &error), &error, SEV_RET_BAD_MEASUREMENT);
	o.session.wrap_tk[0] ^= 1;
	expect_fw(start(&v, &o, 1, &error), &error, SEV_RET_BAD_MEASUREMENT);
	/* Lengths: one without the other, or not the size. */
	s.dh_uaddr = (uintptr_t)o.cert;
	s.dh_len = CERT;
	expect_fw(cmd(&v, KVM_SEV_LAUNCH_START, &s, &error), &error, SEV_RET_INVALID_LEN);
	s.dh_len = CERT - 1;
	s.session_uaddr = (uintptr_t)&o.session;
	s.session_len = sizeof(o.session);
	expect_fw(cmd(&v, KVM_SEV_LAUNCH_START, &s, &error), &error, SEV_RET_INVALID_LEN);
	s.dh_len = CERT;
	s.session_len = sizeof(o.session) + 1;
	expect_fw(cmd(&v, KVM_SEV_LAUNCH_START, &s, &error), &error, SEV_RET_INVALID_LEN);
	/* Nothing kept: the good session starts the launch. */
	TEST_ASSERT(!start(&v, &o, 0, &error), "LAUNCH_START (%#x)", error);
	sev_vm_destroy(&v);
	owner_free(&o);
	INSPECT(assert_nothing_leaked(&base));
}

int main(void)
{
	static const struct ksft_test tests[] = {
		KSFT_TEST(test_pdh_export),
		KSFT_TEST(test_secret_flow),
		KSFT_TEST(test_secret_refused),
		KSFT_TEST(test_secret_needs_session),
		KSFT_TEST(test_session_refused),
	};

	return ksft_run(tests, sizeof(tests) / sizeof(tests[0]));
}
