// Command local is vfpanel's local runner for `make dev`: it starts DynamoDB
// Local (data kept under .data/), the VirtFusion, Auth0 and PayPal
// simulators, and every function behind an API-Gateway-style router on
// 127.0.0.1:8080 that also serves the built UI. It is not a Lambda.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/vfpanel/vfpanel/internal/app"
	"github.com/vfpanel/vfpanel/internal/ddblocal"
	"github.com/vfpanel/vfpanel/internal/localrun"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "where the panel listens")
	dataDir := flag.String("data", ".data", "where DynamoDB Local keeps its files")
	web := flag.String("web", "web/dist", "the built UI")
	ddbPort := flag.Int("ddb-port", 8000, "DynamoDB Local port")
	simPort := flag.Int("sim-port", 8081, "first of three ports for the VirtFusion, Auth0 and PayPal simulators")
	fast := flag.Bool("fast", false, "shorten the VirtFusion simulator's builds (3s) and power tasks (1s), for the browser tests")
	flag.Parse()
	app.SetupLogging()
	if err := run(*addr, *dataDir, *web, *ddbPort, *simPort, *fast); err != nil {
		slog.Error("local runner stopped", "err", err)
		os.Exit(1)
	}
}

func run(addr, dataDir, web string, ddbPort, vfPort int, fast bool) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	ddbDir, _ := filepath.Abs(filepath.Join(dataDir, "dynamodb"))
	endpoint, ddb, err := ddblocal.StartCmd(ddbDir, false, ddbPort)
	if err != nil {
		return err
	}
	defer ddb.Process.Kill()

	opts := StackOptions{DynamoEndpoint: endpoint, PublicURL: "http://" + addr, Table: "vfpanel-local",
		DataDir: dataDir, VirtFusionPort: vfPort, Auth0Port: vfPort + 1, PayPalPort: vfPort + 2, HourlyBilling: true}
	if fast {
		opts.BuildDelay, opts.PowerDelay = 3*time.Second, time.Second
	}
	stack, err := StartStack(ctx, opts)
	if err != nil {
		return err
	}
	defer stack.Close()

	rn, err := localrun.New(stack.Functions, web)
	if err != nil {
		return err
	}
	srv := &http.Server{Addr: addr, Handler: rn}
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	fmt.Printf("\n  vfpanel is running at  http://%s\n", addr)
	fmt.Printf("  DynamoDB Local:        %s (data in %s)\n", endpoint, ddbDir)
	for _, line := range stack.Banner {
		fmt.Println("  " + line)
	}
	fmt.Println()
	if err := srv.ListenAndServe(); err != nil && err != http.ErrServerClosed {
		return err
	}
	return nil
}
