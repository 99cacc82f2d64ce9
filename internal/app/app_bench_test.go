package app

import (
	"context"
	"net"
	"sync/atomic"
	"testing"

	"github.com/vfpanel/vfpanel/internal/config"
)

// BenchmarkBuildServersFunction measures the servers function's cold-start
// work as RunHTTP does it, minus Secrets Manager and lambda.Start: load the
// config, build the shared dependencies (fresh each time, so no per-Deps
// cache helps) and build the handler. Every upstream (VirtFusion, Auth0,
// PayPal; DynamoDB in the Local sub-benchmark) points at a listener that
// counts connections, and the benchmark fails if any is made: nothing may
// touch the network at cold start (the JWKS is fetched lazily).
func BenchmarkBuildServersFunction(b *testing.B) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	var conns atomic.Int64
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns.Add(1)
			c.Close()
		}
	}()
	up := "http://" + ln.Addr().String()
	// What Lambda puts in the environment, so the SDK's default chain finds
	// credentials without looking further.
	b.Setenv("AWS_ACCESS_KEY_ID", "AKIDBENCH")
	b.Setenv("AWS_SECRET_ACCESS_KEY", "bench")
	b.Setenv("AWS_SESSION_TOKEN", "bench")
	b.Setenv("AWS_REGION", "eu-west-1")
	// Lambda sets no CA bundle; a machine that does would make every
	// iteration parse it (~9 ms), which is not the function's cost.
	b.Setenv("AWS_CA_BUNDLE", "")

	for _, tc := range []struct{ name, endpoint string }{{"AWS", ""}, {"Local", up}} {
		b.Run(tc.name, func(b *testing.B) {
			env := map[string]string{
				"TABLE_NAME": "vfpanel", "DYNAMODB_ENDPOINT": tc.endpoint, "AWS_REGION": "eu-west-1",
				"PUBLIC_URL":           "https://panel.example.com",
				"VIRTFUSION_PANEL_URL": up, "VIRTFUSION_API_TOKEN": "t", "VIRTFUSION_WEBHOOK_TOKEN": "w",
				"AUTH0_DOMAIN": up, "AUTH0_CLIENT_ID": "id", "AUTH0_CLIENT_SECRET": "secret",
				"AUTH0_AUDIENCE": "https://api.example.com", "SESSION_KEY": "bench-session-key-0123456789abcdef",
				"PAYPAL_API_URL": up, "PAYPAL_CLIENT_ID": "pp", "PAYPAL_CLIENT_SECRET": "pps", "PAYPAL_WEBHOOK_ID": "WH",
			}
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				cfg, err := config.Load(func(k string) string { return env[k] }, nil)
				if err == nil {
					err = cfg.Need(config.NeedTable, config.NeedVirtFusion, config.NeedAuth0Token)
				}
				if err != nil {
					b.Fatal(err)
				}
				d, err := NewDeps(ctx, cfg)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := Servers(d); err != nil {
					b.Fatal(err)
				}
			}
			if n := conns.Load(); n != 0 {
				b.Fatalf("building the function made %d network connections; want none", n)
			}
		})
	}
}
