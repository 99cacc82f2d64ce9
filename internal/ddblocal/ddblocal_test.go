package ddblocal

import (
	"slices"
	"testing"
)

func TestJVMFlags(t *testing.T) {
	for name, tc := range map[string]struct {
		env  string
		want []string
	}{
		"Default":  {"", ThroughputFlags},
		"Startup":  {"startup", StartupFlags},
		"Explicit": {" -Xmx2g  -XX:+UseG1GC ", []string{"-Xmx2g", "-XX:+UseG1GC"}},
	} {
		t.Run(name, func(t *testing.T) {
			t.Setenv(JVMFlagsEnv, tc.env)
			if got := JVMFlags(); !slices.Equal(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
	if slices.Contains(ThroughputFlags, "-XX:TieredStopAtLevel=1") || slices.Contains(ThroughputFlags, "-XX:+UseSerialGC") {
		t.Errorf("ThroughputFlags %q keep a start-up-first setting", ThroughputFlags)
	}
}
