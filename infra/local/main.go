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
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/vfpanel/vfpanel/internal/app"
	"github.com/vfpanel/vfpanel/internal/ddblocal"
	"github.com/vfpanel/vfpanel/internal/routes"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "where the panel listens")
	dataDir := flag.String("data", ".data", "where DynamoDB Local keeps its files")
	web := flag.String("web", "web/dist", "the built UI")
	ddbPort := flag.Int("ddb-port", 8000, "DynamoDB Local port")
	simPort := flag.Int("sim-port", 8081, "first of five ports: the VirtFusion, Auth0 and PayPal simulators, Mailpit's SMTP and its API")
	mail := flag.Bool("mail", true, "start Mailpit (build/mailpit, from make mailpit) and send the panel's mail to it")
	fast := flag.Bool("fast", false, "shorten the VirtFusion simulator's builds (3s) and power tasks (1s), for the browser tests")
	demo := flag.Bool("demo", true, "seed the demo customer (welcome credit, one server) once; restarts change nothing")
	flag.Parse()
	app.SetupLogging()
	if err := run(*addr, *dataDir, *web, *ddbPort, *simPort, *fast, *demo, *mail); err != nil {
		slog.Error("local runner stopped", "err", err)
		os.Exit(1)
	}
}

func run(addr, dataDir, web string, ddbPort, vfPort int, fast, demo, mail bool) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	ddbDir, _ := filepath.Abs(filepath.Join(dataDir, "dynamodb"))
	endpoint, ddb, err := ddblocal.StartCmd(ddbDir, false, ddbPort)
	if err != nil {
		return err
	}
	defer ddb.Process.Kill()

	opts := StackOptions{DynamoEndpoint: endpoint, PublicURL: "http://" + addr, Table: "vfpanel-local",
		DataDir: dataDir, VirtFusionPort: vfPort, Auth0Port: vfPort + 1, PayPalPort: vfPort + 2, HourlyBilling: true,
		Mail: mail, MailSMTPPort: vfPort + 3, MailHTTPPort: vfPort + 4}
	if fast {
		opts.BuildDelay, opts.PowerDelay = 3*time.Second, time.Second
	}
	stack, err := StartStack(ctx, opts)
	if err != nil {
		return err
	}
	defer stack.Close()

	rn, err := stack.Runner(web)
	if err != nil {
		return err
	}
	// Listen before seeding: the order's VirtFusion webhooks come back here.
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	var h http.Handler = rn
	if stack.Mailpit != nil {
		mux := http.NewServeMux()
		mux.Handle(mailViewPath, mailView(stack.Mailpit.APIURL))
		mux.Handle("/", rn)
		h = mux
	}
	srv := &http.Server{Handler: h, MaxHeaderBytes: routes.MaxHeaderBytes}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	banner := stack.Banner
	if demo {
		seed, err := SeedDemo(ctx, stack, rn)
		if err != nil {
			// The panel works without the seed; say so and carry on.
			slog.Error("local: demo seed", "err", err)
			banner = append(banner, "Demo seed:             failed (see the log): "+err.Error())
		} else {
			banner = append(banner, seed.Banner()...)
		}
	}
	fmt.Printf("\n  vfpanel is running at  http://%s\n", addr)
	fmt.Printf("  DynamoDB Local:        %s (data in %s)\n", endpoint, ddbDir)
	for _, line := range banner {
		fmt.Println("  " + strings.ReplaceAll(line, "<panel URL>", "http://"+addr))
	}
	fmt.Println()
	if err := <-served; err != nil && err != http.ErrServerClosed {
		return err
	}
	return nil
}
