// Command withddb runs a command with one DynamoDB Local for all of it:
// it starts DynamoDB Local in memory on a free loopback port, exports
// DYNAMODB_ENDPOINT (which internal/dynamotest uses instead of starting its
// own), runs the command, stops DynamoDB Local and exits with the command's
// status. `make test` runs `go test ./...` under it, so the test binaries
// share one JVM instead of starting one each.
//
//	go run ./internal/ddblocal/cmd/withddb go test ./...
package main

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"syscall"

	"github.com/vfpanel/vfpanel/internal/ddblocal"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: withddb command [args...]")
		os.Exit(2)
	}
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	ep, ddb, err := ddblocal.StartCmd("", true, 0)
	if err != nil {
		slog.Error("withddb: DynamoDB Local did not start", "err", err)
		return 1
	}
	defer func() {
		_ = ddb.Process.Kill()
		_ = ddb.Wait()
	}()
	slog.Info("withddb: DynamoDB Local for the whole run", "endpoint", ep)

	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = append(os.Environ(), "DYNAMODB_ENDPOINT="+ep)
	if err := cmd.Start(); err != nil {
		slog.Error("withddb: start command", "err", err)
		return 1
	}
	// Pass Ctrl-C and termination on, then still stop DynamoDB Local.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		for s := range sig {
			_ = cmd.Process.Signal(s)
		}
	}()
	err = cmd.Wait()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit) && exit.ExitCode() > 0:
		return exit.ExitCode()
	default:
		slog.Error("withddb: command failed", "err", err)
		return 1
	}
}
