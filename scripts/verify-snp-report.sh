#!/bin/sh
# Verify an SNP attestation report with nothing but the openssl command line (and coreutils),
# as a relying party who pinned the ARK would:
#
#   scripts/verify-snp-report.sh DIR
#
# DIR holds report.bin (the ATTESTATION_REPORT, 0x4A0 bytes), ark.pem, ask.pem and vcek.pem
# (kvm_coco_snp_cert_chain()).  The chain: the ARK signs the ASK, the ASK the VCEK.  The
# signature: ECDSA P-384 with SHA-384 over the report's first 0x2A0 bytes; the report stores r
# and s little-endian in 72-byte fields at 0x2A0 and 0x2E8, which openssl wants as a DER
# SEQUENCE of two INTEGERs, so they are turned around and re-encoded first.  Exit 0: verified.
set -eu

dir=$1
cd "$dir"

# A little-endian 48-byte number at @1 of the report, as big-endian hex.
le_hex() {
	od -An -tx1 -v -j "$1" -N 48 report.bin | tr -s ' \n' '\n' | grep . | tac | tr -d '\n'
}

openssl verify -CAfile ark.pem -untrusted ask.pem vcek.pem >/dev/null
printf 'asn1=SEQUENCE:sig\n[sig]\nr=INTEGER:0x%s\ns=INTEGER:0x%s\n' \
	"$(le_hex $((0x2a0)))" "$(le_hex $((0x2e8)))" > sig.cnf
openssl asn1parse -genconf sig.cnf -out sig.der -noout
head -c $((0x2a0)) report.bin > signed.bin
openssl x509 -in vcek.pem -pubkey -noout > vcek.pub
openssl dgst -sha384 -verify vcek.pub -signature sig.der signed.bin >/dev/null
