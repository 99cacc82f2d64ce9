// Command vfsim runs the VirtFusion API simulator on its own, with demo data.
package main

import (
	"flag"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/vfpanel/vfpanel/internal/sim/vfsim"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8090", "listen address")
	token := flag.String("token", "vfsim-token", "API bearer token (empty accepts any)")
	buildDelay := flag.Duration("build-delay", 8*time.Second, "how long a server build takes")
	powerDelay := flag.Duration("power-delay", 3*time.Second, "how long a power action takes")
	public := flag.String("public-url", "", "panel base URL clients see (default http://<addr>)")
	hook := flag.String("webhook-url", "", "POST VirtFusion-style webhooks here")
	hookToken := flag.String("webhook-token", "", "bearer token for webhooks (sent base64-encoded)")
	seed := flag.Bool("seed", true, "add demo users and servers")
	state := flag.String("state", "", "JSON file that keeps state across restarts (empty: memory only)")
	flag.Parse()

	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	sim, err := vfsim.NewWithState(vfsim.Options{
		Token: *token, BuildDelay: *buildDelay, PowerDelay: *powerDelay, Seed: *seed,
		PublicHost: *public, WebhookURL: *hook, WebhookToken: *hookToken, Logger: log, StateFile: *state,
	})
	if err != nil {
		log.Error("load state", "err", err)
		os.Exit(1)
	}
	url, err := sim.Start(*addr)
	if err != nil {
		log.Error("start", "err", err)
		os.Exit(1)
	}
	log.Info("VirtFusion simulator listening", "panel", url, "api", url+"/api/v1", "token", *token)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	<-sig
	_ = sim.Close()
}
