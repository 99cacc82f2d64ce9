// Command coldstart measures each function's cold start: it builds every
// functions/<name> bootstrap and a hello-world aws-lambda-go function the
// same way (stripped, lambda.norpc, for this machine), then runs each under
// a minimal Lambda Runtime API on loopback and times process exec → first
// invocation response (an API Gateway GET for HTTP functions; an empty
// event for the others, whose figure is exec → first /next, i.e. init).
// Runs interleave the function and the reference, so load on a shared
// machine hits both; it prints medians and the ratio to the reference.
//
// With -instructions, each run is under valgrind's cachegrind instead and
// the figure is instructions executed from exec → first response (SIGTERM
// then), which load on a shared machine does not change.
//
//	go run ./scripts/coldstart [-n 15] [-max 1.5] [-instructions] [function ...]
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/vfpanel/vfpanel/internal/app"
	"github.com/vfpanel/vfpanel/internal/routes"
)

func main() {
	n := flag.Int("n", 15, "runs per function (and as many of the reference)")
	maxRatio := flag.Float64("max", 0, "exit 1 when a function's median ratio is above this (0: report only)")
	flag.BoolVar(&instructions, "instructions", false, "count instructions under valgrind (cachegrind) instead of timing")
	flag.Parse()
	names := flag.Args()
	if len(names) == 0 {
		for name := range app.Functions() {
			names = append(names, name)
		}
		slices.Sort(names)
	}
	dir, err := os.MkdirTemp("", "coldstart")
	if err != nil {
		fatal(err)
	}
	defer os.RemoveAll(dir)
	for _, name := range append([]string{"hello"}, names...) {
		src := "./functions/" + name
		if name == "hello" {
			src = "./scripts/coldstart/hello"
		}
		cmd := exec.Command("go", "build", "-tags", "lambda.norpc", "-trimpath", "-ldflags", "-s -w", "-o", filepath.Join(dir, name), src)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			fatal(fmt.Errorf("build %s: %w", name, err))
		}
	}
	rt, err := newRuntime()
	if err != nil {
		fatal(err)
	}
	upstream = stubUpstream()
	what := "cold start, exec → first response"
	if instructions {
		what = "cold start in instructions (valgrind), exec → first response"
	}
	fmt.Printf("%s (median of %d; reference: hello-world aws-lambda-go, same build, interleaved)\n", what, *n)
	fmt.Printf("%-13s %10s %10s %7s\n", "function", "median", "reference", "ratio")
	failed := false
	for _, name := range names {
		ev := event(name)
		var got, ref []time.Duration
		for i := range *n * 2 {
			bin, e := name, ev
			if i%2 == 1 {
				bin, e = "hello", event("")
			}
			d, err := rt.coldStart(filepath.Join(dir, bin), name, e)
			if err != nil {
				fatal(fmt.Errorf("%s: %w", bin, err))
			}
			if i%2 == 1 {
				ref = append(ref, d)
			} else {
				got = append(got, d)
			}
		}
		m, r := median(got), median(ref)
		ratio := float64(m) / float64(r)
		mark := ""
		if *maxRatio > 0 && ratio > *maxRatio {
			mark, failed = fmt.Sprintf("  OVER %.2f×", *maxRatio), true
		}
		fmt.Printf("%-13s %10s %10s %6.2f×%s\n", name, ms(m), ms(r), ratio, mark)
	}
	if failed {
		os.Exit(1)
	}
}

// event is the first invocation's payload: a GET of the function's first
// GET route (with its wildcards filled), or {} for a non-HTTP function.
func event(function string) string {
	for _, r := range routes.ForFunction(function) {
		if r.Method != http.MethodGet {
			continue
		}
		path := r.Path
		for strings.Contains(path, "{") {
			i, j := strings.IndexByte(path, '{'), strings.IndexByte(path, '}')
			path = path[:i] + "1" + path[j+1:]
		}
		return fmt.Sprintf(`{"version":"2.0","routeKey":"$default","rawPath":%q,"rawQueryString":"","headers":{"host":"coldstart.local","user-agent":"coldstart"},`+
			`"requestContext":{"http":{"method":"GET","path":%q,"protocol":"HTTP/1.1","sourceIp":"127.0.0.1"},"requestId":"cold","stage":"$default","domainName":"coldstart.local"},"isBase64Encoded":false}`, path, path)
	}
	if function == "" {
		return `{"version":"2.0","rawPath":"/","requestContext":{"http":{"method":"GET","path":"/"}}}`
	}
	return `{}`
}

// runtime is a minimal Lambda Runtime API: it hands out one event and
// records when the function answered it (or, for the init figure, first
// asked for work).
type runtime struct {
	addr string
	mu   sync.Mutex
	ev   string
	done chan string // "response", "error: …"
}

