// Command auth0sim runs the Auth0 simulator on its own, for the local stack
// and manual testing.
package main

import (
	"flag"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/vfpanel/vfpanel/internal/sim/auth0sim"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8081", "listen address")
	clientID := flag.String("client-id", "sim-client", "application client id")
	secret := flag.String("client-secret", "sim-secret", "application client secret")
	audience := flag.String("audience", "https://api.vfpanel.test", "API identifier")
	conn := flag.String("connection", "Username-Password-Authentication", "database connection")
	roles := flag.String("roles-claim", "https://vfpanel.app/roles", "namespaced roles claim")
	users := flag.String("users", "admin@example.com:Admin-pass1:Admin:admin,demo@example.com:Demo-pass1:Demo",
		"seed users email:password:name[:role], comma separated")
	state := flag.String("state", "", "JSON file that keeps users and signing keys across restarts (empty: memory only)")
	flag.Parse()

	s, err := auth0sim.NewWithState(auth0sim.Options{ClientID: *clientID, ClientSecret: *secret, Audience: *audience,
		Connection: *conn, RolesClaim: *roles, StateFile: *state})
	if err != nil {
		slog.Error("auth0sim", "err", err)
		os.Exit(1)
	}
	for _, spec := range strings.Split(*users, ",") {
		f := strings.Split(spec, ":")
		if len(f) < 3 {
			continue
		}
		s.AddUser(f[0], f[1], f[2], f[3:]...)
	}
	if err := s.Start(*addr); err != nil {
		slog.Error("auth0sim", "err", err)
		os.Exit(1)
	}
	slog.Info("auth0sim listening", "issuer", s.Issuer())
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	<-sig
	_ = s.Close()
}
