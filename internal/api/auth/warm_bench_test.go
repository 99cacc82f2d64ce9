package auth_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/vfpanel/vfpanel/internal/api/auth"
	"github.com/vfpanel/vfpanel/internal/dynamo"
)

// cpuTime is this process's user+system CPU so far. DynamoDB Local is
// another process (a JVM), so its work is not in it: this is Go's own CPU.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkWarmSignedInGET measures issue 21's "warm signed-in GET: Go CPU
// per request ≤ 1.3× the SDK's own GetItem", everything in one run against
// the same DynamoDB Local:
//
//   - GetUser / GetSession: a bare aws-sdk-go-v2 consistent GetItem of the
//     user's / the session's item through the client the functions use
//     (the floor: the one round trip each route makes);
//   - MeBearer: GET /api/auth/me through the mounted auth function (site
//     middleware, authenticator, handler) with a real RS256 access token
//     from the Auth0 simulator (one GetItem: the user);
//   - MeSession: the same with the session cookie (one GetItem: the session).
//
// CPU is this process's user+system time (getrusage; DynamoDB Local is
// another process), which a busy shared machine disturbs less than wall
// time. The four run interleaved in blocks of 50 requests, for
// WARM_ROUNDS rounds (default 15) per b.N; each reports the median
// cpu-µs/op of its blocks, and the routes their ratio to their floor.
// Run with -benchtime 1x.
func BenchmarkWarmSignedInGET(b *testing.B) {
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewJSONHandler(io.Discard, nil))) // formatting counts, the terminal does not
	b.Cleanup(func() { slog.SetDefault(prev) })
	e := newBenchEnv(b)
	me := e.browser().do("GET", "/api/auth/me", nil, "Authorization", "Bearer "+e.token)
	uid, _ := me.user()["id"].(string)
	if uid == "" {
		b.Fatalf("me: %d %s", me.status, me.raw)
	}
	ctx := context.Background()
	getItem := func(pk, sk string) func() {
		in := &dynamodb.GetItemInput{TableName: &e.users.Table, Key: dynamo.Key(pk, sk), ConsistentRead: aws.Bool(true)}
		return func() {
			out, err := e.users.DB.GetItem(ctx, in)
			if err != nil || out.Item == nil {
				b.Fatalf("GetItem %s: %v (has the key layout changed?)", pk, err)
			}
		}
	}
	get := func(set func(r *http.Request)) func() {
		return func() {
			r := httptest.NewRequest("GET", "/api/auth/me", nil)
			r.Header.Set("User-Agent", "bench")
			set(r)
			w := httptest.NewRecorder()
			e.handler.ServeHTTP(w, r)
			if w.Code != http.StatusOK {
				b.Fatalf("me: %d %s", w.Code, w.Body)
			}
		}
	}
	cases := []struct {
		name string
		do   func()
	}{
		{"GetUser", getItem("USER#"+uid, "PROFILE")},
		{"GetSession", getItem("SESSION#"+auth.HashSessionID(e.cookie), "META")},
		{"MeBearer", get(func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+e.token) })},
		{"MeSession", get(func(r *http.Request) {
			r.AddCookie(&http.Cookie{Name: auth.SessionCookieName(false), Value: e.cookie})
		})},
	}
	const block = 50
	rounds := 15
	if v, err := strconv.Atoi(os.Getenv("WARM_ROUNDS")); err == nil && v > 0 {
		rounds = v
	}
	for _, c := range cases { // warm connections and caches
		for range block {
			c.do()
		}
	}
	per := make([][]float64, len(cases))
	for b.Loop() {
		for range rounds {
			for i, c := range cases {
				cpu0 := cpuTime(b)
				for range block {
					c.do()
				}
				per[i] = append(per[i], float64(cpuTime(b)-cpu0)/1e3/block)
			}
		}
	}
	med := make([]float64, len(cases))
	for i, c := range cases {
		slices.Sort(per[i])
		med[i] = per[i][len(per[i])/2]
		b.ReportMetric(med[i], c.name+"-cpu-µs")
	}
	b.ReportMetric(med[2]/med[0], "MeBearer/GetUser")
	b.ReportMetric(med[3]/med[1], "MeSession/GetSession")
}