func newRuntime() (*runtime, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	rt := &runtime{addr: l.Addr().String()}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /2018-06-01/runtime/invocation/next", func(w http.ResponseWriter, r *http.Request) {
		rt.mu.Lock()
		ev := rt.ev
		rt.ev = ""
		rt.mu.Unlock()
		if ev == "{}" { // a non-HTTP function: its figure is init, exec → first /next
			rt.done <- "init"
			ev = ""
		}
		if ev == "" { // the second /next: the run is over; hold it until the process is killed
			<-r.Context().Done()
			return
		}
		w.Header().Set("Lambda-Runtime-Aws-Request-Id", "req-1")
		w.Header().Set("Lambda-Runtime-Deadline-Ms", fmt.Sprint(time.Now().Add(30*time.Second).UnixMilli()))
		w.Header().Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:000000000000:function:coldstart")
		w.Header().Set("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000")
		_, _ = io.WriteString(w, ev)
	})
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/response", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusAccepted)
		rt.done <- "response"
	})
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/error", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.WriteHeader(http.StatusAccepted)
		rt.done <- "error: " + string(b)
	})
	mux.HandleFunc("POST /2018-06-01/runtime/init/error", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.WriteHeader(http.StatusAccepted)
		rt.done <- "init error: " + string(b)
	})
	go func() { _ = http.Serve(l, mux) }()
	return rt, nil
}

// coldStart runs bin once and returns exec → the first invocation's
// response. A function that returns an error counts as answered (jobs and
// streams fail on an empty event, after their init), one that exits first
// fails the run.
func (rt *runtime) coldStart(bin, function, ev string) (time.Duration, error) {
	rt.mu.Lock()
	rt.ev = ev
	rt.mu.Unlock()
	rt.done = make(chan string, 2)
	limit := 30 * time.Second
	if instructions {
		limit = 3 * time.Minute // valgrind is some 50× slower
	}
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin)
	var out string // cachegrind's output file
	if instructions {
		out = bin + ".cachegrind"
		cmd = exec.CommandContext(ctx, "valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file="+out, bin)
	}
	cmd.Env = append(env(function), "AWS_LAMBDA_RUNTIME_API="+rt.addr)
	if instructions { // valgrind knows neither RDTSCP nor Go's preemption signals well
		cmd.Env = append(cmd.Env, "GODEBUG=cpu.rdtscp=off,asyncpreemptoff=1")
	}
	var stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case res := <-rt.done:
		d := time.Since(start)
		if !instructions {
			_ = cmd.Process.Kill()
		} else {
			_ = cmd.Process.Signal(syscall.SIGTERM) // valgrind writes its counts as the process dies
		}
		<-exited
		if strings.HasPrefix(res, "init error") {
			return 0, fmt.Errorf("%s", res)
		}
		if instructions {
			return countInstructions(out)
		}
		return d, nil
	case err := <-exited:
		return 0, fmt.Errorf("exited before answering (%v): %s", err, stderr.String())
	case <-ctx.Done():
		_ = cmd.Process.Kill()
		return 0, fmt.Errorf("no answer within %s: %s", limit, stderr.String())
	}
}

// instructions: count instructions (valgrind) rather than time.
var instructions bool

// countInstructions reads the total from a cachegrind output file (as a
// Duration, so the medians and ratios code serves both figures).
func countInstructions(file string) (time.Duration, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "summary: "); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			return time.Duration(n), err
		}
	}
	return 0, fmt.Errorf("%s: no summary line", file)
}

// upstream is the stub every upstream setting points at.
var upstream string

// stubUpstream answers every call at once and without retry: DynamoDB
// calls with ResourceNotFoundException, the others (VirtFusion, PayPal,
// Auth0) with 404, so a first request that needs an upstream costs one
// loopback round trip, not a connection error's retries.
func stubUpstream() string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fatal(err)
	}
	go func() {
		_ = http.Serve(l, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			w.Header().Set("Content-Type", "application/json")
			if strings.HasPrefix(r.Header.Get("X-Amz-Target"), "DynamoDB_") {
				w.Header().Set("Content-Type", "application/x-amz-json-1.0")
				w.WriteHeader(http.StatusBadRequest)
				_, _ = io.WriteString(w, `{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"Requested resource not found"}`)
				return
			}
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, `{"message":"not found"}`)
		}))
	}()
	return "http://" + l.Addr().String()
}

// env is a Lambda-like environment with every setting a function checks at
// start-up; every upstream is the stub.
func env(function string) []string {
	return []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.TempDir(),
		"AWS_LAMBDA_FUNCTION_NAME=" + function, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE=512", "AWS_LAMBDA_FUNCTION_VERSION=$LATEST",
		"AWS_REGION=us-east-1", "AWS_ACCESS_KEY_ID=AKIDCOLDSTART", "AWS_SECRET_ACCESS_KEY=coldstart", "AWS_SESSION_TOKEN=coldstart",
		"TABLE_NAME=coldstart", "DYNAMODB_ENDPOINT=" + upstream,
		"VFP_STAGE=prod", "PUBLIC_URL=https://panel.example.com",
		"VIRTFUSION_PANEL_URL=" + upstream, "VIRTFUSION_API_TOKEN=t", "VIRTFUSION_WEBHOOK_TOKEN=t",
		"AUTH0_DOMAIN=" + strings.TrimPrefix(upstream, "http://"), "AUTH0_CLIENT_ID=c", "AUTH0_CLIENT_SECRET=s", "AUTH0_AUDIENCE=https://api",
		"SESSION_KEY=" + strings.Repeat("k", 64), "PAYPAL_CLIENT_ID=c", "PAYPAL_CLIENT_SECRET=s", "PAYPAL_WEBHOOK_ID=w",
		"PAYPAL_API_URL=" + upstream, "SMTP_HOST=127.0.0.1", "SMTP_PORT=9", "MAIL_FROM=panel@example.com"}
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) string {
	if instructions { // a count, not a duration
		return fmt.Sprintf("%.1f M", float64(d)/1e6)
	}
	return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000)
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "coldstart:", err)
	os.Exit(1)
}
