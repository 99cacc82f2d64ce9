package paypal

import (
	"crypto/x509"
	"embed"
	"encoding/pem"
	"fmt"
	"sync"
)

// The certificates PayPal's SDKs ship to verify webhook signing
// certificates (each file names its source).
//
//go:embed certs/*.pem
var shippedCerts embed.FS

// The shipped certificates and the root pool are read on first use (the
// first webhook to verify), not at start-up: loading the system roots is
// most of a cold start's work otherwise.
var (
	shippedIssuers = sync.OnceValue(func() []*x509.Certificate { return mustCerts("certs/digicert-sha2-ev-server-ca.pem") })
	shippedRoots   = sync.OnceValue(systemAndShippedRoots)
)

// systemAndShippedRoots is the system roots plus the shipped root, so a
// host without DigiCert's EV root can still verify PayPal's chain.
func systemAndShippedRoots() *x509.CertPool {
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	for _, c := range mustCerts("certs/digicert-high-assurance-ev-root-ca.pem") {
		pool.AddCert(c)
	}
	return pool
}

func mustCerts(name string) []*x509.Certificate {
	raw, err := shippedCerts.ReadFile(name)
	if err != nil {
		panic(err)
	}
	certs, err := parsePEMCerts(raw)
	if err != nil || len(certs) == 0 {
		panic(fmt.Sprintf("paypal: %s: %v", name, err))
	}
	return certs
}

// parsePEMCerts returns the CERTIFICATE blocks of raw, in order; other
// blocks and text around them are skipped.
func parsePEMCerts(raw []byte) ([]*x509.Certificate, error) {
	var out []*x509.Certificate
	for block, rest := pem.Decode(raw); block != nil; block, rest = pem.Decode(rest) {
		if block.Type != "CERTIFICATE" {
			continue
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, err
		}
		out = append(out, cert)
	}
	return out, nil
}
