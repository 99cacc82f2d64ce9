// Command paypalsim runs the PayPal simulator for local development.
//
// Point the panel at it with PAYPAL_API_URL=http://127.0.0.1:8082 and
// PAYPAL_CERT_HOSTS=127.0.0.1:8082, with the same client id, secret and
// webhook id as given here.
package main

import (
	"flag"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/vfpanel/vfpanel/internal/sim/paypalsim"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8082", "listen address")
	webhookURL := flag.String("webhook-url", "", "where to POST webhook events (empty: record only)")
	publicURL := flag.String("public-url", "", "base URL for links and the cert URL (default: http://addr)")
	clientID := flag.String("client-id", "sim-client", "OAuth client id")
	clientSecret := flag.String("client-secret", "sim-secret", "OAuth client secret")
	webhookID := flag.String("webhook-id", "WEBHOOK_ID", "webhook id signed into deliveries")
	autoApprove := flag.Bool("auto-approve", false, "approve orders as soon as the approval page is opened")
	duplicates := flag.Int("duplicate-deliveries", 0, "extra copies of each webhook event")
	state := flag.String("state", "", "JSON file that keeps orders and the signing certificate across restarts (empty: memory only)")
	flag.Parse()

	sim, err := paypalsim.NewWithState(paypalsim.Options{
		ClientID: *clientID, ClientSecret: *clientSecret, WebhookID: *webhookID,
		WebhookURL: *webhookURL, PublicURL: *publicURL, AutoApprove: *autoApprove,
		DuplicateDeliveries: *duplicates, StateFile: *state,
	})
	if err != nil {
		slog.Error("paypalsim: load state", "err", err)
		os.Exit(1)
	}
	url, err := sim.Start(*addr)
	if err != nil {
		slog.Error("paypalsim: start", "err", err)
		os.Exit(1)
	}
	slog.Info("paypalsim: listening", "url", url, "certURL", sim.CertURL(), "webhookURL", *webhookURL)

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	<-stop
	if err := sim.Close(); err != nil {
		slog.Error("paypalsim: close", "err", err)
	}
}
